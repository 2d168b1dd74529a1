"""API schemas of organisations."""
from __future__ import annotations

from marshmallow import Schema, fields

from nominate.core.api import T


class OrganisationSchema(Schema):
    id = fields.Int(**T("编号"))
    code = fields.Str(**T("代码"))
    name = fields.Str(**T("名称"))
    short_name = fields.Str(**T("简称"))
    kind = fields.Function(lambda o: o.kind.value, **T("类型"))
    parent_id = fields.Int(allow_none=True, **T("上级单位"))
