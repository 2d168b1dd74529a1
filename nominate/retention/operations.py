"""The retention command's rules: when a campaign's personal data expires, whose data goes, and the one
operation that anonymises it (audited, irreversible).

The campaign file says how long: ``retention: {personal_data_years: 3, keep_states: [awarded, revoked]}``,
counted from the campaign's last state change. Nominees in ``keep_states`` (awarded, and revoked: a
revocation needs the file) are kept; every other nominee of an expired campaign is anonymised in every
registered place (``places.PLACES``). The audit trail is never changed: it is masked when written.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from nominate.audit import operations as audit
from nominate.audit.models import AuditEvent
from nominate.campaigns.models import Campaign
from nominate.core import clock
from nominate.core.errors import DomainError
from nominate.extensions import db
from nominate.nominations.models import Nomination
from nominate.retention.places import PLACES, Selection, selection_for


@dataclass
class Plan:
    """What the command would do (or did) for one campaign."""

    campaign: Campaign
    years: int | None
    closed_on: dt.date | None
    expires_on: dt.date | None
    nominations: list[Nomination]
    counts: dict[str, int]  # place key -> items that would change (or changed)

    @property
    def expired(self) -> bool:
        return self.expires_on is not None and clock.today() >= self.expires_on

    @property
    def pending(self) -> int:
        """Items still holding personal data in places the command changes (0: nothing to do)."""
        return sum(n for key, n in self.counts.items() if PLACES[key].anonymise is not None)

    @property
    def audit_copies(self) -> int:
        return sum(n for key, n in self.counts.items() if PLACES[key].anonymise is None)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def closed_on(campaign: Campaign) -> dt.date | None:
    """The day of the campaign's last state change (its procedure's end)."""
    at = db.session.scalar(db.select(sa.func.max(AuditEvent.at)).where(AuditEvent.campaign_id == campaign.id,
                                                                         AuditEvent.to_state.is_not(None)))
    return clock.local_day(at)


def plan(campaign: Campaign) -> Plan:
    """Preview for one campaign: its expiry, the nominees whose data goes, and what each place holds."""
    rules = campaign.rules
    years, keep = rules.personal_data_years, rules.retention_keep_states
    end = closed_on(campaign)
    expires = _add_years(end, years) if years and end else None
    noms = db.session.scalars(db.select(Nomination).where(
        Nomination.campaign_id == campaign.id, Nomination.state.not_in(keep)).order_by(Nomination.id)).all()
    sel = selection_for(list(noms))
    counts = {key: place.preview(sel) for key, place in PLACES.items()}
    return Plan(campaign, years, end, expires, list(noms), counts)


def plans() -> list[Plan]:
    return [plan(c) for c in db.session.scalars(db.select(Campaign).order_by(Campaign.id))]


def anonymise_campaign(campaign: Campaign, actor=None) -> Plan:
    """Anonymise the non-kept nominees of an expired campaign in every place: one transaction, audited.

    Irreversible: the values are overwritten (on SQLite with ``secure_delete``, so the freed pages are
    zeroed too). Refused when the campaign has not expired or a full number is found in the audit trail.
    """
    before = plan(campaign)
    if before.years is None:
        raise DomainError("retention_not_configured", f"{campaign.key}：活动文件未设置 retention.personal_data_years")
    if not before.expired:
        until = f"至 {before.expires_on}" if before.expires_on else "自活动最后一次状态变化起算，活动尚无状态变化"
        raise DomainError("retention_not_expired", f"{campaign.key}：个人信息保存期{until}，尚未届满")
    if before.audit_copies:
        raise DomainError("audit_holds_numbers", f"{campaign.key}：审计记录中有 {before.audit_copies} 条含完整身份证号，"
                                                 "审计记录只增不改，须先查明原因")
    conn = db.session.connection()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA secure_delete = ON")
    sel: Selection = selection_for(before.nominations)
    done = {key: place.anonymise(sel) for key, place in PLACES.items() if place.anonymise is not None}
    for nom in before.nominations:
        audit.record(actor, "personal_data_anonymised", object_type="nomination", nomination=nom,
                     data={"state": nom.state.value, "retention_years": before.years})
    audit.record(actor, "retention_applied", object_type="campaign", object_id=campaign.id, campaign_id=campaign.id,
                 data={"nominations": len(before.nominations), "expires_on": before.expires_on.isoformat(),
                       "changed": done})
    db.session.flush()
    return Plan(campaign, before.years, before.closed_on, before.expires_on, before.nominations, done)


def drop_old_row_versions() -> None:
    """After the commit: PostgreSQL keeps the old row versions until VACUUM; rewrite the touched tables."""
    if db.engine.dialect.name != "postgresql":
        return
    tables = sorted({t for place in PLACES.values() for t in place.tables})
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"VACUUM FULL {', '.join(tables)}")


def campaigns_to_redo() -> list[Plan]:
    """Expired campaigns that still hold personal data (e.g. after restoring an older backup)."""
    return [p for p in plans() if p.expired and p.pending]
