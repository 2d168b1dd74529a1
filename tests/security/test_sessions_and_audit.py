"""Issue 11, round 2 of the outside attack: redirects after login (#5), sessions that outlive a logout or a
password change and weak passwords (#6), an audit table that was not quite append-only (#8), lockouts from
another address and refusal rows that fill the disk (#9)."""
import json
import os

import pytest
import sqlalchemy as sa
from flask import g

from nominate.accounts.models import User
from nominate.audit.models import AuditEvent
from nominate.core.db import unit_of_work
from tests.factories import usernames_released as _names
from nominate.core.errors import ValidationFailed
from tests.signin import sign_in, signed_in_session, use_session

PASSWORD = "Secret-pass-1"


def _post_login(client, username, password=PASSWORD, **kw):
    g.pop("_login_user", None)  # the tests' app context outlives each request
    return client.post("/login", data={"username": username, "password": password}, **kw)


def _get(client, url):
    g.pop("_login_user", None)
    return client.get(url)


# ---- #5: open redirect after login -------------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "/%09/evil.example", "/%0a/evil.example", "/%0d%0a/evil.example", "%2F%2Fevil.example", "//evil.example",
    "/\\evil.example", "\\\\evil.example", "/%5Cevil.example", "https://evil.example/", "javascript:alert(1)",
    "/%E2%80%8B/evil.example", "/%C2%85/evil.example", "%20//evil.example", "///evil.example",
])
def test_login_never_redirects_off_site(client, f, target):
    user = f.city()
    r = _post_login(client, user.username, query_string=None, follow_redirects=False,
                    environ_overrides={"QUERY_STRING": "next=" + target})
    assert r.status_code == 302
    assert r.headers["Location"] == "/", (target, r.headers["Location"])


def test_login_keeps_a_same_site_next(client, f):
    user = f.city()
    r = _post_login(client, user.username, environ_overrides={"QUERY_STRING": "next=/nominations/%3Fq%3D1"})
    assert r.status_code == 302 and r.headers["Location"] == "/nominations/?q=1"


# ---- #6: sessions end with logout, password change, deactivation and a move -----------------------------

def _logged_in_copy(app, f, user):
    """Log in through the form and return (client, a copy of its session cookie)."""
    client = app.test_client()
    assert _post_login(client, user.username).status_code == 302
    cookie = client.get_cookie("session")
    assert cookie is not None
    return client, cookie.value


def _replay(app, cookie):
    other = app.test_client()
    other.set_cookie("session", cookie)
    return _get(other, "/nominations/")


def test_a_cookie_saved_before_logout_stops_working(app, f, db):
    user = f.city()
    client, saved = _logged_in_copy(app, f, user)
    assert _replay(app, saved).status_code == 200  # the copy works while the session is open
    g.pop("_login_user", None)
    assert client.post("/logout").status_code == 302
    r = _replay(app, saved)
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="logout", object_id=user.id))


def test_a_password_change_ends_the_other_sessions_but_not_this_one(app, f, db):
    user = f.city()
    _, stolen = _logged_in_copy(app, f, user)
    mine, _ = _logged_in_copy(app, f, user)
    g.pop("_login_user", None)
    r = mine.post("/password", data={"current": PASSWORD, "new": "Brand-new-pass-9"})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    r = _replay(app, stolen)
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert _get(mine, "/nominations/").status_code == 200


@pytest.mark.parametrize("change", ["deactivate", "move_role", "move_org"])
def test_deactivation_and_a_move_end_open_sessions(app, f, db, change):
    from nominate.accounts import operations

    user, admin = f.city(), f.user("admin", "shanxi")
    _, saved = _logged_in_copy(app, f, user)
    with unit_of_work():
        user = db.session.get(User, user.id)
        if change == "deactivate":
            operations.set_user_active(admin, user, False)
            operations.set_user_active(admin, user, True)  # enabled again: the old cookie stays dead
        elif change == "move_role":
            operations.move_user(admin, user, role="provincial_unit")
        else:
            operations.move_user(admin, user, organisation=f.org("datong"))
    r = _replay(app, saved)
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    if change != "deactivate":
        assert db.session.scalar(db.select(AuditEvent).filter_by(action="user_moved", object_id=user.id))


def test_move_user_command_ends_sessions_and_is_audited(app, f, db):
    user = f.city()
    _, saved = _logged_in_copy(app, f, user)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["move-user", user.username, "--org", "datong"])
    assert result.exit_code == 0, result.output
    assert _replay(app, saved).status_code == 302
    db.session.expire_all()
    row = db.session.scalar(db.select(AuditEvent).filter_by(action="user_moved", object_id=user.id))
    assert row.data["before"]["organisation"] != row.data["after"]["organisation"]
    assert runner.invoke(args=["move-user", user.username, "--role", "nonsense"]).exit_code != 0
    assert runner.invoke(args=["move-user", user.username, "--org", "nowhere"]).exit_code != 0


def test_bump_session_version_is_the_one_mechanism(app, f, db):
    from nominate.accounts.operations import bump_session_version

    user = f.city()
    _, saved = _logged_in_copy(app, f, user)
    with unit_of_work():
        bump_session_version(db.session.get(User, user.id))
    assert _replay(app, saved).status_code == 302


@pytest.mark.parametrize("password, code", [
    ("12345678", "password_too_short"),
    ("1234567890", "password_too_simple"),
    ("abcdefghij", "password_too_simple"),
    ("Password123!", "password_weak"),
    ("Qwerty12345", "password_common"),
    ("Taiyuan-2021x", "password_contains_username"),
    ("Aaaaaaaaaa1!", "password_weak"),
    ("P" * 129 + "a1", "password_too_long"),
])
def test_weak_passwords_are_refused_with_the_rule(app, ctx, password, code):
    from nominate.accounts.passwords import check_password_policy

    with pytest.raises(ValidationFailed) as err:
        check_password_policy(password, username="taiyuan", field="new")
    assert err.value.code == code and err.value.field == "new"


def test_12345678_is_refused_as_a_new_password_on_the_page(login, f, db):
    user = f.city()
    r = login(user).post("/password", data={"current": PASSWORD, "new": "12345678"})
    assert r.status_code == 200 and "密码至少 10 位" in r.get_data(as_text=True)
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_the_demo_password_meets_the_policy(app, ctx):
    from nominate.accounts.passwords import check_password_policy
    from benchmarks import national
    from nominate.demo import data
    from tests.browser import conftest as browser

    assert data.PASSWORD == national.PASSWORD == browser.PASSWORD
    for username in ("taiyuan", "shengban", "admin", "jincheng-jijian"):
        check_password_policy(data.PASSWORD, username=username)
    readme = (os.path.dirname(__file__) + "/../../README.md")
    assert f"`{data.PASSWORD}`" in open(readme, encoding="utf-8").read()


# ---- #8: the audit table is append-only, restore is recorded ----------------------------------------

def test_restore_records_who_restored_what_and_when(app, ctx, tmp_path):
    from nominate.extensions import db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("the PostgreSQL restore (pg_restore) is covered by tests/safety/test_backup.py")
    runner = app.test_cli_runner()
    path = tmp_path / "copy.db"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    row = db.session.scalars(db.select(AuditEvent).filter_by(action="database_restored")).one()
    import getpass
    import hashlib

    assert row.data["file"] == str(path) and row.data["os_user"] == getpass.getuser()
    assert row.data["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest() and row.at is not None


# ---- #9: throttling per (account, address), admin unlock, refusals counted per window ------------------

@pytest.fixture()
def throttled(rate_limited_app):
    return rate_limited_app(NOMINATE_TODAY="2021-08-02", LOGIN_LIMIT_PER_ACCOUNT="3 per minute; 5 per hour",
                            LOGIN_LIMIT_PER_ADDRESS="100 per minute")



def test_nobody_can_lock_an_account_out_from_another_address(throttled, f, db):
    user, = _names(db, f.city())
    attacker, owner = throttled.test_client(), throttled.test_client()
    far = {"REMOTE_ADDR": "203.0.113.9"}
    for _ in range(20):
        attacker.post("/login", data={"username": user, "password": "wrong"}, environ_base=far)
    assert attacker.post("/login", data={"username": user, "password": PASSWORD},
                         environ_base=far).status_code == 429
    assert owner.post("/login", data={"username": user, "password": PASSWORD}).status_code == 302


def test_waits_grow_with_failures_and_the_admin_unlocks(throttled, f, db):
    import time

    user, admin = _names(db, f.city(), f.user("admin", "shanxi"))
    throttled.config["LOGIN_LIMIT_PER_ACCOUNT"] = "3 per 5 seconds; 5 per hour"  # tiers: short, then long
    client = throttled.test_client()
    for _ in range(3):
        assert client.post("/login", data={"username": user, "password": "wrong"}).status_code == 200
    r = client.post("/login", data={"username": user, "password": PASSWORD})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) <= 5  # first tier: a short wait
    time.sleep(5.2)
    for _ in range(2):  # the short tier has passed; the hour still holds the first 3 failures
        assert client.post("/login", data={"username": user, "password": "wrong"}).status_code == 200
    r = client.post("/login", data={"username": user, "password": PASSWORD})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 60  # second tier: a longer wait
    # the admin's unlock (page action) lets the account in again from this address at once, and is audited
    admin_client = throttled.test_client()
    admin_client.environ_base["REMOTE_ADDR"] = "10.0.0.2"
    with throttled.app_context():
        from nominate.extensions import db as tdb

        sign_in(admin_client, tdb.session.scalar(tdb.select(User).filter_by(username=admin)))  # password and TOTP
        uid = tdb.session.scalar(tdb.select(User.id).filter_by(username=user))
        tdb.session.remove()
    assert admin_client.post(f"/admin/users/{uid}/unlock", environ_base={"REMOTE_ADDR": "10.0.0.2"}).status_code == 302
    assert client.post("/login", data={"username": user, "password": PASSWORD}).status_code == 302
    db.session.expire_all()
    row = db.session.scalar(db.select(AuditEvent).filter_by(action="login_unlocked", object_id=uid))
    assert row is not None and row.actor_role == "admin"


def test_unlock_login_command_is_audited(app, f, db):
    user = f.city()
    before = user.login_generation
    result = app.test_cli_runner().invoke(args=["unlock-login", user.username])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(User, user.id).login_generation == before + 1
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="login_unlocked", object_id=user.id))
    assert app.test_cli_runner().invoke(args=["unlock-login", "nobody"]).exit_code != 0


def _well_inside_a_window(minutes: int, margin: float = 60.0) -> None:
    """The windows are fixed slices of real time: when the next edge is under ``margin`` seconds away, wait for
    it, so the refusals that follow all fall into one window (else a run started at hh:09:59 counts two)."""
    import time

    left = minutes * 60 - time.time() % (minutes * 60)
    if left < margin:
        time.sleep(left + 0.5)


def test_repeated_refusals_are_one_row_per_window_with_a_counter(login, f, db, clock):
    from nominate.audit.models import RefusalWindow

    city, other = f.city(), f.city("datong")
    client = login(city)
    admin_only = "/admin/users"
    _well_inside_a_window(minutes=10)
    # 300 refused calls on one route by one caller: one audit row, with a counter of 300
    for _ in range(300):
        assert _get(client, admin_only).status_code == 403
    db.session.expire_all()
    rows = db.session.scalars(db.select(AuditEvent).filter_by(action="access_denied")).all()
    window = db.session.scalars(db.select(RefusalWindow)).one()
    assert len(rows) == 1 and window.count == 300 and window.first_event_id == rows[0].id
    assert window.route == "GET /admin/users" and window.caller == f"user:{city.id}"
    assert rows[0].data["path"] == admin_only and rows[0].data["window_minutes"] == 10
    # another route, another caller: other rows; the next day is another window
    assert _get(client, "/admin/calendar/").status_code == 403
    assert _get(login(other), admin_only).status_code == 403
    clock.set("2021-08-03")
    assert _get(login(city), admin_only).status_code == 403
    db.session.expire_all()
    assert db.session.scalar(db.select(sa.func.count()).select_from(AuditEvent)
                             .filter_by(action="access_denied")) == 4


def test_refusal_counter_survives_concurrent_refusals(app, f, db):
    """Threads refused at once on the same route: one row, the exact count (INSERT … ON CONFLICT)."""
    import threading

    from nominate.audit.models import RefusalWindow

    from nominate.web.errors import _audit_refusal  # noqa: F401  (the handler every refusal goes through)

    city = f.city()
    saved = signed_in_session(app, city)
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        threads_n = 4
    else:
        threads_n = 8
    barrier = threading.Barrier(threads_n)
    errors = []

    def worker():
        try:
            client = app.test_client()
            use_session(client, saved)
            barrier.wait()
            with app.app_context():
                for _ in range(5):
                    assert client.get("/admin/users").status_code == 403
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=worker) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    db.session.expire_all()
    windows = db.session.scalars(db.select(RefusalWindow)).all()
    assert len(windows) == 1 and windows[0].count == threads_n * 5
    assert db.session.scalar(db.select(sa.func.count()).select_from(AuditEvent)
                             .filter_by(action="access_denied")) == 1
    assert json.dumps(db.session.get(AuditEvent, windows[0].first_event_id).data, ensure_ascii=False)


def test_a_login_name_with_control_characters_is_throttled_not_a_500(throttled):
    client = throttled.test_client()
    for name in ("tai\x00yuan", "\x00", "taiyuan\n", "太原\u202e"):
        r = client.post("/login", data={"username": name, "password": "wrong"})
        assert r.status_code < 500, (name, r.status_code)


def test_failed_and_throttled_logins_are_counted_not_repeated(throttled, f, db):
    from nominate.audit.models import RefusalWindow

    user, = _names(db, f.city())
    client = throttled.test_client()
    for _ in range(3):
        assert client.post("/login", data={"username": user, "password": "wrong"}).status_code == 200
    for _ in range(4):
        assert client.post("/login", data={"username": user, "password": "wrong"}).status_code == 429
    db.session.expire_all()
    failed = db.session.scalars(db.select(AuditEvent).filter_by(action="login_failed")).all()
    throttled_rows = db.session.scalars(db.select(AuditEvent).filter_by(action="login_throttled")).all()
    assert len(failed) == 1 and failed[0].data["username"] == user and failed[0].object_type == "user"
    assert len(throttled_rows) == 1
    counts = {w.first_event_id: w.count for w in db.session.scalars(db.select(RefusalWindow))}
    assert counts == {failed[0].id: 3, throttled_rows[0].id: 4}


def test_a_refused_path_with_control_characters_is_recorded_not_a_500(login, f, db):
    from nominate.audit.models import RefusalWindow

    client = login(f.city())
    g.pop("_login_user", None)
    r = client.post("/admin/calendar/overrides/2021%00-09-18%0a/delete")
    assert r.status_code == 403
    db.session.expire_all()
    window = db.session.scalars(db.select(RefusalWindow)).one()
    assert "\x00" not in window.last_path and "\n" not in window.last_path and window.count == 1


def test_the_password_pages_state_the_policy(login, f):
    for user, url in ((f.city(), "/password"), (f.user("admin", "shanxi"), "/admin/users")):
        g.pop("_login_user", None)
        page = login(user).get(url).get_data(as_text=True)
        assert "至少 10 位" in page and "不是常见密码" in page, url
