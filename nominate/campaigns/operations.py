"""Province-side campaign operations: deadline extensions and deadlines set later."""
from __future__ import annotations

import datetime as dt

from nominate.accounts.models import Role
from nominate.audit import operations as audit
from nominate.campaigns.models import DeadlineExtension
from nominate.core.errors import PermissionDenied, ValidationFailed
from nominate.extensions import db
from nominate.workflow.registry import notify_operation


def _as_date(value, field):
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed("date_invalid", "日期格式应为 YYYY-MM-DD", field) from None


def _require_office(campaign, actor):
    if actor.role != Role.PROVINCE_OFFICE or actor.organisation_id != campaign.province_id:
        raise PermissionDenied("只有省推荐评选办可以办理")


def grant_extension(campaign, actor, org, deadline_key: str, until, reason: str) -> DeadlineExtension:
    _require_office(campaign, actor)
    deadline = campaign.deadline(deadline_key)
    if deadline is None:
        raise ValidationFailed("deadline_unknown", f"未知的截止事项：{deadline_key}", "deadline_key")
    until = _as_date(until, "until")
    if deadline.due_date and until <= deadline.due_date:
        raise ValidationFailed("extension_not_later", f"延期日期须晚于原截止日期 {deadline.due_date:%Y-%m-%d}", "until")
    if not (reason or "").strip():
        raise ValidationFailed("reason_required", "请填写延期理由", "reason")
    if org.province is None or org.province.id != campaign.province_id:
        raise ValidationFailed("org_invalid", "只能为本省单位延期", "organisation_id")
    ext = db.session.scalar(db.select(DeadlineExtension).filter_by(
        campaign_id=campaign.id, organisation_id=org.id, deadline_key=deadline_key))
    if ext is None:
        ext = DeadlineExtension(campaign_id=campaign.id, organisation_id=org.id, deadline_key=deadline_key)
        db.session.add(ext)
    ext.until, ext.reason, ext.granted_by_id = until, reason.strip(), actor.id
    db.session.flush()
    audit.record(actor, "deadline_extended", object_type="deadline_extension", object_id=ext.id,
                 campaign_id=campaign.id, comment=reason,
                 data={"organisation": org.short_name, "deadline": deadline_key, "until": until.isoformat()})
    notify_operation("deadline_extended", actor, campaign=campaign, organisation=org, org=org.short_name,
                     deadline=deadline.label, until=f"{until:%Y年%m月%d日}", comment=reason.strip())
    return ext


def set_deadline(campaign, actor, key: str, due) -> None:
    _require_office(campaign, actor)
    deadline = campaign.deadline(key)
    if deadline is None:
        raise ValidationFailed("deadline_unknown", f"未知的截止事项：{key}", "key")
    old = deadline.due_date
    deadline.due_date = _as_date(due, "due_date")
    audit.record(actor, "deadline_set", object_type="campaign", object_id=campaign.id, campaign_id=campaign.id,
                 data={"key": key, "from": old.isoformat() if old else None, "to": deadline.due_date.isoformat()})
    db.session.flush()
