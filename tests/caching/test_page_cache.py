"""The page cache is never wrong: a committed write shows on the next view, every caller of the authorization
matrix gets its own scope, the day boundary is part of the key, and no stored page holds a CSRF token or the
viewer's name."""
from __future__ import annotations

import re

import pytest
from flask import g

from nominate.accounts.models import User
from nominate.caching import cache, data_version
from nominate.nominations.models import Nomination
from nominate.publicity import operations as pops
from tests.security.test_matrix import MATRIX, ROLES, build_request, scene  # noqa: F401  (scene: a fixture)

CSRF_TOKEN = re.compile(r'name="csrf_token" value="(?!@@)')
CSRF_VALUE = re.compile(r'(name="csrf_token" value=")[^"]*(")')


@pytest.fixture()
def cached(app):
    """The page cache on (it is off under TESTING), emptied: the tables are emptied between tests and the
    versions start again."""
    state = app.extensions["nominate.page_cache"]
    cache.clear()
    state.enabled = True
    yield state
    state.enabled = False
    cache.clear()


def _as(client, user, path, keep_session=False, **headers):
    """GET ``path`` as ``user``, signed in through the real pages once per test (password and, where the role
    must use it, the TOTP code); later calls put that user's session back, as a browser keeps its cookie."""
    from tests.signin import session_of, sign_in, use_session

    signed = client.__dict__.setdefault("_signed_sessions", {})
    if not keep_session:
        if user.id in signed:
            use_session(client, signed[user.id])
        else:
            signed[user.id] = session_of(sign_in(client, user))
    g.pop("_login_user", None)
    g.pop("user", None)
    g.pop("csrf_token", None)  # Flask-WTF keeps the request's token on g, which outlives a test's requests
    return client.get(path, headers=headers)


def _stored(app) -> list[str]:
    store = app.extensions["cache"][cache]
    return [str(store.get(k)) for k in list(store._cache)]  # SimpleCache's entries (the process-local store)


def test_a_warm_page_comes_from_the_cache_without_per_user_parts(app, client, f, cached, db):
    office = f.office
    first = _as(client, office, "/province/board")
    assert first.status_code == 200
    second = _as(client, office, "/province/board")
    assert second.get_data() == first.get_data()
    assert office.display_name in second.get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', second.get_data(as_text=True)).group(1)
    stored = _stored(app)
    assert stored and all(office.display_name not in s for s in stored)
    assert all(token not in s and not CSRF_TOKEN.search(s) for s in stored)
    assert any("@@nominate-part:csrf@@" in s for s in stored)


def test_conditional_requests_answer_304_only_to_the_same_viewer(client, f, cached):
    office = f.office
    first = _as(client, office, "/province/board")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    assert "Cookie" in first.headers["Vary"]
    again = _as(client, office, "/province/board", keep_session=True, **{"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    colleague = f.user("province_office", "shanxi", name="另一位处长")
    other = _as(client, colleague, "/province/board", **{"If-None-Match": etag})
    assert other.status_code == 200 and "另一位处长" in other.get_data(as_text=True)


def _write_event(f, walk, db):
    walk.to(f.window(), "city_review")


def _write_edit(f, walk, db):
    from nominate.nominations.operations import update_nomination

    nom = db.session.scalars(db.select(Nomination)).first()
    update_nomination(nom, f.city(), {"window_name": "改名后的社保经办窗口"})
    db.session.commit()


def _write_contacts(f, walk, db):
    from nominate.organisations.operations import update_contacts
    from tests.organisations.test_contacts import GOOD

    update_contacts(f.office, f.org("shanxi"), {**GOOD, "contact_name": "新联系人"})
    db.session.commit()


def _write_calendar(f, walk, db):
    import datetime as dt

    from nominate.workdays.operations import set_override

    admin = f.user("admin", "shanxi")
    set_override(admin, dt.date(2021, 8, 7), True, "调休")
    db.session.commit()


def _write_objection(f, walk, db):
    pub = walk.to(f.window(city="datong"), "province_publicity")
    pops.record_objection(pub, f.office, content="反映其材料不实", objector_name="赵", objector_contact="13900001111")
    db.session.commit()


def _write_role_change(f, walk, db):
    from nominate.accounts.operations import move_user

    move_user(f.user("admin", "shanxi"), f.city("datong"), role="provincial_unit")
    db.session.commit()


def _write_campaign_reload(f, walk, db):
    from nominate.campaigns.loader import load_campaign
    from tests.conftest import SHANXI

    load_campaign(SHANXI)
    db.session.commit()


def _write_opinion(f, walk, db):
    from nominate.opinions import operations as oops

    nom = walk.to(f.individual(), "formal_materials")
    db.session.commit()
    slot = next(o for o in nom.opinions if o.slot.value == "discipline")
    oops.sign_opinion(slot, f.user("signer_discipline", "taiyuan"), verdict="agree", text="", signer_name="赵纪")
    db.session.commit()


def _write_batch(f, walk, db):
    from nominate.batches import operations as bops

    nom = db.session.scalars(db.select(Nomination)).first()
    batch = bops.get_or_create_batch(nom.campaign_id, nom.owner_org_id, f.city())
    db.session.commit()
    bops.set_batch_report(batch, f.city(), report_text="初审推荐工作报告")
    db.session.commit()


@pytest.mark.parametrize("write", [_write_event, _write_edit, _write_contacts, _write_calendar, _write_objection,
                                   _write_opinion, _write_batch, _write_role_change, _write_campaign_reload])
def test_every_kind_of_committed_write_raises_the_data_version(f, walk, db, cached, client, write):
    f.window()
    db.session.commit()
    before = data_version()
    _as(client, f.office, "/province/board")
    write(f, walk, db)
    assert data_version() > before


def test_a_committed_edit_shows_on_the_next_view(f, walk, db, cached, client):
    nom = f.window()
    db.session.commit()
    city = f.city()
    assert nom.window_name in _as(client, city, "/nominations/").get_data(as_text=True)
    _write_edit(f, walk, db)
    assert "改名后的社保经办窗口" in _as(client, city, "/nominations/").get_data(as_text=True)


def test_a_committed_event_shows_on_the_next_view(f, walk, db, cached, client):
    nom = walk.to(f.window(), "province_review")
    db.session.commit()
    office = f.office
    before = _as(client, office, "/nominations/").get_data(as_text=True).count("省级初审推荐对象")
    walk.to(nom, "province_selected")
    db.session.commit()
    assert _as(client, office, "/nominations/").get_data(as_text=True).count("省级初审推荐对象") == before + 1


def test_a_rolled_back_write_and_page_neutral_writes_raise_nothing(f, db, cached, client):
    from nominate.audit import operations as audit

    f.window()
    db.session.commit()
    before = data_version()
    audit.record(f.office, "login", object_type="user")
    db.session.commit()
    audit.record(f.office, "update", object_type="nomination")
    db.session.rollback()
    assert data_version() == before


def test_the_day_boundary_changes_the_page(f, walk, db, cached, client, clock, app):
    walk.to(f.window(), "city_review")
    db.session.commit()
    city = f.city()
    clock.set("2021-08-10")
    monday = _as(client, city, "/batches/").get_data(as_text=True)
    clock.set("2021-08-11")
    tuesday = _as(client, city, "/batches/").get_data(as_text=True)
    assert monday != tuesday
    app.extensions["nominate.page_cache"].enabled = False
    assert _as(client, city, "/batches/").get_data(as_text=True) == tuesday


def _cached_routes(app):
    return sorted(key for key in MATRIX if key[1] == "GET"
                  and getattr(app.view_functions[key[0]], "page_cached", False))


def test_every_caller_of_the_matrix_gets_its_own_scope(app, client, scene, db, cached):  # noqa: F811
    """Each cached route as every caller: the page served from a cache that every other caller has just
    filled is the page rendered with no cache."""
    routes = _cached_routes(app)
    assert {"office.board", "batches.dashboard", "office.timeline", "office.batches",
            "nominations.index", "api_nominations.list_nominations"} <= {e for e, _ in routes}
    with app.test_request_context():
        rules = {(r.endpoint, m): r for r in app.url_map.iter_rules() for m in r.methods}
        urls = {key: build_request(rules[key], "GET", MATRIX[key][1], scene["ids"])[0] for key in routes}
    users = {name: db.session.get(User, uid)
             for name, uid in scene["users"].items()}
    callers = [name for name in ROLES if name != "anonymous"]

    def view(name, url):
        headers = {"Authorization": f"Bearer {scene['tokens'][name]}"} if url.startswith("/api/") else {}
        resp = _as(client, users[name], url, **headers)
        return resp.status_code, CSRF_VALUE.sub(r"\1\2", resp.get_data(as_text=True))

    cached.enabled = False
    plain = {(key, name): view(name, urls[key]) for key in routes for name in callers}
    cached.enabled = True
    for key in routes:
        for name in callers:  # fill: every caller in turn
            assert view(name, urls[key]) == plain[key, name], f"{key} as {name} (first view)"
        for name in reversed(callers):  # served from the cache that all the others filled
            assert view(name, urls[key]) == plain[key, name], f"{key} as {name} (warm view)"


def test_a_savepoint_rolled_back_inside_a_write_keeps_its_version_raise(f, db, cached):
    from nominate.audit import operations as audit

    before = data_version()
    audit.record(f.office, "update", object_type="nomination")
    db.session.begin_nested().rollback()  # e.g. a duplicate probe inside the same operation
    db.session.commit()
    assert data_version() > before
