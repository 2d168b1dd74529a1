"""Property tests: working-day arithmetic and 身份证号 validation hold for every generated input."""
import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nominate.core.errors import ValidationFailed
from nominate.nominations.validation import id_check_digit, parse_id_number
from nominate.workdays.calendar import WorkdayCalendar

EXAMPLES = 150
# chinesecalendar covers 2004 onwards to its last published year; keep the whole span inside 2005–2026
COVERED_TO = min(dt.date(2026, 12, 31), max(chinese_calendar.holidays)) - dt.timedelta(days=120)
overrides = st.dictionaries(st.dates(dt.date(2005, 1, 1), COVERED_TO), st.booleans(), max_size=5)


def day_by_day(cal, start, end):
    return sum(1 for i in range((end - start).days + 1) if cal.is_workday(start + dt.timedelta(days=i)))


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True)  # the same cases every CI run
@given(start=st.dates(dt.date(2005, 1, 1), COVERED_TO), days=st.integers(1, 30), extra=overrides)
def test_publicity_period_holds_exactly_n_working_days(start, days, extra):
    cal = WorkdayCalendar(extra)
    end = cal.add_workdays(start, days)
    assert end >= start
    assert cal.is_workday(end)  # the period ends on a working day
    assert cal.count_workdays(start, end) == days == day_by_day(cal, start, end)
    assert cal.count_workdays(start, end - dt.timedelta(days=1)) == days - 1  # and not a day later than needed


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True)  # the same cases every CI run
@given(start=st.dates(dt.date(2005, 1, 1), COVERED_TO), span=st.integers(0, 60))
def test_count_agrees_with_the_library_day_by_day(start, span):
    cal, end = WorkdayCalendar(), start + dt.timedelta(days=span)
    expected = sum(chinese_calendar.is_workday(start + dt.timedelta(days=i)) for i in range(span + 1))
    assert cal.count_workdays(start, end) == expected


@st.composite
def id_numbers(draw):
    region = draw(st.sampled_from(["110101", "140105", "140202", "440305", "650102"]))
    birth = draw(st.dates(dt.date(1930, 1, 1), dt.date(2005, 12, 31)))
    seq = draw(st.integers(0, 999))
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True)  # the same cases every CI run
@given(number=id_numbers())
def test_every_valid_number_passes_with_its_birth_date_and_gender(number):
    value, birth, gender = parse_id_number(number.lower())
    assert value == number and f"{birth:%Y%m%d}" == number[6:14]
    assert gender == ("male" if int(number[16]) % 2 else "female")


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True)  # the same cases every CI run
@given(number=id_numbers(), position=st.integers(0, 17), data=st.data())
def test_every_single_character_change_fails(number, position, data):
    alphabet = "0123456789X" if position == 17 else "0123456789"
    new = data.draw(st.sampled_from([c for c in alphabet if c != number[position]]))
    changed = number[:position] + new + number[position + 1:]
    with pytest.raises(ValidationFailed) as err:
        parse_id_number(changed)
    assert err.value.field == "id_number" and err.value.code.startswith("id_number_")
