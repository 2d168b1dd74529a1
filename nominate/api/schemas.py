"""Marshmallow schemas of the API; every field carries its Chinese label as the OpenAPI title."""
from __future__ import annotations

from collections.abc import Mapping

from marshmallow import Schema, fields, post_dump, pre_load, validate

from nominate.core.cleaning import clean_text
from nominate.core.messages import install_marshmallow_messages

from nominate.core.db import MAX_ID
from nominate.nominations import fields as F
from nominate.nominations.enums import NominationKind, NominationState


install_marshmallow_messages()  # before any field below is built: each copies its class's (now Chinese) messages


def T(title, **kw):
    return {"metadata": {"title": title, **kw}}


#: Row ids are 32-bit in both databases: anything larger is refused as input, never sent to the database.
ID_RANGE = validate.Range(min=1, max=MAX_ID, error="编号须为 1 至 2147483647 之间的整数")


class LocalDateTime(fields.DateTime):
    """Always with its offset: SQLite gives back the stored Asia/Shanghai wall time without one."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            from nominate.core.clock import SHANGHAI

            value = value.replace(tzinfo=SHANGHAI)
        return super()._serialize(value, attr, obj, **kwargs)


#: NFKC-normalised on the way in (full-width digits become ASCII); every other string is free text, trimmed
IDENTIFIER_KEYS = {"id_number", "phone", "leader_phone", "staff_count", "start_date", "received_on", "signed_on",
                   "birth_date", "work_start", "system_start", "window_start", "clean_record_attested_on"}


class CleanInput(Schema):
    """A schema the API reads input with: each string value passes the one cleaning step first
    (nominate.core.cleaning; the request boundary has refused bad characters already)."""

    @pre_load
    def clean_strings(self, data, **kwargs):
        if not isinstance(data, Mapping) or not isinstance(data, dict):
            return data  # query MultiDicts keep their shape; the boundary checked them
        out = {}
        for key, value in data.items():
            field = self.fields.get(key)
            label = field.metadata.get("title") if field is not None else None
            out[key] = clean_text(value, key, label, identifier=key in IDENTIFIER_KEYS)
        return out


class ApiErrorBodySchema(Schema):

    code = fields.Str(**T("错误代码"))
    message = fields.Str(**T("错误说明"))
    field = fields.Str(allow_none=True, **T("出错字段"))
    details = fields.Raw(allow_none=True, **T("详细信息（如各字段的错误、当前可执行的操作）"))


class ApiErrorSchema(Schema):
    """Every API error: {"error": {"code", "message", "field"}}."""

    error = fields.Nested(ApiErrorBodySchema, **T("错误"))


class OrganisationSchema(Schema):
    id = fields.Int(**T("编号"))
    code = fields.Str(**T("代码"))
    name = fields.Str(**T("名称"))
    short_name = fields.Str(**T("简称"))
    kind = fields.Function(lambda o: o.kind.value, **T("类型"))
    parent_id = fields.Int(allow_none=True, **T("上级单位"))


class DeadlineSchema(Schema):
    key = fields.Str(**T("截止事项代码"))
    label = fields.Str(**T("截止事项"))
    due_date = fields.Date(allow_none=True, **T("截止日期"))


class CampaignSchema(Schema):
    id = fields.Int(**T("编号"))
    key = fields.Str(**T("活动代码"))
    title = fields.Str(**T("活动名称"))
    period_label = fields.Str(**T("评选年度"))
    year = fields.Int(**T("年份"))
    workflow = fields.Str(**T("流程"))
    province = fields.Nested(OrganisationSchema, **T("省份"))
    deadlines = fields.List(fields.Nested(DeadlineSchema), **T("截止日期"))
    quotas = fields.Function(lambda c: c.config.get("quotas"), **T("名额"))
    publicity_working_days = fields.Function(lambda c: c.rules.publicity_working_days, **T("公示工作日数"))


def _nomination_field(spec: F.FieldSpec):
    kw = T(spec.label, **({"x-sensitive": True} if spec.sensitive else {}))
    if F.description(spec.name):
        kw["metadata"]["description"] = F.description(spec.name)
    if spec.name in ("birth_date", "work_start", "system_start", "window_start", "clean_record_attested_on"):
        return fields.Date(allow_none=True, **kw)
    if spec.name == "staff_count":
        return fields.Int(allow_none=True, **kw)
    return fields.Str(allow_none=True, **kw)


def _value(member):
    return getattr(member, "value", None)


NominationDataSchema = CleanInput.from_dict({f.name: _nomination_field(f) for f in F.FIELDS}, name="NominationData")


class NominationCreateSchema(NominationDataSchema):
    campaign_id = fields.Int(validate=ID_RANGE, required=True, **T("评选活动编号"))
    kind = fields.Str(required=True, validate=validate.OneOf([k.value for k in NominationKind]),
                      **T("推荐类别（window 优质服务窗口 / individual 优质服务先进个人）"))


class NominationSchema(NominationDataSchema):
    id = fields.Int(**T("编号"))
    campaign_id = fields.Int(**T("评选活动编号"))
    kind = fields.Function(lambda n: n.kind.value, **T("推荐类别"))
    kind_label = fields.Str(**T("推荐类别名称"))
    state = fields.Function(lambda n: n.state.value, **T("状态"))
    state_label = fields.Str(**T("状态名称"))
    owner_org = fields.Nested(OrganisationSchema, **T("推荐单位"))
    rank = fields.Int(allow_none=True, **T("推荐排序"))
    batch_id = fields.Int(allow_none=True, **T("推荐批次"))
    version = fields.Int(**T("版本号"))
    has_photo = fields.Function(lambda n: n.photo is not None, **T("已上传照片"))
    allowed_events = fields.Method("get_allowed_events", **T("当前可执行的操作"))
    eligibility = fields.Function(lambda n: [p.to_dict() for p in n.eligibility], **T(
        "尚未满足的推荐条件（可修改时）：每项 {code, message, field, rule}，rule 为 hard（不符合条件，不能开始本单位公示）"
        "或 soft（须填写推荐说明）"))
    updated_at = LocalDateTime(**T("最后修改时间"))
    window_category = fields.Function(lambda n: _value(n.window_category), allow_none=True, **T(F.label("window_category")))
    window_level = fields.Function(lambda n: _value(n.window_level), allow_none=True, **T(F.label("window_level")))
    unit_nature = fields.Function(lambda n: _value(n.unit_nature), allow_none=True, **T(F.label("unit_nature")))
    gender = fields.Function(lambda n: _value(n.gender), allow_none=True, **T(F.label("gender")))

    always_mask = False

    @post_dump(pass_original=True)
    def mask_sensitive(self, data, nom, **kwargs):
        from flask import g

        from nominate.core.masking import mask_id, mask_phone
        from nominate.nominations.permissions import can_view_full_identity

        if self.always_mask or not can_view_full_identity(g.user, nom):
            data["id_number"] = mask_id(data.get("id_number"))
            for key in ("phone", "leader_phone"):
                data[key] = mask_phone(data.get(key))
        return data

    def get_allowed_events(self, nom):
        from flask import g

        from nominate.workflow.engine import allowed_events

        user = g.get("user")
        return [t.event for t in allowed_events(user, nom)] if user else []


class NominationListItemSchema(NominationSchema):
    """In lists 身份证号 and phone numbers are always masked."""

    always_mask = True


class NominationListArgs(Schema):
    campaign_id = fields.Int(validate=ID_RANGE, **T("评选活动编号"))
    kind = fields.Str(validate=validate.OneOf([k.value for k in NominationKind]), **T("推荐类别"))
    state = fields.Str(validate=validate.OneOf([s.value for s in NominationState]), **T("状态"))
    owner_org_id = fields.Int(validate=ID_RANGE, **T("推荐单位编号"))
    q = fields.Str(validate=validate.Length(max=40), **T("名称关键字"))
    page = fields.Int(load_default=1, validate=validate.Range(min=1, max=100000), **T("页码"))
    per_page = fields.Int(load_default=50, validate=validate.Range(min=1, max=500), **T("每页条数"))


class NominationPageSchema(Schema):
    items = fields.List(fields.Nested(NominationListItemSchema), **T("推荐对象"))
    total = fields.Int(**T("总数"))
    page = fields.Int(**T("页码"))
    per_page = fields.Int(**T("每页条数"))


class EventDefSchema(Schema):
    event = fields.Str(**T("操作代码"))
    label = fields.Str(**T("操作名称"))
    dest = fields.Str(**T("目标状态"))
    params = fields.List(fields.Str(), **T("参数"))
    needs_comment = fields.Bool(**T("须填写理由"))


class FireEventSchema(CleanInput):
    event = fields.Str(required=True, validate=validate.Length(min=1, max=48), **T("操作代码"))
    comment = fields.Str(allow_none=True, validate=validate.Length(max=2000), **T("意见或理由"))
    start_date = fields.Date(allow_none=True, **T("公示开始日期"))


class AuditEventSchema(Schema):
    id = fields.Int(**T("编号"))
    at = LocalDateTime(**T("时间"))
    actor_name = fields.Str(allow_none=True, **T("操作人"))
    actor_role = fields.Str(allow_none=True, **T("操作人角色"))
    actor_org_id = fields.Int(allow_none=True, **T("操作人单位"))
    action = fields.Str(**T("操作"))
    from_state = fields.Str(allow_none=True, **T("原状态"))
    to_state = fields.Str(allow_none=True, **T("新状态"))
    comment = fields.Str(attribute="shown_comment", allow_none=True, **T("意见（身份证号、电话已脱敏）"))
    data = fields.Dict(attribute="shown_data", allow_none=True, **T("数据（身份证号、电话已脱敏）"))


class BatchSchema(Schema):
    id = fields.Int(**T("编号"))
    campaign_id = fields.Int(**T("评选活动编号"))
    organisation = fields.Nested(OrganisationSchema, **T("推荐单位"))
    state = fields.Function(lambda b: b.state.value, **T("状态"))
    state_label = fields.Str(**T("状态名称"))
    report_text = fields.Str(allow_none=True, **T("初审推荐工作报告"))
    formal_report_text = fields.Str(allow_none=True, **T("正式推荐工作报告"))
    submitted_at = LocalDateTime(allow_none=True, **T("报送时间"))
    nominations = fields.Method("ranked", **T("推荐对象（按推荐排序）"))

    def ranked(self, batch):
        return [{"id": n.id, "rank": n.rank, "name": n.name, "kind": n.kind.value, "state": n.state.value}
                for n in batch.nominations if n.rank is not None]


class BatchReportSchema(CleanInput):
    report_text = fields.Str(allow_none=True, validate=validate.Length(max=20000), **T("初审推荐工作报告"))
    formal_report_text = fields.Str(allow_none=True, validate=validate.Length(max=20000), **T("正式推荐工作报告"))


class BatchOrderSchema(CleanInput):
    order = fields.List(fields.Int(validate=ID_RANGE), required=True, validate=validate.Length(min=1, max=100),
                        **T("推荐对象编号（按排序）"))


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
        from flask import g

        from nominate.publicity.permissions import can_see_objector

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

    def visible_objections(self, period):
        from flask import g

        from nominate.nominations.permissions import can_view

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


class OpinionSchema(Schema):
    id = fields.Int(**T("编号"))
    nomination_id = fields.Int(**T("推荐对象"))
    slot = fields.Function(lambda o: o.slot.value, **T("意见栏"))
    slot_label = fields.Str(**T("意见栏名称"))
    status = fields.Function(lambda o: o.status.value, **T("状态"))
    verdict = fields.Function(lambda o: o.verdict.value if o.verdict else None, allow_none=True, **T("意见"))
    text = fields.Str(allow_none=True, **T("意见内容"))
    signer_name = fields.Str(allow_none=True, **T("签字人"))
    signed_on = fields.Date(allow_none=True, **T("签署日期"))


class OpinionSignSchema(CleanInput):
    verdict = fields.Str(required=True, validate=validate.OneOf(["agree", "disagree"]), **T("意见（agree 同意 / disagree 不同意）"))
    text = fields.Str(load_default="", validate=validate.Length(max=500), **T("意见内容"))
    signer_name = fields.Str(required=True, validate=validate.Length(min=1, max=40), **T("签字人"))
    signed_on = fields.Date(allow_none=True, **T("签署日期"))


class WorkdaysArgs(Schema):
    start = fields.Date(required=True, **T("开始日期（YYYY-MM-DD）"))
    days = fields.Int(required=True, validate=validate.Range(min=1, max=250), **T("工作日数"))


class WorkdaysEndSchema(Schema):
    end = fields.Date(**T("第 N 个工作日（结束日期）"))


class PoliceRequestSchema(CleanInput):
    nomination_ids = fields.List(fields.Int(validate=ID_RANGE), required=True, validate=validate.Length(min=1, max=1000),
                                 **T("推荐对象编号"))
