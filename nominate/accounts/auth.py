"""Session login (Flask-Login) and bearer-token authentication for the API."""
from __future__ import annotations

from flask import g, request

from nominate.accounts.models import ApiToken, User
from nominate.extensions import db, login_manager


def init_auth(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录"

    @login_manager.user_loader
    def load_user(user_id):
        user = db.session.get(User, int(user_id))
        return user if user and user.active else None


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
