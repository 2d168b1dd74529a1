"""Queries that list nominations a user may see, with filters."""
from __future__ import annotations

import functools

from sqlalchemy.orm import joinedload, lazyload, load_only, selectinload

from nominate.accounts.models import NOMINATING_ROLES, Role
from nominate.audit.models import AuditEvent
from nominate.campaigns.models import Campaign
from nominate.core.db import read_memo
from nominate.extensions import db
from nominate.nominations.enums import NominationKind
from nominate.nominations.models import Nomination
from nominate.nominations.permissions import person_key
from nominate.workflow.machine import get_workflow
from nominate.organisations.models import Organisation, OrgKind


def history(nom, *only) -> list[AuditEvent]:
    """The nomination's audit trail in time order (the page's 办理记录 and the API's history alike); ``only``: the
    columns a page reads, when it reads a few: then rows of those columns, not AuditEvent rows."""
    if only:
        return db.session.execute(db.select(*only).where(AuditEvent.nomination_id == nom.id)
                                  .order_by(AuditEvent.id)).all()
    return db.session.scalars(db.select(AuditEvent).where(AuditEvent.nomination_id == nom.id)
                              .order_by(AuditEvent.id)).all()


def org_name(org_id) -> str:
    """An organisation's short name by id ("" for none): who acted, in a history row."""
    org = db.session.get(Organisation, org_id) if org_id else None
    return org.short_name if org else ""


def _opinion_states() -> list[str]:
    """States in which signers see a nominee (tag ``shows_opinions``; the states are the default workflow's)."""
    return sorted(get_workflow().tagged("shows_opinions"))


def visible_nominations(user, filters: dict | None = None, photo_joined: bool = False, with_photo: bool = True):
    """A select() of the nominations ``user`` may see (same rule as permissions.can_view); their photo (without
    its bytes) joined when ``photo_joined`` (one row each: a statement less), else in a select-in load; not loaded
    at all without ``with_photo`` (a list that does not show it)."""
    f = filters or {}
    q = db.select(Nomination)
    if with_photo:
        q = q.options((joinedload if photo_joined else selectinload)(Nomination.photo))
    q = q.order_by(Nomination.id)
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


def page_with_total(q, page: int, per_page: int) -> tuple[list[Nomination], int]:
    """One page of ``q``'s nominations and the number of them all, counted in the page's own statement (a window
    count, taken before the limit); a page past the end, which has no row to carry the count, counts apart."""
    rows = db.session.execute(q.add_columns(db.func.count().over())
                              .offset((page - 1) * per_page).limit(per_page)).unique().all()
    if rows:
        return [row[0] for row in rows], rows[0][1]
    if page == 1:
        return [], 0
    return [], db.session.scalar(db.select(db.func.count()).select_from(q.order_by(None).subquery()))


def own_nomination_ids(user) -> list[int]:
    """Nominations whose nominee is ``user`` (only the hash of the user's 身份证号 is stored)."""
    rows = db.session.execute(db.select(Nomination.id, Nomination.id_number).where(
        Nomination.kind == NominationKind.INDIVIDUAL, Nomination.id_number.is_not(None)))
    return [i for i, number in rows if person_key(number) == user.person_key]


def quota_scope(org: Organisation) -> Organisation:
    """省直 units share their group's count; a city counts on its own."""
    if org.kind == OrgKind.PROVINCIAL_UNIT and org.parent is not None:
        return org.parent
    return org


def occupying_places(campaign, scope, *, exclude_id=None):
    """Nominations of ``scope`` that hold a place: recommended, in a state tagged ``occupies_place`` (inside
    ``core.db.reading``, rows of their id, kind and window level: what the quota guards read)."""
    memo = read_memo()  # a page's readiness checks: one query per scope, whichever nomination asks
    if memo is not None and (campaign.id, scope.id) in memo.setdefault("occupying", {}):
        return [n for n in memo["occupying"][(campaign.id, scope.id)] if n.id != exclude_id]
    # the scope and the units below it in the same query; the campaign given is not joined again on every row
    owners = db.select(Organisation.id).where(db.or_(Organisation.id == scope.id, Organisation.parent_id == scope.id))
    q = db.select(Nomination).options(lazyload(Nomination.campaign)).where(
        Nomination.campaign_id == campaign.id, Nomination.owner_org_id.in_(owners),
        Nomination.recommended_at.is_not(None),
        Nomination.state.in_(sorted(get_workflow(campaign.workflow).tagged("occupies_place"))))
    if memo is not None:  # a page's checks read id, kind and window level only: those columns, not rows
        memo["occupying"][(campaign.id, scope.id)] = found = db.session.execute(
            q.with_only_columns(Nomination.id, Nomination.kind, Nomination.window_level)).all()
        return [n for n in found if n.id != exclude_id]
    if exclude_id is not None:
        q = q.where(Nomination.id != exclude_id)
    return db.session.scalars(q).all()


def occupying_kinds(campaign, scope) -> list[tuple]:
    """(kind, window level) of each nomination ``occupying_places`` gives (no exclusion): two columns, not rows, for
    a page that counts them; what a ``reading`` block already read is counted instead."""
    memo = read_memo()
    if memo is not None and (campaign.id, scope.id) in memo.get("occupying", {}):
        return [(n.kind, n.window_level) for n in memo["occupying"][(campaign.id, scope.id)]]
    return db.session.execute(_occupying_kinds_select(), {
        "campaign_id": campaign.id, "scope_id": scope.id,
        "states": sorted(get_workflow(campaign.workflow).tagged("occupies_place"))}).all()


@functools.cache
def _occupying_kinds_select():
    """``occupying_kinds``' statement, built once at first use (the same rows as ``occupying_places``)."""
    scope_id = db.bindparam("scope_id")
    owners = db.select(Organisation.id).where(db.or_(Organisation.id == scope_id, Organisation.parent_id == scope_id))
    return db.select(Nomination.kind, Nomination.window_level).where(
        Nomination.campaign_id == db.bindparam("campaign_id"), Nomination.owner_org_id.in_(owners),
        Nomination.recommended_at.is_not(None), Nomination.state.in_(db.bindparam("states", expanding=True)))


def selected_count(campaign_id: int, kind, *, exclude_id: int | None = None) -> int:
    """Nominations of ``kind`` selected (初审推荐对象) in the campaign, ``exclude_id`` apart: the province quota's count
    (one query per page for all its rows inside ``core.db.reading``; always from the database otherwise)."""
    memo = read_memo()
    if memo is not None:
        key = ("selected", campaign_id)
        if key not in memo:
            memo[key] = db.session.execute(db.select(Nomination.id, Nomination.kind).where(
                Nomination.campaign_id == campaign_id, Nomination.selected_at.is_not(None))).all()
        return sum(1 for i, k in memo[key] if k == kind and i != exclude_id)
    return db.session.scalar(db.select(db.func.count(Nomination.id)).where(
        Nomination.campaign_id == campaign_id, Nomination.kind == kind,
        Nomination.selected_at.is_not(None), Nomination.id != exclude_id))
