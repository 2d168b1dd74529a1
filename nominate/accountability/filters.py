"""The audit search's filters, read the same way by the page and the API (one marshmallow schema)."""
from __future__ import annotations

import datetime as dt

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from nominate.core.db import MAX_ID
from nominate.core.errors import ValidationFailed
from nominate.nominations.validation import parse_id_number

ID_RANGE = validate.Range(min=1, max=MAX_ID, error="编号须为 1 至 2147483647 之间的整数")
DATE_RANGE = validate.Range(min=dt.date(2000, 1, 1), max=dt.date(2099, 12, 31), error="日期须在 2000-01-01 至 2099-12-31 之间")
PRINTABLE = validate.Regexp(r"^[^\x00-\x1f\x7f]*$", error="不能包含控制字符")
LABELS = {"campaign_id": "评选活动", "nomination_id": "推荐对象编号", "id_number": "身份证号", "organisation_id": "单位",
          "actor": "操作人", "action": "操作", "date_from": "起始日期", "date_to": "截止日期"}


def T(key, **kw):
    return {"metadata": {"title": LABELS[key], **kw}}


class AuditSearchSchema(Schema):
    campaign_id = fields.Int(validate=ID_RANGE, **T("campaign_id"))
    nomination_id = fields.Int(validate=ID_RANGE, **T("nomination_id"))
    id_number = fields.Str(validate=validate.Length(max=40, error="身份证号应为18位"),
                           **T("id_number", description="完整的身份证号：只用于查找，不保存", **{"x-sensitive": True}))
    organisation_id = fields.Int(validate=ID_RANGE, **T("organisation_id", description="操作人单位或推荐单位"))
    actor = fields.Str(validate=[validate.Length(max=64, error="操作人不超过64字"), PRINTABLE],
                       **T("actor", description="用户名，或操作人姓名的一部分"))
    action = fields.Str(validate=[validate.Length(max=48, error="操作代码不超过48字"), PRINTABLE], **T("action"))
    date_from = fields.Date(validate=DATE_RANGE, **T("date_from"))
    date_to = fields.Date(validate=DATE_RANGE, **T("date_to"))

    @validates_schema
    def _dates_in_order(self, data, **_kw):
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise ValidationError("截止日期不能早于起始日期", "date_to")


def clean(data: dict) -> dict:
    """Blank values dropped; a typed 身份证号 checked (a wrong one is an error, never "no rows")."""
    out = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    out = {k: v for k, v in out.items() if v not in (None, "")}
    if out.get("id_number"):
        out["id_number"] = parse_id_number(out["id_number"], "id_number")[0]
    return out


def from_query(args) -> dict:
    """The filters of a page's query string (blank fields ignored); a bad one raises ValidationFailed."""
    raw = {k: v for k, v in args.items() if k in LABELS and v.strip()}
    try:
        return clean(AuditSearchSchema().load(raw))
    except ValidationError as exc:
        field, messages = next(iter(exc.messages.items()))
        message = messages[0] if isinstance(messages, list) else str(messages)
        if message.startswith("Not a valid"):
            message = "格式不正确"
        raise ValidationFailed("filter_invalid", f"{LABELS.get(field, field)}：{message}", field) from None
