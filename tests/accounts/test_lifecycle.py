"""Account lifecycle: invitations (one-time, expiring), the first password by the policy, idle sessions ended,
each user's last login and sessions (ended one by one or all others, through the session version), activity
written at most once per window and nothing else; the demo's accounts pre-enrolled."""
from __future__ import annotations

import datetime as dt
import re
import time

import pyotp
import pytest
from flask import g

from nominate.accounts.models import Invitation, User, UserSession, secret_hash
from nominate.audit.models import AuditEvent
from tests.factories import snapshot
from tests.signin import sign_in, signed_in_session, use_session


def _invite(client, f, db, username="jinzhong-new"):
    sign_in(client, f.user("admin", "shanxi"))
    r = client.post("/admin/users/invite", data={"username": username, "display_name": "晋中市人社局 新同志",
                                                 "role": "city_bureau", "organisation_id": f.org("taiyuan").id})
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    link = re.search(r'<code id="invitation-link">([^<]+)</code>', r.get_data(as_text=True)).group(1)
    client.post("/logout")
    g.pop("_login_user", None)
    return "/" + link.split("/", 3)[3]


def test_an_invited_user_sets_a_first_password_by_the_policy_and_the_link_works_once(client, f, db):
    path = _invite(client, f, db)
    user = db.session.scalar(db.select(User).filter_by(username="jinzhong-new"))
    assert user.password_set is False and user.check_password("") is False
    assert client.post("/login", data={"username": "jinzhong-new", "password": "anything"}).status_code == 200
    page = client.get(path)
    assert page.status_code == 200 and "jinzhong-new" in page.get_data(as_text=True)
    r = client.post(path, data={"password": "short", "confirm": "short"})
    assert r.status_code == 200 and "密码至少 10 位" in r.get_data(as_text=True)
    r = client.post(path, data={"password": "Jinzhong-Window-88", "confirm": "Jinzhong-Window-89"})
    assert "两次输入的密码不一致" in r.get_data(as_text=True)
    r = client.post(path, data={"password": "Jinzhong-Window-88", "confirm": "Jinzhong-Window-88"})
    assert r.status_code == 302 and r.headers["Location"] == "/"
    assert client.get("/batches/").status_code == 200  # signed in: a city needs no second factor
    db.session.expire_all()
    assert db.session.get(User, user.id).password_set
    # the link is spent
    client.post("/logout")
    again = client.get(path)
    assert again.status_code == 410 and "已使用" in again.get_data(as_text=True)
    r = client.post(path, data={"password": "Another-Window-77", "confirm": "Another-Window-77"})
    assert r.status_code == 410
    assert client.post("/login", data={"username": "jinzhong-new", "password": "Jinzhong-Window-88"}).status_code == 302
    actions = [e.action for e in db.session.scalars(db.select(AuditEvent).filter_by(object_id=user.id)
                                                     .order_by(AuditEvent.id))]
    assert actions[:3] == ["user_created", "user_invited", "login_failed"]  # no password opened it before
    assert actions[3:5] == ["invitation_accepted", "login"]


def test_an_expired_invitation_is_refused(app, client, f, db):
    app.config["INVITATION_VALID_HOURS"] = 0.5 / 3600  # half a second
    try:
        path = _invite(client, f, db, "expiring-user")
    finally:
        app.config["INVITATION_VALID_HOURS"] = 72
    time.sleep(0.6)
    r = client.get(path)
    assert r.status_code == 410 and "邀请链接已过期" in r.get_data(as_text=True)
    r = client.post(path, data={"password": "Jinzhong-Window-88", "confirm": "Jinzhong-Window-88"})
    assert r.status_code == 410
    db.session.expire_all()
    user = db.session.scalar(db.select(User).filter_by(username="expiring-user"))
    assert user.password_set is False
    assert db.session.scalar(db.select(Invitation).filter_by(user_id=user.id)).used_at is None


def test_an_unknown_invitation_and_self_registration_get_nothing(client, f, db):
    assert client.get("/invitation/" + "x" * 43).status_code == 404
    assert client.get("/register").status_code == 404
    assert client.get("/invitation/%00").status_code in (404, 422)


def test_an_invitation_expires_by_configuration(app, f, db):
    from nominate.accounts.operations import invite_user

    user, token = invite_user(None, username="timed", role="city_bureau", organisation=f.org("taiyuan"))
    db.session.commit()
    row = db.session.scalar(db.select(Invitation).filter_by(token_hash=secret_hash(token)))
    assert (row.expires_at - row.created_at) == dt.timedelta(hours=72)


def test_an_idle_session_is_ended(app, client, f, db):
    city = f.city()
    sign_in(client, city)
    assert client.get("/batches/").status_code == 200
    app.config["SESSION_IDLE_MINUTES"] = 0.5 / 60  # half a second
    try:
        time.sleep(0.7)
        g.pop("_login_user", None)
        r = client.get("/batches/")
        assert r.status_code == 302 and r.headers["Location"].startswith("/login")
        assert "登录已超时" in client.get("/login").get_data(as_text=True)
    finally:
        app.config["SESSION_IDLE_MINUTES"] = 30
    db.session.expire_all()
    [record] = db.session.scalars(db.select(UserSession).filter_by(user_id=city.id)).all()
    assert record.ended_at is not None and record.end_reason == "idle"
    g.pop("_login_user", None)
    assert client.get("/batches/").status_code == 302  # and it stays ended when the limit is long again


def test_activity_is_written_at_most_once_per_window_and_nothing_else(app, client, f, db):
    city = f.city()
    sign_in(client, city)
    db.session.commit()
    before = snapshot(db)
    record = db.session.scalar(db.select(UserSession).filter_by(user_id=city.id))
    seen = record.last_seen_at
    for _ in range(3):
        g.pop("_login_user", None)
        assert client.get("/batches/").status_code == 200
    db.session.expire_all()
    assert db.session.get(UserSession, record.id).last_seen_at == seen  # inside the window: not written
    assert snapshot(db) == before
    app.config["SESSION_TOUCH_MINUTES"] = 0.2 / 60
    try:
        time.sleep(0.3)
        audits = db.session.scalar(db.select(db.func.count()).select_from(AuditEvent))
        g.pop("_login_user", None)
        assert client.get("/batches/").status_code == 200
    finally:
        app.config["SESSION_TOUCH_MINUTES"] = 5
    db.session.expire_all()
    assert db.session.get(UserSession, record.id).last_seen_at > seen  # the window passed: written once
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)) == audits  # no audit row
    assert snapshot(db) == before  # no row added anywhere, no nomination's version raised


def test_a_user_sees_their_last_login_and_sessions_and_ends_one(app, client, f, db):
    city = f.city()
    other = signed_in_session(app, city)  # yesterday's browser, say
    sign_in(client, city)
    page = client.get("/account/sessions").get_data(as_text=True)
    assert "上次登录" in page and "当前会话" in page and page.count("结束</button>") == 2
    rows = db.session.scalars(db.select(UserSession).filter_by(user_id=city.id).order_by(UserSession.id)).all()
    assert len(rows) == 2
    assert client.post(f"/account/sessions/{rows[0].id}/end").status_code == 302
    other_client = use_session(app.test_client(), other)
    r = other_client.get("/batches/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]  # that session ended at once
    g.pop("_login_user", None)
    assert client.get("/batches/").status_code == 200  # this one goes on
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="session_ended", actor_id=city.id))


def test_a_user_cannot_end_another_users_session(app, client, f, db):
    other = signed_in_session(app, f.city("datong"))
    record = db.session.scalar(db.select(UserSession).filter_by(sid_hash=secret_hash(other["_sid"])))
    sign_in(client, f.city())
    assert client.post(f"/account/sessions/{record.id}/end").status_code == 403
    db.session.expire_all()
    assert db.session.get(UserSession, record.id).ended_at is None


def test_ending_all_other_sessions_raises_the_session_version(app, client, f, db):
    city = f.city()
    others = [signed_in_session(app, city) for _ in range(2)]
    sign_in(client, city)
    version = db.session.get(User, city.id).session_version
    assert client.post("/account/sessions/end-others").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, city.id).session_version == version + 1
    for saved in others:
        r = use_session(app.test_client(), saved).get("/batches/")
        assert r.status_code == 302 and "/login" in r.headers["Location"]
    g.pop("_login_user", None)
    assert client.get("/batches/").status_code == 200
    ended = db.session.scalars(db.select(UserSession.end_reason).filter_by(user_id=city.id)
                               .where(UserSession.ended_at.is_not(None))).all()
    assert ended == ["ended_by_user", "ended_by_user"]


def test_a_password_change_keeps_this_session_and_ends_the_others(app, client, f, db):
    city = f.city()
    other = signed_in_session(app, city)
    sign_in(client, city)
    r = client.post("/password", data={"current": "Secret-pass-1", "new": "Taiyuan-Window-2021"})
    assert r.status_code == 302
    g.pop("_login_user", None)
    assert client.get("/batches/").status_code == 200
    assert use_session(app.test_client(), other).get("/batches/").status_code == 302


def test_deactivation_and_two_factor_reset_end_sessions(app, client, f, db):
    office = f.office
    saved = signed_in_session(app, office)
    admin = f.user("admin", "shanxi")
    sign_in(client, admin)
    assert client.post(f"/admin/users/{office.id}/reset-two-factor").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, office.id).totp_secret is None
    r = use_session(app.test_client(), saved).get("/province/batches")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    reasons = db.session.scalars(db.select(UserSession.end_reason).filter_by(user_id=office.id)).all()
    assert reasons == ["two_factor_reset"]


def test_the_demo_accounts_that_must_use_two_factors_are_pre_enrolled(app, f, db):
    from nominate.accounts.operations import pre_enrol_totp
    from nominate.demo.data import demo_totp_secret

    office = f.office
    pre_enrol_totp(None, office, demo_totp_secret(office.username))
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["totp-code", office.username])
    assert result.exit_code == 0, result.output
    assert pyotp.TOTP(demo_totp_secret(office.username)).verify(result.output.strip(), valid_window=1)
    # a real account's code is never printed
    real = f.user("signer_police", "shanxi")
    pre_enrol_totp(None, real)
    db.session.commit()
    result = runner.invoke(args=["totp-code", real.username])
    assert result.exit_code != 0 and "演示账号" in result.output


def test_invite_and_enrol_commands(app, f, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["invite-user", "--username", "cli-invited", "--role", "city_bureau",
                                 "--org", "taiyuan"])
    assert result.exit_code == 0, result.output
    assert "/invitation/" in result.output
    result = runner.invoke(args=["enrol-totp", "cli-invited"])
    assert result.exit_code == 0 and "otpauth://totp/" in result.output
    db.session.expire_all()
    assert db.session.scalar(db.select(User).filter_by(username="cli-invited")).totp_secret
    assert runner.invoke(args=["reset-two-factor", "cli-invited"]).exit_code == 0
