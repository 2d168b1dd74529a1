"""API schemas of publicity periods and objections."""
from __future__ import annotations

from flask import g
from marshmallow import Schema, fields, validate

from nominate.core.api import ID_RANGE, CleanInput, T
from nominate.nominations.permissions import can_view
from nominate.organisations.schemas import OrganisationSchema
from nominate.publicity.permissions import can_see_objector


class ObjectionSchema(Schema):
    id = fields.Int(**T("编号"))
    nomination_id = fields.Int(**T("推荐对象"))
    received_on = fields.Date(**T("收到日期"))
    content = fields.Str(**T("异议内容"))
    status = fields.Function(lambda o: o.status.value, **T("调查状态"))
    investigation = fields.Str(allow_none=True, **T("调查情况"))
    objector_name = fields.Method("objector", **T("异议人（仅公示组织单位可见）"))
    objector_contact = fields.Method("contact", **T("异议人联系方式（仅公示组织单位可见）"))

    def _visible(self, obj):
        return can_see_objector(g.user, obj.period)

    def objector(self, obj):
        return obj.objector_name if self._visible(obj) else None

    def contact(self, obj):
        return obj.objector_contact if self._visible(obj) else None


class PublicitySchema(Schema):
    id = fields.Int(**T("编号"))
    campaign_id = fields.Int(**T("评选活动编号"))
    level = fields.Function(lambda p: p.level.value, **T("公示级别"))
    organisation = fields.Nested(OrganisationSchema, **T("公示组织单位"))
    start_date = fields.Date(**T("公示开始日期"))
    end_date = fields.Date(**T("公示结束日期"))
    working_days = fields.Int(**T("工作日数"))
    period_text = fields.Str(**T("公示时间"))
    status = fields.Function(lambda p: p.status.value, **T("状态"))
    nomination_ids = fields.Function(lambda p: [e.nomination_id for e in p.entries], **T("公示对象"))
    objections = fields.Method("visible_objections", **T("异议"))
    backdate_reason = fields.Str(allow_none=True, **T("补登说明（登记时公示已开始）"))
    notice = fields.Function(lambda p: {"filename": p.notice.filename, "mime": p.notice.mime, "size": p.notice.size}
                             if p.notice else None, allow_none=True, **T("公示通知扫描件"))

    def visible_objections(self, period):
        return ObjectionSchema(many=True).dump([o for o in period.objections if can_view(g.user, o.nomination)])


class PublicityStartSchema(CleanInput):
    level = fields.Str(required=True, validate=validate.OneOf(["province", "national"]), **T("公示级别"))
    nomination_ids = fields.List(fields.Int(validate=ID_RANGE), required=True, validate=validate.Length(min=1, max=1000),
                                 **T("公示对象编号"))
    start_date = fields.Date(required=True, **T("公示开始日期"))


class ObjectionCreateSchema(CleanInput):
    nomination_id = fields.Int(validate=ID_RANGE, required=True, **T("推荐对象编号"))
    content = fields.Str(required=True, validate=validate.Length(min=1, max=5000), **T("异议内容"))
    received_on = fields.Date(allow_none=True, **T("收到日期"))
    objector_name = fields.Str(allow_none=True, validate=validate.Length(max=80), **T("异议人"))
    objector_contact = fields.Str(allow_none=True, validate=validate.Length(max=120), **T("异议人联系方式"))


class ObjectionResolveSchema(CleanInput):
    outcome = fields.Str(required=True, validate=validate.OneOf(["cleared", "upheld"]),
                         **T("调查结论（cleared 不属实 / upheld 属实）"))
    investigation = fields.Str(required=True, validate=validate.Length(min=1, max=5000), **T("调查情况"))
