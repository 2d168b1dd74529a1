"""Reading accounts: a user's sessions and last login, API tokens, recovery codes left."""
from __future__ import annotations

import sqlalchemy as sa

from nominate.accounts.models import ApiToken, RecoveryCode, User, UserSession
from nominate.extensions import db

SESSION_LIST_LIMIT = 20


def sessions_of(user: User) -> list[UserSession]:
    """The user's sessions, live first, then the most recent ended ones."""
    rows = db.session.scalars(sa.select(UserSession).where(UserSession.user_id == user.id)
                              .order_by(UserSession.created_at.desc(), UserSession.id.desc())
                              .limit(SESSION_LIST_LIMIT)).all()
    return sorted(rows, key=lambda r: (not is_live(r, user),))


def is_live(record: UserSession, user: User) -> bool:
    return record.ended_at is None and record.session_version == user.session_version


def last_login(user: User, current: UserSession | None) -> UserSession | None:
    """The login before this session (when and from where), for the user to spot one that was not theirs."""
    q = sa.select(UserSession).where(UserSession.user_id == user.id)
    if current is not None:
        q = q.where(UserSession.id != current.id)
    return db.session.scalar(q.order_by(UserSession.created_at.desc(), UserSession.id.desc()).limit(1))


def tokens_of(user: User) -> list[ApiToken]:
    return db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id)
                              .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())).all()


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))
