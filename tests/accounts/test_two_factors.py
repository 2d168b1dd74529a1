"""Two factors: the gate over every route, TOTP enrolment by QR code, recovery codes that work once, codes that
are accepted once, which roles must use them (configuration), and API tokens only after two factors."""
from __future__ import annotations

import re

import pyotp
import pytest
from flask import g

from nominate.accounts.factors import two_factor_roles
from nominate.accounts.models import ApiToken, RecoveryCode, User
from nominate.audit.models import AuditEvent
from tests.security.test_matrix import MATRIX, ROLES, build_request, rollback_each, scene  # noqa: F401
from tests.signin import sign_in, totp_code

#: the pages a session may reach with the password alone: signing in (and out), the second factor, enrolment,
#: the invitation page (it asks for no session), single sign-on at the provincial platform (another way of signing
#: in: it opens a new session of its own), static files and the load balancer's probe
OPEN = {"auth.login", "auth.logout", "auth.two_factor", "auth.two_factor_enrol", "auth.invitation", "static",
        "auth.oidc_login", "auth.oidc_callback", "web.static", "web.healthz", "api-docs.openapi_json"}
TWO_FACTOR_ROLES = [r for r, spec in ROLES.items() if spec and spec[0] in
                    {"province_office", "admin", "signer_discipline", "signer_personnel", "signer_police", "ministry"}]


def test_the_default_roles_that_must_use_two_factors(app):
    with app.app_context():
        assert two_factor_roles() == {"province_office", "admin", "signer_discipline", "signer_personnel",
                                      "signer_police", "ministry"}
    assert len(TWO_FACTOR_ROLES) == 8


@pytest.fixture()
def password_only(app, scene, db):
    """Each role that must use two factors signed in with its password alone (set up before rollback_each)."""
    sessions = {}
    client = app.test_client()
    for role in TWO_FACTOR_ROLES:
        user = db.session.get(User, scene["users"][role])
        assert user.totp_secret, "enrolled when the scene signed every role in"
        sign_in(client, user, second_factor=False)
        with client.session_transaction() as s:
            assert s["auth_factors"] == ["password"]
            sessions[role] = dict(s)
    return sessions


def test_a_role_that_must_use_two_factors_reaches_no_route_with_the_password_alone(
        app, client, scene, password_only, rollback_each):  # noqa: F811
    """Every route of app.url_map, as every role that must use two factors, signed in with the password only."""
    ids, failures, calls = scene["ids"], [], 0
    with app.test_request_context():
        rules = [(r, m) for r in app.url_map.iter_rules() for m in sorted(r.methods - {"HEAD", "OPTIONS"})]
        requests = {(r.endpoint, m): build_request(r, m, MATRIX[(r.endpoint, m)][1], ids) for r, m in rules}
    for rule, method in rules:
        if rule.endpoint in OPEN:
            continue
        url, kwargs = requests[(rule.endpoint, method)]
        for role in TWO_FACTOR_ROLES:
            def call():
                g.pop("_login_user", None)
                g.pop("user_session", None)
                g.pop("user", None)
                with client.session_transaction() as s:
                    s.clear()
                    s.update(password_only[role])
                body = {k: v for k, v in kwargs.items() if k != "content_type"}
                return client.open(url, method=method, **body)

            resp = rollback_each(call)
            calls += 1
            if rule.rule.startswith("/api/"):
                ok = resp.status_code == 401  # the API takes bearer tokens only, never the session
            else:
                ok = resp.status_code == 302 and "/login/two-factor" in resp.headers["Location"]
            if not ok:
                failures.append(f"{rule.endpoint} {method} as {role}: {resp.status_code} {resp.headers.get('Location')}")
    assert failures == [], "\n".join(failures)
    gated = [1 for rule, _ in rules if rule.endpoint not in OPEN]
    assert calls == len(TWO_FACTOR_ROLES) * len(gated) and len(gated) > 130  # every route but the open ones


def test_the_same_session_after_its_totp_code_reaches_the_pages(client, f, db):
    office = f.office
    sign_in(client, office, second_factor=False)
    r = client.get("/province/batches")
    assert r.status_code == 302 and "/account/two-factor" in r.headers["Location"]  # not enrolled yet: enrol
    from nominate.accounts.operations import pre_enrol_totp

    pre_enrol_totp(None, office)
    db.session.commit()
    r = client.get("/province/batches")
    assert r.status_code == 302 and r.headers["Location"].startswith("/login/two-factor?next=/province/batches")
    r = client.post("/login/two-factor?next=/province/batches", data={"code": totp_code(office)})
    assert r.status_code == 302 and r.headers["Location"] == "/province/batches"
    assert client.get("/province/batches").status_code == 200
    with client.session_transaction() as s:
        assert s["auth_factors"] == ["password", "totp"]


def _enrol_through_the_page(client, user) -> tuple[str, list[str]]:
    """What a person does: open the enrolment page, read the secret (or the QR code), type the app's code."""
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "<svg" in page and "otpauth" not in page  # the QR code inline; the URI is inside the image only
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page).group(1)
    r = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    codes = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", r.get_data(as_text=True))
    return secret, codes


def test_enrolment_by_qr_code_then_each_recovery_code_works_once(client, f, db):
    office = f.office
    sign_in(client, office, second_factor=False)
    assert client.get("/").headers["Location"].startswith("/account/two-factor")
    # a wrong code does not enrol
    client.get("/account/two-factor")
    r = client.post("/account/two-factor", data={"code": "000000"})
    assert r.status_code == 200 and "验证码不正确" in r.get_data(as_text=True)
    db.session.refresh(office)
    assert office.totp_secret is None
    secret, codes = _enrol_through_the_page(client, office)
    db.session.refresh(office)
    assert office.totp_secret == secret and len(codes) == 10 and len(set(codes)) == 10
    stored = db.session.scalars(db.select(RecoveryCode.code_hash).filter_by(user_id=office.id)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)  # only hashes are kept
    assert client.get("/province/batches").status_code == 200  # enrolling proved the second factor
    # next sign-in: a recovery code instead of the app
    client.post("/logout")
    sign_in(client, office, second_factor=False)
    r = client.post("/login/two-factor", data={"code": codes[0].upper()})
    assert r.status_code == 302 and "/login" not in r.headers["Location"]
    assert client.get("/province/batches").status_code == 200
    with client.session_transaction() as s:
        assert s["auth_factors"] == ["password", "recovery"]
    # the same recovery code a second time: refused
    client.post("/logout")
    sign_in(client, office, second_factor=False)
    r = client.post("/login/two-factor", data={"code": codes[0]})
    assert r.status_code == 200 and "验证码不正确、已使用或已过期" in r.get_data(as_text=True)
    assert client.get("/province/batches").status_code == 302
    # another one still works
    r = client.post("/login/two-factor", data={"code": codes[1]})
    assert r.status_code == 302 and client.get("/province/batches").status_code == 200
    used = db.session.scalars(db.select(AuditEvent).filter_by(action="second_factor_passed", actor_id=office.id)).all()
    assert [e.data["factor"] for e in used] == ["recovery", "recovery"] and used[-1].data["recovery_codes_left"] == 8
    refused = db.session.scalars(db.select(AuditEvent).filter_by(action="second_factor_failed")).all()
    assert refused and refused[0].actor_id == office.id


def test_regenerated_recovery_codes_replace_the_old_ones(client, f, db):
    office = f.office
    sign_in(client, office, second_factor=False)
    _, old = _enrol_through_the_page(client, office)
    r = client.post("/account/two-factor")
    new = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", r.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/logout")
    sign_in(client, office, second_factor=False)
    assert client.post("/login/two-factor", data={"code": old[0]}).status_code == 200  # refused
    assert client.post("/login/two-factor", data={"code": new[0]}).status_code == 302


def test_a_totp_code_is_accepted_once(client, f, db):
    office = f.office
    sign_in(client, office)  # enrolled and signed in with the code of one time step
    db.session.refresh(office)
    used = pyotp.TOTP(office.totp_secret).generate_otp(office.totp_last_step)
    client.post("/logout")
    sign_in(client, office, second_factor=False)
    r = client.post("/login/two-factor", data={"code": used})
    assert r.status_code == 200 and "已使用" in r.get_data(as_text=True)
    assert client.post("/login/two-factor", data={"code": totp_code(office)}).status_code == 302


def test_which_roles_must_use_two_factors_is_configuration(app, client, f, db):
    city = f.city()
    sign_in(client, city)
    assert client.get("/batches/").status_code == 200  # a city: the password is enough by default
    app.config["TWO_FACTOR_ROLES"] = "city_bureau"
    try:
        g.pop("_login_user", None)
        r = client.get("/batches/")
        assert r.status_code == 302 and "/account/two-factor" in r.headers["Location"]
        sign_in(client, f.office)  # and the office is no longer asked
        with client.session_transaction() as s:
            assert s["auth_factors"] == ["password"]
        assert client.get("/province/batches").status_code == 200
    finally:
        app.config["TWO_FACTOR_ROLES"] = ",".join(sorted({"province_office", "admin", "signer_discipline",
                                                          "signer_personnel", "signer_police", "ministry"}))


def test_a_user_who_enrolled_of_their_own_accord_is_asked_too(client, f, db):
    city = f.city()
    sign_in(client, city)
    _enrol_through_the_page(client, city)
    client.post("/logout")
    sign_in(client, city, second_factor=False)
    r = client.get("/batches/")
    assert r.status_code == 302 and "/login/two-factor" in r.headers["Location"]


# ---- API tokens -----------------------------------------------------------------------------------------

def _tokens(db, user):
    db.session.expire_all()
    return db.session.scalars(db.select(ApiToken).filter_by(user_id=user.id)).all()


def test_a_token_cannot_be_created_after_the_password_alone(client, f, db):
    city = f.city()
    sign_in(client, city)  # a city signs in with the password alone (its role need not use two factors)
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "须在通过双因素认证" in page
    r = client.post("/account/tokens", data={"name": "脚本"})
    assert r.status_code == 403 and "双因素" in r.get_data(as_text=True)
    assert _tokens(db, city) == []
    office = f.office
    sign_in(client, office, second_factor=False)  # the office with the password only never reaches the page
    r = client.post("/account/tokens", data={"name": "脚本"})
    assert r.status_code == 302 and "two-factor" in r.headers["Location"]
    assert _tokens(db, office) == []


def test_a_token_made_after_two_factors_is_listed_and_revoked_by_its_owner(client, f, db):
    office = f.office
    sign_in(client, office)
    r = client.post("/account/tokens", data={"name": "省办数据同步"})
    assert r.status_code == 200
    clear = re.search(r'<code id="new-token">(nmt_[^<]+)</code>', r.get_data(as_text=True)).group(1)
    [token] = _tokens(db, office)
    assert token.token_hash != clear and token.name == "省办数据同步"
    auth = {"Authorization": f"Bearer {clear}"}
    listed = client.get("/api/v1/tokens", headers=auth).get_json()["items"]
    assert [(t["name"], t["current"]) for t in listed] == [("省办数据同步", True)]
    # another user cannot revoke it (refused and audited), its owner can
    other = f.token(f.city())
    g.pop("user", None)
    r = client.delete(f"/api/v1/tokens/{token.id}", headers={"Authorization": f"Bearer {other}"})
    assert r.status_code == 403
    g.pop("user", None)
    assert client.delete(f"/api/v1/tokens/{token.id}", headers=auth).status_code == 200
    g.pop("user", None)
    assert client.get("/api/v1/tokens", headers=auth).status_code == 401
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="token_revoked", actor_id=office.id))


def test_the_token_page_revokes_only_the_owners_tokens(client, f, db):
    office = f.office
    city_token = f.token(f.city())
    [row] = _tokens(db, f.city())
    sign_in(client, office)
    assert client.post(f"/account/tokens/{row.id}/revoke").status_code == 403
    assert _tokens(db, f.city())[0].revoked_at is None
    g.pop("user", None)
    assert client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {city_token}"}).status_code == 200
