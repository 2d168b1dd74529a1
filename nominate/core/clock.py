"""The one place that knows what "today" is: Asia/Shanghai, optionally pinned for demos."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now() -> dt.datetime:
    """Current time, timezone-aware, in Asia/Shanghai (pinned date keeps the wall-clock time)."""
    real = dt.datetime.now(SHANGHAI)
    pinned = _pinned()
    if pinned is None:
        return real
    return real.replace(year=pinned.year, month=pinned.month, day=pinned.day)


def wall() -> dt.datetime:
    """The real current time (UTC), never pinned: for sessions, idle time-outs, invitations and TOTP,
    which must not jump when a demo or a test pins the date."""
    return dt.datetime.now(dt.timezone.utc)


def utc(value: dt.datetime | None) -> dt.datetime | None:
    """A time stored by ``wall()``: SQLite hands it back naive, in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value


def today() -> dt.date:
    """The date every rule compares against (deadlines, publicity ends)."""
    return now().date()


def local_time(value: dt.datetime | None) -> dt.datetime | None:
    """A stored time as Asia/Shanghai wall time: the one conversion every page, API and document uses.

    An aware value (PostgreSQL gives back UTC) is converted; a naive one is what SQLite keeps of the
    Shanghai time the app wrote (``now()`` is always Shanghai), so it is read as Shanghai time."""
    if value is None:
        return None
    return value.astimezone(SHANGHAI) if value.tzinfo else value.replace(tzinfo=SHANGHAI)


def local_day(value: dt.datetime | dt.date | None) -> dt.date | None:
    """The Shanghai calendar day of a stored time (a plain date is already a day): 2021-10-20 16:30 UTC
    is 2021-10-21."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return local_time(value).date()
    return value


def _pinned() -> dt.date | None:
    if not has_app_context():
        return None
    value = current_app.config.get("NOMINATE_TODAY")
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
