"""Which campaigns a user works in, and which one their pages show."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from flask import has_request_context, session

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value

from nominate.accounts.models import NOMINATING_ROLES
from nominate.campaigns.models import Campaign, CampaignDeadline, DeadlineExtension
from nominate.core import clock, request_memo
from nominate.extensions import db
from nominate.organisations.models import Organisation, OrgKind

SESSION_KEY = "campaign_id"


@functools.cache  # built once, at first use (not at import: that would configure the mappers too early)
def _visible_select() -> sa.Select:
    """The campaigns of the province above (or at) the organisation given as ``org_id``, or every campaign when
    there is none (the Ministry): the walk up the tree in the same statement, not one query per parent."""
    up = (sa.select(Organisation.id, Organisation.parent_id, Organisation.kind)
          .where(Organisation.id == sa.bindparam("org_id")).cte("up", recursive=True))
    parent = aliased(Organisation)
    up = up.union_all(sa.select(parent.id, parent.parent_id, parent.kind).where(parent.id == up.c.parent_id))
    provinces = sa.select(up.c.id).where(up.c.kind == OrgKind.PROVINCE)
    return (sa.select(Campaign).where(sa.or_(~provinces.exists(), Campaign.province_id.in_(provinces)))
            .order_by(Campaign.year.desc(), Campaign.id.desc()))



def visible_campaigns(user) -> list[Campaign]:
    """The campaigns of the user's province, newest first; the Ministry and admin see every province's.

    Looked up once per request (the top bar's switcher, the footer and the page all ask), in one statement."""
    memo = request_memo.memo("visible_campaigns")
    if memo is None:
        memo = {}
    key = getattr(user, "id", None)
    if key in memo:
        return memo[key]
    memo[key] = db.session.scalars(_visible_select(), {"org_id": user.organisation_id}).all()
    return memo[key]


def current_campaign(user) -> Campaign | None:
    """The campaign the user chose (kept in the session), else the newest they may see."""
    campaigns = visible_campaigns(user)
    chosen = session.get(SESSION_KEY) if has_request_context() else None
    return next((c for c in campaigns if c.id == chosen), campaigns[0] if campaigns else None)


def latest_for_org(org, campaign_id: int | None = None) -> Campaign | None:
    """The campaign of ``org``'s province: the one asked for, else the newest."""
    province = org.province
    if campaign_id is None and province is not None:
        # a list of visible_campaigns read in this request holds every campaign of each province in it (all of one
        # province, or all of them), newest first as below: the newest of this province is its first of them
        for campaigns in (request_memo.memo("visible_campaigns") or {}).values():
            found = next((c for c in campaigns if c.province_id == province.id), None)
            if found is not None:
                return found
    q = db.select(Campaign).where(Campaign.province_id == (province.id if province else -1))
    if campaign_id is not None:
        q = q.where(Campaign.id == campaign_id)
    return db.session.scalars(q.order_by(Campaign.year.desc(), Campaign.id.desc())).first()


def nominating_orgs(campaign) -> list:
    """Who nominates in a campaign: its cities in campaign order, then the 省直 units (by their group's order, then
    their own). One query for the province's children and the groups' children, once per request."""
    memo = request_memo.memo("nominating_orgs")
    if memo is not None and campaign.id in memo:
        return memo[campaign.id]
    groups = sa.select(Organisation.id).where(Organisation.parent_id == campaign.province_id,
                                              Organisation.kind == OrgKind.PROVINCIAL_GROUP)
    below: dict = {}
    for org in db.session.scalars(sa.select(Organisation).where(sa.or_(
            Organisation.parent_id == campaign.province_id, Organisation.parent_id.in_(groups)))
            .order_by(Organisation.sort_order, Organisation.id)):
        below.setdefault(org.parent_id, []).append(org)
    children = below.get(campaign.province_id, [])
    out = ([o for o in children if o.kind == OrgKind.CITY]
           + [u for o in children if o.kind == OrgKind.PROVINCIAL_GROUP for u in below.get(o.id, [])])
    if memo is not None:
        memo[campaign.id] = out
    return out


@dataclass
class DeadlineView:
    """A deadline with the days left (negative once passed)."""

    label: str
    due: dt.date | None
    extended: bool = False

    @property
    def days_left(self) -> int | None:
        return None if self.due is None else (self.due - clock.today()).days


@functools.cache
def _deadlines_select():
    """A campaign's deadlines in their order, each with an organisation's extension of it (or NULL): one statement,
    not the deadlines and then the extensions joined to their organisation (built once, at first use)."""
    return (sa.select(CampaignDeadline, DeadlineExtension.until, DeadlineExtension.id.is_not(None))
            .outerjoin(DeadlineExtension, sa.and_(DeadlineExtension.campaign_id == CampaignDeadline.campaign_id,
                                                  DeadlineExtension.deadline_key == CampaignDeadline.key,
                                                  DeadlineExtension.organisation_id == sa.bindparam("org_id")))
            .where(CampaignDeadline.campaign_id == sa.bindparam("campaign_id"))
            .order_by(CampaignDeadline.sort_order, CampaignDeadline.id))


def deadlines_for(user, campaign) -> list[DeadlineView]:
    """The campaign's deadlines as this user sees them: those their role answers for (the file's ``roles:`` per
    deadline), and a city's or unit's own extension replacing the date."""
    if campaign is None:
        return []
    # only a city or unit has extensions (no organisation id matches NULL)
    org_id = user.organisation_id if user.role in NOMINATING_ROLES else None
    rows = db.session.execute(_deadlines_select(), {"campaign_id": campaign.id, "org_id": org_id}).all()
    if "deadlines" not in sa.inspect(campaign).dict:  # the campaign's deadlines are these: not read again after
        set_committed_value(campaign, "deadlines", [d for d, _, _ in rows])
    roles = {d.get("key"): d.get("roles") for d in (campaign.config or {}).get("deadlines") or []}
    return [DeadlineView(d.label, until if extended else d.due_date, extended) for d, until, extended in rows
            if roles.get(d.key) is None or user.role.value in roles[d.key]]
