"""Signing a test client in the way a person does: the password on /login, then (for a role that must use
two factors, or an enrolled user) the TOTP code of the moment, computed with pyotp like an authenticator app.
An account that must use two factors and has none yet is enrolled first with a secret of its own, as the
admin's `flask enrol-totp` does."""
from __future__ import annotations

import time

import pyotp
from flask import g, has_app_context

PASSWORD = "Secret-pass-1"  # tests/factories.py gives every user this password
DEMO_PASSWORD = "Sx-Pingxuan-2021"  # the demo's accounts (nominate/demo/data.py) and the benchmark's


def _reset_request_caches():
    # the tests' app context outlives each request, and Flask-Login and the API cache the caller in g
    if has_app_context():
        g.pop("_login_user", None)
        g.pop("user_session", None)


def totp_code(user) -> str:
    """A code of the current time step, or the next one, not yet accepted from ``user`` (each step works once).
    Never the previous step: a 30-second boundary passing before the server checks it would make it too old."""
    from nominate.extensions import db

    db.session.refresh(user)
    totp = pyotp.TOTP(user.totp_secret)
    while True:
        now = totp.timecode(time.time())
        for step in (now, now + 1):
            if user.totp_last_step is None or step > user.totp_last_step:
                return totp.generate_otp(step)
        time.sleep(max(0.05, 30 - time.time() % 30))  # both steps are spent: wait for the next one


def sign_in(client, user, password: str | None = None, *, second_factor: bool = True):
    """Sign ``user`` in through the real pages; returns the client. The password is the factories' or the
    demo's unless given. ``second_factor=False`` stops after the password (the session then owes its second
    factor, if the user has one)."""
    from nominate.accounts.factors import second_factor_required
    from nominate.accounts.operations import pre_enrol_totp
    from nominate.extensions import db

    if password is None:
        password = PASSWORD if user.check_password(PASSWORD) else DEMO_PASSWORD

    _reset_request_caches()
    with client.session_transaction() as s:
        s.clear()
    resp = client.post("/login", data={"username": user.username, "password": password})
    assert resp.status_code == 302, f"login of {user.username} failed: {resp.get_data(as_text=True)[:300]}"
    _reset_request_caches()
    db.session.refresh(user)
    if second_factor and second_factor_required(user):
        if not user.totp_secret:
            pre_enrol_totp(None, user)
            db.session.commit()
        resp = client.post("/login/two-factor", data={"code": totp_code(user)})
        assert resp.status_code == 302 and "/login" not in resp.headers["Location"], \
            f"second factor of {user.username} refused: {resp.get_data(as_text=True)[:300]}"
        _reset_request_caches()
    return client


def session_of(client) -> dict:
    """The client's session contents (to give another client, or this one later, the same signed-in session)."""
    with client.session_transaction() as s:
        return dict(s)


def use_session(client, saved: dict):
    """Put a saved signed-in session back into ``client`` (as a browser keeps its cookie)."""
    _reset_request_caches()
    with client.session_transaction() as s:
        s.clear()
        s.update(saved)
    return client


def signed_in_session(app, user, password: str | None = None) -> dict:
    """Sign ``user`` in on a client of its own and return the session (for threads, other apps, or many calls)."""
    return session_of(sign_in(app.test_client(), user, password))
