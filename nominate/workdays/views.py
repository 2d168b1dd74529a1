"""The admin's working-day calendar: month views with holidays, 调休 days and overrides."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from nominate.accounts.models import Role
from nominate.core import clock
from nominate.core.db import unit_of_work
from nominate.core.errors import PermissionDenied, ValidationFailed
from nominate.extensions import db
from nominate.workdays import operations
from nominate.workdays.calendar import load_calendar
from nominate.workdays.models import CalendarOverride, CalendarYear

bp = Blueprint("workdays", __name__, url_prefix="/admin/calendar", template_folder="templates")


def _require_admin():
    if current_user.role != Role.ADMIN:
        raise PermissionDenied("只有系统管理员可以维护工作日历")


def month_grid(cal, year: int, month: int) -> list[list[dict | None]]:
    """Weeks (Monday first) of day cells: kind = workday / weekend / holiday / adjusted / uncovered."""
    cells = []
    for day, is_work, source in cal.month(year, month):
        weekend = day.weekday() >= 5
        if is_work is None:
            kind = "uncovered"
        elif is_work and weekend:
            kind = "adjusted"
        elif not is_work and not weekend:
            kind = "holiday"
        else:
            kind = "workday" if is_work else "weekend"
        cells.append({"day": day, "kind": kind, "override": source == "override"})
    lead = [None] * cells[0]["day"].weekday()
    flat = lead + cells
    flat += [None] * (-len(flat) % 7)
    return [flat[i:i + 7] for i in range(0, len(flat), 7)]


@bp.route("/")
@login_required
def calendar():
    _require_admin()
    today = clock.today()
    year = request.args.get("year", today.year, type=int)
    month = request.args.get("month", today.month, type=int)
    if not (1900 < year < 2200 and 1 <= month <= 12):
        raise ValidationFailed("date_invalid", "年份或月份无效", "month")
    cal = load_calendar()
    months = []
    y, m = year, month
    for _ in range(3):
        months.append({"year": y, "month": m, "weeks": month_grid(cal, y, m), "covered": cal.is_covered(y)})
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    prev = (year - 1, 12) if month == 1 else (year, month - 1)
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    overrides = db.session.scalars(db.select(CalendarOverride).order_by(CalendarOverride.day)).all()
    years = db.session.scalars(db.select(CalendarYear).order_by(CalendarYear.year)).all()
    return render_template("workdays/calendar.html", months=months, prev=prev, nxt=nxt, overrides=overrides,
                           years=years, weekdays="一二三四五六日", this_day=today)


@bp.route("/overrides", methods=["POST"])
@login_required
def add_override():
    _require_admin()
    with unit_of_work():
        row = operations.set_override(current_user, request.form.get("day", ""),
                                      request.form.get("is_workday") == "1", request.form.get("note", ""))
    flash(f"已将 {row.day:%Y-%m-%d} 设为{'工作日（调休上班）' if row.is_workday else '休息日（节假日）'}", "success")
    return redirect(url_for("workdays.calendar", year=row.day.year, month=row.day.month))


@bp.route("/overrides/<day>/delete", methods=["POST"])
@login_required
def remove_override(day):
    _require_admin()
    try:
        d = dt.date.fromisoformat(day)
    except ValueError:
        raise ValidationFailed("date_invalid", "日期格式应为 YYYY-MM-DD", "day") from None
    with unit_of_work():
        operations.remove_override(current_user, d)
    flash(f"已删除 {d:%Y-%m-%d} 的调整", "success")
    return redirect(url_for("workdays.calendar", year=d.year, month=d.month))


@bp.route("/years", methods=["POST"])
@login_required
def declare_year():
    _require_admin()
    year = request.form.get("year", type=int)
    if not year or not 2000 <= year <= 2100:
        raise ValidationFailed("year_invalid", "年份须为 2000–2100 之间的整数", "year")
    with unit_of_work():
        operations.declare_year(current_user, year, request.form.get("source", ""))
    flash(f"{year}年节假日安排已登记完毕：未调整的日期按周一至周五计", "success")
    return redirect(url_for("workdays.calendar", year=year, month=1))
