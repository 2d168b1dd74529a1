"""Which opinion rows wait on a signer: their own slot, nominees in their jurisdiction."""
from __future__ import annotations

from sqlalchemy.orm import joinedload

from nominate.extensions import db
from nominate.nominations.permissions import SIGNER_SLOT, signer_in_jurisdiction
from nominate.nominations.queries import visible_nominations
from nominate.opinions.models import Opinion, OpinionStatus


def rows_for(user, *, pending_only: bool = False) -> list[Opinion]:
    """The signer's own rows (one per visible individual nominee), newest requests first."""
    slot = SIGNER_SLOT.get(user.role)
    if slot is None:
        return []
    visible = visible_nominations(user).order_by(None).subquery()
    q = (db.select(Opinion).options(joinedload(Opinion.nomination))
         .where(Opinion.slot == slot, Opinion.nomination_id.in_(db.select(visible.c.id)))
         .order_by(db.case((Opinion.status == OpinionStatus.PENDING, 0), else_=1), Opinion.requested_at.desc(),
                   Opinion.id))
    if pending_only:
        q = q.where(Opinion.status == OpinionStatus.PENDING)
    return [o for o in db.session.scalars(q).unique() if signer_in_jurisdiction(user, o.nomination)]


def pending_for(user) -> list[Opinion]:
    return rows_for(user, pending_only=True)
