"""Authentication: hashing, throttled logins, cookies, password change, disabled accounts, revocable tokens."""
import hashlib

import pytest

from nominate.accounts.models import ApiToken
from nominate.audit.models import AuditEvent
from nominate.core.db import unit_of_work
from tests.factories import usernames_released as _names

PASSWORD = "Secret-pass-1"


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_production_config_hashes_passwords_with_scrypt(app, f, db):
    from nominate.config import Config

    assert Config.PASSWORD_HASH_METHOD == "scrypt"
    user = f.city()
    with app.test_request_context():
        app.config["PASSWORD_HASH_METHOD"], saved = Config.PASSWORD_HASH_METHOD, app.config["PASSWORD_HASH_METHOD"]
        try:
            user.set_password("another-pass-2")
        finally:
            app.config["PASSWORD_HASH_METHOD"] = saved
    assert user.password_hash.startswith("scrypt:") and "another-pass-2" not in user.password_hash
    assert user.check_password("another-pass-2") and not user.check_password("another-pass-3")


def _storages():
    yield "memory://"
    try:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=1).ping()
        yield "redis://127.0.0.1:6379/0"
    except Exception:  # noqa: BLE001 - no Redis here: the in-memory storage is still tested
        pass


@pytest.fixture(params=list(_storages()))
def throttled(request, rate_limited_app):
    return rate_limited_app(request.param, LOGIN_LIMIT_PER_ACCOUNT="3 per minute", LOGIN_LIMIT_PER_ADDRESS="6 per minute")



def test_failed_logins_are_throttled_per_account_address_pair_and_per_address(throttled, f, db):
    user, other_user = _names(db, f.city(), f.city("datong"))
    client = throttled.test_client()
    for _ in range(3):
        assert client.post("/login", data={"username": user, "password": "wrong"}).status_code == 200
    r = client.post("/login", data={"username": user, "password": PASSWORD})
    assert r.status_code == 429 and "过于频繁" in r.get_data(as_text=True)  # even the right password waits
    # another account from the same address still gets its own attempts, until the address limit
    assert client.post("/login", data={"username": other_user, "password": "wrong"}).status_code == 200
    assert client.post("/login", data={"username": "nobody", "password": "wrong"}).status_code == 200
    assert client.post("/login", data={"username": "nobody2", "password": "wrong"}).status_code == 200
    r = client.post("/login", data={"username": other_user, "password": PASSWORD})
    assert r.status_code == 429
    # a different address is not blocked by this one's failures, not even for the hammered account
    # (counted per (account, address) pair: nobody locks an account out from elsewhere, issue 11 #9)
    far = throttled.test_client()
    env = {"REMOTE_ADDR": "10.9.9.9"}
    assert far.post("/login", data={"username": other_user, "password": PASSWORD},
                    environ_base=env).status_code == 302
    assert far.post("/login", data={"username": user, "password": PASSWORD},
                    environ_base=env).status_code == 302


def test_successful_logins_are_not_counted(throttled, f, db):
    user, = _names(db, f.city())
    for _ in range(5):
        client = throttled.test_client()
        assert client.post("/login", data={"username": user, "password": PASSWORD}).status_code == 302


def test_session_cookie_is_httponly_and_samesite_and_secure_when_configured(app, client, f):
    r = client.post("/login", data={"username": f.city().username, "password": PASSWORD})
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    app.config["SESSION_COOKIE_SECURE"] = True
    from flask import g

    g.pop("_login_user", None)  # the tests' app context outlives the first request
    try:
        r = app.test_client().post("/login", data={"username": f.city().username, "password": PASSWORD})
        assert "Secure" in r.headers["Set-Cookie"]
        assert r.headers["Strict-Transport-Security"].startswith("max-age=")
    finally:
        app.config["SESSION_COOKIE_SECURE"] = False


def test_secure_cookie_follows_the_environment(monkeypatch):
    import importlib

    import nominate.config as config

    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    try:
        assert importlib.reload(config).Config.SESSION_COOKIE_SECURE is True
    finally:
        monkeypatch.delenv("SESSION_COOKIE_SECURE")
        importlib.reload(config)


def test_password_change_asks_the_current_one_and_takes_effect(login, f, db):
    user = f.city()
    client = login(user)
    r = client.post("/password", data={"current": "wrong-one", "new": "Brand-new-pass-9"})
    assert r.status_code == 200 and "当前密码不正确" in r.get_data(as_text=True)
    r = client.post("/password", data={"current": PASSWORD, "new": "short"})
    assert "密码至少 10 位" in r.get_data(as_text=True)
    r = client.post("/password", data={"current": PASSWORD, "new": "Brand-new-pass-9"})
    assert r.status_code == 302
    db.session.refresh(user)
    assert user.check_password("Brand-new-pass-9") and not user.check_password(PASSWORD)
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="password_changed", object_id=user.id))
    client.post("/logout")
    assert client.post("/login", data={"username": user.username, "password": PASSWORD}).status_code == 200
    assert client.post("/login", data={"username": user.username, "password": "Brand-new-pass-9"}).status_code == 302


def test_disabled_account_cannot_log_in_nor_use_its_session_or_tokens(app, login, f, db):
    from nominate.accounts.operations import set_user_active

    user, admin = f.city(), f.user("admin", "shanxi")
    token = f.token(user)
    client = login(user)
    assert client.get("/nominations/").status_code == 200
    assert client.get("/api/v1/nominations", headers=bearer(token)).status_code == 200
    with unit_of_work():
        set_user_active(admin, user, False)
    from flask import g

    g.pop("_login_user", None)
    r = client.get("/nominations/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]  # the open session is dead too
    assert client.get("/api/v1/nominations", headers=bearer(token)).status_code == 401
    r = app.test_client().post("/login", data={"username": user.username, "password": PASSWORD})
    assert r.status_code == 200 and "已停用" in r.get_data(as_text=True)
    failed = db.session.scalars(db.select(AuditEvent).filter_by(action="login_failed")).all()
    assert failed[-1].data["disabled"] is True


def test_tokens_are_stored_hashed(f, db):
    token = f.token(f.city())
    row = db.session.scalars(db.select(ApiToken)).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in (row.token_hash, row.prefix)


def test_revoke_token_command_makes_the_token_401(app, client, f, db):
    user = f.city()
    keep, revoke = f.token(user), f.token(user)
    assert client.get("/api/v1/nominations", headers=bearer(revoke)).status_code == 200
    runner = app.test_cli_runner()
    result = runner.invoke(args=["revoke-token", user.username, "--prefix", revoke[:10]])
    assert result.exit_code == 0, result.output
    assert "已吊销" in result.output
    db.session.expire_all()
    r = client.get("/api/v1/nominations", headers=bearer(revoke))
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "unauthorized"
    assert client.get("/api/v1/nominations", headers=bearer(keep)).status_code == 200
    assert runner.invoke(args=["revoke-token", user.username]).exit_code == 0  # all remaining
    db.session.expire_all()
    assert client.get("/api/v1/nominations", headers=bearer(keep)).status_code == 401
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).filter_by(action="token_revoked")) == 2
    assert runner.invoke(args=["revoke-token", "nobody"]).exit_code != 0


def test_a_user_name_in_full_width_or_other_script_digits_is_the_same_account(client, f, db):
    """User names are identifiers: NFKC with ASCII digits, at creation and at login (issue 11, item 1)."""
    from nominate.accounts.models import User
    from nominate.accounts.operations import create_user
    from nominate.core.errors import ValidationFailed

    user = f.user("city_bureau", "taiyuan", name="taiyuan2021")
    # full-width letters and digits, and Arabic-Indic digits, name the same account
    for typed in ("ｔａｉｙｕａｎ２０２１", "taiyuan٢٠٢١"):
        r = client.post("/login", data={"username": typed, "password": PASSWORD})
        assert r.status_code == 302, typed
        client.get("/logout")
    # and cannot create a second account that only looks different
    with pytest.raises(ValidationFailed) as exc:
        create_user(None, username="ｔａｉｙｕａｎ２０２１", password="Another-pass-9", role="city_bureau",
                    organisation=user.organisation)
    assert exc.value.code == "username_taken"
    made = create_user(None, username="ｄａｔｏｎｇ１", password="Another-pass-9", role="city_bureau",
                       organisation=f.org("datong"))
    db.session.commit()
    assert db.session.get(User, made.id).username == "datong1"


def test_the_login_cookie_carries_the_csrf_secret_so_the_next_page_sets_no_cookie(client, f):
    from tests.signin import sign_in

    sign_in(client, f.office)
    with client.session_transaction() as s:
        assert s.get("csrf_token")
    first = client.get("/")
    assert first.status_code == 200 and "Set-Cookie" not in first.headers
