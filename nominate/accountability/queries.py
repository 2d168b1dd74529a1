"""Searching the audit trail: who may search which rows, and the filters (nomination, person, organisation,
actor, event, time).

The admin searches everything (events, logins, refusals). A 纪检监察 signer searches the events of the
nominations they may see (the same rule as ``nominations.permissions.can_view``, through
``visible_nominations``) and their own events; nobody else searches the trail.
"""
from __future__ import annotations

import datetime as dt

from nominate.accounts.models import Role, User
from nominate.audit.models import AuditEvent
from nominate.core.clock import SHANGHAI
from nominate.extensions import db
from nominate.honours.models import Honour
from nominate.nominations.models import Nomination
from nominate.nominations.permissions import person_key
from nominate.nominations.queries import visible_nominations

SEARCH_ROLES = {Role.ADMIN, Role.SIGNER_DISCIPLINE}


def can_search(user) -> bool:
    """The admin and the 纪检监察 signers review the procedure after the fact."""
    return user is not None and user.is_authenticated and user.role in SEARCH_ROLES


def visible_events(user):
    """A select() of the audit rows ``user`` may read, newest first."""
    q = db.select(AuditEvent).order_by(AuditEvent.id.desc())
    if user.role == Role.ADMIN:
        return q
    if user.role == Role.SIGNER_DISCIPLINE:
        jurisdiction = visible_nominations(user).order_by(None).with_only_columns(Nomination.id)
        return q.where(db.or_(AuditEvent.nomination_id.in_(jurisdiction), AuditEvent.actor_id == user.id))
    return q.where(False)


def person_scope(id_number: str):
    """The audit rows about one person, found from the 身份证号 typed in (already validated): the rows of
    their nominations, of their honours (matched by the person key) and of their own user account."""
    key = person_key(id_number)
    nominations = db.select(Nomination.id).where(Nomination.id_number == id_number)
    honours = db.select(Honour.id).where(Honour.holder_key == key)
    users = db.select(User.id).where(User.person_key == key)
    return db.or_(AuditEvent.nomination_id.in_(nominations),
                  db.and_(AuditEvent.object_type == "honour", AuditEvent.object_id.in_(honours)),
                  AuditEvent.actor_id.in_(users))


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, SHANGHAI)


def search_events(user, filters: dict):
    """``visible_events`` narrowed by the filters (every one optional; ``id_number`` already validated)."""
    q = visible_events(user)
    if filters.get("campaign_id"):
        q = q.where(AuditEvent.campaign_id == filters["campaign_id"])
    if filters.get("nomination_id"):
        q = q.where(AuditEvent.nomination_id == filters["nomination_id"])
    if filters.get("id_number"):
        q = q.where(person_scope(filters["id_number"]))
    if filters.get("organisation_id"):
        org = filters["organisation_id"]
        owned = db.select(Nomination.id).where(Nomination.owner_org_id == org)
        q = q.where(db.or_(AuditEvent.actor_org_id == org, AuditEvent.nomination_id.in_(owned)))
    if filters.get("actor"):
        text = filters["actor"]
        usernames = db.select(User.id).where(User.username == text)
        q = q.where(db.or_(AuditEvent.actor_id.in_(usernames), AuditEvent.actor_name.contains(text, autoescape=True)))
    if filters.get("action"):
        q = q.where(AuditEvent.action == filters["action"])
    if filters.get("date_from"):
        q = q.where(AuditEvent.at >= _start_of(filters["date_from"]))
    if filters.get("date_to"):
        q = q.where(AuditEvent.at < _start_of(filters["date_to"] + dt.timedelta(days=1)))
    return q


def count(q) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(q.order_by(None).subquery()))


def known_actions() -> list[str]:
    """The event codes present in the trail (for the search form's list)."""
    return list(db.session.scalars(db.select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
