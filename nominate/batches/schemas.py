"""API schemas of city batches."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from nominate.core.api import ID_RANGE, CleanInput, LocalDateTime, T
from nominate.organisations.schemas import OrganisationSchema


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
