"""The periodic jobs run when the configuration says, not at minutes written into the code."""

import datetime as dt

import pytest

from nominate import create_app


def _app(**config):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "t", **config})


def test_the_reminder_schedule_comes_from_the_configuration():
    tasks = _app(JOBS_REMINDER_SCHEDULE="30 6 * * 1").extensions["jobs"]
    runs = tasks["reminders"].s().validate_datetime
    monday_0630, monday_0605 = dt.datetime(2021, 10, 18, 6, 30), dt.datetime(2021, 10, 18, 6, 5)
    assert runs(monday_0630) and not runs(monday_0605)
    assert not runs(monday_0630 + dt.timedelta(days=1))  # Tuesday

    default = _app().extensions["jobs"]["reminders"].s().validate_datetime
    assert default(monday_0605) and not default(monday_0630)  # the default: five past every hour


def test_a_schedule_without_five_fields_is_refused_at_start_naming_the_setting():
    with pytest.raises(ValueError, match="JOBS_SWEEP_SCHEDULE"):
        _app(JOBS_SWEEP_SCHEDULE="every minute")
