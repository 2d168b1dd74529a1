"""Admin overrides of the working-day calendar."""
from __future__ import annotations

import datetime as dt

from nominate.accounts.models import Role
from nominate.audit import operations as audit
from nominate.core.errors import PermissionDenied, ValidationFailed
from nominate.extensions import db
from nominate.workdays.models import CalendarOverride, CalendarYear


def _require_admin(actor):
    if actor is not None and actor.role != Role.ADMIN:
        raise PermissionDenied("只有系统管理员可以维护工作日历")


def set_override(actor, day, is_workday: bool, note: str) -> CalendarOverride:
    _require_admin(actor)
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day)
        except ValueError:
            raise ValidationFailed("date_invalid", "日期格式应为 YYYY-MM-DD", "day") from None
    if not (note or "").strip():
        raise ValidationFailed("note_required", "请注明依据（如国务院办公厅通知）", "note")
    row = db.session.scalar(db.select(CalendarOverride).filter_by(day=day))
    if row is None:
        row = CalendarOverride(day=day)
        db.session.add(row)
    row.is_workday, row.note, row.created_by_id = bool(is_workday), note.strip(), getattr(actor, "id", None)
    db.session.flush()
    audit.record(actor, "calendar_override", object_type="calendar", object_id=row.id,
                 data={"day": day.isoformat(), "is_workday": bool(is_workday), "note": note})
    return row


def remove_override(actor, day: dt.date) -> None:
    _require_admin(actor)
    row = db.session.scalar(db.select(CalendarOverride).filter_by(day=day))
    if row is None:
        raise ValidationFailed("override_missing", "该日期没有调整记录", "day")
    db.session.delete(row)
    audit.record(actor, "calendar_override_removed", object_type="calendar", data={"day": day.isoformat()})
    db.session.flush()


def declare_year(actor, year: int, source: str) -> CalendarYear:
    """Mark a year as entered: its overrides are complete, other days count Monday–Friday."""
    _require_admin(actor)
    if not (source or "").strip():
        raise ValidationFailed("source_required", "请注明依据（国务院办公厅关于某年部分节假日安排的通知）", "source")
    row = db.session.get(CalendarYear, year) or CalendarYear(year=year)
    row.source, row.declared_by_id = source.strip(), getattr(actor, "id", None)
    db.session.add(row)
    audit.record(actor, "calendar_year_declared", object_type="calendar", data={"year": year, "source": source})
    db.session.flush()
    return row
