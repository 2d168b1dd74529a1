from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nominate.core import clock
from nominate.core.enums import enum_column
from nominate.extensions import db
from nominate.organisations.models import Organisation
from nominate.workflow.states import BATCH_INITIAL, BatchState  # derived from the workflow file


class CityBatch(db.Model):
    """One organisation's 推荐批次 in a campaign: its nominees in rank order and its report."""

    __tablename__ = "city_batches"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    state: Mapped[BatchState] = mapped_column(enum_column(BatchState, "batch_state"), default=BATCH_INITIAL)
    report_text: Mapped[str | None] = mapped_column(sa.Text)  # 初审推荐工作报告
    formal_report_text: Mapped[str | None] = mapped_column(sa.Text)  # 正式推荐工作报告
    submitted_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    nominations = relationship("Nomination", back_populates="batch", order_by="Nomination.rank")
    snapshots: Mapped[list[BatchSnapshot]] = relationship(back_populates="batch", order_by="BatchSnapshot.number")

    __mapper_args__ = {"version_id_col": version}

    @property
    def state_label(self) -> str:
        return BatchState.label_of(self.state)

    @property
    def last_submitted_at(self) -> dt.datetime | None:
        """When the batch was last sent to the province: its latest snapshot (a resubmission after a return, a
        supplementary submission) or the stamp of its whole-batch submission, whichever is later."""
        latest = self.snapshots[-1].taken_at if self.snapshots else None
        return max((t for t in (self.submitted_at, latest) if t is not None), key=clock.local_time, default=None)


class BatchSnapshot(db.Model):
    """What one submission of a batch sent to the province: its report, rank order and each nominee's fields.

    Written once per submission (first submission, a supplementary one, a resubmission after a return);
    the province compares the last two. Numbers and free text are stored masked (no 身份证号 or phone)."""

    __tablename__ = "batch_snapshots"
    __table_args__ = (sa.UniqueConstraint("batch_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(sa.ForeignKey("city_batches.id"), index=True)
    number: Mapped[int]  # 第 N 次报送
    taken_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)
    taken_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    content: Mapped[dict] = mapped_column(sa.JSON)

    batch: Mapped[CityBatch] = relationship(back_populates="snapshots")
