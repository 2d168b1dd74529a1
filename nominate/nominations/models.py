from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nominate.campaigns.models import Campaign
from nominate.core import clock
from nominate.core.enums import enum_column
from nominate.extensions import db
from nominate.workflow.machine import workflow_of
from nominate.workflow.states import NOMINATION_INITIAL
from nominate.nominations.validation import eligibility_problems
from nominate.nominations.enums import (Gender, NominationKind, NominationState, UnitNature,
                                        WindowCategory, WindowLevel)
from nominate.organisations.models import Organisation


#: the rows the one-person-per-campaign index covers (the migration repeats this text)
PERSON_ONCE_WHERE = "kind = 'individual' AND state <> 'withdrawn' AND id_number IS NOT NULL"


def nominee_name(kind, window_name, person_name) -> str:
    """The name a page shows: the window's or the person's (``Nomination.name``, also from three selected columns)."""
    return (window_name if kind == NominationKind.WINDOW else person_name) or "（未命名）"


class Nomination(db.Model):
    """One nominee (a window or an individual) in one campaign; its state is the workflow's."""

    __tablename__ = "nominations"
    __table_args__ = (
        sa.Index("ix_nominations_campaign_state", "campaign_id", "state"),
        sa.Index("ix_nominations_campaign_owner_kind", "campaign_id", "owner_org_id", "kind"),
        # one person is an individual nominee at most once per campaign (withdrawn nominations aside)
        sa.Index("uq_nominations_campaign_person", "campaign_id", "id_number", unique=True,
                 sqlite_where=sa.text(PERSON_ONCE_WHERE), postgresql_where=sa.text(PERSON_ONCE_WHERE)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id"))
    kind: Mapped[NominationKind] = mapped_column(enum_column(NominationKind, "nomination_kind"))
    state: Mapped[NominationState] = mapped_column(
        enum_column(NominationState, "nomination_state"), default=NOMINATION_INITIAL)
    owner_org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    # 干部管理权限: whose 纪检监察 / 组织人事 sign the opinions (the city, or the province for 省直).
    cadre_authority_org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("city_batches.id"), index=True)
    rank: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)

    # Shared by both kinds
    unit_nature: Mapped[UnitNature | None] = mapped_column(enum_column(UnitNature, "unit_nature"))
    admin_rank: Mapped[str | None] = mapped_column(sa.String(20))
    rank_justification: Mapped[str | None] = mapped_column(sa.Text)
    main_deeds: Mapped[str | None] = mapped_column(sa.Text)
    brief_deeds: Mapped[str | None] = mapped_column(sa.Text)
    remarks: Mapped[str | None] = mapped_column(sa.Text)
    clean_record_attested_by: Mapped[str | None] = mapped_column(sa.String(80))
    clean_record_attested_on: Mapped[dt.date | None] = mapped_column(sa.Date)

    # Window (附件2 / 附件5)
    window_name: Mapped[str | None] = mapped_column(sa.String(120))
    window_category: Mapped[WindowCategory | None] = mapped_column(enum_column(WindowCategory, "window_category"))
    window_level: Mapped[WindowLevel | None] = mapped_column(enum_column(WindowLevel, "window_level"))
    parent_unit_name: Mapped[str | None] = mapped_column(sa.String(120))
    leader_name: Mapped[str | None] = mapped_column(sa.String(40))
    leader_position: Mapped[str | None] = mapped_column(sa.String(120))  # 附件5 单位及职务
    leader_title: Mapped[str | None] = mapped_column(sa.String(60))  # 附件2 职务
    leader_phone: Mapped[str | None] = mapped_column(sa.String(40))
    staff_count: Mapped[int | None]
    address: Mapped[str | None] = mapped_column(sa.String(200))
    postcode: Mapped[str | None] = mapped_column(sa.String(6))

    # Individual (附件3 / 附件6)
    person_name: Mapped[str | None] = mapped_column(sa.String(40))
    gender: Mapped[Gender | None] = mapped_column(enum_column(Gender, "gender"))
    ethnicity: Mapped[str | None] = mapped_column(sa.String(20))
    political_status: Mapped[str | None] = mapped_column(sa.String(20))
    # 民族, 政治面貌, 学历: the names of the national standards' lists (nominations/standards.yaml)
    education: Mapped[str | None] = mapped_column(sa.String(40))
    degree: Mapped[str | None] = mapped_column(sa.String(40))  # 学位 (free text: 管理学学士 …)
    id_number: Mapped[str | None] = mapped_column(sa.String(18), index=True)
    birth_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    work_unit: Mapped[str | None] = mapped_column(sa.String(160))
    position: Mapped[str | None] = mapped_column(sa.String(80))
    professional_title: Mapped[str | None] = mapped_column(sa.String(40))
    work_start: Mapped[dt.date | None] = mapped_column(sa.Date)
    system_start: Mapped[dt.date | None] = mapped_column(sa.Date)
    window_start: Mapped[dt.date | None] = mapped_column(sa.Date)
    phone: Mapped[str | None] = mapped_column(sa.String(40))

    # Milestones the quota rules count (set by workflow effects, never cleared).
    recommended_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    selected_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    formal_submitted_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))

    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now, onupdate=clock.now)
    #: an unsubmitted draft its organisation deleted: kept for the audit trail, listed nowhere
    deleted_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    campaign: Mapped[Campaign] = relationship(lazy="joined")
    owner_org: Mapped[Organisation] = relationship(foreign_keys=[owner_org_id], lazy="joined")
    cadre_authority_org: Mapped[Organisation] = relationship(foreign_keys=[cadre_authority_org_id])
    batch = relationship("CityBatch", back_populates="nominations")
    photo = relationship("NominationPhoto", uselist=False, back_populates="nomination",
                         cascade="all, delete-orphan")  # lazy (select) loading: the default
    opinions = relationship("Opinion", back_populates="nomination", order_by="Opinion.slot")

    __mapper_args__ = {"version_id_col": version}

    @property
    def name(self) -> str:
        return nominee_name(self.kind, self.window_name, self.person_name)

    @property
    def eligibility(self) -> list:
        """The campaign's eligibility rules it does not meet (validation.eligibility_problems), while its fields can
        still change: the form shows each beside its field, the API returns them with the record."""
        if not self.state_has("editable"):
            return []
        return eligibility_problems(self, self.campaign.rules, clock.today())

    @property
    def education_degree(self) -> str:
        """附件6 学历学位: the 学历 and the 学位 in one cell."""
        return " ".join(p for p in (self.education, self.degree) if p)

    @property
    def state_label(self) -> str:
        return NominationState.label_of(self.state)

    @property
    def workflow(self):
        """The compiled workflow of the nomination's campaign (states, events and their tags)."""
        return workflow_of(self)

    def state_has(self, tag: str) -> bool:
        """Whether the current state carries ``tag`` in the workflow file (formal, shows_opinions …)."""
        return self.workflow.has_tag(self.state.value, tag)

    @property
    def kind_label(self) -> str:
        return NominationKind.label_of(self.kind)

    @property
    def is_window(self) -> bool:
        return self.kind == NominationKind.WINDOW

    def years_at_window(self, on: dt.date) -> int | None:
        """Whole years from 到窗口工作时间 to ``on`` (附件6 在窗口工作年限)."""
        if not self.window_start:
            return None
        years = on.year - self.window_start.year
        if (on.month, on.day) < (self.window_start.month, self.window_start.day):
            years -= 1
        return max(years, 0)

    def __repr__(self) -> str:
        return f"<Nomination {self.id} {self.kind.value} {self.state.value}>"


class NominationPhoto(db.Model):
    """The 二寸 ID photo of an individual, re-encoded as JPEG on upload."""

    __tablename__ = "nomination_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(sa.ForeignKey("nominations.id"), unique=True)
    # Deferred: lists and pages only ask whether a photo exists; the bytes load when read (photo route,
    # documents), never in a list query.
    content: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    mime: Mapped[str] = mapped_column(sa.String(40))
    width: Mapped[int]
    height: Mapped[int]
    uploaded_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=clock.now)

    nomination: Mapped[Nomination] = relationship(back_populates="photo")
