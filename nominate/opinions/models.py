from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nominate.core import clock
from nominate.core.enums import LabelledEnum, enum_column
from nominate.extensions import db


class OpinionSlot(LabelledEnum):
    DISCIPLINE = ("discipline", "纪检监察部门意见")
    PERSONNEL = ("personnel", "组织人事部门意见")
    POLICE = ("police", "省级公安部门意见")


class OpinionStatus(LabelledEnum):
    PENDING = ("pending", "待签署")
    SIGNED = ("signed", "已签署")


class OpinionVerdict(LabelledEnum):
    AGREE = ("agree", "同意")
    DISAGREE = ("disagree", "不同意")


class Opinion(db.Model):
    __tablename__ = "opinions"
    __table_args__ = (
        sa.UniqueConstraint("nomination_id", "slot"),
        sa.CheckConstraint("status <> 'signed' OR (verdict IS NOT NULL AND signer_name IS NOT NULL"
                           " AND signed_on IS NOT NULL)", name="signed_complete"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(sa.ForeignKey("nominations.id"), index=True)
    slot: Mapped[OpinionSlot] = mapped_column(enum_column(OpinionSlot, "opinion_slot"))
    status: Mapped[OpinionStatus] = mapped_column(
        enum_column(OpinionStatus, "opinion_status"), default=OpinionStatus.PENDING)
    verdict: Mapped[OpinionVerdict | None] = mapped_column(enum_column(OpinionVerdict, "opinion_verdict"))
    text: Mapped[str | None] = mapped_column(sa.Text)
    signer_name: Mapped[str | None] = mapped_column(sa.String(40))
    signed_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    signed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    requested_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    nomination = relationship("Nomination", back_populates="opinions")

    @property
    def slot_label(self) -> str:
        return OpinionSlot.label_of(self.slot)
