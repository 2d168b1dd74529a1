from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from nominate.core import clock
from nominate.extensions import db


class CalendarOverride(db.Model):
    """One day declared a holiday or a (调休) working day by the admin, overriding the library."""

    __tablename__ = "calendar_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(sa.Date, unique=True)
    is_workday: Mapped[bool]
    note: Mapped[str] = mapped_column(sa.String(120))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)


class CalendarYear(db.Model):
    """A year the admin has entered from the State Council's notice (its overrides are complete)."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(sa.String(200))
    declared_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    declared_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)
