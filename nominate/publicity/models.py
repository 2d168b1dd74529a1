from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nominate.core import clock
from nominate.core.enums import LabelledEnum, enum_column
from nominate.extensions import db
from nominate.organisations.models import Organisation


class PublicityLevel(LabelledEnum):
    UNIT = ("unit", "本单位公示")
    PROVINCE = ("province", "省级公示")
    NATIONAL = ("national", "全国公示")


class PublicityStatus(LabelledEnum):
    OPEN = ("open", "公示中")
    CLOSED = ("closed", "已结束")


class ObjectionStatus(LabelledEnum):
    OPEN = ("open", "调查中")
    CLEARED = ("cleared", "经核查不属实")
    UPHELD = ("upheld", "经核查属实")


class PublicityPeriod(db.Model):
    """A 公示: start date, end date computed from working days, the nominees it lists."""

    __tablename__ = "publicity_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id"), index=True)
    level: Mapped[PublicityLevel] = mapped_column(enum_column(PublicityLevel, "publicity_level"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    start_date: Mapped[dt.date] = mapped_column(sa.Date)
    end_date: Mapped[dt.date] = mapped_column(sa.Date)
    working_days: Mapped[int]
    status: Mapped[PublicityStatus] = mapped_column(
        enum_column(PublicityStatus, "publicity_status"), default=PublicityStatus.OPEN)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)

    #: a publicity recorded after it started: why, and the scanned notice (PublicityNotice)
    backdate_reason: Mapped[str | None] = mapped_column(sa.Text)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    notice: Mapped[PublicityNotice | None] = relationship(back_populates="period", uselist=False,
                                                          cascade="all, delete-orphan")
    entries: Mapped[list[PublicityEntry]] = relationship(back_populates="period", cascade="all, delete-orphan")
    objections: Mapped[list[Objection]] = relationship(back_populates="period", order_by="Objection.id")

    __table_args__ = (sa.CheckConstraint("end_date >= start_date", name="end_after_start"),)

    def phase(self, today: dt.date) -> str:
        """scheduled / running / elapsed / closed, for display."""
        if self.status == PublicityStatus.CLOSED:
            return "closed"
        if today < self.start_date:
            return "scheduled"
        if today <= self.end_date:
            return "running"
        return "elapsed"

    def has_open_objection(self, nomination) -> bool:
        return any(o.nomination_id == nomination.id and o.status == ObjectionStatus.OPEN for o in self.objections)

    @property
    def period_text(self) -> str:
        s, e = self.start_date, self.end_date
        tail = f"{e.month}月{e.day}日" if e.year == s.year else f"{e.year}年{e.month}月{e.day}日"
        return f"{s.year}年{s.month}月{s.day}日至{tail}"


class PublicityNotice(db.Model):
    """The scanned publicity notice (公示通知) of a unit publicity recorded after it started: PDF, JPEG or PNG."""

    __tablename__ = "publicity_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("publicity_periods.id"), unique=True)
    filename: Mapped[str] = mapped_column(sa.String(200))
    mime: Mapped[str] = mapped_column(sa.String(40))
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)

    period: Mapped[PublicityPeriod] = relationship(back_populates="notice")


class PublicityEntry(db.Model):
    __tablename__ = "publicity_entries"
    __table_args__ = (sa.UniqueConstraint("period_id", "nomination_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("publicity_periods.id"), index=True)
    nomination_id: Mapped[int] = mapped_column(sa.ForeignKey("nominations.id"), index=True)

    period: Mapped[PublicityPeriod] = relationship(back_populates="entries")
    nomination = relationship("Nomination")


class Objection(db.Model):
    """An 异议 against one nominee during a publicity; the objector is never shown to the nominating city."""

    __tablename__ = "objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("publicity_periods.id"), index=True)
    nomination_id: Mapped[int] = mapped_column(sa.ForeignKey("nominations.id"), index=True)
    objector_name: Mapped[str | None] = mapped_column(sa.String(80))
    objector_contact: Mapped[str | None] = mapped_column(sa.String(120))
    received_on: Mapped[dt.date] = mapped_column(sa.Date)
    content: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[ObjectionStatus] = mapped_column(
        enum_column(ObjectionStatus, "objection_status"), default=ObjectionStatus.OPEN)
    investigation: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))

    period: Mapped[PublicityPeriod] = relationship(back_populates="objections")
    nomination = relationship("Nomination")
