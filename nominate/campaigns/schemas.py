"""API schemas of campaigns."""
from __future__ import annotations

from marshmallow import Schema, fields

from nominate.core.api import T
from nominate.organisations.schemas import OrganisationSchema


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
