"""API schemas of opinions (征求意见)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from nominate.core.api import ID_RANGE, CleanInput, T


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


class PoliceRequestSchema(CleanInput):
    nomination_ids = fields.List(fields.Int(validate=ID_RANGE), required=True, validate=validate.Length(min=1, max=1000),
                                 **T("推荐对象编号"))
