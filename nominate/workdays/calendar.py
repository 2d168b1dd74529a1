"""The one module that answers "is this a working day?" and "when does a publicity end?".

Government offices work Monday–Friday minus statutory holidays plus the weekend days declared
working days (调休). The schedule comes from ``chinesecalendar`` for the years it covers; the
admin's overrides (one row per day) take precedence, and a year the library does not cover
counts only once the admin has declared it entered. Anything else is refused, never guessed.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import chinese_calendar

from nominate.core.errors import DomainError

MAX_SPAN_DAYS = 400


class UncoveredYear(DomainError):
    status = 422

    def __init__(self, year: int):
        super().__init__(
            "calendar_year_uncovered",
            f"{year}年的法定节假日和调休安排尚未录入：请管理员按国务院办公厅通知录入后再计算工作日",
            "start",
        )
        self.year = year


class WorkdayCalendar:
    """Pure working-day arithmetic over the library plus a mapping of overrides."""

    def __init__(self, overrides: Mapping[dt.date, bool] | None = None, declared_years=()):
        self.overrides = dict(overrides or {})
        self.declared_years = set(declared_years)

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year in self.declared_years:
            return day.weekday() < 5
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            raise UncoveredYear(day.year) from None

    def is_covered(self, year: int) -> bool:
        if year in self.declared_years:
            return True
        try:
            chinese_calendar.is_workday(dt.date(year, 1, 1))
        except NotImplementedError:
            return False
        return True

    def add_workdays(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day counting ``start`` as day 1 when it is a working day."""
        if days < 1:
            raise DomainError("workdays_invalid", "工作日天数必须为正整数", "days")
        day, counted = start, 0
        for _ in range(MAX_SPAN_DAYS):
            if self.is_workday(day):
                counted += 1
                if counted == days:
                    return day
            day += dt.timedelta(days=1)
        raise DomainError("workdays_invalid", f"{days}个工作日超出可计算范围", "days")

    def count_workdays(self, start: dt.date, end: dt.date) -> int:
        """Working days in [start, end]."""
        n, day = 0, start
        while day <= end:
            n += self.is_workday(day)
            day += dt.timedelta(days=1)
        return n

    def month(self, year: int, month: int) -> list[tuple[dt.date, bool | None, str]]:
        """Every day of a month: (date, is_workday or None when uncovered, source)."""
        out, day = [], dt.date(year, month, 1)
        while day.month == month:
            if day in self.overrides:
                out.append((day, self.overrides[day], "override"))
            else:
                try:
                    out.append((day, self.is_workday(day), "library"))
                except UncoveredYear:
                    out.append((day, None, "uncovered"))
            day += dt.timedelta(days=1)
        return out


def load_calendar() -> WorkdayCalendar:
    """The calendar with every override from the database (a small table, read per call)."""
    from nominate.extensions import db
    from nominate.workdays.models import CalendarOverride, CalendarYear

    overrides = dict(db.session.execute(db.select(CalendarOverride.day, CalendarOverride.is_workday)).all())
    years = db.session.scalars(db.select(CalendarYear.year)).all()
    return WorkdayCalendar(overrides, years)


def publicity_end(start: dt.date, working_days: int) -> dt.date:
    return load_calendar().add_workdays(start, working_days)
