"""API: search the audit trail and export it as .xlsx (the admin; 纪检监察 signers within their jurisdiction).

Both are POST with a JSON body: a 身份证号 searched for must never stand in a URL (access logs keep URLs).
"""
from __future__ import annotations

import io

from flask import current_app, g, send_file
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from nominate.accountability import filters as audit_filters
from nominate.accountability.export import export_events
from nominate.accountability.queries import can_search, count, search_events
from nominate.core.api import doc_errors, token_required
from nominate.core.db import unit_of_work
from nominate.core.errors import PermissionDenied
from nominate.extensions import db
from nominate.nominations.schemas import AuditEventSchema

blp = Blueprint("api_audit", __name__, description="审计记录查询与导出（系统管理员；纪检监察部门限本管辖范围）")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AuditSearchArgs(audit_filters.AuditSearchSchema):
    page = fields.Int(load_default=1, validate=validate.Range(min=1, max=100000), metadata={"title": "页码"})
    per_page = fields.Int(load_default=100, validate=validate.Range(min=1, max=500), metadata={"title": "每页条数"})


class AuditRowSchema(AuditEventSchema):
    campaign_id = fields.Int(allow_none=True, metadata={"title": "评选活动编号"})
    nomination_id = fields.Int(allow_none=True, metadata={"title": "推荐对象编号"})
    object_type = fields.Str(metadata={"title": "对象类型"})
    object_id = fields.Int(allow_none=True, metadata={"title": "对象编号"})


class AuditPageSchema(Schema):
    items = fields.List(fields.Nested(AuditRowSchema), metadata={"title": "审计记录（新的在前）"})
    total = fields.Int(metadata={"title": "总数"})
    page = fields.Int(metadata={"title": "页码"})
    per_page = fields.Int(metadata={"title": "每页条数"})


def _reviewer():
    if not can_search(g.user):
        raise PermissionDenied("只有系统管理员和纪检监察部门可以查询审计记录")
    return g.user


@blp.route("/audit-events/search", methods=["POST"])
@blp.arguments(AuditSearchArgs)
@blp.response(200, AuditPageSchema)
@doc_errors(blp, 401, 403, 422)
@token_required
def search(args):
    """查询审计记录（按推荐对象、身份证号、单位、操作人、操作、时间）"""
    user = _reviewer()
    page, per_page = args.pop("page"), args.pop("per_page")
    q = search_events(user, audit_filters.clean(args))
    items = db.session.scalars(q.offset((page - 1) * per_page).limit(per_page)).all()
    return {"items": items, "total": count(q), "page": page, "per_page": per_page}


@blp.route("/audit-events/export", methods=["POST"])
@blp.arguments(audit_filters.AuditSearchSchema)
@blp.doc(responses={"200": {"description": "审计记录 .xlsx（所有单元格均为文本）",
                            "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}})
@doc_errors(blp, 401, 403, 422)
@token_required
def export(args):
    """导出审计记录为 Excel（导出本身记入审计）"""
    user = _reviewer()
    with unit_of_work():
        content, _ = export_events(user, audit_filters.clean(args), max_rows=current_app.config["AUDIT_EXPORT_MAX_ROWS"])
    response = send_file(io.BytesIO(content), mimetype=XLSX, as_attachment=True, download_name="审计记录.xlsx")
    response.headers["Cache-Control"] = "no-store"
    return response
