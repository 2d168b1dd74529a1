"""Session login (Flask-Login) and bearer-token authentication for the API."""
from __future__ import annotations

from flask import g, request, session

from nominate.accounts import oidc
from nominate.accounts.models import ApiToken, User
from nominate.extensions import db, login_manager


def init_auth(app):
    oidc.check_config(app.config)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录"

    @login_manager.user_loader
    def load_user(user_id):
        user = db.session.get(User, int(user_id))
        if user is None or not user.active:
            return None
        if session.get(SESSION_VERSION_KEY, 0) != user.session_version:
            return None  # opened before a logout, a password change, a deactivation or a move
        return user


#: the session key that carries the user's session version at login (see operations.bump_session_version)
SESSION_VERSION_KEY = "_sv"
#: the session key that lists how the user authenticated: "password", "totp", "recovery", "oidc", "idp-mfa"
AUTH_FACTORS_KEY = "auth_factors"


def start_session(user: User, factors=("password",)) -> None:
    """Log ``user`` in on this session, stamped with the user's current session version and the factors the
    login passed (local login: the password; single sign-on: ``oidc``, with ``idp-mfa`` when the platform
    asserted a second factor)."""
    from flask_login import login_user

    session.clear()  # nothing of an earlier session survives the login (session fixation)
    login_user(user)
    session[SESSION_VERSION_KEY] = user.session_version
    session[AUTH_FACTORS_KEY] = list(factors)


def safe_next(target: str | None) -> str | None:
    r"""``target`` when it is a path on this site, else None. Browsers drop tabs and newlines and read
    a backslash as a slash, so ``/\t/evil.example`` or ``/\\evil`` would leave the site: such
    characters refuse the target, and so does anything with a scheme or a host."""
    import unicodedata
    from urllib.parse import urlsplit

    if not target or len(target) > 2000 or not target.startswith("/"):
        return None
    if "\\" in target or any(c.isspace() or unicodedata.category(c)[0] in "CZ" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target


def user_from_bearer() -> User | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    token = header[7:].strip()
    if not token:
        return None
    row = db.session.scalar(db.select(ApiToken).filter_by(token_hash=ApiToken.hash(token)))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    g.api_token = row
    return row.user
