"""Read-only publicity queries: the one lookup of a nominee's current 公示 (guards, effects, pages alike)."""
from __future__ import annotations

from nominate.extensions import db
from nominate.publicity.models import PublicityEntry, PublicityPeriod


def current_period(nomination, level: str) -> PublicityPeriod | None:
    """The newest 公示 of ``level`` that lists the nominee."""
    return db.session.scalar(
        db.select(PublicityPeriod).join(PublicityEntry).where(
            PublicityEntry.nomination_id == nomination.id, PublicityPeriod.level == level)
        .order_by(PublicityPeriod.id.desc()).limit(1))


def current_periods(nomination_ids) -> dict[tuple[int, str], PublicityPeriod]:
    """``current_period`` for many nominations in one query: (nomination id, level) → newest period."""
    from sqlalchemy.orm import selectinload

    out: dict[tuple[int, str], PublicityPeriod] = {}
    if not nomination_ids:
        return out
    rows = db.session.execute(
        db.select(PublicityEntry.nomination_id, PublicityPeriod).join(PublicityEntry.period)
        .where(PublicityEntry.nomination_id.in_(nomination_ids)).options(selectinload(PublicityPeriod.objections))
        .order_by(PublicityPeriod.id))
    for nomination_id, period in rows:
        out[(nomination_id, period.level.value)] = period
    return out
