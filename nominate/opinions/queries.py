"""Which opinion rows wait on a signer: their own slot, nominees in their jurisdiction."""
from __future__ import annotations

from sqlalchemy.orm import joinedload

from nominate.audit.models import AuditEvent
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


def correction_refusal(opinion) -> str | None:
    """Why a signed row can no longer be corrected (re-signed with a reason), or None while it can.

    A correction is allowed only in the states tagged ``opinion_correctable`` in workflows/nomination.yaml
    (until the provincial publicity starts)."""
    if opinion.status.value != "signed":
        return "尚未签署，无需更正"
    nom = opinion.nomination
    if not nom.state_has("opinion_correctable"):
        return f"推荐对象已进入“{nom.state_label}”，签署的意见不能再更正"
    return None


def corrections_of(opinion) -> list:
    """The corrections of a signed row, oldest first (audit rows: reason, what was replaced, who, when)."""
    return list(db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.object_type == "opinion", AuditEvent.object_id == opinion.id,
        AuditEvent.action == "opinion_corrected").order_by(AuditEvent.id)))
