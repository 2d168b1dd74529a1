"""API schemas of nominations (fields from nominations/fields.py)."""
from __future__ import annotations

import operator

from flask import g
from marshmallow import Schema, fields, post_dump, validate

from nominate.core.api import ID_RANGE, CleanInput, LocalDateTime, T
from nominate.core.clock import local_time
from nominate.core.db import reading
from nominate.nominations import fields as F
from nominate.nominations.enums import NominationKind, NominationState
from nominate.nominations.permissions import can_view_full_identity
from nominate.organisations.schemas import OrganisationSchema
from nominate.workflow.readiness import checks_for, prefetch


def blocked_event(check) -> dict:
    whos = list(dict.fromkeys(b.who for b in check.blockers if b.who))
    return {"event": check.event, "label": check.label, "blockers": [b.words for b in check.blockers],
            "who": "、".join(whos) or None}


DATE_FIELDS = ("birth_date", "work_start", "system_start", "window_start", "clean_record_attested_on")
INT_FIELDS = ("staff_count",)
#: the nomination's enums, given as their values (NominationSchema's Function fields below)
ENUM_FIELDS = ("window_category", "window_level", "unit_nature", "gender")


def _nomination_field(spec: F.FieldSpec):
    kw = T(spec.label, **({"x-sensitive": True} if spec.sensitive else {}))
    if F.description(spec.name):
        kw["metadata"]["description"] = F.description(spec.name)
    if spec.name in DATE_FIELDS:
        return fields.Date(allow_none=True, **kw)
    if spec.name in INT_FIELDS:
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
    allowed_events = fields.Method("_filled_after", **T("今天即可执行的操作（权限与各项条件均满足）"))
    blocked_events = fields.Method("_filled_after", **T(
        "有权限但今天尚不能执行的操作：每项 {event, label, blockers, who}，blockers 为受阻原因（文字），"
        "who 为须由谁办理（无则为 null）"))
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
        if self.always_mask or not can_view_full_identity(g.user, nom):
            for key in F.SENSITIVE:
                data[key] = F.mask_value(key, data.get(key))
        return data

    def _filled_after(self, nom):
        return []  # filled in by ``readiness`` below, from one check of each event

    @post_dump(pass_original=True)
    def readiness(self, data, nom, **kwargs):
        """allowed_events and blocked_events from the same checks as the nomination's page (each permitted
        event checked today, lock-free), asked once per nomination."""
        user = g.get("user")
        checks = checks_for(user, nom, include_exits=True) if user else []
        if "allowed_events" in data:
            data["allowed_events"] = [c.event for c in checks if c.doable]
        if "blocked_events" in data:
            data["blocked_events"] = [blocked_event(c) for c in checks if not c.doable]
        return data


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


_TEXT_FIELDS = tuple(f.name for f in F.FIELDS if f.name not in (*DATE_FIELDS, *INT_FIELDS, *ENUM_FIELDS))
#: every field but the enums with what turns a stored value into its JSON (None stays None)
_CONVERT = (*((name, str) for name in _TEXT_FIELDS),
            *((name, operator.methodcaller("isoformat")) for name in DATE_FIELDS),
            *((name, int) for name in INT_FIELDS))


def _int(value):
    return None if value is None else int(value)


def _organisation(org) -> dict | None:
    return None if org is None else {
        "id": _int(org.id), "code": None if org.code is None else str(org.code),
        "name": None if org.name is None else str(org.name),
        "short_name": None if org.short_name is None else str(org.short_name),
        "kind": org.kind.value, "parent_id": _int(org.parent_id)}


def list_item(nom, user, organisations: dict | None = None) -> dict:
    """One row of the API list: exactly what ``NominationListItemSchema().dump(nom)`` gives (tested field for field),
    built as a plain dict: marshmallow's per-field machinery cost more than the rest of the list together."""
    loaded = nom.__dict__  # the row's loaded columns, read without the attribute machinery (else: getattr)
    data = {}
    for name, convert in _CONVERT:  # one pass over the fields, each with its conversion
        value = loaded[name] if name in loaded else getattr(nom, name)
        data[name] = None if value is None else convert(value)
    for name in ENUM_FIELDS:
        data[name] = _value(loaded[name] if name in loaded else getattr(nom, name))
    org = nom.owner_org
    if organisations is None:
        owner = _organisation(org)
    else:  # a list's rows share a few organisations: each one's JSON built once (read only, never changed)
        owner = organisations.get(id(org))
        if owner is None:
            owner = organisations[id(org)] = _organisation(org)
    data.update(
        id=_int(nom.id), campaign_id=_int(nom.campaign_id), kind=nom.kind.value, kind_label=str(nom.kind_label),
        state=nom.state.value, state_label=str(nom.state_label), owner_org=owner,
        rank=_int(nom.rank), batch_id=_int(nom.batch_id), version=_int(nom.version), has_photo=nom.photo is not None,
        eligibility=[p.to_dict() for p in nom.eligibility],
        updated_at=None if nom.updated_at is None else local_time(nom.updated_at).isoformat())
    for key in F.SENSITIVE:  # NominationListItemSchema.always_mask
        data[key] = F.mask_value(key, data.get(key))
    checks = checks_for(user, nom, include_exits=True) if user else []
    data["allowed_events"] = [c.event for c in checks if c.doable]
    data["blocked_events"] = [blocked_event(c) for c in checks if not c.doable]
    return data


class NominationPageSchema(Schema):
    """The API list. The OpenAPI document describes it from these fields; ``dump`` builds the items with
    ``list_item`` (the same JSON as NominationListItemSchema, much cheaper)."""

    items = fields.List(fields.Nested(NominationListItemSchema), **T("推荐对象"))
    total = fields.Int(**T("总数"))
    page = fields.Int(**T("页码"))
    per_page = fields.Int(**T("每页条数"))

    def dump(self, obj, *, many=None):
        """The items' readiness checks share one read-only memo (core.db.reading), as the pages' lists do: the
        statements per page stay the same whatever the number of rows."""
        get = obj.get if isinstance(obj, dict) else lambda key: getattr(obj, key)
        items = get("items")
        user = g.get("user")
        with reading():
            prefetch(items, user)
            organisations: dict = {}  # id(organisation) → its JSON; the rows keep the organisations alive
            return {"items": [list_item(n, user, organisations) for n in items], "total": _int(get("total")),
                    "page": _int(get("page")), "per_page": _int(get("per_page"))}


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
    backdate_reason = fields.Str(allow_none=True, validate=validate.Length(max=2000),
                                 **T("补登说明（公示开始日期早于今天时必填）"))
    notice_filename = fields.Str(allow_none=True, validate=validate.Length(max=200), **T("公示通知扫描件文件名"))
    notice_base64 = fields.Str(allow_none=True, validate=validate.Length(max=12_000_000),
                               **T("公示通知扫描件（PDF/JPG/PNG 的 base64；公示开始日期早于今天时必传）"))


class AuditEventSchema(Schema):
    """One audit row as the API shows it (a nomination's history; the audit search reuses it)."""

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
