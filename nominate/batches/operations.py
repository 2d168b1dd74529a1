"""City batch operations: the report, the rank order and the submission (初审材料)."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from nominate.audit import operations as audit
from nominate.batches.models import BatchSnapshot, BatchState, CityBatch
from nominate.batches.queries import snapshot_content
from nominate.batches.permissions import can_manage_batch
from nominate.core.db import lock
from nominate.core.errors import GuardRefused, PermissionDenied, ValidationFailed
from nominate.extensions import db
from nominate.campaigns.models import Campaign
from nominate.workflow.context import Shared
from nominate.workflow.engine import fire_event
from nominate.workflow.machine import get_workflow
from nominate.workflow.readiness import check_event

REPORT_MAX = 20000


def batch_workflow(batch: CityBatch):
    """The workflow (with the batch's lifecycle) of the batch's campaign."""
    return get_workflow(db.session.get(Campaign, batch.campaign_id).workflow)


def find_batch(campaign_id: int, org_id: int) -> CityBatch | None:
    """The organisation's 推荐批次 in the campaign, if it has one (a read: pages never create it)."""
    return db.session.scalar(db.select(CityBatch).filter_by(campaign_id=campaign_id, organisation_id=org_id))


def get_or_create_batch(campaign_id: int, org_id: int, actor=None) -> CityBatch:
    """The organisation's 推荐批次 in the campaign, made (and audited) the first time it is needed.

    Race-safe: two transactions creating the same batch meet at the unique (campaign, organisation)
    constraint; the loser's insert is rolled back to a savepoint and it takes the winner's row."""
    batch = find_batch(campaign_id, org_id)
    if batch is not None:
        return batch
    try:
        with db.session.begin_nested():
            batch = CityBatch(campaign_id=campaign_id, organisation_id=org_id)
            db.session.add(batch)
            db.session.flush()
    except IntegrityError:
        batch = find_batch(campaign_id, org_id)
        if batch is None:  # pragma: no cover - the constraint fired, so the row exists
            raise
        return batch
    audit.record(actor, "batch_created", object_type="batch", object_id=batch.id, campaign_id=campaign_id)
    return batch


def report_is_open(batch: CityBatch) -> bool:
    """The 初审推荐工作报告 may change: the batch is not submitted, or the province returned it."""
    return batch.state.value in batch_workflow(batch).batch.tagged("report_open")


def frozen_refusal(batch: CityBatch, what: str) -> GuardRefused:
    return GuardRefused("batch_frozen", f"推荐批次{batch.state_label}：已报送的{what}在省推荐评选办退回修改前不能更改",
                        "report_text" if "报告" in what else "order", details={"batch_state": batch.state.value})


def set_batch_report(batch: CityBatch, actor, *, report_text=None, formal_report_text=None) -> CityBatch:
    """Save the report(s). The 初审推荐工作报告 is frozen once submitted, until the province returns the batch."""
    if not can_manage_batch(actor, batch):
        raise PermissionDenied("只有本单位可以编写推荐工作报告")
    if report_text is not None and report_text != (batch.report_text or "") and not report_is_open(batch):
        raise frozen_refusal(batch, "初审推荐工作报告")
    for field, value in (("report_text", report_text), ("formal_report_text", formal_report_text)):
        if value is not None:
            if len(value) > REPORT_MAX:
                raise ValidationFailed("report_too_long", f"推荐工作报告不能超过 {REPORT_MAX} 字", field)
            setattr(batch, field, value)
    audit.record(actor, "batch_report_saved", object_type="batch", object_id=batch.id, campaign_id=batch.campaign_id)
    db.session.flush()
    return batch


def reorder_batch(batch: CityBatch, actor, nomination_ids: list[int]) -> CityBatch:
    """Set the rank order (推荐排序); the list must name exactly the ranked nominees."""
    if not can_manage_batch(actor, batch):
        raise PermissionDenied("只有本单位可以调整推荐排序")
    batch = lock(CityBatch, batch.id)
    ranked = {n.id: n for n in batch.nominations if n.rank is not None}
    wf = batch_workflow(batch)
    movable = {i for i, n in ranked.items() if n.state.value in wf.tagged("rank_movable")}
    if sorted(nomination_ids) != sorted(ranked):
        raise ValidationFailed("rank_list_mismatch", "排序须包含本批次全部推荐对象，且每个只出现一次", "order")
    if batch.state.value not in wf.batch.tagged("ranks_open") and any(ranked[i].rank != pos for pos, i in enumerate(nomination_ids, 1)
                                               if i not in movable):
        raise ValidationFailed("rank_locked", f"推荐批次{batch.state_label}：已报送的推荐对象排序在省推荐评选办退回修改前"
                               "不能调整", "order")
    for pos, nid in enumerate(nomination_ids, start=1):
        ranked[nid].rank = pos
    audit.record(actor, "batch_reordered", object_type="batch", object_id=batch.id, campaign_id=batch.campaign_id,
                 data={"order": nomination_ids})
    db.session.flush()
    return batch


def submit_city_batch(batch: CityBatch, actor) -> list:
    """Submit every recommended nominee of the batch to the province in one transaction."""
    if not can_manage_batch(actor, batch):
        raise PermissionDenied("只有本单位可以报送推荐批次")
    batch = lock(CityBatch, batch.id)
    event = batch_workflow(batch).event_tagged("batch_submission")
    pending = [n for n in batch.nominations if n.state.value in event.sources]
    if not pending:
        raise ValidationFailed("batch_empty", "没有待报送的推荐对象（须先“确定推荐”）", "nominations")
    shared = Shared(batch_submission=True)
    for nom in sorted(pending, key=lambda n: n.rank or 0):
        fire_event(nom, event.event, actor, shared=shared)
    audit.record(actor, "batch_submitted", object_type="batch", object_id=batch.id, campaign_id=batch.campaign_id,
                 data={"nominations": [n.id for n in pending]})
    return pending


def ranks_are_open(batch: CityBatch) -> bool:
    """The whole rank order may change (the batch was never submitted)."""
    return batch.state.value in batch_workflow(batch).batch.tagged("ranks_open")


def pending_submission(batch: CityBatch) -> list:
    """The nominees the next 报送初审材料 would send (recommended, not yet submitted)."""
    event = batch_workflow(batch).event_tagged("batch_submission")
    return [n for n in batch.nominations if n.state.value in event.sources]


def submission_blockers(batch: CityBatch, actor) -> list[str]:
    """Why 报送初审材料 cannot be done today (every guard of the submission event asked for each pending nominee,
    lock-free, like the page's other buttons), in words; empty when it can. A blocker of one nominee names her."""
    event = batch_workflow(batch).event_tagged("batch_submission")
    pending = pending_submission(batch)
    checks = [check_event(n, event, actor) for n in sorted(pending, key=lambda n: n.rank or 0)]
    words: list[str] = []
    for check in checks:
        lines = [] if check.blockers or check.permitted else [f"{check.nomination.name}：无权{check.label}"]
        for b in check.blockers:
            text = b.words + (f"（待{b.who}办理）" if b.who else "")
            everyone = all(any(o.code == b.code and o.words == b.words for o in c.blockers) for c in checks)
            lines.append(text if everyone else f"{check.nomination.name}：{text}")
        words += [line for line in lines if line not in words]
    return words


def rank_moves(batch: CityBatch, ranked: list) -> dict[int, tuple[bool, bool]]:
    """nomination id → (may move up, may move down): what reorder_batch would accept, for the buttons. In a
    submitted batch only neighbouring nominees that are still ``rank_movable`` may swap."""
    wf = batch_workflow(batch)
    if batch.state.value in wf.batch.tagged("ranks_open"):  # every row both ways (the page script moves rows)
        return {n.id: (len(ranked) > 1, len(ranked) > 1) for n in ranked}
    movable = {n.id for n in ranked if n.state.value in wf.tagged("rank_movable")}
    out = {}
    for i, n in enumerate(ranked):
        up = i > 0 and n.id in movable and ranked[i - 1].id in movable
        down = i + 1 < len(ranked) and n.id in movable and ranked[i + 1].id in movable
        out[n.id] = (up, down)
    return out


def record_snapshot(batch: CityBatch, actor, shared) -> BatchSnapshot:
    """Keep what this submission sent (one snapshot per submitting operation, completed as its events fire)."""
    wf = batch_workflow(batch)
    # sent: every ranked nominee except those still to be submitted and those returned and not yet resubmitted
    waiting = set(wf.event_tagged("batch_submission").sources) | {
        t.dest for t in wf.transitions.values() if t.exit and t.dest in wf.tagged("batch_pending")}
    sent = frozenset(wf.states) - waiting
    db.session.flush()
    content = snapshot_content(batch, sent)
    snap = shared.snapshots.get(batch.id)
    if snap is None:
        number = (db.session.scalar(db.select(db.func.max(BatchSnapshot.number)).where(
            BatchSnapshot.batch_id == batch.id)) or 0) + 1
        snap = BatchSnapshot(batch=batch, number=number, taken_by_id=getattr(actor, "id", None), content=content)
        db.session.add(snap)
        shared.snapshots[batch.id] = snap
        db.session.flush()
        audit.record(actor, "batch_snapshot_taken", object_type="batch", object_id=batch.id,
                     campaign_id=batch.campaign_id, data={"number": number})
    else:
        snap.content = content
    return snap
