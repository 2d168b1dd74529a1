"""Read-only questions about notices: a user's list and unread count (computed per request, never cached
with a page: issue 18 caches pages, the count is the user's own part)."""
from __future__ import annotations

import sqlalchemy as sa

from nominate.extensions import db
from nominate.notifications.models import Delivery, DeliveryStatus, Notification


_UNREAD = sa.select(sa.func.count()).select_from(Notification).where(
    Notification.user_id == sa.bindparam("user_id"), Notification.read_at.is_(None))


def unread_subquery(user_id):
    """The unread count of the user whose id is the column ``user_id`` (selected beside the user)."""
    return (sa.select(sa.func.count()).select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None)).scalar_subquery())


def unread_count(user) -> int:
    """The user's unread notices (the top bar asks on every page: one prepared statement, no ORM load)."""
    if user is None or not user.is_authenticated:
        return 0
    return db.session.connection().execute(_UNREAD, {"user_id": user.id}).scalar() or 0


def for_user(user, *, unread_only=False, limit=200):
    q = sa.select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        q = q.where(Notification.read_at.is_(None))
    return db.session.scalars(q.order_by(Notification.id.desc()).limit(limit)).all()


def troubled_deliveries(limit=200):
    """Failed for good first, then those waiting for a retry (with an error), newest first."""
    return db.session.scalars(sa.select(Delivery).where(
        sa.or_(Delivery.status == DeliveryStatus.FAILED, Delivery.last_error.is_not(None)))
        .order_by(Delivery.status.desc(), Delivery.id.desc()).limit(limit)).all()


def outbox_counts() -> dict[str, int]:
    rows = db.session.execute(sa.select(Delivery.status, sa.func.count()).group_by(Delivery.status)).all()
    return {getattr(s, "value", s): n for s, n in rows}
