"""Working days: the official calendar, 调休, overrides, and years nobody has entered."""
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nominate.core.errors import DomainError
from nominate.workdays import operations as wops
from nominate.workdays.calendar import UncoveredYear, WorkdayCalendar, load_calendar

D = dt.date.fromisoformat


@pytest.mark.parametrize("start,end", [
    ("2021-09-01", "2021-09-07"),   # Wednesday start, across a weekend
    ("2025-09-29", "2025-10-11"),   # across National Day, ending on the 调休 Saturday
    ("2021-09-28", "2021-10-09"),   # across National Day 2021, the 9th is a 调休 Saturday
    ("2022-05-07", "2022-05-12"),   # the start is a 调休 Saturday and counts as day 1
])
def test_five_working_days(start, end):
    assert WorkdayCalendar().add_workdays(D(start), 5) == D(end)


def test_start_on_a_holiday_counts_from_the_next_working_day():
    # 8 Oct (Fri), 9 Oct (调休 Sat), 11, 12, 13 Oct
    assert WorkdayCalendar().add_workdays(D("2021-10-01"), 5) == D("2021-10-13")


def test_uncovered_year_is_refused_loudly():
    with pytest.raises(UncoveredYear) as exc:
        WorkdayCalendar().add_workdays(D("2027-03-01"), 5)
    assert "2027年" in exc.value.message and exc.value.code == "calendar_year_uncovered"


def test_period_running_into_an_uncovered_year_is_refused():
    with pytest.raises(UncoveredYear):
        WorkdayCalendar().add_workdays(D("2026-12-28"), 10)


def test_declared_year_counts_with_its_overrides():
    cal = WorkdayCalendar({D("2027-01-01"): False, D("2027-01-04"): False}, declared_years={2027})
    # Fri 1 Jan and Mon 4 Jan are holidays: Tue 5 … Mon 11
    assert cal.add_workdays(D("2027-01-01"), 5) == D("2027-01-11")


def test_override_beats_the_library():
    assert WorkdayCalendar({D("2021-09-06"): False}).add_workdays(D("2021-09-01"), 5) == D("2021-09-08")
    assert WorkdayCalendar({D("2021-09-04"): True}).add_workdays(D("2021-09-01"), 5) == D("2021-09-06")


def test_admin_overrides_are_read_from_the_database(f, db):
    admin = f.user("admin", "shanxi")
    with pytest.raises(UncoveredYear):
        load_calendar().add_workdays(D("2027-01-04"), 5)
    wops.set_override(admin, "2027-01-01", False, "国办发明电〔2026〕X号 元旦")
    wops.declare_year(admin, 2027, "国务院办公厅关于2027年部分节假日安排的通知")
    db.session.commit()
    assert load_calendar().add_workdays(D("2026-12-31"), 2) == D("2027-01-04")


def test_only_admin_may_override(f, db):
    with pytest.raises(DomainError) as exc:
        wops.set_override(f.city(), "2027-01-01", False, "x")
    assert exc.value.status == 403


def test_month_view_marks_uncovered_days():
    days = WorkdayCalendar().month(2027, 2)
    assert {src for _, _, src in days} == {"uncovered"}
    oct25 = dict((d, w) for d, w, _ in WorkdayCalendar().month(2025, 10))
    assert oct25[D("2025-10-01")] is False and oct25[D("2025-10-11")] is True


covered_days = st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2026, 6, 30))


@settings(max_examples=150, deadline=None)
@given(start=covered_days, n=st.integers(min_value=1, max_value=40))
def test_property_exactly_n_working_days_in_the_period(start, n):
    cal = WorkdayCalendar()
    end = cal.add_workdays(start, n)
    assert end >= start
    assert cal.is_workday(end)
    assert cal.count_workdays(start, end) == n
    # and the period is the shortest such: the day before the end has n-1
    assert cal.count_workdays(start, end - dt.timedelta(days=1)) == n - 1
