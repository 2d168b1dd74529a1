"""CSRF on every form, escaping of stored input on every page, and masked 身份证号 and phones."""
import logging

import pytest
from flask import g

from nominate import create_app
from nominate.audit.models import AuditEvent
from nominate.core.db import unit_of_work
from nominate.extensions import db as _db
from nominate.workflow.engine import fire_event
from tests.factories import individual_data
from tests.signin import signed_in_session, use_session

ID_NUMBER = individual_data()["id_number"]
PHONE = individual_data()["phone"]
XSS = '<script>alert("x")</script>'


@pytest.fixture()
def csrf_app(app, ctx):
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "SECRET_KEY": "test", "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False})
    yield other
    with other.app_context():
        _db.engine.dispose()


def test_every_form_post_without_a_csrf_token_is_refused(app, csrf_app, f, db):
    from tests.security.test_matrix import MATRIX, build_request

    saved = signed_in_session(app, f.user("admin", "shanxi"))
    db.session.rollback()
    client = use_session(csrf_app.test_client(), saved)
    ids = {name: 1 for name in ("nom", "pub", "batch", "opinion", "period", "objection", "datong_org", "datong_user",
                                "campaign", "taiyuan_org", "honour", "notification", "delivery", "city_session",
                                "city_token")}
    ids["import"] = "no-such-token"
    posts = set()
    with csrf_app.test_request_context():
        rules = {(r.endpoint, m): r for r in csrf_app.url_map.iter_rules() for m in r.methods}
        for (endpoint, method), (_, spec) in MATRIX.items():
            if method == "GET" or endpoint.startswith("api"):
                continue
            url, kwargs = build_request(rules[(endpoint, method)], method, spec, ids)
            kwargs.pop("content_type", None)
            r = client.open(url, method=method, data=kwargs.get("data", {}))
            assert r.status_code == 400 and "CSRF" in r.get_data(as_text=True), (endpoint, r.status_code)
            posts.add((endpoint, method))
    web_posts = {(r.endpoint, m) for r in csrf_app.url_map.iter_rules() for m in r.methods - {"GET", "HEAD", "OPTIONS"}
                 if not r.endpoint.startswith("api")}
    assert posts == web_posts
    # the login form itself, and with a token it works
    anon = csrf_app.test_client()
    assert anon.post("/login", data={"username": "admin-shanxi", "password": "Secret-pass-1"}).status_code == 400
    page = anon.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    r = anon.post("/login", data={"username": "admin-shanxi", "password": "Secret-pass-1", "csrf_token": token})
    assert r.status_code == 302


def test_api_is_exempt_from_csrf_because_it_ignores_the_session_cookie(app, csrf_app, f, db):
    saved = signed_in_session(app, f.city())
    db.session.rollback()
    client = use_session(csrf_app.test_client(), saved)
    r = client.get("/api/v1/nominations")  # a logged-in browser without a bearer token gets nothing
    assert r.status_code == 401


def test_stored_markup_is_escaped_on_every_page_that_shows_it(login, f, walk, db):
    nom = walk.to(f.individual(person_name=XSS), "formal_materials")
    with unit_of_work():
        from nominate.batches.operations import set_batch_report

        set_batch_report(nom.batch, f.city(), formal_report_text=XSS)
        # the 初审 report was submitted long ago (and is frozen since): stored as it was sent
        nom.batch.report_text = XSS
    pages = {
        f.city(): ["/nominations/", f"/nominations/{nom.id}", f"/nominations/{nom.id}/edit", "/batches/",
                   "/timeline", "/", f"/batches/{nom.batch_id}"],
        f.office: ["/nominations/", f"/nominations/{nom.id}", "/province/board", "/opinions/overview",
                   "/publicity/", "/timeline", f"/batches/{nom.batch_id}"],
        f.user("signer_discipline", "taiyuan"): ["/opinions/", f"/nominations/{nom.id}"],
    }
    shown = 0
    for user, paths in pages.items():
        client = login(user)
        for path in paths:
            body = client.get(path).get_data(as_text=True)
            assert "<script>alert" not in body, path
            shown += "&lt;script&gt;alert(" in body or "&#34;x&#34;" in body
    assert shown >= 10


def test_identity_numbers_and_phones_are_masked_outside_the_official_pages(client, login, f, walk, db, caplog):
    caplog.set_level(logging.DEBUG)
    nom = walk.to(f.individual(), "province_review")
    with unit_of_work():
        fire_event(nom, "return_to_city", f.office, comment=f"请核对 {ID_NUMBER}，联系 {PHONE}")
    city, signer = f.token(f.city()), f.token(f.user("signer_discipline", "taiyuan"))
    headers = lambda t: {"Authorization": f"Bearer {t}"}  # noqa: E731

    def api(path, token, **kw):
        g.pop("user", None)
        return client.open(path, headers=headers(token), **kw)

    listed = api("/api/v1/nominations", city).get_data(as_text=True)
    assert ID_NUMBER not in listed and PHONE not in listed and ID_NUMBER[:6] in listed
    assert ID_NUMBER in api(f"/api/v1/nominations/{nom.id}", city).get_data(as_text=True)  # the owner's page
    assert ID_NUMBER not in api(f"/api/v1/nominations/{nom.id}", signer).get_data(as_text=True)
    # a change with the numbers in its comment: the audit trail keeps them masked
    r = api(f"/api/v1/nominations/{nom.id}", city, method="PATCH",
            json={"phone": "13700001234", "work_unit": f"某窗口 {ID_NUMBER} 电话 {PHONE}"})
    assert r.status_code == 200
    history = api(f"/api/v1/nominations/{nom.id}/history", city).get_data(as_text=True)
    assert ID_NUMBER not in history and PHONE not in history
    # error messages never echo the numbers
    bad = ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1")
    r = api("/api/v1/nominations", city, method="POST",
            json={"campaign_id": nom.campaign_id, "kind": "individual", **individual_data(id_number=bad)})
    assert r.status_code == 422 and bad not in r.get_data(as_text=True)
    r = login(f.city()).post("/nominations/new/individual", data=individual_data(id_number=bad))
    assert "身份证号校验位错误" in r.get_data(as_text=True)
    assert f'value="{bad}"' in r.get_data(as_text=True)  # the form gives the user's own input back to fix
    page = login(f.city()).get("/nominations/").get_data(as_text=True)
    assert ID_NUMBER not in page and PHONE not in page and "13700001234" not in page
    refused = login(f.city("datong")).get(f"/nominations/{nom.id}")
    assert refused.status_code == 403 and ID_NUMBER not in refused.get_data(as_text=True)
    for row in db.session.scalars(db.select(AuditEvent)):
        text = f"{row.comment} {row.data}"
        assert ID_NUMBER not in text and PHONE not in text and "13700001234" not in text, row.action
    assert not [rec for rec in caplog.records if ID_NUMBER in rec.getMessage() or PHONE in rec.getMessage()]


def test_huge_or_negative_ids_are_not_found_never_500(login, client, f):
    page = login(f.office)
    for path in ("/nominations/?org=99999999999999999999&page=99999999999999999999", "/nominations/?org=-1"):
        assert page.get(path).status_code == 200
    assert page.get("/nominations/99999999999999999999").status_code == 404
    token = {"Authorization": f"Bearer {f.token(f.office)}"}
    g.pop("user", None)
    assert client.get("/api/v1/nominations/99999999999999999999", headers=token).status_code == 404
    r = client.post("/api/v1/objections", json={"nomination_id": 2**40, "content": "x"}, headers=token)
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "nomination_id"
