"""Which campaigns a user works in, and which one their pages show."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import has_request_context, session

from nominate.accounts.models import NOMINATING_ROLES
from nominate.campaigns.models import Campaign, DeadlineExtension
from nominate.core import clock, request_memo
from nominate.extensions import db

SESSION_KEY = "campaign_id"


def visible_campaigns(user) -> list[Campaign]:
    """The campaigns of the user's province, newest first; the Ministry and admin see every province's.

    Looked up once per request (the top bar's switcher, the footer and the page all ask)."""
    memo = request_memo.memo("visible_campaigns")
    if memo is None:
        memo = {}
    key = getattr(user, "id", None)
    if key in memo:
        return memo[key]
    q = db.select(Campaign).order_by(Campaign.year.desc(), Campaign.id.desc())
    province = user.organisation.province
    if province is not None:
        q = q.where(Campaign.province_id == province.id)
    memo[key] = db.session.scalars(q).all()
    return memo[key]


def current_campaign(user) -> Campaign | None:
    """The campaign the user chose (kept in the session), else the newest they may see."""
    campaigns = visible_campaigns(user)
    chosen = session.get(SESSION_KEY) if has_request_context() else None
    return next((c for c in campaigns if c.id == chosen), campaigns[0] if campaigns else None)


def latest_for_org(org, campaign_id: int | None = None) -> Campaign | None:
    """The campaign of ``org``'s province: the one asked for, else the newest."""
    province = org.province
    q = db.select(Campaign).where(Campaign.province_id == (province.id if province else -1))
    if campaign_id is not None:
        q = q.where(Campaign.id == campaign_id)
    return db.session.scalars(q.order_by(Campaign.year.desc(), Campaign.id.desc())).first()


def nominating_orgs(campaign) -> list:
    """Who nominates in a campaign: its cities in campaign order, then the 省直 units."""
    from nominate.organisations.models import OrgKind

    cities = [o for o in campaign.province.children if o.kind == OrgKind.CITY]
    units = [u for o in campaign.province.children if o.kind == OrgKind.PROVINCIAL_GROUP for u in o.children]
    return cities + units


@dataclass
class DeadlineView:
    """A deadline with the days left (negative once passed)."""

    label: str
    due: dt.date | None
    extended: bool = False

    @property
    def days_left(self) -> int | None:
        return None if self.due is None else (self.due - clock.today()).days


def deadlines_for(user, campaign) -> list[DeadlineView]:
    """The campaign's deadlines as this user sees them: those their role answers for (the file's ``roles:`` per
    deadline), and a city's or unit's own extension replacing the date."""
    if campaign is None:
        return []
    ext = {}
    if user.role in NOMINATING_ROLES:
        ext = {e.deadline_key: e.until for e in db.session.scalars(
            db.select(DeadlineExtension).filter_by(campaign_id=campaign.id, organisation_id=user.organisation_id))}
    roles = {d.get("key"): d.get("roles") for d in (campaign.config or {}).get("deadlines") or []}
    return [DeadlineView(d.label, ext.get(d.key, d.due_date), d.key in ext) for d in campaign.deadlines
            if roles.get(d.key) is None or user.role.value in roles[d.key]]
