from __future__ import annotations

import datetime as dt
from functools import cached_property

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nominate.campaigns.rules import CampaignRules
from nominate.core import clock
from nominate.extensions import db
from nominate.organisations.models import Organisation


class Campaign(db.Model):
    """One recommendation round of one province; ``config`` is the parsed campaign file."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    period_label: Mapped[str] = mapped_column(sa.String(40))
    year: Mapped[int]
    workflow: Mapped[str] = mapped_column(sa.String(64))
    province_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    config: Mapped[dict] = mapped_column(sa.JSON)
    source_sha256: Mapped[str] = mapped_column(sa.String(64))
    loaded_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)

    province: Mapped[Organisation] = relationship(lazy="joined")
    deadlines: Mapped[list[CampaignDeadline]] = relationship(
        back_populates="campaign", order_by="CampaignDeadline.sort_order", cascade="all, delete-orphan")

    @cached_property
    def rules(self) -> CampaignRules:
        return CampaignRules(self.config)

    def deadline(self, key: str) -> CampaignDeadline | None:
        return next((d for d in self.deadlines if d.key == key), None)

    def __repr__(self) -> str:
        return f"<Campaign {self.key}>"


class CampaignDeadline(db.Model):
    """A named deadline of a campaign; its date may be set later (e.g. 正式材料)."""

    __tablename__ = "campaign_deadlines"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id"), index=True)
    key: Mapped[str] = mapped_column(sa.String(64))
    label: Mapped[str] = mapped_column(sa.String(80))
    due_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    sort_order: Mapped[int] = mapped_column(default=0)

    campaign: Mapped[Campaign] = relationship(back_populates="deadlines")


class DeadlineExtension(db.Model):
    """The province's recorded extension of one deadline for one organisation."""

    __tablename__ = "deadline_extensions"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "organisation_id", "deadline_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    deadline_key: Mapped[str] = mapped_column(sa.String(64))
    until: Mapped[dt.date] = mapped_column(sa.Date)
    reason: Mapped[str] = mapped_column(sa.Text)
    granted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    granted_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
