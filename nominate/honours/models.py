"""The honours register: one row per honour, evidence bytes, links to nominations, import stashes."""
from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nominate.core import clock
from nominate.core.enums import LabelledEnum, enum_column
from nominate.extensions import db
from nominate.organisations.models import Organisation


class HolderKind(LabelledEnum):
    PERSON = ("person", "个人")
    UNIT = ("unit", "窗口（单位）")


class HonourLevel(LabelledEnum):
    """Declared from the highest down: 备注 lists honours in this order."""

    NATIONAL = ("national", "国家级")
    PROVINCE = ("province", "省级")
    CITY = ("city", "市级")
    COUNTY = ("county", "县级")


LEVEL_ORDER = {member: i for i, member in enumerate(HonourLevel)}


class HonourKind(LabelledEnum):
    TITLE = ("title", "称号")
    INDIVIDUAL_RANK = ("individual_rank", "个人名次")
    TEAM_PRIZE = ("team_prize", "团体奖项")
    COMPETITION_TITLE = ("competition_title", "练兵比武称号")


TITLE_KINDS = {HonourKind.TITLE, HonourKind.COMPETITION_TITLE}


class LinkStatus(LabelledEnum):
    AUTO = ("auto", "自动关联")
    CONFIRMED = ("confirmed", "已确认")
    UNLINKED = ("unlinked", "已解除")


def normalise_name(name: str | None) -> str:
    """Unit names compare without spaces and with full-width brackets made half-width."""
    text = re.sub(r"\s+", "", name or "")
    return text.replace("（", "(").replace("）", ")")


def unit_key(organisation_id: int, name: str) -> str:
    return f"unit:{organisation_id}:{normalise_name(name)}"


class Honour(db.Model):
    """One honour held by a person (by 身份证号) or a window/unit (by organisation and name).

    Not tied to a campaign: the next cycle's nominations find this cycle's honours.
    """

    __tablename__ = "honours"
    __table_args__ = (
        sa.UniqueConstraint("holder_key", "year", "kind", "title", "competition"),
        sa.Index("ix_honours_organisation_year", "organisation_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_kind: Mapped[HolderKind] = mapped_column(enum_column(HolderKind, "honour_holder_kind"))
    # person_key(身份证号) for people, unit_key(organisation, name) for windows and units.
    holder_key: Mapped[str] = mapped_column(sa.String(200))
    person_name: Mapped[str | None] = mapped_column(sa.String(40))
    id_number: Mapped[str | None] = mapped_column(sa.String(18))
    unit_name: Mapped[str | None] = mapped_column(sa.String(120))
    # Where the holder sits (city, county or 省直 unit): decides who sees the record.
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    title: Mapped[str] = mapped_column(sa.String(120))
    level: Mapped[HonourLevel] = mapped_column(enum_column(HonourLevel, "honour_level"))
    kind: Mapped[HonourKind] = mapped_column(enum_column(HonourKind, "honour_kind"))
    competition: Mapped[str] = mapped_column(sa.String(120), default="")
    year: Mapped[int]
    rank: Mapped[str | None] = mapped_column(sa.String(40))
    issuing_body: Mapped[str | None] = mapped_column(sa.String(120))
    document_number: Mapped[str | None] = mapped_column(sa.String(80))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    evidence = relationship("HonourEvidence", uselist=False, back_populates="honour",
                            cascade="all, delete-orphan")  # lazy (select) loading: the default
    links = relationship("HonourLink", back_populates="honour", cascade="all, delete-orphan")

    @property
    def holder_name(self) -> str:
        return (self.person_name if self.holder_kind == HolderKind.PERSON else self.unit_name) or ""

    @property
    def level_label(self) -> str:
        return HonourLevel.label_of(self.level)

    @property
    def kind_label(self) -> str:
        return HonourKind.label_of(self.kind)

    @property
    def sort_key(self) -> tuple:
        return LEVEL_ORDER[self.level], self.year, self.id or 0

    @property
    def statement(self) -> str:
        """The official wording of this one honour, as 备注 writes it."""
        # "2020年度全省…比武" after "2020年" would say the year twice
        competition = re.sub(rf"^{self.year}年度?", "", self.competition or "")
        if self.kind in TITLE_KINDS:
            title = self.title[:-2] if self.title.endswith("称号") else self.title
            where = f"在{competition}中" if competition else ""
            return f"{self.year}年{where}获{title}称号"
        prize = self.title
        # "个人第三名" already says the rank; "个人" + "第三名" does not
        if self.rank and self.rank not in prize and not re.search(r"第.{1,3}名|[一二三]等奖", prize):
            prize += self.rank
        return f"{self.year}年{competition}{prize}"

    def __repr__(self) -> str:
        return f"<Honour {self.id} {self.year} {self.title}>"


class HonourEvidence(db.Model):
    """The scanned certificate or notice (PDF, JPEG or PNG), kept in the database."""

    __tablename__ = "honour_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    honour_id: Mapped[int] = mapped_column(sa.ForeignKey("honours.id"), unique=True)
    filename: Mapped[str] = mapped_column(sa.String(200))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    mime: Mapped[str] = mapped_column(sa.String(40))
    size: Mapped[int]
    uploaded_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)

    honour: Mapped[Honour] = relationship(back_populates="evidence")


class HonourLink(db.Model):
    """A decision about one honour and one nomination; an unlink is remembered, never re-created as auto."""

    __tablename__ = "honour_links"
    __table_args__ = (sa.UniqueConstraint("honour_id", "nomination_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    honour_id: Mapped[int] = mapped_column(sa.ForeignKey("honours.id"))
    nomination_id: Mapped[int] = mapped_column(sa.ForeignKey("nominations.id"), index=True)
    status: Mapped[LinkStatus] = mapped_column(enum_column(LinkStatus, "honour_link_status"))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now,
                                                    onupdate=clock.now)

    honour: Mapped[Honour] = relationship(back_populates="links")
    nomination = relationship("Nomination")


class HonourImport(db.Model):
    """An uploaded sheet between its preview and its commit, found again by a random token."""

    __tablename__ = "honour_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(sa.String(200))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)
