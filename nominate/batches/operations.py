"""City batch operations: the report, the rank order and the submission (初审材料)."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from nominate.audit import operations as audit
from nominate.batches.models import BatchState, CityBatch
from nominate.batches.permissions import can_manage_batch
from nominate.core.db import lock
from nominate.core.errors import PermissionDenied, ValidationFailed
from nominate.extensions import db
from nominate.campaigns.models import Campaign
from nominate.workflow.context import Shared
from nominate.workflow.engine import fire_event
from nominate.workflow.machine import get_workflow

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


def set_batch_report(batch: CityBatch, actor, *, report_text=None, formal_report_text=None) -> CityBatch:
    if not can_manage_batch(actor, batch):
        raise PermissionDenied("只有本单位可以编写推荐工作报告")
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
        raise ValidationFailed("rank_locked", "已报送的推荐对象排序不能再调整", "order")
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
