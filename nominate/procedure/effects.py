"""The effects named in workflows/*.yaml: what an event does besides changing the state."""
from __future__ import annotations

import datetime as dt

from nominate.workflow.context import start_date_of
from nominate.workflow.states import BatchState
from nominate.core import clock
from nominate.core.uploads import scan_type
from nominate.extensions import db
from nominate.nominations.enums import NominationKind
from nominate.organisations.models import Organisation, OrgKind
from nominate.workflow.registry import effect


def _publicity_org(ctx, level: str) -> Organisation:
    if level == "unit":
        return ctx.nomination.owner_org
    if level == "province":
        return ctx.campaign.province
    return db.session.scalar(db.select(Organisation).filter_by(kind=OrgKind.MINISTRY)) or ctx.campaign.province


start_date_param = start_date_of  # the name the effects have used


@effect("open_publicity")
def open_publicity(ctx, level):
    """Create the 公示 (or join the one this batch operation already opened) for the nominee."""
    from nominate.publicity.models import PublicityEntry, PublicityLevel, PublicityNotice, PublicityPeriod
    from nominate.workdays.calendar import publicity_end

    period = ctx.shared.periods.get(level)
    if period is None:
        start = start_date_param(ctx)
        days = ctx.rules.publicity_working_days
        period = PublicityPeriod(campaign_id=ctx.campaign.id, level=PublicityLevel(level), organisation=_publicity_org(ctx, level),
                                 start_date=start, end_date=publicity_end(start, days), working_days=days,
                                 created_by_id=getattr(ctx.actor, "id", None))
        if start < ctx.today and ctx.params.backdate_reason:  # checked by publicity_start_recorded
            notice = ctx.params.notice
            period.backdate_reason = ctx.params.backdate_reason
            period.notice = PublicityNotice(filename=(notice.filename or "公示通知")[-200:], content=notice.content,
                                            mime=scan_type(notice, "notice", "公示通知扫描件"), size=len(notice.content),
                                            uploaded_by_id=getattr(ctx.actor, "id", None))
        db.session.add(period)
        ctx.shared.periods[level] = period
    period.entries.append(PublicityEntry(nomination_id=ctx.nomination.id))
    ctx.audit_data["publicity"] = {"level": level, "start": period.start_date.isoformat(),
                                   "end": period.end_date.isoformat()}


def _close_if_done(ctx, period):
    from nominate.publicity.models import PublicityStatus

    db.session.flush()
    level_state = ctx.workflow.publicity_state(period.level.value)
    if all(e.nomination.state.value != level_state for e in period.entries):
        period.status = PublicityStatus.CLOSED


@effect("close_publicity")
def close_publicity(ctx, level):
    from nominate.publicity.queries import current_period

    period = current_period(ctx.nomination, level)
    if period is not None:
        _close_if_done(ctx, period)


@effect("close_own_publicity_entry")
def close_own_publicity_entry(ctx):
    objection = ctx.shared.objection
    if objection is not None:
        _close_if_done(ctx, objection.period)


def _batch_operations():
    from nominate.batches import operations  # batches.operations fires events itself

    return operations


@effect("add_to_batch")
def add_to_batch(ctx):
    """Join the organisation's 推荐批次 at the end of its rank order."""
    nom = ctx.nomination
    batch = _batch_operations().get_or_create_batch(nom.campaign_id, nom.owner_org_id, ctx.actor)
    ranks = [n.rank for n in batch.nominations if n.rank is not None and n.id != nom.id]
    nom.batch = batch
    nom.rank = max(ranks, default=0) + 1
    nom.recommended_at = clock.now()


@effect("leave_batch")
def leave_batch(ctx):
    nom = ctx.nomination
    if nom.batch is not None and nom.rank is not None:
        nom.rank = None
        renumber(nom.batch)


def renumber(batch):
    ranked = sorted((n for n in batch.nominations if n.rank is not None), key=lambda n: n.rank)
    for i, n in enumerate(ranked, start=1):
        n.rank = i


@effect("move_batch")
def move_batch(ctx, event, when_settled=False):
    """Move the nomination's 推荐批次 along its own lifecycle (the file's ``batch:`` section).

    ``when_settled``: only once no ranked nominee of the batch is still ``batch_pending``."""
    batch = ctx.nomination.batch
    if batch is None:
        return
    wf = ctx.workflow
    if when_settled:
        db.session.flush()
        pending = wf.tagged("batch_pending")
        if any(n.state.value in pending for n in batch.nominations if n.rank is not None):
            return
    holder = _Holder(batch.state.value)
    wf.batch.fire(holder, event)
    batch.state = BatchState(holder.state)


class _Holder:
    def __init__(self, state):
        self.state = state


@effect("stamp_batch_submission")
def stamp_batch_submission(ctx):
    """The batch's submission time: its first submission, and each submission of the whole batch."""
    batch = ctx.nomination.batch
    if batch is not None and (batch.submitted_at is None or ctx.shared.batch_submission):
        batch.submitted_at = clock.now()
        batch.submitted_by_id = getattr(ctx.actor, "id", None)


@effect("snapshot_batch")
def snapshot_batch(ctx):
    """Keep what the batch's submission sent: report, rank order, each nominee's fields (once per operation)."""
    if ctx.nomination.batch is not None:
        _batch_operations().record_snapshot(ctx.nomination.batch, ctx.actor, ctx.shared)


@effect("mark_formal_submitted")
def mark_formal_submitted(ctx):
    ctx.nomination.formal_submitted_at = clock.now()


@effect("mark_selected")
def mark_selected(ctx):
    ctx.nomination.selected_at = clock.now()


@effect("open_opinion_slots")
def open_opinion_slots(ctx):
    """纪检监察 and 组织人事 rows wait for their signers; 公安 is requested by the province."""
    from nominate.opinions.models import Opinion, OpinionSlot

    nom = ctx.nomination
    if nom.kind != NominationKind.INDIVIDUAL:
        return
    have = {o.slot for o in nom.opinions}
    for slot in (OpinionSlot.DISCIPLINE, OpinionSlot.PERSONNEL):
        if slot not in have:
            db.session.add(Opinion(nomination=nom, slot=slot, requested_by_id=getattr(ctx.actor, "id", None)))
