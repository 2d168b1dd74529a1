"""Queries that list nominations a user may see, with filters."""
from __future__ import annotations

from sqlalchemy.orm import selectinload

from nominate.accounts.models import NOMINATING_ROLES, Role
from nominate.audit.models import AuditEvent
from nominate.campaigns.models import Campaign
from nominate.extensions import db
from nominate.nominations.enums import NominationKind
from nominate.nominations.models import Nomination
from nominate.nominations.permissions import person_key
from nominate.workflow.machine import get_workflow
from nominate.organisations.models import Organisation, OrgKind


def history(nom) -> list[AuditEvent]:
    """The nomination's audit trail in time order (the page's 办理记录 and the API's history alike)."""
    return db.session.scalars(db.select(AuditEvent).where(AuditEvent.nomination_id == nom.id)
                              .order_by(AuditEvent.id)).all()


def org_name(org_id) -> str:
    """An organisation's short name by id ("" for none): who acted, in a history row."""
    org = db.session.get(Organisation, org_id) if org_id else None
    return org.short_name if org else ""


def _opinion_states() -> list[str]:
    """States in which signers see a nominee (tag ``shows_opinions``; the states are the default workflow's)."""
    return sorted(get_workflow().tagged("shows_opinions"))


def visible_nominations(user, filters: dict | None = None):
    """A select() of the nominations ``user`` may see (same rule as permissions.can_view)."""
    f = filters or {}
    q = db.select(Nomination).options(selectinload(Nomination.photo)).order_by(Nomination.id)
    q = q.where(Nomination.deleted_at.is_(None))  # deleted drafts are listed nowhere
    role = user.role
    if role in NOMINATING_ROLES:
        q = q.where(Nomination.owner_org_id == user.organisation_id)
    elif role == Role.PROVINCE_OFFICE:
        q = q.join(Campaign, Nomination.campaign_id == Campaign.id).where(Campaign.province_id == user.organisation_id)
    elif role == Role.MINISTRY:
        if user.organisation.kind != OrgKind.MINISTRY:
            return q.where(False)
        q = q.where(Nomination.selected_at.is_not(None))
    elif role in (Role.SIGNER_DISCIPLINE, Role.SIGNER_PERSONNEL):
        q = q.where(Nomination.kind == NominationKind.INDIVIDUAL,
                    Nomination.cadre_authority_org_id == user.organisation_id,
                    Nomination.state.in_(_opinion_states()))
    elif role == Role.SIGNER_POLICE:
        q = q.join(Campaign, Nomination.campaign_id == Campaign.id).where(
            Campaign.province_id == user.organisation_id, Nomination.kind == NominationKind.INDIVIDUAL,
            Nomination.state.in_(_opinion_states()))
    elif role != Role.ADMIN:
        return q.where(False)
    if getattr(user, "person_key", None):  # never the user's own nomination (as permissions.can_view)
        q = q.where(Nomination.id.not_in(own_nomination_ids(user)))
    if f.get("campaign_id"):
        q = q.where(Nomination.campaign_id == f["campaign_id"])
    if f.get("kind"):
        q = q.where(Nomination.kind == f["kind"])
    if f.get("state"):
        q = q.where(Nomination.state == f["state"])
    if f.get("owner_org_id"):
        q = q.where(Nomination.owner_org_id == f["owner_org_id"])
    if f.get("q"):
        like = f"%{f['q']}%"
        q = q.where(db.or_(Nomination.person_name.like(like), Nomination.window_name.like(like)))
    return q


def own_nomination_ids(user) -> list[int]:
    """Nominations whose nominee is ``user`` (only the hash of the user's 身份证号 is stored)."""
    rows = db.session.execute(db.select(Nomination.id, Nomination.id_number).where(
        Nomination.kind == NominationKind.INDIVIDUAL, Nomination.id_number.is_not(None)))
    return [i for i, number in rows if person_key(number) == user.person_key]
