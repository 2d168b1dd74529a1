"""The data versions that page-cache keys hold: one row per campaign and one global row."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from nominate.extensions import db


class DataVersion(db.Model):
    """``scope`` is ``global`` (organisations, honours, calendar, templates, accounts, restores) or
    ``campaign:<id>``; ``version`` only ever grows, raised in the transaction of the write it stands for."""
    __tablename__ = "data_versions"

    scope: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0)
