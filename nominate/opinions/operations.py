"""Signing the 征求意见表 rows and requesting the police opinions."""
from __future__ import annotations

import datetime as dt

from nominate.accounts.models import Role
from nominate.audit import operations as audit
from nominate.core import clock
from nominate.core.db import lock
from nominate.core.errors import PermissionDenied, ValidationFailed
from nominate.extensions import db
from nominate.nominations import permissions as nperm
from nominate.nominations.enums import NominationKind
from nominate.workflow.registry import notify_operation
from nominate.opinions.models import Opinion, OpinionSlot, OpinionStatus, OpinionVerdict
from nominate.opinions.queries import correction_refusal


def request_police_opinions(nominations, actor) -> list[Opinion]:
    """The province asks the provincial police for their row (征求意见表 注2)."""
    if actor.role != Role.PROVINCE_OFFICE:
        raise PermissionDenied("省级公安部门意见由省级人社部门统一征求")
    created = []
    for nom in nominations:
        if not nperm.in_province(actor, nom):
            raise PermissionDenied("只能为本省推荐对象征求意见")
        if nom.kind != NominationKind.INDIVIDUAL or not nom.state_has("opinions_open"):
            raise ValidationFailed("opinion_not_needed", f"{nom.name}：只有正式材料阶段的先进个人需要征求意见", "nominations")
        if any(o.slot == OpinionSlot.POLICE for o in nom.opinions):
            continue
        op = Opinion(nomination=nom, slot=OpinionSlot.POLICE, requested_by_id=actor.id)
        db.session.add(op)
        created.append(op)
        audit.record(actor, "police_opinion_requested", object_type="nomination", nomination=nom)
    db.session.flush()
    for op in created:
        notify_operation("police_opinion_requested", actor, nomination=op.nomination)
    return created


def sign_opinion(opinion: Opinion, actor, *, verdict: str, text: str, signer_name: str,
                 signed_on: dt.date | str | None = None) -> Opinion:
    """A signer fills their own row: opinion, 签字人, date; a negative opinion needs its reason."""
    if not nperm.can_sign(actor, opinion):
        raise PermissionDenied("您只能签署本部门、本管辖范围内推荐对象的意见")
    opinion = lock(Opinion, opinion.id)
    if opinion.status == OpinionStatus.SIGNED:
        raise ValidationFailed("opinion_already_signed", "该意见已签署，不能重复签署", "status")
    if not opinion.nomination.state_has("opinions_open"):
        raise ValidationFailed("opinion_closed", "推荐对象已不在征求意见阶段", "state")
    verdict_enum, text, signer_name, signed_on = _clean_row(verdict, text, signer_name, signed_on)
    opinion.verdict, opinion.text, opinion.signer_name, opinion.signed_on = verdict_enum, text, signer_name, signed_on
    opinion.status = OpinionStatus.SIGNED
    opinion.signed_by_id = actor.id
    audit.record(actor, "opinion_signed", object_type="opinion", object_id=opinion.id, nomination=opinion.nomination,
                 comment=text, data={"slot": opinion.slot.value, "verdict": verdict_enum.value})
    if verdict_enum == OpinionVerdict.DISAGREE:
        notify_operation("opinion_negative", actor, nomination=opinion.nomination, comment=text,
                         verdict_slot=opinion.slot.label)
    db.session.flush()
    return opinion


def correct_opinion(opinion: Opinion, actor, *, verdict: str, text: str, signer_name: str, reason: str,
                    signed_on: dt.date | str | None = None) -> Opinion:
    """A signer corrects their signed row by signing it again, with the reason for the correction (audited with
    what it replaced); allowed only until the provincial publicity starts (``opinion_correctable``)."""
    if not nperm.can_sign(actor, opinion):
        raise PermissionDenied("您只能更正本部门、本管辖范围内推荐对象的意见")
    opinion = lock(Opinion, opinion.id)
    refusal = correction_refusal(opinion)
    if refusal:
        raise ValidationFailed("opinion_not_correctable", refusal, "status")
    reason = (reason or "").strip()
    if len(reason) < 4 or len(reason) > 200:
        raise ValidationFailed("correction_reason_required", "更正意见须写明更正理由（4至200字）", "reason")
    verdict_enum, text, signer_name, signed_on = _clean_row(verdict, text, signer_name, signed_on)
    before = {"verdict": opinion.verdict.value, "text": opinion.text, "signer_name": opinion.signer_name,
              "signed_on": opinion.signed_on.isoformat()}
    was_negative = opinion.verdict == OpinionVerdict.DISAGREE
    opinion.verdict, opinion.text, opinion.signer_name, opinion.signed_on = verdict_enum, text, signer_name, signed_on
    opinion.signed_by_id = actor.id
    audit.record(actor, "opinion_corrected", object_type="opinion", object_id=opinion.id,
                 nomination=opinion.nomination, comment=reason,
                 data={"slot": opinion.slot.value, "verdict": verdict_enum.value, "text": text, "before": before})
    if verdict_enum == OpinionVerdict.DISAGREE and not was_negative:
        notify_operation("opinion_negative", actor, nomination=opinion.nomination, comment=text,
                         verdict_slot=opinion.slot.label)
    db.session.flush()
    return opinion


def _clean_row(verdict, text, signer_name, signed_on):
    """The row's fields checked as one: verdict, text (a reason when negative), 签字人, date (not in the future)."""
    try:
        verdict_enum = OpinionVerdict(verdict)
    except ValueError:
        raise ValidationFailed("verdict_invalid", "意见须为 agree（同意）或 disagree（不同意）", "verdict") from None
    text = (text or "").strip()
    if verdict_enum == OpinionVerdict.DISAGREE and len(text) < 4:
        raise ValidationFailed("reason_required", "不同意推荐时须写明理由", "text")
    if not text:
        text = "同意推荐"
    if len(text) > 500:
        raise ValidationFailed("text_too_long", "意见不能超过500字", "text")
    signer_name = (signer_name or "").strip()
    if not signer_name or len(signer_name) > 40:
        raise ValidationFailed("signer_required", "请填写签字人姓名（不超过40字）", "signer_name")
    if isinstance(signed_on, str) and signed_on:
        try:
            signed_on = dt.date.fromisoformat(signed_on)
        except ValueError:
            raise ValidationFailed("date_invalid", "签署日期须为 YYYY-MM-DD", "signed_on") from None
    signed_on = signed_on or clock.today()
    if signed_on > clock.today():
        raise ValidationFailed("date_out_of_range", "签署日期不能晚于今天", "signed_on")
    return verdict_enum, text, signer_name, signed_on
