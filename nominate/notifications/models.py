"""Notification records (the in-app 消息), the outbox of their deliveries, each user's contacts."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nominate.core import clock
from nominate.core.enums import LabelledEnum, enum_column
from nominate.extensions import db


class Channel(LabelledEnum):
    EMAIL = ("email", "电子邮件")
    SMS = ("sms", "短信")


class DeliveryStatus(LabelledEnum):
    PENDING = ("pending", "待发送")
    SENDING = ("sending", "发送中")
    SENT = ("sent", "已发送")
    FAILED = ("failed", "发送失败")


class Notification(db.Model):
    """One notice to one user: what happened, about which nomination/batch/period, read or not.

    Written in the same transaction as the event that causes it (the outbox): a rolled-back event
    leaves none. ``dedupe_key`` makes a repeated job (a reminder run twice) write nothing new."""

    __tablename__ = "notifications"
    __table_args__ = (sa.UniqueConstraint("user_id", "dedupe_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(60))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    sms_text: Mapped[str | None] = mapped_column(sa.String(300))
    link: Mapped[str | None] = mapped_column(sa.String(300))
    campaign_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campaigns.id"), index=True)
    nomination_id: Mapped[int | None] = mapped_column(sa.ForeignKey("nominations.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("city_batches.id"))
    period_id: Mapped[int | None] = mapped_column(sa.ForeignKey("publicity_periods.id"))
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)
    read_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))

    deliveries: Mapped[list[Delivery]] = relationship(back_populates="notification", order_by="Delivery.id")

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Delivery(db.Model):
    """The outbox row of one notification on one channel; the worker sends it and marks it sent once."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (sa.UniqueConstraint("notification_id", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(sa.ForeignKey("notifications.id"), index=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "delivery_channel"))
    address: Mapped[str] = mapped_column(sa.String(120))
    status: Mapped[DeliveryStatus] = mapped_column(enum_column(DeliveryStatus, "delivery_status"),
                                                   default=DeliveryStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)
    lease_until: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))

    notification: Mapped[Notification] = relationship(back_populates="deliveries")


class UserContact(db.Model):
    """A user's e-mail and mobile and the channels they chose (in-app is always on)."""

    __tablename__ = "user_contacts"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    email: Mapped[str | None] = mapped_column(sa.String(120))
    mobile: Mapped[str | None] = mapped_column(sa.String(20))
    email_enabled: Mapped[bool] = mapped_column(default=True)
    sms_enabled: Mapped[bool] = mapped_column(default=False)
