"""The honours register in the JSON API: list and filter, create, read, delete, link decisions."""
from __future__ import annotations

from flask import g, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from nominate.core.api import ID_RANGE, T, CleanInput, LocalDateTime, doc_errors, load, token_required
from nominate.core.db import unit_of_work
from nominate.core.errors import PermissionDenied
from nominate.core.masking import mask_id
from nominate.honours import operations, permissions
from nominate.honours.compose import honour_lines_for, remarks_for
from nominate.honours.models import HolderKind, Honour, HonourKind, HonourLevel, LinkStatus
from nominate.honours.queries import link_rows_by_nomination, page_of, visible_honours
from nominate.nominations import permissions as nperm
from nominate.nominations.models import Nomination

blp = Blueprint("api_honours", __name__, description="荣誉库：练兵比武成绩与既往荣誉，关联推荐对象")


def _values(enum):
    return validate.OneOf([m.value for m in enum])


class HonourDataSchema(CleanInput):
    holder_kind = fields.Str(required=True, validate=_values(HolderKind), **T("持有人类别（person 个人 / unit 窗口（单位））"))
    person_name = fields.Str(allow_none=True, **T("姓名"))
    id_number = fields.Str(allow_none=True, **T("身份证号", **{"x-sensitive": True}))
    unit_name = fields.Str(allow_none=True, **T("窗口（单位）名称"))
    title = fields.Str(required=True, **T("荣誉名称"))
    level = fields.Str(required=True, validate=_values(HonourLevel), **T("级别（national/province/city/county）"))
    kind = fields.Str(required=True, validate=_values(HonourKind),
                      **T("类别（title 称号 / individual_rank 个人名次 / team_prize 团体奖项 / competition_title 练兵比武称号）"))
    competition = fields.Str(allow_none=True, **T("比赛名称"))
    year = fields.Int(required=True, validate=validate.Range(min=1949, max=2100), **T("年度"))
    rank = fields.Str(allow_none=True, **T("名次（等次）"))
    issuing_body = fields.Str(allow_none=True, **T("颁发单位"))
    document_number = fields.Str(allow_none=True, **T("文号"))


class HonourCreateSchema(HonourDataSchema):
    organisation_id = fields.Int(required=True, validate=ID_RANGE, **T("所属单位编号"))


class HonourSchema(HonourDataSchema):
    id = fields.Int(**T("编号"))
    holder_kind = fields.Function(lambda h: h.holder_kind.value, **T("持有人类别"))
    id_number = fields.Function(lambda h: mask_id(h.id_number), allow_none=True, **T("身份证号（已脱敏）", **{"x-sensitive": True}))
    level = fields.Function(lambda h: h.level.value, **T("级别"))
    level_label = fields.Str(**T("级别名称"))
    kind = fields.Function(lambda h: h.kind.value, **T("类别"))
    kind_label = fields.Str(**T("类别名称"))
    organisation_id = fields.Int(**T("所属单位编号"))
    organisation_name = fields.Function(lambda h: h.organisation.name, **T("所属单位"))
    statement = fields.Str(**T("备注表述"))
    has_evidence = fields.Function(lambda h: h.evidence is not None, **T("已上传证明材料"))
    created_at = LocalDateTime(**T("录入时间"))


class HonourListArgs(Schema):
    q = fields.Str(validate=validate.Length(max=40), **T("关键字（荣誉、比赛、姓名或窗口名称）"))
    level = fields.Str(validate=_values(HonourLevel), **T("级别"))
    kind = fields.Str(validate=_values(HonourKind), **T("类别"))
    holder_kind = fields.Str(validate=_values(HolderKind), **T("持有人类别"))
    year = fields.Int(validate=validate.Range(min=1949, max=2100), **T("年度"))
    organisation_id = fields.Int(validate=ID_RANGE, **T("所属单位编号（含下级单位）"))
    page = fields.Int(load_default=1, validate=validate.Range(min=1, max=100000), **T("页码"))
    per_page = fields.Int(load_default=50, validate=validate.Range(min=1, max=500), **T("每页条数"))


class HonourPageSchema(Schema):
    items = fields.List(fields.Nested(HonourSchema), **T("荣誉"))
    total = fields.Int(**T("总数"))
    page = fields.Int(**T("页码"))
    per_page = fields.Int(**T("每页条数"))


class LinkDecisionSchema(CleanInput):
    nomination_id = fields.Int(required=True, validate=ID_RANGE, **T("推荐对象编号"))
    status = fields.Str(required=True, validate=validate.OneOf([LinkStatus.CONFIRMED.value, LinkStatus.UNLINKED.value]),
                        **T("关联决定（confirmed 确认 / unlinked 解除）"))


class HonourLinkSchema(Schema):
    honour = fields.Nested(HonourSchema, **T("荣誉"))
    nomination_id = fields.Int(**T("推荐对象编号"))
    status = fields.Function(lambda row: row["status"].value, **T("关联状态（auto 自动 / confirmed 已确认 / unlinked 已解除）"))
    status_label = fields.Function(lambda row: row["status"].label, **T("关联状态名称"))


class NominationHonoursSchema(Schema):
    nomination_id = fields.Int(**T("推荐对象编号"))
    remarks = fields.Str(**T("备注（由荣誉记录生成）"))
    lines = fields.List(fields.Str(), **T("荣誉情况（附件2/3，每项一行）"))
    links = fields.List(fields.Nested(HonourLinkSchema), **T("荣誉关联"))


@blp.before_request
def _register_users_only():
    """The register's endpoints refuse other roles before any input is read (403, never a 422 first).

    A nominee's honours (GET /nominations/<id>/honours) follow the nomination's own view rule instead."""
    if request.endpoint != "api_honours.nomination_honours" and not permissions.can_use_register(g.user):
        raise PermissionDenied("您无权使用荣誉库")


def _get(honour_id):
    return load(Honour, honour_id, can=permissions.can_view, what="荣誉记录")


@blp.route("/honours")
@blp.arguments(HonourListArgs, location="query")
@blp.response(200, HonourPageSchema)
@doc_errors(blp, 401, 403, 422)
@token_required
def list_honours(args):
    """荣誉库列表（本单位及下级单位；按级别、类别、年度、单位、关键字筛选）"""
    items, total = page_of(visible_honours(g.user, args), args["page"], args["per_page"])
    return {"items": items, "total": total, "page": args["page"], "per_page": args["per_page"]}


@blp.route("/honours", methods=["POST"])
@blp.arguments(HonourCreateSchema)
@blp.response(201, HonourSchema)
@doc_errors(blp, 401, 403, 422)
@token_required
def create_honour(data):
    """录入一项荣誉（自动关联持有人相符的推荐对象）"""
    data["organisation"] = str(data.pop("organisation_id"))
    with unit_of_work():
        honour = operations.create_honour(g.user, data)
    return honour


@blp.route("/honours/<int:honour_id>")
@blp.response(200, HonourSchema)
@doc_errors(blp, 401, 403, 404)
@token_required
def get_honour(honour_id):
    """荣誉详情"""
    return _get(honour_id)


@blp.route("/honours/<int:honour_id>", methods=["DELETE"])
@blp.response(204)
@doc_errors(blp, 401, 403, 404)
@token_required
def delete_honour(honour_id):
    """删除荣誉记录（省推荐评选办）"""
    honour = _get(honour_id)
    with unit_of_work():
        operations.delete_honour(honour, g.user)


@blp.route("/honours/<int:honour_id>/links", methods=["POST"])
@blp.arguments(LinkDecisionSchema)
@blp.response(200, HonourLinkSchema)
@doc_errors(blp, 401, 403, 404, 422)
@token_required
def decide_link(data, honour_id):
    """确认或解除荣誉与推荐对象的关联（解除后不再自动关联）"""
    honour = load(Honour, honour_id, what="荣誉记录")
    nom = load(Nomination, data["nomination_id"], can=nperm.can_view, what="推荐对象")
    with unit_of_work():
        link = operations.decide_link(honour, nom, g.user, data["status"])
    return {"honour": honour, "nomination_id": nom.id, "status": link.status}


@blp.route("/nominations/<int:nomination_id>/honours")
@blp.response(200, NominationHonoursSchema)
@doc_errors(blp, 401, 403, 404)
@token_required
def nomination_honours(nomination_id):
    """推荐对象的荣誉：关联情况、备注和附件2/3荣誉行"""
    nom = load(Nomination, nomination_id, can=nperm.can_view, what="推荐对象")
    rows = link_rows_by_nomination([nom.id])[nom.id]
    return {"nomination_id": nom.id, "remarks": remarks_for(nom), "lines": honour_lines_for(nom),
            "links": [{"honour": h, "nomination_id": nom.id, "status": s} for h, s in rows]}
