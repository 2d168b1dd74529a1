"""API schemas of the working-day calendar."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from nominate.core.api import T


class WorkdaysArgs(Schema):
    start = fields.Date(required=True, **T("开始日期（YYYY-MM-DD）"))
    days = fields.Int(required=True, validate=validate.Range(min=1, max=250), **T("工作日数"))


class WorkdaysEndSchema(Schema):
    end = fields.Date(**T("第 N 个工作日（结束日期）"))
