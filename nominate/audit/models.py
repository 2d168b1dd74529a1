from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from nominate.core import clock
from nominate.core.masking import mask_data, mask_text
from nominate.extensions import db


class AuditEvent(db.Model):
    """Who did what, from which state to which, with a comment and masked data. Never updated."""

    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_nomination_at", "nomination_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    actor_name: Mapped[str | None] = mapped_column(sa.String(64))
    actor_role: Mapped[str | None] = mapped_column(sa.String(32))
    actor_org_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    campaign_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campaigns.id"), index=True)
    nomination_id: Mapped[int | None] = mapped_column(sa.ForeignKey("nominations.id"))
    object_type: Mapped[str] = mapped_column(sa.String(32))
    object_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(sa.String(48))
    from_state: Mapped[str | None] = mapped_column(sa.String(32))
    to_state: Mapped[str | None] = mapped_column(sa.String(32))
    comment: Mapped[str | None] = mapped_column(sa.Text)
    data: Mapped[dict | None] = mapped_column(sa.JSON)

    # Shown rows are masked again: rows written before masking found numbers next to Chinese text
    # (or by an older rule) never show a full 身份证号 or phone number on a page or in the API.
    @property
    def shown_comment(self) -> str | None:
        return mask_text(self.comment) if self.comment else self.comment

    @property
    def shown_data(self):
        return mask_data(self.data) if self.data else self.data


class RefusalWindow(db.Model):
    """Repeated refusals of one caller on one route within one window of time: the first one is an
    ``access_denied`` audit row (``first_event_id``), the others only raise ``count`` here, so evidence
    is kept and a sweep over ids does not fill the disk. Not part of the append-only trail."""

    __tablename__ = "refusal_windows"
    __table_args__ = (sa.UniqueConstraint("caller", "route", "window_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    caller: Mapped[str] = mapped_column(sa.String(80))  # "user:<id>" or "addr:<address>"
    route: Mapped[str] = mapped_column(sa.String(250))  # "<METHOD> <url rule>"
    window_start: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    count: Mapped[int] = mapped_column(default=1)
    last_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    last_path: Mapped[str] = mapped_column(sa.String(200))
    first_event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("audit_events.id"))
