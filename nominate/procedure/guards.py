"""The guards named in workflows/*.yaml. Each refuses with a stable code and a Chinese message."""
from __future__ import annotations

import datetime as dt

from nominate.campaigns.models import Campaign, DeadlineExtension
from nominate.core.db import lock
from nominate.core.errors import GuardRefused
from nominate.core.uploads import scan_type
from nominate.extensions import db
from nominate.nominations import fields as F
from nominate.nominations.enums import NominationKind
from nominate.publicity.queries import current_period, open_objection_count
from nominate.workflow.context import start_date_of
from nominate.workflow.machine import get_workflow
from nominate.workflow.registry import guard
from nominate.nominations.models import Nomination
from nominate.nominations.queries import occupying_places, quota_scope, selected_count
from nominate.nominations import validation as V
from nominate.organisations.models import Organisation, OrgKind

def counted(rules, kind: str, n: int) -> str:
    """"12 个窗口", "5 名个人" (the campaign file's ``count_words``): never "12窗口"."""
    return f"{n} {rules.count_words[kind]}"


def refuse(code, message, field=None, details=None):
    raise GuardRefused(code, message, field, details=details)


@guard("comment_required")
def comment_required(ctx):
    if not (ctx.comment or "").strip():
        refuse("comment_required", f"“{ctx.transition.label}”须填写理由或说明", "comment")


@guard("complete")
def complete(ctx):
    nom = ctx.nomination
    missing = [f for f in F.required_for(nom.kind.value) if getattr(nom, f.name) in (None, "")]
    if nom.kind.value not in ctx.rules.clean_record_kinds:
        missing = [f for f in missing if not f.name.startswith("clean_record")]
    if missing:
        refuse("incomplete", "以下必填项尚未填写：" + "、".join(f.label for f in missing), missing[0].name,
               details=[f.name for f in missing])
    for field in ("main_deeds", "brief_deeds"):
        problem = V.deeds_problem(field, F.label(field), getattr(nom, field), ctx.rules)
        if problem:
            refuse(*problem)


@guard("identity_consistent")
def identity_consistent(ctx):
    nom = ctx.nomination
    if nom.kind != NominationKind.INDIVIDUAL:
        return
    problems, _, _ = V.identity_problems(nom.id_number, nom.birth_date, nom.gender and nom.gender.value)
    if problems:
        refuse(*problems[0])


@guard("eligible")
def eligible(ctx):
    """Every eligibility rule at once (nominations.validation.eligibility_problems): the hard ones block, a soft one
    (rank above the advisory one) until the 推荐说明 is written; ``details`` lists each with its field."""
    problems = V.eligibility_problems(ctx.nomination, ctx.rules, ctx.today)
    if problems:
        first = problems[0]
        refuse(first.code, "；".join(p.message for p in problems), first.field,
               details=[p.to_dict() for p in problems])


def _scope_quota(ctx):
    scope = quota_scope(ctx.nomination.owner_org)
    quota = ctx.rules.city_quota(scope.code, is_group=scope.kind == OrgKind.PROVINCIAL_GROUP)
    return scope, quota


@guard("city_quota")
def city_quota(ctx):
    scope, quota = _scope_quota(ctx)
    if quota is None:
        return
    lock(Organisation, scope.id)  # serialise concurrent recommendations of one city
    kind = ctx.nomination.kind.value
    limit = quota.for_kind(kind)
    taken = [n for n in occupying_places(ctx.campaign, scope, exclude_id=ctx.nomination.id) if n.kind.value == kind]
    if limit is not None and len(taken) >= limit:
        refuse("city_quota_full", f"{scope.short_name}已推荐 {counted(ctx.rules, kind, len(taken))}，已达名额上限（{limit}）",
               "kind",
               details={"limit": limit, "taken": len(taken)})


@guard("city_batch_quota")
def city_batch_quota(ctx):
    """At submission: the whole set counts, including the grassroots-window minimum."""
    scope, quota = _scope_quota(ctx)
    if quota is None:
        return
    lock(Organisation, scope.id)
    noms = occupying_places(ctx.campaign, scope)
    windows = [n for n in noms if n.kind == NominationKind.WINDOW]
    people = [n for n in noms if n.kind == NominationKind.INDIVIDUAL]
    for kind, items in (("window", windows), ("individual", people)):
        limit = quota.for_kind(kind)
        if limit is not None and len(items) > limit:
            refuse("city_quota_exceeded",
                   f"{scope.short_name}本批推荐 {counted(ctx.rules, kind, len(items))}，"
                   f"超出名额（{counted(ctx.rules, kind, limit)}）", "kind")
    grassroots = [n for n in windows if ctx.rules.is_grassroots(n.window_level and n.window_level.value)]
    need = min(quota.grassroots_window_min, len(windows))
    if windows and len(grassroots) < need:
        refuse("grassroots_window_missing",
               f"{scope.short_name}推荐的 {len(windows)} 个窗口中须至少有 {quota.grassroots_window_min} 个"
               f"县（区）级人社部门服务窗口或乡镇（街道）、社区服务所（站），当前 {len(grassroots)} 个", "window_level")


@guard("batch_report")
def batch_report(ctx):
    batch = ctx.nomination.batch
    if batch is None or not (batch.report_text or "").strip():
        refuse("report_missing", "报送前须填写初审推荐工作报告", "report_text")


@guard("province_quota")
def province_quota(ctx):
    """Places count from selection on; a place lost at a later stage is not refilled."""
    lock(Campaign, ctx.campaign.id)  # serialise concurrent selections in one campaign
    kind = ctx.nomination.kind
    limit = ctx.rules.province_quota.for_kind(kind.value)
    taken = selected_count(ctx.campaign.id, kind, exclude_id=ctx.nomination.id)
    if limit is not None and taken >= limit:
        refuse("province_quota_full",
               f"全省{kind.label}名额为 {counted(ctx.rules, kind.value, limit)}，"
               f"已确定 {counted(ctx.rules, kind.value, taken)}，"
               "已达上限（公示阶段失去的名额不再递补）", "kind", details={"limit": limit, "taken": taken})


@guard("before_deadline")
def before_deadline(ctx, deadline):
    d = ctx.campaign.deadline(deadline)
    if d is None or d.due_date is None or ctx.today <= d.due_date:
        return
    ext = db.session.scalar(db.select(DeadlineExtension).filter_by(
        campaign_id=ctx.campaign.id, organisation_id=ctx.nomination.owner_org_id, deadline_key=deadline))
    if ext is not None and ctx.today <= ext.until:
        return
    extra = f"（延期至 {ext.until:%Y年%m月%d日} 也已届满）" if ext else "，如需补报须由省推荐评选办登记延期"
    refuse("deadline_passed", f"{d.label}截止日期 {d.due_date:%Y年%m月%d日} 已过{extra}", "deadline")


#: the guards that read a nominee's 公示 period (``current_period``): a list prefetches periods only for the
#: nominations whose checks run one of them (``workflow.readiness.prefetch``)
READ_PERIODS = frozenset({"publicity_elapsed", "no_open_objection"})


@guard("publicity_elapsed")
def publicity_elapsed(ctx, level):
    period = current_period(ctx.nomination, level)
    if period is None:
        refuse("publicity_missing", "未找到该推荐对象的公示记录", "publicity")
    if ctx.today <= period.end_date:
        refuse("publicity_not_elapsed",
               f"公示期为{period.period_text}，须期满（{period.end_date:%Y年%m月%d日}之后）方可结束公示", "publicity",
               details={"end_date": period.end_date.isoformat()})


@guard("no_open_objection")
def no_open_objection(ctx, level):
    period = current_period(ctx.nomination, level)
    n = open_objection_count(period, ctx.nomination)
    if n:
        refuse("objection_open", f"公示期间收到 {n} 件异议尚在调查，调查结论登记前不能结束公示", "objection")


@guard("publicity_start_recorded")
def publicity_start_recorded(ctx):
    """A publicity cannot start before the campaign opened; one recorded after its start (the start lies before
    today) needs the reason and the scanned publicity notice, which the province sees on its review."""
    start = start_date_of(ctx)
    opens = ctx.rules.opens_on
    if opens is not None and start < opens:
        refuse("start_before_campaign", f"公示开始日期 {start:%Y年%m月%d日} 早于本次评选开始日期 {opens:%Y年%m月%d日}，不能登记",
               "start_date")
    if start >= ctx.today:
        return
    if not ctx.params.backdate_reason:
        refuse("backdate_reason_required", f"公示开始日期 {start:%Y年%m月%d日} 早于今天（补登）：须填写补登说明",
               "backdate_reason")
    if ctx.params.notice is None:
        refuse("backdate_notice_required",
               f"公示开始日期 {start:%Y年%m月%d日} 早于今天（补登）：须上传公示通知扫描件（PDF、JPG 或 PNG）", "notice")
    scan_type(ctx.params.notice, "notice", "公示通知扫描件")


@guard("photo_present")
def photo_present(ctx):
    problem = V.photo_problem(ctx.nomination, ctx.rules)
    if problem:
        refuse(*problem)


@guard("formal_materials_complete")
def formal_materials_complete(ctx):
    nom = ctx.nomination
    photo_present(ctx)
    if nom.formal_submitted_at is None:
        refuse("formal_materials_missing", "市级人社部门尚未报送正式推荐材料", "formal_materials")


@guard("opinions_signed")
def opinions_signed(ctx):
    from nominate.opinions.models import OpinionSlot, OpinionStatus, OpinionVerdict

    nom = ctx.nomination
    if nom.kind != NominationKind.INDIVIDUAL:
        return
    by_slot = {o.slot: o for o in nom.opinions}
    missing = [s.label for s in OpinionSlot if s not in by_slot or by_slot[s].status != OpinionStatus.SIGNED]
    if missing:
        refuse("opinions_missing", "征求意见表尚未签署：" + "、".join(missing), "opinions")
    negative = [o.slot.label for o in by_slot.values() if o.verdict == OpinionVerdict.DISAGREE]
    if negative:
        refuse("opinion_negative", "征求意见表有不同意意见：" + "、".join(negative), "opinions")


@guard("objection_upheld")
def objection_upheld(ctx):
    from nominate.publicity.models import ObjectionStatus

    objection = ctx.shared.objection
    if objection is None or objection.status != ObjectionStatus.UPHELD:
        refuse("objection_not_upheld", "只有异议经调查属实时才能取消推荐资格", "objection")

