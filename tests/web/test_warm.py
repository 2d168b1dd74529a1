"""Warm pages answered before the user is loaded (web.warm): every cached page is answered so, in one statement and
with the same page the usual way gives; a session the usual way would refuse, end, note or send to the two-factor
gate is never answered so; the per-user parts are the viewer's own."""
from __future__ import annotations

import datetime as dt
import time

import pytest
import sqlalchemy as sa
from flask import g

from nominate.accounts import operations
from nominate.accounts.models import UserSession
from nominate.core import clock
from nominate.core.api import API_PREFIX
from nominate.web.warm import warm_endpoints
from tests.caching.test_page_cache import CSRF_VALUE, _as, cached  # noqa: F401  (cached: a fixture)
from tests.perf.test_request_cost import Statements
from tests.signin import sign_in


def _cached_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if getattr(app.view_functions[rule.endpoint], "page_cached", False)]


def test_every_cached_page_of_the_site_is_answered_warm(app):
    """Every page the page cache serves (taken from app.url_map) is a view the warm answer may serve: a decorator
    added between ``login_required`` and ``cached_page`` would silently give it the slow way back."""
    pages = [rule.endpoint for rule in _cached_rules(app) if not rule.rule.startswith(API_PREFIX)]
    assert pages, "no cached page in the url map"
    missing = sorted(set(pages) - warm_endpoints(app))
    assert not missing, f"cached pages not answered warm: {missing}"
    assert not any(rule.rule.startswith(API_PREFIX) for rule in _cached_rules(app)
                   if rule.endpoint in warm_endpoints(app))  # the API authenticates by token: never here


@pytest.mark.parametrize("who", ["office", "city"])
def test_a_warm_page_is_one_statement_and_the_page_the_usual_way_gives(app, client, f, cached, db, who):  # noqa: F811
    user = f.office if who == "office" else f.user("city_bureau", "taiyuan", name="太原经办")
    served = 0
    for rule in _cached_rules(app):
        if rule.rule.startswith(API_PREFIX) or rule.arguments:
            continue
        first = _as(client, user, rule.rule)
        if first.status_code != 200:
            continue  # not this role's page: nothing is stored, so nothing is answered warm
        db.session.commit()
        db.session.refresh(user)  # the test's own read, before the count
        with Statements(db.engine) as sql:
            warm = _as(client, user, rule.rule)
        assert warm.status_code == 200, rule.rule
        assert len(sql.seen) == 1 and sql.seen[0].startswith("SELECT users."), (rule.rule, sql.seen)
        assert "_login_user" not in g  # Flask-Login never loaded the ORM user
        without_token = [CSRF_VALUE.sub(r"\1\2", r.get_data(as_text=True)) for r in (warm, first)]
        assert without_token[0] == without_token[1]
        assert user.display_name in warm.get_data(as_text=True)
        served += 1
    assert served >= 2


def _end_record(f, db, user):
    record = db.session.scalars(sa.select(UserSession).filter_by(user_id=user.id, ended_at=None)).one()
    operations.end_session(None, record, reason="ended_by_admin")


def _deactivate(f, db, user):
    operations.set_user_active(f.user("admin", "shanxi", name="管理员"), user, False)


def _bump(f, db, user):
    operations.bump_session_version(user)


def _idle(f, db, user):
    record = db.session.scalars(sa.select(UserSession).filter_by(user_id=user.id, ended_at=None)).one()
    record.last_seen_at = clock.wall() - dt.timedelta(minutes=31)


def _answered_warm(client, user, path):
    """GET ``path`` as ``user``; asserts the warm answer gave it (Flask-Login never loaded the ORM user)."""
    resp = _as(client, user, path)
    assert resp.status_code == 200 and "_login_user" not in g, "not answered warm"
    return resp


@pytest.mark.parametrize("revoke", [_end_record, _deactivate, _bump, _idle])
def test_a_session_the_usual_way_refuses_is_never_answered_warm(app, client, f, cached, db, revoke):  # noqa: F811
    """Most revocations write an audit row and so raise the data version, which alone would send the next request the
    usual way: a colleague of the same scope fills the cache again first, so that only the warm answer's own checks
    stand between the revoked session and the stored page."""
    office = f.office
    colleague = f.user("province_office", "shanxi", name="另一位处长")
    assert _as(client, office, "/province/board").status_code == 200
    _answered_warm(client, office, "/province/board")
    revoke(f, db, office)
    db.session.commit()
    assert _as(client, colleague, "/province/board").status_code == 200  # the page stored again for this scope
    _answered_warm(client, colleague, "/province/board")
    resp = _as(client, office, "/province/board")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    if revoke is _idle:  # the usual way ended it as idle (what the warm answer leaves to it)
        record = db.session.scalars(sa.select(UserSession).filter_by(user_id=office.id)
                                    .order_by(UserSession.id.desc())).first()
        db.session.refresh(record)
        assert record.end_reason == "idle"


def test_activity_due_to_be_noted_is_noted_on_a_warm_page(app, client, f, cached, db):  # noqa: F811
    office = f.office
    assert _as(client, office, "/province/board").status_code == 200
    record = db.session.scalars(sa.select(UserSession).filter_by(user_id=office.id, ended_at=None)).one()
    old = clock.wall() - dt.timedelta(minutes=6)  # past SESSION_TOUCH_MINUTES, within the idle time-out
    record.last_seen_at = old
    db.session.commit()
    assert _as(client, office, "/province/board").status_code == 200
    db.session.refresh(record)
    assert clock.utc(record.last_seen_at) > old + dt.timedelta(minutes=5)


def test_a_session_owing_its_second_factor_is_sent_to_the_gate(app, client, f, cached, db):  # noqa: F811
    office = f.office
    colleague = f.user("province_office", "shanxi", name="另一位处长")
    operations.pre_enrol_totp(None, colleague)  # an audited write: the data version rises
    db.session.commit()
    assert _as(client, office, "/province/board").status_code == 200  # then the page is stored for this scope
    _answered_warm(client, office, "/province/board")
    sign_in(client, colleague, second_factor=False)
    g.pop("_login_user", None)
    resp = client.get("/province/board")
    assert resp.status_code == 302 and "/login/two-factor" in resp.headers["Location"]


def test_the_per_user_parts_are_the_viewers_own(app, client, f, cached, db):  # noqa: F811
    from nominate.notifications.models import Notification

    office = f.office
    colleague = f.user("province_office", "shanxi", name="另一位处长")
    mine = _as(client, office, "/province/board").get_data(as_text=True)
    assert 'aria-label="未读' not in mine
    assert _as(client, colleague, "/province/board").status_code == 200  # signed in (the page is warm already)
    db.session.add(Notification(user_id=colleague.id, kind="reminder", subject="材料待补", body="请补交材料"))
    db.session.commit()
    db.session.refresh(colleague)
    with Statements(db.engine) as sql:
        theirs = _answered_warm(client, colleague, "/province/board")
    assert len(sql.seen) == 1
    page = theirs.get_data(as_text=True)
    assert "另一位处长" in page and office.display_name not in page
    assert 'aria-label="未读 1 条"' in page


def test_a_cookie_carried_to_another_client_goes_the_usual_way(app, client, f, cached, db):  # noqa: F811
    """Flask-Login's session protection compares the cookie's identifier with the client's: the warm answer never
    decides for it (the usual way marks such a session as not fresh, or ends it in strong mode)."""
    office = f.office
    assert _as(client, office, "/province/board").status_code == 200
    with Statements(db.engine) as sql:
        resp = _as(client, office, "/province/board", keep_session=True, **{"User-Agent": "another browser"})
    assert resp.status_code == 200
    assert [s for s in sql.seen if "JOIN organisations" in s]  # the usual way's statement loaded the user


def _token(resp) -> str:
    import re

    return re.search(r'name="csrf_token" value="([^"]+)"', resp.get_data(as_text=True)).group(1)


def test_a_signed_csrf_token_is_handed_out_again_only_to_its_own_session_and_stays_valid(
        app, client, f, cached, db, monkeypatch):  # noqa: F811
    from flask_wtf.csrf import validate_csrf

    from nominate.web import page_parts
    from tests.signin import session_of

    office = f.office
    colleague = f.user("province_office", "shanxi", name="另一位处长")
    first = _as(client, office, "/province/board")
    time.sleep(1.1)  # a token signed anew carries its second: one signed in the same second is the same token
    again = _answered_warm(client, office, "/province/board")
    assert _token(again) == _token(first)  # the same session within CSRF_REUSE_SECONDS: the token handed out again
    with app.test_request_context():
        from flask import session

        session.update(session_of(client))
        validate_csrf(_token(again))  # raises when it is not this session's valid token
    theirs = _as(client, colleague, "/province/board")
    assert _token(theirs) != _token(first)  # another session: its own token
    monkeypatch.setattr(page_parts, "CSRF_REUSE_SECONDS", 0.0)
    later = _as(client, office, "/province/board")
    assert _token(later) != _token(first)  # past the window: signed anew


def test_the_warm_answer_comes_just_before_the_two_factor_gate(app):
    """The gate keeps its place ahead of the input check (a session owing its second factor is sent to it whatever
    the URL); the warm answer comes just before the gate, after the hooks every request passes first."""
    from nominate.web.gate import GATE_NAME

    names = [f.__name__ for f in app.before_request_funcs[None]]
    at = names.index("answer_warm_page")
    assert names[at + 1] == GATE_NAME
    assert names.index("refuse_bad_input") > at + 1
    assert {"assign_request_id", "csrf_protect", "authenticate_api_calls"} <= set(names[:at])


def test_a_query_the_input_check_refuses_is_never_answered_warm(app, client, f, cached, db):  # noqa: F811
    office = f.office
    assert _as(client, office, "/province/board").status_code == 200
    _answered_warm(client, office, "/province/board")
    for query in ("sort=honours%00", "sort=%E2%80%8Bhonours", "sort=\u202ehonours"):
        resp = _as(client, office, f"/province/board?{query}")
        assert resp.status_code in (400, 422) and "_login_user" in g, query  # refused the usual way
