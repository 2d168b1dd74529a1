"""Which rows a document lists and the days that date it, chosen from the records (the nominees of a batch or of the
province in their order, publicity periods, audit days). ``context.py`` formats what these choose."""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import lazyload, selectinload

from nominate.audit.models import AuditEvent
from nominate.campaigns.models import Campaign
from nominate.core import clock
from nominate.extensions import db
from nominate.nominations.enums import NominationKind
from nominate.nominations.models import Nomination
from nominate.organisations.models import Organisation, OrgKind
from nominate.publicity.models import PublicityEntry, PublicityPeriod
from nominate.workflow.machine import get_workflow


def local_day(value: dt.datetime | None) -> dt.date | None:
    """The calendar day (Asia/Shanghai) of a stored timestamp: the date an event happened."""
    return clock.local_day(value)


def _latest(days) -> dt.date | None:
    days = [d for d in days if d is not None]
    return max(days) if days else None


def _event(tag: str) -> str:
    """The key of the one workflow event carrying ``tag`` (the file names events, the code names tags)."""
    return get_workflow().event_tagged(tag).event


def event_day(nominations, action: str) -> dt.date | None:
    """The day of the latest audit row ``action`` (a workflow event) among these nominees."""
    ids = [n.id for n in nominations]
    if not ids:
        return None
    return local_day(db.session.scalar(db.select(db.func.max(AuditEvent.at)).where(
        AuditEvent.nomination_id.in_(ids), AuditEvent.action == action)))


def contacts_signed_day(org: Organisation) -> dt.date | None:
    """The day the organisation last confirmed its contacts (附件7 is dated by it)."""
    return local_day(db.session.scalar(db.select(db.func.max(AuditEvent.at)).where(
        AuditEvent.object_type == "organisation", AuditEvent.object_id == org.id,
        AuditEvent.action == "organisation_contacts_updated")))


def batch_day(batch, stage: str) -> dt.date | None:
    """The day a batch's materials went to the province: its submission (初审) or the last formal submission."""
    if stage == "formal":
        return _latest(local_day(n.formal_submitted_at) for n in batch_nominees(batch, "formal"))
    return local_day(batch.submitted_at)


def province_day(campaign, stage: str, nominees: list[Nomination] | None = None) -> dt.date | None:
    """The day the province sent its list to the Ministry: 报部初审 (初审) or 报送人社部 (正式); ``nominees``:
    the stage's list (``province_nominees``) when the caller has read it."""
    nominees = province_nominees(campaign, stage) if nominees is None else nominees
    return event_day(nominees, _event("reported_formal" if stage == "formal" else "reported_preliminary"))


def batch_nominees(batch, stage: str = "preliminary") -> list[Nomination]:
    """The batch's 推荐对象 in rank order: all it recommended (初审) or those with formal materials (正式)."""
    ranked = sorted((n for n in batch.nominations if n.rank is not None), key=lambda n: (n.rank, n.id))
    if stage == "formal":
        ranked = [n for n in ranked if n.state_has("formal")]  # formal materials due or done
    return ranked


def _org_order(org: Organisation) -> tuple:
    # Cities in campaign order first, 省直 units last (by their group's then their own order).
    if org.kind == OrgKind.CITY:
        return (0, org.sort_order, 0, org.id)
    parent = org.parent
    return (1, parent.sort_order if parent else 0, org.sort_order, org.id)


def province_nominees(campaign, stage: str = "preliminary") -> list[Nomination]:
    """The province's list: its selection (初审推荐对象) or the formal list; by city, then rank.  Their
    opinions and photos (without the bytes) come in two more statements, not one per nominee; the campaign
    is the one given (not joined again on every row, with its config)."""
    rows = db.session.scalars(db.select(Nomination).where(Nomination.campaign_id == campaign.id,
                                                          Nomination.selected_at.is_not(None))
                              .options(lazyload(Nomination.campaign), selectinload(Nomination.opinions),
                                       selectinload(Nomination.photo))).all()
    if stage == "formal":
        rows = [n for n in rows if n.state_has("formal")]
    return sorted(rows, key=lambda n: (_org_order(n.owner_org), n.rank or 0, n.id))


def split_kinds(nominations) -> tuple[list[Nomination], list[Nomination]]:
    windows = [n for n in nominations if n.kind == NominationKind.WINDOW]
    return windows, [n for n in nominations if n.kind == NominationKind.INDIVIDUAL]


def nominee_orgs(nominations) -> list[Organisation]:
    """The organisations owning these nominees, in province order (the bundle's sub-folders)."""
    orgs = {n.owner_org.id: n.owner_org for n in nominations}
    return sorted(orgs.values(), key=_org_order)


def _periods(nominations, levels) -> list[PublicityPeriod]:
    ids = [n.id for n in nominations]
    if not ids:
        return []
    return db.session.scalars(
        db.select(PublicityPeriod).join(PublicityEntry).where(PublicityEntry.nomination_id.in_(ids),
                                                              PublicityPeriod.level.in_(levels))
        .options(selectinload(PublicityPeriod.entries), selectinload(PublicityPeriod.objections))
        .distinct().order_by(PublicityPeriod.start_date, PublicityPeriod.id)).all()


def owned_nominations(campaign, org: Organisation) -> list[Nomination]:
    """Every nominee the organisation entered in the campaign (推荐对象 it received)."""
    return db.session.scalars(db.select(Nomination).where(Nomination.campaign_id == campaign.id,
                                                          Nomination.owner_org_id == org.id)
                              .options(lazyload(Nomination.campaign))).all()


def recommended_nominations(campaign) -> list[Nomination]:
    """Every nominee a city or 省直 unit recommended to the province (推荐对象 the province received)."""
    return db.session.scalars(db.select(Nomination).where(Nomination.campaign_id == campaign.id,
                                                          Nomination.recommended_at.is_not(None))
                              .options(lazyload(Nomination.campaign))).all()


def _campaign(campaign_id):
    return db.session.get(Campaign, campaign_id)
