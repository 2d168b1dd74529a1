"""Issue 11, defects 1, 4 and 7: identifiers in one normal form, one person once per campaign, region codes,
and no 5xx for hostile input (NUL, deep JSON, huge integers, a newline in next=, concurrent first visits)."""
from __future__ import annotations

import os
import threading

import pytest
import sqlalchemy as sa
from flask import g

from nominate.accounts.models import User
from nominate.batches.models import CityBatch
from nominate.core.errors import ValidationFailed
from nominate.extensions import db as _db
from nominate.nominations.models import Nomination
from nominate.nominations.validation import id_check_digit, parse_id_number
from tests.factories import individual_data, make_id_number, snapshot
from tests.signin import signed_in_session, use_session

ID_NUMBER = make_id_number("19850312", 124)
FULL_WIDTH = "".join(chr(ord(c) + 0xFEE0) for c in ID_NUMBER)  # １４０１０５…
ARABIC_INDIC = "".join(chr(0x660 + int(c)) if c.isdigit() else c for c in ID_NUMBER)  # ١٤٠١٠٥…


def _api(client, token, method, path, **kw):
    g.pop("user", None)
    return client.open(path, method=method, headers={"Authorization": f"Bearer {token}"}, **kw)


def _create(client, token, campaign_id, **over):
    return _api(client, token, "POST", "/api/v1/nominations",
                json={"campaign_id": campaign_id, "kind": "individual", **individual_data(**over)})


# defect 1 ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", [FULL_WIDTH, ARABIC_INDIC], ids=["full-width", "arabic-indic"])
def test_non_ascii_digits_are_stored_as_ascii_and_the_nominee_still_cannot_see_it(client, f, login, db, typed):
    nominee = f.user("city_bureau", "taiyuan", name="nominee-clerk", id_number=ID_NUMBER)
    r = _create(client, f.token(f.city()), f.campaign.id, id_number=typed, phone="１３８１２３４５６７８")
    assert r.status_code == 201, r.get_json()
    nom = db.session.get(Nomination, r.get_json()["id"])
    assert nom.id_number == ID_NUMBER and nom.phone == "13812345678"
    # the nominee's own account (same person, ASCII number) neither reads nor edits the nomination
    assert _api(client, f.token(nominee), "GET", f"/api/v1/nominations/{nom.id}").status_code == 403
    assert _api(client, f.token(nominee), "PATCH", f"/api/v1/nominations/{nom.id}",
                json={"person_name": "改"}).status_code == 403
    assert login(nominee).get(f"/nominations/{nom.id}").status_code == 403


def test_same_person_twice_in_one_campaign_is_refused_naming_the_other(client, f, db):
    first = f.individual("taiyuan")
    r = _create(client, f.token(f.city("datong")), f.campaign.id, id_number=FULL_WIDTH, person_name="张晓梅")
    assert r.status_code == 422, r.get_json()
    err = r.get_json()["error"]
    assert err["field"] == "id_number" and err["code"] == "id_number_duplicate"
    assert f"推荐对象编号 {first.id}" in err["message"] and "太原" in err["message"]
    # an edit that makes a second nomination the same person is refused too
    other = f.individual("datong", id_number=make_id_number("19800101", 321), person_name="李四")
    r = _api(client, f.token(f.city("datong")), "PATCH", f"/api/v1/nominations/{other.id}",
             json={"id_number": ID_NUMBER})
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "id_number_duplicate"
    # withdrawn nominations aside: once the first is withdrawn the person may be nominated again
    _withdraw(first, f)
    r = _create(client, f.token(f.city("datong")), f.campaign.id, id_number=ID_NUMBER)
    assert r.status_code == 201, r.get_json()


def _withdraw(nom, f):
    from nominate.workflow.engine import fire_event

    fire_event(nom, "withdraw", f.city(nom.owner_org.code), comment="本人申请撤回")
    f.db.session.commit()


def test_the_database_refuses_a_second_live_nomination_of_one_person(f, db):
    first = f.individual("taiyuan")
    twin = Nomination(campaign_id=first.campaign_id, kind=first.kind, owner_org_id=f.org("datong").id,
                      cadre_authority_org_id=f.org("datong").id, id_number=first.id_number, person_name="同一人")
    db.session.add(twin)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


# defect 7 ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("region", ["000000", "999999", "140199"])
def test_unknown_region_codes_are_refused(region):
    first17 = f"{region}19850312124"
    with pytest.raises(ValidationFailed) as exc:
        parse_id_number(first17 + id_check_digit(first17))
    assert exc.value.code == "id_number_region" and region in exc.value.message


def test_codes_that_were_assigned_once_are_accepted():
    # 142201 忻州市 (1983-2000) and 140902 忻府区 (since 2000): a number keeps the code of its issue
    for region, birth in (("142201", "19700101"), ("140902", "19850101"), ("110101", "19900307")):
        first17 = f"{region}{birth}123"
        assert parse_id_number(first17 + id_check_digit(first17))[0] == first17 + id_check_digit(first17)


# the cleaning step ------------------------------------------------------------------------------------------

def test_free_text_keeps_chinese_punctuation_and_the_indent():
    from nominate.core.cleaning import clean_text

    text = "　　该窗口坚持“一窗通办”，（全年）办结率100%；群众满意！是否？\n　　第二段：继续。  "
    assert clean_text(text, "main_deeds") == text.rstrip(" ")
    assert clean_text("１２３-４５", "phone", identifier=True) == "123-45"


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\u200b", "\u200d", "\ufeff", "\u202e", "\u2066", "\u200f",
                                 "\x85"])
def test_control_zero_width_and_bidi_are_refused_naming_the_field(bad):
    from nominate.core.cleaning import clean_text

    with pytest.raises(ValidationFailed) as exc:
        clean_text(f"张{bad}三", "person_name", "姓名")
    assert exc.value.field == "person_name" and "姓名" in exc.value.message and f"U+{ord(bad):04X}" in exc.value.message


# defect 4 ---------------------------------------------------------------------------------------------------

def test_nul_in_a_search_a_text_field_a_comment_or_a_login_name_is_a_4xx(client, f, login, db):
    nom = f.individual()
    token = f.token(f.city())
    page = login(f.city())  # signing in writes its session and audit rows: before the snapshot
    before = snapshot(db)
    assert page.get("/nominations/?q=%00").status_code == 422
    assert _api(client, token, "GET", "/api/v1/nominations?q=%00").status_code == 422
    r = _api(client, token, "PATCH", f"/api/v1/nominations/{nom.id}", json={"work_unit": "太原\x00窗口"})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "work_unit"
    assert "工作单位" in r.get_json()["error"]["message"]
    r = login(f.city()).post(f"/nominations/{nom.id}/edit", data={**individual_data(), "remarks": "备\x00注"})
    assert r.status_code == 422 and "备注" in r.get_data(as_text=True)
    r = login(f.city()).post(f"/nominations/{nom.id}/events/start_unit_publicity",
                             data={"comment": "意见\x00", "start_date": "2021-08-02"})
    assert r.status_code == 422
    g.pop("_login_user", None)
    with client.session_transaction() as s:
        s.clear()
    assert client.post("/login", data={"username": "taiyuan\x00", "password": "x"}).status_code == 422
    assert snapshot(db) == before


def test_nul_in_an_imported_row_is_a_row_error(client, f, login, db):
    from nominate.honours import importer

    header = ",".join(h for _, h in importer.COLUMNS)
    row = dict(zip([k for k, _ in importer.COLUMNS], importer.EXAMPLE_ROWS[1]))
    row.update({"unit_name": "某\x00窗口", "year": "２０２０"})
    content = (header + "\n" + ",".join(row[k] for k, _ in importer.COLUMNS) + "\n").encode("utf-8")
    checks = importer.check_rows(f.office, importer.read_sheet("x.csv", content))
    assert {field for field, _ in checks[0].errors} == {"unit_name"}
    assert any("U+0000" in message and "窗口（单位）名称" in message for _, message in checks[0].errors)


def test_deep_json_and_huge_integers_are_refused(client, f, db):
    token = f.token(f.city())
    before = snapshot(db)
    deep = "[" * 100_000 + "]" * 100_000
    r = _api(client, token, "POST", "/api/v1/nominations", data=deep, content_type="application/json")
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "json_too_deep"
    huge = '{"campaign_id": ' + "9" * 5000 + ', "kind": "window"}'
    r = _api(client, token, "POST", "/api/v1/nominations", data=huge, content_type="application/json")
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "number_too_large"
    r = _api(client, token, "POST", "/api/v1/nominations", data='{"staff_count": 1e999}',
             content_type="application/json")
    assert r.status_code == 422
    assert snapshot(db) == before


def test_a_newline_in_next_is_never_a_500_nor_a_header(client, f):
    """next= has its own check (a bad one is dropped for "/"); a line break never reaches a header."""
    for url in ("/login?next=/%0d%0aSet-Cookie:%20x=1", "/login?next=/nominations/%0a"):
        g.pop("_login_user", None)
        with client.session_transaction() as s:
            s.clear()
        r = client.post(url, data={"username": "taiyuan", "password": "secret-pass-1"})
        assert r.status_code < 500 and "\n" not in r.headers.get("Location", "")
        assert "Set-Cookie: x" not in str(r.headers) and "x=1" not in r.headers.get("Set-Cookie", "")


def test_six_first_visits_of_the_batches_page_write_nothing(app, f, db):
    """Six sessions of a unit without a batch open its page at once: all 200, and a GET creates no row."""
    saved = signed_in_session(app, f.city("datong"))
    before = snapshot(db)
    db.session.remove()  # SQLite: this session's transaction would hold the write lock
    barrier, statuses = threading.Barrier(6), []

    def visit():
        client = app.test_client()
        use_session(client, saved)
        barrier.wait(timeout=30)
        statuses.append(client.get("/batches/").status_code)

    threads = [threading.Thread(target=visit) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 6
    db.session.remove()
    assert snapshot(db) == before


def test_get_or_create_batch_is_race_safe(app, f, db):
    from nominate.batches.operations import get_or_create_batch
    from tests.workflow.test_races import race_calls

    campaign_id, org_id, user_id = f.campaign.id, f.org("datong").id, f.city("datong").id
    db.session.remove()
    results = race_calls(app, [lambda: get_or_create_batch(campaign_id, org_id, _db.session.get(User, user_id))] * 6)
    assert results == ["ok"] * 6
    assert db.session.scalar(db.select(db.func.count()).select_from(CityBatch)
                             .filter_by(campaign_id=campaign_id, organisation_id=org_id)) == 1


def test_api_input_is_cleaned_by_its_schema(client, f, db):
    """The marshmallow side of the cleaning step: free text trimmed (indent kept), identifiers NFKC."""
    r = _create(client, f.token(f.city()), f.campaign.id, id_number=f" {FULL_WIDTH} ",
                main_deeds="　　扎根窗口一线十余年，服务群众五万余人次。\n", work_unit="  太原市窗口  ")
    assert r.status_code == 201, r.get_json()
    nom = db.session.get(Nomination, r.get_json()["id"])
    assert nom.main_deeds == "　　扎根窗口一线十余年，服务群众五万余人次。" and nom.work_unit == "太原市窗口"
    assert nom.id_number == ID_NUMBER


def test_form_input_is_cleaned_by_the_form(f, login, db):
    """The WTForms side of the cleaning step: the nomination form trims free text (indent kept) and
    normalises identifiers before the operation sees them."""
    nom = f.individual()
    data = {**individual_data(), "phone": "１３９ ００００ １１１１", "remarks": "　　曾获省级表彰。  \r\n"}
    r = login(f.city()).post(f"/nominations/{nom.id}/edit", data=data)
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    db.session.expire_all()
    nom = db.session.get(Nomination, nom.id)
    assert nom.phone == "13900001111" and nom.remarks == "　　曾获省级表彰。"


def test_numbers_no_column_holds_in_form_id_lists_are_no_such_row(f, login, walk, db):
    nom = walk.to(f.window(), "city_recommended")
    login(f.city()), login(f.office)  # signing in writes its session and audit rows: before the snapshot
    before = snapshot(db)
    for bad in ("9" * 5000, "9" * 20, "²", "٣" * 12):
        r = login(f.city()).post(f"/batches/{nom.batch_id}/order", data={"order": [bad], "move": f"{bad}:up"})
        assert r.status_code < 500
        r = login(f.office).post("/opinions/police-requests", data={"nomination_id": [bad]})
        assert r.status_code < 500
    assert snapshot(db) == before


def test_two_cities_entering_one_person_at_once_get_one_nomination(app, f, db):
    """The partial unique index settles a race the check before it cannot see: one wins, one is told."""
    from nominate.campaigns.models import Campaign
    from nominate.nominations import operations as nops
    from tests.workflow.test_races import race_calls

    campaign_id, users = f.campaign.id, [f.city("taiyuan").id, f.city("datong").id]
    db.session.remove()

    def enter(user_id):
        return lambda: nops.create_nomination(_db.session.get(Campaign, campaign_id), _db.session.get(User, user_id),
                                              "individual", individual_data())

    results = race_calls(app, [enter(u) for u in users])
    assert sorted(results) == ["id_number_duplicate", "ok"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Nomination)) == 1
