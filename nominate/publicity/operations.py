"""Publicity periods and objections: recorded, investigated, and (if upheld) disqualifying."""
from __future__ import annotations

import datetime as dt

from nominate.audit import operations as audit
from nominate.campaigns.models import Campaign
from nominate.core import clock
from nominate.core.errors import PermissionDenied, ValidationFailed
from nominate.extensions import db
from nominate.workflow.registry import notify_operation
from nominate.publicity.models import Objection, ObjectionStatus, PublicityEntry, PublicityPeriod, PublicityStatus
from nominate.publicity.permissions import can_handle_objections
from nominate.publicity.queries import current_period, current_periods  # noqa: F401  (re-exported)
from nominate.workflow.context import Shared
from nominate.workflow.engine import fire_event
from nominate.workflow.machine import get_workflow



def start_publicity(nominations, level: str, actor, start_date: dt.date | str | None = None) -> PublicityPeriod:
    """One 公示 listing several nominees (province or national level), all or nothing."""
    starts = get_workflow(nominations[0].campaign.workflow).listing_starts() if nominations else {}
    if nominations and level not in starts:
        raise ValidationFailed("level_invalid", "公示级别须为 " + " 或 ".join(starts), "level")
    if not nominations:
        raise ValidationFailed("publicity_empty", "请选择要公示的推荐对象", "nominations")
    shared = Shared()
    for nom in nominations:
        fire_event(nom, starts[level].event, actor, params={"start_date": start_date}, shared=shared)
    return shared.periods[level]


def finish_publicity(period: PublicityPeriod, actor) -> tuple[list, list]:
    """Finish the publicity for every nominee still in it; closing twice is harmless.

    A nominee with an open objection stays in publicity until its investigation is recorded, and
    does not hold up the others: returns (finished, held by an objection). Any other refusal (the
    period has not elapsed, no right to close it) refuses the whole call."""
    wf = get_workflow(db.session.get(Campaign, period.campaign_id).workflow)
    state, finish = wf.publicity_state(period.level.value), wf.finishes_publicity(period.level.value).event
    noms = [e.nomination for e in period.entries if e.nomination.state.value == state]
    done, held = [], []
    for nom in noms:
        if period.has_open_objection(nom):
            held.append(nom)
            continue
        fire_event(nom, finish, actor)
        done.append(nom)
    if held and not done:
        fire_event(held[0], finish, actor)  # raises the objection refusal
    return done, held


def record_objection(nomination, actor, *, content: str, received_on=None, objector_name=None,
                     objector_contact=None) -> Objection:
    """Record an 异议 against a nominee in its running publicity; it suspends the end of the period."""
    level = nomination.workflow.publicity_level(nomination.state.value)
    if level is None:
        raise ValidationFailed("not_in_publicity", f"推荐对象当前状态为“{nomination.state_label}”，不在公示期内", "state")
    period = current_period(nomination, level)
    if not can_handle_objections(actor, period, nomination):
        raise PermissionDenied("您无权登记该公示的异议")
    if not (content or "").strip():
        raise ValidationFailed("objection_content_required", "请填写异议内容", "content")
    received = received_on or clock.today()
    if isinstance(received, str):
        try:
            received = dt.date.fromisoformat(received)
        except ValueError:
            raise ValidationFailed("date_invalid", "收到日期须为 YYYY-MM-DD", "received_on") from None
    if received > clock.today():
        raise ValidationFailed("date_out_of_range", "收到日期不能晚于今天", "received_on")
    obj = Objection(period=period, nomination_id=nomination.id, content=content.strip(), received_on=received,
                    objector_name=(objector_name or None), objector_contact=(objector_contact or None),
                    recorded_by_id=actor.id)
    db.session.add(obj)
    db.session.flush()
    audit.record(actor, "objection_recorded", object_type="objection", object_id=obj.id, nomination=nomination,
                 data={"level": level})  # no objector identity in the trail
    notify_operation("objection_recorded", actor, nomination=nomination, level=period.level.label)  # nor here
    return obj


def resolve_objection(objection: Objection, actor, *, outcome: str, investigation: str) -> Objection:
    """Record the investigation: ``cleared`` (the period goes on) or ``upheld`` (disqualify)."""
    nomination = objection.nomination
    if not can_handle_objections(actor, objection.period, nomination):
        raise PermissionDenied("您无权登记该异议的调查结论")
    if objection.status != ObjectionStatus.OPEN:
        raise ValidationFailed("objection_closed", "该异议已有调查结论", "status")
    if outcome not in ("cleared", "upheld"):
        raise ValidationFailed("outcome_invalid", "调查结论须为 cleared（不属实）或 upheld（属实）", "outcome")
    if not (investigation or "").strip():
        raise ValidationFailed("investigation_required", "请填写调查情况", "investigation")
    objection.status = ObjectionStatus(outcome)
    objection.investigation = investigation.strip()
    objection.resolved_by_id = actor.id
    objection.resolved_at = clock.now()
    audit.record(actor, f"objection_{outcome}", object_type="objection", object_id=objection.id,
                 nomination=nomination, comment=investigation)
    notify_operation("objection_resolved", actor, nomination=nomination, level=objection.period.level.label,
                     outcome=objection.status.label)
    if outcome == "upheld":
        fire_event(nomination, nomination.workflow.event_tagged("objection_upheld").event, actor,
                   comment=investigation, internal=True, shared=Shared(objection=objection))
    db.session.flush()
    return objection


def period_is_closed(period) -> bool:
    return period.status == PublicityStatus.CLOSED
