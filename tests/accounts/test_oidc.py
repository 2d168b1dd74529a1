"""Single sign-on by OpenID Connect against a REAL provider (issue 19): the npm package oidc-provider, started in
node (tests/accounts/oidc-provider/provider.mjs, installed by scripts/setup) with one confidential client that must
use PKCE and four people. The app is served over HTTP on a free port and a requests session plays the browser,
following every redirect: app → provider login page → provider → app callback → the app's page.

Skipped with a note when node or the provider's packages are missing; with CI=true that fails instead.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest
import requests
from werkzeug.serving import make_server

from nominate.accounts import operations
from nominate.accounts.oidc import check_config
from nominate.accounts.auth import AUTH_FACTORS_KEY, SESSION_VERSION_KEY
from nominate.accounts.models import User
from nominate.audit.models import AuditEvent
from nominate.core.db import unit_of_work

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc-provider"
CLIENT_SECRET = "nominate-test-secret"
SETTINGS = ("OIDC_ISSUER", "OIDC_DISCOVERY_URL", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_SCOPES",
            "OIDC_MATCH_CLAIM", "OIDC_MFA_AMR", "OIDC_MFA_ACR", "OIDC_PROVIDER_NAME", "OIDC_REDIRECT_URI", "LOCAL_LOGIN")
# the provider's people (provider.mjs): login name → password
PASSWORDS = {"wang.mfa": "pw-wang", "li.pwd": "pw-li", "zhao.gone": "pw-zhao", "stranger": "pw-stranger"}


def _require_node():
    missing = shutil.which("node") is None or not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir()
    if missing:
        message = "node or tests/accounts/oidc-provider/node_modules is missing (scripts/setup installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + ": CI=true requires the real OpenID Connect provider")
        pytest.skip(message)


@pytest.fixture(scope="module")
def live(app):
    """The suite's app served over HTTP on a free port (werkzeug, one thread per request)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)


def _start_provider(live: str, wait: float) -> tuple[subprocess.Popen, str | None]:
    """Start the provider; its issuer URL once it says READY within ``wait`` seconds, else None (it is killed)."""
    import selectors
    import time

    proc = subprocess.Popen(["node", "provider.mjs"], cwd=PROVIDER_DIR, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "OIDC_TEST_REDIRECT_URI": f"{live}/login/oidc/callback",
                                 "OIDC_TEST_CLIENT_SECRET": CLIENT_SECRET, "OIDC_TEST_PORT": "0"})
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if sel.select(timeout=max(0.0, deadline - time.monotonic())):
                line = proc.stdout.readline()
                if line.startswith("READY "):
                    return proc, line.split()[1]
                break  # anything else (or end of output): it did not start
    proc.kill()
    return proc, None


@pytest.fixture(scope="module")
def provider(live):
    """The real provider, on a free port; its issuer URL. It starts in well under a second; a start that hangs (seen
    once in CI, at stop 25, when the node process printed nothing for 300 s) is killed after 30 s and tried once
    more, so one stuck start does not cost the suite its time-out."""
    _require_node()
    for attempt in (1, 2):
        proc, issuer = _start_provider(live, 30)
        if issuer is not None:
            break
        if attempt == 2:
            pytest.fail(f"the OpenID Connect provider did not start: {proc.stderr.read()[-2000:]}")
    try:
        yield issuer
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture()
def sso(app, db, provider):
    """Single sign-on switched on for one test (matched by preferred_username; amr otp/mfa is a second factor)."""
    saved = {key: app.config.get(key) for key in SETTINGS}
    app.config.update(OIDC_ISSUER=provider, OIDC_DISCOVERY_URL="", OIDC_CLIENT_ID="nominate",
                      OIDC_CLIENT_SECRET=CLIENT_SECRET, OIDC_SCOPES="openid profile",
                      OIDC_MATCH_CLAIM="preferred_username", OIDC_MFA_AMR="mfa otp", OIDC_MFA_ACR="",
                      OIDC_PROVIDER_NAME="山西省统一身份认证平台", OIDC_REDIRECT_URI="", LOCAL_LOGIN=True)
    yield app.config
    app.config.update(saved)


@pytest.fixture()
def people(f, db):
    """Accounts an admin created and linked: wang and li (a city clerk, the office), zhao (disabled)."""
    wang = f.user("province_office", "shanxi", name="wang")
    li = f.user("city_bureau", "taiyuan", name="li")
    zhao = f.user("city_bureau", "datong", name="zhao")
    admin = f.user("admin", "shanxi", name="root")
    with unit_of_work():
        operations.set_sso_id(admin, wang, "wang.mfa")
        operations.set_sso_id(admin, li, "li.pwd")
        operations.set_sso_id(admin, zhao, "zhao.gone")
        operations.set_user_active(admin, zhao, False)
    return {"wang": wang.id, "li": li.id, "zhao": zhao.id, "admin": admin.id}


def sign_in(live, db, login: str, *, start: str = "/login/oidc", browser: requests.Session | None = None):
    """A browser signs in at the provider and follows every redirect back; the last response and the browser."""
    db.session.commit()  # the live server writes: nothing of the test may hold SQLite's write lock
    browser = browser or requests.Session()
    page = browser.get(live + start, timeout=20)
    assert page.status_code == 200 and "统一身份认证平台（测试）" in page.text, (page.status_code, page.text[:300])
    to_provider = page.history[0].headers["Location"]  # the app's redirect: state, nonce and PKCE (S256)
    assert all(f"{k}=" in to_provider for k in ("state", "nonce", "code_challenge")), to_provider
    assert "code_challenge_method=S256" in to_provider and "scope=openid" in to_provider
    action = re.search(r'action="([^"]+)"', page.text).group(1)
    done = browser.post(requests.compat.urljoin(page.url, action),
                        data={"login": login, "password": PASSWORDS[login]}, timeout=20)
    return done, browser


def session_of(app, browser: requests.Session) -> dict:
    """The app's signed session cookie, read with the app's own serializer ({} when the app set none)."""
    cookie = next((c.value for c in browser.cookies if c.name == app.config.get("SESSION_COOKIE_NAME", "session")),
                  None)
    return app.session_interface.get_signing_serializer(app).loads(cookie) if cookie else {}


def audit_rows(db, action: str) -> list[AuditEvent]:
    db.session.commit()
    rows = db.session.scalars(db.select(AuditEvent).filter_by(action=action).order_by(AuditEvent.id)).all()
    return rows


def test_end_to_end_login_at_the_provider_opens_a_session_with_its_factors(app, live, db, sso, people):
    done, browser = sign_in(live, db, "wang.mfa", start="/login/oidc?next=/nominations/")
    assert done.status_code == 200 and done.url == f"{live}/nominations/", (done.url, done.text[:300])
    hops = [r.url for r in done.history]
    assert any("/login/oidc/callback?code=" in url for url in hops), hops  # the code came back by the browser
    session = session_of(app, browser)
    assert session["_user_id"] == str(people["wang"])
    assert session[AUTH_FACTORS_KEY] == ["oidc", "idp-mfa"]  # the provider asserted amr ["pwd", "otp"]
    assert session[SESSION_VERSION_KEY] == db.session.get(User, people["wang"]).session_version
    login = audit_rows(db, "login")[-1]
    assert login.actor_id == people["wang"] and login.data["method"] == "oidc"
    assert login.data["factors"] == ["oidc", "idp-mfa"] and login.data["subject"] == "p-1001"
    db.session.commit()
    assert browser.get(f"{live}/", timeout=20).url == f"{live}/"  # signed in: home, not the login page


def test_without_a_second_factor_from_the_provider_the_session_lacks_idp_mfa(app, live, db, sso, people):
    done, browser = sign_in(live, db, "li.pwd")
    assert done.status_code == 200 and done.url == f"{live}/", done.url
    session = session_of(app, browser)
    assert session["_user_id"] == str(people["li"]) and session[AUTH_FACTORS_KEY] == ["oidc"]


def test_an_acr_value_listed_as_a_second_factor_counts(app, live, db, sso, people):
    sso.update(OIDC_MFA_AMR="", OIDC_MFA_ACR="urn:example:loa:2")
    _, browser = sign_in(live, db, "wang.mfa")
    assert session_of(app, browser)[AUTH_FACTORS_KEY] == ["oidc", "idp-mfa"]
    _, browser = sign_in(live, db, "li.pwd")  # acr urn:example:loa:1
    assert session_of(app, browser)[AUTH_FACTORS_KEY] == ["oidc"]


def test_an_unknown_identity_is_refused_and_audited(app, live, db, sso, people):
    before = len(audit_rows(db, "login"))
    done, browser = sign_in(live, db, "stranger")
    assert done.status_code == 403 and done.url.startswith(f"{live}/login/oidc/callback")
    assert "stranger 未开通本系统" in done.text
    assert "_user_id" not in session_of(app, browser)
    db.session.commit()
    assert "/login" in browser.get(f"{live}/", timeout=20).url  # nobody is signed in
    refusal = audit_rows(db, "login_failed")[-1]
    assert refusal.data["method"] == "oidc" and refusal.data["reason"] == "sso_unknown_identity"
    assert refusal.data["identity"] == "stranger" and refusal.data["subject"] == "p-1004"
    assert len(audit_rows(db, "login")) == before  # no account was created or signed in
    assert db.session.scalar(db.select(User).filter_by(sso_id="stranger")) is None


def test_a_deactivated_account_is_refused_and_audited(app, live, db, sso, people):
    done, browser = sign_in(live, db, "zhao.gone")
    assert done.status_code == 403 and "该账号已停用" in done.text
    assert "_user_id" not in session_of(app, browser)
    refusal = audit_rows(db, "login_failed")[-1]
    assert refusal.data["reason"] == "sso_account_disabled"
    assert refusal.object_id == people["zhao"] and refusal.data["username"] == "zhao"


def test_deactivation_ends_a_session_opened_by_single_sign_on(app, live, db, sso, people):
    _, browser = sign_in(live, db, "li.pwd")
    assert browser.get(f"{live}/", timeout=20).url == f"{live}/"
    with unit_of_work():  # the one session-version mechanism: deactivation, a move, a new link all raise it
        operations.set_user_active(db.session.get(User, people["admin"]), db.session.get(User, people["li"]), False)
    assert "/login" in browser.get(f"{live}/", timeout=20).url


def test_the_match_claim_can_be_the_platforms_employee_number(app, live, db, sso, people):
    sso.update(OIDC_MATCH_CLAIM="employee_id")  # 工号, given by the provider's userinfo endpoint only
    with unit_of_work():
        operations.set_sso_id(db.session.get(User, people["admin"]), db.session.get(User, people["li"]), "GH1002")
    done, browser = sign_in(live, db, "li.pwd")
    assert done.url == f"{live}/" and session_of(app, browser)["_user_id"] == str(people["li"])
    done, _ = sign_in(live, db, "wang.mfa")  # linked by login name, not by 工号: unknown now
    assert done.status_code == 403 and "GH1001 未开通本系统" in done.text


def test_a_callback_the_app_did_not_start_is_refused_and_audited(app, live, db, sso, people):
    db.session.commit()
    forged = requests.get(f"{live}/login/oidc/callback?code=stolen&state=forged", timeout=20)
    assert forged.status_code == 400 and "登录请求已失效" in forged.text
    assert audit_rows(db, "login_failed")[-1].data["reason"] == "sso_state"


def test_a_callback_carried_to_another_browser_signs_nobody_in(app, live, db, sso, people):
    """A code and state taken from one person's redirect (a leaked link, login CSRF) are worthless in another
    browser: the state, the nonce and the PKCE verifier live in the session of the browser that started."""
    db.session.commit()
    victim = requests.Session()
    page = victim.get(f"{live}/login/oidc", timeout=20)
    action = re.search(r'action="([^"]+)"', page.text).group(1)
    hop = victim.post(requests.compat.urljoin(page.url, action), data={"login": "li.pwd", "password": "pw-li"},
                      allow_redirects=False, timeout=20)
    while not hop.headers["Location"].startswith(f"{live}/login/oidc/callback"):  # through the provider only
        hop = victim.get(requests.compat.urljoin(hop.url, hop.headers["Location"]), allow_redirects=False,
                         timeout=20)
    callback = hop.headers["Location"]
    assert "code=" in callback and "state=" in callback
    thief = requests.Session()
    stolen = thief.get(callback, timeout=20)
    assert stolen.status_code == 400 and "_user_id" not in session_of(app, thief)
    assert audit_rows(db, "login_failed")[-1].data["reason"] == "sso_state"
    db.session.commit()
    done = victim.get(callback, timeout=20)  # the browser that started still signs in, once
    assert done.url == f"{live}/" and session_of(app, victim)["_user_id"] == str(people["li"])


def test_local_login_can_be_switched_off_then_the_page_offers_only_the_provider(app, live, db, sso, people):
    sso.update(LOCAL_LOGIN=False)
    db.session.commit()
    page = requests.get(f"{live}/login", timeout=20)
    assert "通过山西省统一身份认证平台登录" in page.text and 'name="password"' not in page.text
    refused = requests.post(f"{live}/login", data={"username": "li", "password": "Secret-pass-1"}, timeout=20)
    assert refused.status_code == 403 and "已关闭用户名密码登录" in refused.text
    assert audit_rows(db, "login_failed")[-1].data["reason"] == "local_login_off"
    done, _ = sign_in(live, db, "li.pwd")  # the provider still signs in
    assert done.url == f"{live}/"


def test_local_login_stays_beside_the_provider_by_default(app, live, db, sso, people):
    db.session.commit()
    page = requests.get(f"{live}/login?next=/nominations/", timeout=20).text
    assert 'name="password"' in page and "通过山西省统一身份认证平台登录" in page
    assert "/login/oidc?next=%2Fnominations%2F" in page or "/login/oidc?next=/nominations/" in page


def test_without_a_provider_configured_there_is_no_single_sign_on(client, app, f):
    assert not app.config.get("OIDC_ISSUER")
    assert client.get("/login/oidc").status_code == 404
    assert client.get("/login/oidc/callback?code=x&state=y").status_code == 404
    assert "统一身份认证" not in client.get("/login").get_data(as_text=True)


def test_a_provider_that_cannot_be_reached_is_a_clear_message_never_a_500(client, app, f):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    saved = {key: app.config.get(key) for key in SETTINGS}
    app.config.update(OIDC_ISSUER=f"http://127.0.0.1:{port}", OIDC_CLIENT_ID="nominate", OIDC_SCOPES="openid",
                      OIDC_TIMEOUT_SECONDS=2)
    try:
        r = client.get("/login/oidc")
    finally:
        app.config.update(saved)
    assert r.status_code == 503 and "暂时无法访问" in r.get_data(as_text=True)


def test_the_admin_links_an_account_and_a_taken_identifier_is_refused(login, f, db):
    admin = f.user("admin", "shanxi", name="root")
    li = f.user("city_bureau", "taiyuan", name="li")
    wang = f.user("province_office", "shanxi", name="wang")
    page = login(admin)
    assert page.post(f"/admin/users/{li.id}/sso", data={"sso_id": " li.pwd "}).status_code == 302
    db.session.refresh(li)
    assert li.sso_id == "li.pwd" and li.session_version == 1  # a new link ends the old sessions
    r = page.post(f"/admin/users/{wang.id}/sso", data={"sso_id": "li.pwd"})
    assert r.status_code == 422 and "统一身份认证标识 li.pwd 已关联账号 li" in r.get_data(as_text=True)
    linked = db.session.scalars(db.select(AuditEvent).filter_by(action="user_sso_linked")).all()
    assert [(e.object_id, e.data["after"]) for e in linked] == [(li.id, "li.pwd")]
    assert page.post(f"/admin/users/{li.id}/sso", data={"sso_id": ""}).status_code == 302
    db.session.refresh(li)
    assert li.sso_id is None
    assert login(f.city()).post(f"/admin/users/{wang.id}/sso", data={"sso_id": "x"}).status_code == 403


def test_settings_that_would_lock_everyone_out_refuse_to_start():
    with pytest.raises(RuntimeError, match="LOCAL_LOGIN=0"):
        check_config({"LOCAL_LOGIN": False, "OIDC_ISSUER": ""})
    with pytest.raises(RuntimeError, match="OIDC_CLIENT_ID"):
        check_config({"LOCAL_LOGIN": True, "OIDC_ISSUER": "https://sso.example", "OIDC_CLIENT_ID": ""})
    with pytest.raises(RuntimeError, match="openid"):
        check_config({"OIDC_ISSUER": "https://sso.example", "OIDC_CLIENT_ID": "c", "OIDC_SCOPES": "profile",
                      "OIDC_MATCH_CLAIM": "sub"})
    check_config({"OIDC_ISSUER": "https://sso.example", "OIDC_CLIENT_ID": "c", "OIDC_SCOPES": "openid profile",
                  "OIDC_MATCH_CLAIM": "sub", "LOCAL_LOGIN": False})


def test_the_set_sso_id_command_links_unlinks_and_refuses_a_taken_identifier(app, f, db):
    li = f.user("city_bureau", "taiyuan", name="li")
    f.user("province_office", "shanxi", name="wang")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["set-sso-id", "li", "GH１００２"])  # full-width digits: the platform's ASCII
    assert result.exit_code == 0 and "GH1002" in result.output
    db.session.refresh(li)
    assert li.sso_id == "GH1002"
    taken = runner.invoke(args=["set-sso-id", "wang", "GH1002"])
    assert taken.exit_code != 0 and "已关联账号 li" in taken.output
    assert runner.invoke(args=["set-sso-id", "nobody", "x"]).exit_code != 0
    assert runner.invoke(args=["set-sso-id", "li"]).exit_code == 0
    db.session.refresh(li)
    assert li.sso_id is None
    actions = db.session.scalars(db.select(AuditEvent.action).filter(AuditEvent.action.like("user_sso_%"))
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["user_sso_linked", "user_sso_unlinked"]
