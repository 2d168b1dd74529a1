from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from nominate.core import clock
from nominate.extensions import db


class TemplateVersion(db.Model):
    """One uploaded version of one form's template for one campaign; at most one per form is in use
    (none: the committed file of ``form_templates`` is used).  Versions are never changed or deleted,
    so an earlier one can always be put back into use."""

    __tablename__ = "template_versions"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "form", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id"), index=True)
    form: Mapped[str] = mapped_column(sa.String(40))
    number: Mapped[int]
    filename: Mapped[str] = mapped_column(sa.String(200))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    #: SHA-256 of ``content``: what a cache of rendered documents keys a template version by
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_by_name: Mapped[str] = mapped_column(sa.String(80))
    uploaded_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)
    in_use: Mapped[bool] = mapped_column(default=False)
    in_use_since: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<TemplateVersion {self.campaign_id}/{self.form} v{self.number}>"
