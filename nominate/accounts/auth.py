"""Session login (Flask-Login) and bearer-token authentication for the API."""
from __future__ import annotations

from flask import g, request, session

from nominate.accounts.models import ApiToken, User
from nominate.caching import remember, user_columns
from nominate.extensions import db, login_manager


def init_auth(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录"

    @login_manager.user_loader
    def load_user(user_id):
        user = _load_with_extras(db.select(User).where(User.id == int(user_id)), User.id)
        if user is None or not user.active:
            return None
        if session.get(SESSION_VERSION_KEY, 0) != user.session_version:
            return None  # opened before a logout, a password change, a deactivation or a move
        return user


#: the session key that carries the user's session version at login (see operations.bump_session_version)
SESSION_VERSION_KEY = "_sv"


def _load_with_extras(query, user_id):
    """The first entity of ``query`` with the values every page reads per request (the data version, the
    unread count: caching.user_columns) selected in the same statement."""
    row = db.session.execute(query.add_columns(*user_columns(user_id))).first()
    if row is None:
        return None
    remember(dict(zip(row._fields[1:], row[1:])))
    return row[0]


def start_session(user: User) -> None:
    """Log ``user`` in on this session, stamped with the user's current session version."""
    from flask_login import login_user

    session.clear()  # nothing of an earlier session survives the login (session fixation)
    login_user(user)
    session[SESSION_VERSION_KEY] = user.session_version


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
    row = _load_with_extras(db.select(ApiToken).filter_by(token_hash=ApiToken.hash(token)), ApiToken.user_id)
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    g.api_token = row
    return row.user
