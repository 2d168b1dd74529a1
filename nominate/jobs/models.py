"""Background bundle builds: who asked, progress (documents done / total), the file while it is kept."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nominate.core import clock
from nominate.core.enums import LabelledEnum, enum_column
from nominate.extensions import db
from nominate.organisations.models import Organisation


class JobStatus(LabelledEnum):
    QUEUED = ("queued", "排队中")
    RUNNING = ("running", "生成中")
    DONE = ("done", "已完成")
    FAILED = ("failed", "失败")
    EXPIRED = ("expired", "已过期删除")


class BundleJob(db.Model):
    """A ZIP bundle (a city's or the province's) built by the worker; downloadable until ``expires_at``."""

    __tablename__ = "bundle_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    stage: Mapped[str] = mapped_column(sa.String(20))
    fmt: Mapped[str] = mapped_column(sa.String(8), default="docx")  # pdf: every Word table converted (LibreOffice)
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus, "job_status"), default=JobStatus.QUEUED)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    filename: Mapped[str | None] = mapped_column(sa.String(200))
    file_path: Mapped[str | None] = mapped_column(sa.String(400))
    error: Mapped[str | None] = mapped_column(sa.Text)
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)
    finished_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    expires_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))

    organisation: Mapped[Organisation] = relationship(lazy="joined")

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
