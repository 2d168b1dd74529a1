import base64
import binascii

from flask import g
from flask_smorest import Blueprint
from sqlalchemy.orm import lazyload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from nominate.caching import cached_page
from nominate.campaigns.models import Campaign
from nominate.core.api import doc_errors, load, token_required
from nominate.core.db import unit_of_work
from nominate.core.errors import ValidationFailed
from nominate.core.uploads import Upload
from nominate.extensions import db
from nominate.nominations import operations, permissions
from nominate.nominations import queries
from nominate.nominations.models import Nomination
from nominate.nominations.queries import visible_nominations
from nominate.nominations.schemas import (AuditEventSchema, EventDefSchema, FireEventSchema, NominationCreateSchema,
                                          NominationDataSchema, NominationListArgs, NominationPageSchema,
                                          NominationSchema)
from nominate.workflow.engine import fire_event
from nominate.workflow.readiness import checks_for

blp = Blueprint("api_nominations", __name__, description="推荐对象、流程操作与审计记录")


def _get(nomination_id):
    return load(Nomination, nomination_id, can=permissions.can_view, what="推荐对象")


@blp.route("/nominations")
@cached_page
@blp.arguments(NominationListArgs, location="query")
@blp.response(200, NominationPageSchema)
@doc_errors(blp, 401, 422)
@token_required
def list_nominations(args):
    """推荐对象列表（按活动、类别、状态、单位、关键字筛选）"""
    # the photo (without its bytes) joined: one row each, so the page's rows and its count are the same, and a
    # statement less than a select-in
    q = visible_nominations(g.user, args, photo_joined=True)
    page, per_page = args["page"], args["per_page"]
    campaign = db.session.get(Campaign, args["campaign_id"]) if args.get("campaign_id") else None
    # one campaign: read by its key and given to each row (no select-in over the rows); else their campaigns in one
    # statement, however many (each 4 KB config parsed once, not once per row)
    items, total = queries.page_with_total(
        q.options(lazyload(Nomination.campaign) if campaign is not None else selectinload(Nomination.campaign)),
        page, per_page)
    for nom in items if campaign is not None else ():
        if nom.campaign_id == campaign.id:  # every row, by the filter
            set_committed_value(nom, "campaign", campaign)
    return {"items": items, "total": total, "page": page, "per_page": per_page}


@blp.route("/nominations", methods=["POST"])
@blp.arguments(NominationCreateSchema)
@blp.response(201, NominationSchema)
@doc_errors(blp, 401, 403, 404, 422)
@token_required
def create_nomination(data):
    """新增推荐对象（草稿）"""
    campaign = load(Campaign, data.pop("campaign_id"), what="评选活动")
    kind = data.pop("kind")
    with unit_of_work():
        nom = operations.create_nomination(campaign, g.user, kind, data)
    return nom


@blp.route("/nominations/<int:nomination_id>")
@blp.response(200, NominationSchema)
@doc_errors(blp, 401, 403, 404)
@token_required
def get_nomination(nomination_id):
    """推荐对象详情"""
    return _get(nomination_id)


@blp.route("/nominations/<int:nomination_id>", methods=["PATCH"])
@blp.arguments(NominationDataSchema(partial=True))
@blp.response(200, NominationSchema)
@doc_errors(blp, 401, 403, 404, 409, 422)
@token_required
def update_nomination(data, nomination_id):
    """修改推荐对象（草稿、退回修改、正式材料阶段）"""
    nom = _get(nomination_id)
    with unit_of_work():
        operations.update_nomination(nom, g.user, data)
    return nom


@blp.route("/nominations/<int:nomination_id>", methods=["DELETE"])
@blp.response(204)
@doc_errors(blp, 401, 403, 404, 422)
@token_required
def delete_nomination(nomination_id):
    """删除草稿（仅本单位尚未开始公示的草稿；删除后不再列出，审计记录保留）"""
    nom = _get(nomination_id)
    with unit_of_work():
        operations.delete_draft(nom, g.user)
    return None


@blp.route("/nominations/<int:nomination_id>/events")
@blp.response(200, EventDefSchema(many=True))
@doc_errors(blp, 401, 403, 404)
@token_required
def list_events(nomination_id):
    """当前用户对该推荐对象今天即可执行的操作（权限与各项条件均满足；受阻的见推荐对象的 blocked_events）"""
    nom = _get(nomination_id)
    return [{"event": c.event, "label": c.label, "dest": c.transition.dest, "params": list(c.transition.params),
             "needs_comment": c.transition.needs_comment}
            for c in checks_for(g.user, nom, include_exits=True) if c.doable]


@blp.route("/nominations/<int:nomination_id>/events", methods=["POST"])
@blp.arguments(FireEventSchema)
@blp.response(200, NominationSchema)
@doc_errors(blp, 401, 403, 404, 409, 422)
@token_required
def post_event(data, nomination_id):
    """执行流程操作（如 start_unit_publicity、recommend、select）；规则不满足时返回 409 及原因"""
    nom = _get(nomination_id)
    params = {"start_date": data.get("start_date")}
    if (data.get("backdate_reason") or "").strip():
        params["backdate_reason"] = data["backdate_reason"].strip()
    if data.get("notice_base64"):
        try:
            content = base64.b64decode(data["notice_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise ValidationFailed("notice_invalid", "公示通知扫描件须为 base64 编码的文件内容", "notice_base64") from None
        params["notice"] = Upload(data.get("notice_filename") or "公示通知", content)
    with unit_of_work():
        nom = fire_event(nom, data["event"], g.user, comment=data.get("comment"), params=params)
    return nom


@blp.route("/nominations/<int:nomination_id>/history")
@blp.response(200, AuditEventSchema(many=True))
@doc_errors(blp, 401, 403, 404)
@token_required
def history(nomination_id):
    """推荐对象的审计记录（时间顺序）"""
    nom = _get(nomination_id)
    return queries.history(nom)
