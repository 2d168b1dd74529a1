"""Reminders before deadlines (the campaign file's `reminders:`), counted in working days with the
calendar of the publicity periods, sent only to the organisations that have not yet done what the
deadline asks. A job: run every hour by the worker; a reminder is written once (its dedupe key)."""
from __future__ import annotations

import datetime as dt

from nominate.batches.models import CityBatch
from nominate.campaigns.models import Campaign, DeadlineExtension
from nominate.core import clock
from nominate.extensions import db
from nominate.core.queue import register_task
from nominate.nominations.models import Nomination
from nominate.notifications.operations import audience, link_for, write
from nominate.organisations.models import Organisation, OrgKind
from nominate.workdays.calendar import load_calendar


def _cities_without_submitted_batch(campaign) -> list[Organisation]:
    submitted = set(db.session.scalars(db.select(CityBatch.organisation_id).where(
        CityBatch.campaign_id == campaign.id, CityBatch.submitted_at.is_not(None))))
    cities = db.session.scalars(db.select(Organisation).where(
        Organisation.parent_id == campaign.province_id, Organisation.kind == OrgKind.CITY)
        .order_by(Organisation.sort_order)).all()
    return [c for c in cities if c.id not in submitted]


def _formal_materials_outstanding(campaign) -> list[Organisation]:
    """Organisations with a nominee still waiting for its formal materials (the states the workflow's
    formal_submission event leaves from) that they have not submitted."""
    from nominate.workflow.machine import get_workflow

    waiting = sorted(get_workflow(campaign.workflow).event_tagged("formal_submission").sources)
    ids = set(db.session.scalars(db.select(Nomination.owner_org_id).where(
        Nomination.campaign_id == campaign.id, Nomination.state.in_(waiting),
        Nomination.formal_submitted_at.is_(None))))
    return db.session.scalars(db.select(Organisation).where(Organisation.id.in_(ids))
                              .order_by(Organisation.sort_order)).all() if ids else []


#: what "not yet done" means, by the name the campaign file uses in `pending:`
PENDING = {
    "batch_not_submitted": _cities_without_submitted_batch,
    "formal_materials_not_submitted": _formal_materials_outstanding,
}


def send_day(calendar, due: dt.date, n: int) -> dt.date:
    """The ``n``-th working day before ``due`` (due itself not counted)."""
    day, counted = due, 0
    while counted < n:
        day -= dt.timedelta(days=1)
        counted += calendar.is_workday(day)
    return day


def run_campaign(campaign: Campaign, today: dt.date | None = None) -> int:
    today = today or clock.today()
    calendar = load_calendar()
    written = 0
    for spec in campaign.config.get("reminders") or []:
        deadline = campaign.deadline(spec["deadline"])
        if deadline is None or deadline.due_date is None:
            continue
        extensions = {e.organisation_id: e.until for e in db.session.scalars(db.select(DeadlineExtension).filter_by(
            campaign_id=campaign.id, deadline_key=deadline.key))}
        for org in PENDING[spec["pending"]](campaign):
            due = extensions.get(org.id, deadline.due_date)
            if today >= due:
                continue
            due_now = [n for n in sorted(spec["working_days_before"], reverse=True)
                       if send_day(calendar, due, n) <= today]
            if not due_now:
                continue
            n = due_now[-1]  # the most urgent reminder that is due (a missed day is caught up, once)
            left = calendar.count_workdays(today, due - dt.timedelta(days=1))
            for name in spec.get("to", ["organisation"]):
                for user in audience(name, organisation=org, campaign=campaign):
                    note = write(user, "deadline_reminder",
                                 {"org": org.short_name, "deadline": deadline.label, "days": left,
                                  "due_date": f"{due:%Y年%m月%d日}", "campaign": campaign.title},
                                 link=link_for(spec.get("link", "batches")), campaign_id=campaign.id,
                                 dedupe_key=f"reminder:{campaign.key}:{deadline.key}:{due.isoformat()}:{n}")
                    written += note is not None
    return written


def run_all() -> int:
    """Every campaign's reminders for today, committed (the job)."""
    total = sum(run_campaign(c) for c in db.session.scalars(db.select(Campaign)).all())
    db.session.commit()
    return total


register_task("reminders", run_all, name="send_reminders", schedule="JOBS_REMINDER_SCHEDULE")
