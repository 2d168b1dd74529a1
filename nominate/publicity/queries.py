"""Read-only publicity queries: the one lookup of a nominee's current 公示 (guards, effects, pages alike)."""
from __future__ import annotations

from nominate.extensions import db
from nominate.core.db import read_memo
from nominate.publicity.models import Objection, ObjectionStatus, PublicityEntry, PublicityPeriod


def current_period(nomination, level: str) -> PublicityPeriod | None:
    """The newest 公示 of ``level`` that lists the nominee (from a page's prefetch, inside ``core.db.reading``)."""
    memo = read_memo()
    if memo is not None and nomination.id in memo.get("period_ids", ()):
        return memo["periods"].get((nomination.id, level))
    return db.session.scalar(
        db.select(PublicityPeriod).join(PublicityEntry).where(
            PublicityEntry.nomination_id == nomination.id, PublicityPeriod.level == level)
        .order_by(PublicityPeriod.id.desc()).limit(1))


def current_periods(nomination_ids) -> dict[tuple[int, str], PublicityPeriod]:
    """``current_period`` for many nominations in one query: (nomination id, level) → newest period."""
    from sqlalchemy.orm import joinedload, lazyload

    out: dict[tuple[int, str], PublicityPeriod] = {}
    if not nomination_ids:
        return out
    # the checks read a period's dates, status and objections, not its organisation's row (a document that names
    # the publisher loads it then: by its key, from the identity map when the page has it); the objections joined
    # (a period has a few at most): one statement, not a second one for them
    rows = db.session.execute(
        db.select(PublicityEntry.nomination_id, PublicityPeriod).join(PublicityEntry.period)
        .where(PublicityEntry.nomination_id.in_(nomination_ids))
        .options(lazyload(PublicityPeriod.organisation), joinedload(PublicityPeriod.objections))
        .order_by(PublicityPeriod.id)).unique()
    for nomination_id, period in rows:
        out[(nomination_id, period.level.value)] = period
    memo = read_memo()
    if memo is not None:  # the readiness checks of the same page read them from here
        memo.setdefault("period_ids", set()).update(nomination_ids)
        memo.setdefault("periods", {}).update(out)
    return out


def open_objection_count(period: PublicityPeriod | None, nomination) -> int:
    """Open objections against the nominee in ``period`` (counted from the prefetched period inside a page's
    ``core.db.reading``; from the database otherwise, as an operation always does)."""
    if period is None:
        return 0
    memo = read_memo()
    if memo is not None and period.id in {p.id for p in memo.get("periods", {}).values()}:
        return sum(1 for o in period.objections if o.nomination_id == nomination.id and o.status == ObjectionStatus.OPEN)
    return db.session.scalar(db.select(db.func.count(Objection.id)).where(
        Objection.period_id == period.id, Objection.nomination_id == nomination.id,
        Objection.status == ObjectionStatus.OPEN))
