from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nominate.core.enums import LabelledEnum, enum_column
from nominate.extensions import db


class OrgKind(LabelledEnum):
    MINISTRY = ("ministry", "人社部")
    PROVINCE = ("province", "省级人社部门")
    CITY = ("city", "市级人社部门")
    COUNTY = ("county", "县级人社部门")
    PROVINCIAL_GROUP = ("provincial_group", "省直单位")
    PROVINCIAL_UNIT = ("provincial_unit", "省直单位（处室、直属单位）")
    DEPARTMENT = ("department", "职能部门")  # 纪检监察、组织人事、公安


class Organisation(db.Model):
    """An organisation in the tree ministry → province → city → county / unit."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    short_name: Mapped[str] = mapped_column(sa.String(40))
    kind: Mapped[OrgKind] = mapped_column(enum_column(OrgKind, "org_kind"))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    # Contacts for 附件7 and the table footers, kept by the organisation itself (organisations.operations).
    contact_name: Mapped[str | None] = mapped_column(sa.String(40))
    contact_position: Mapped[str | None] = mapped_column(sa.String(60))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(40))
    contact_mobile: Mapped[str | None] = mapped_column(sa.String(40))
    fax: Mapped[str | None] = mapped_column(sa.String(40))
    email: Mapped[str | None] = mapped_column(sa.String(120))
    address: Mapped[str | None] = mapped_column(sa.String(200))
    postcode: Mapped[str | None] = mapped_column(sa.String(6))
    # 分管领导 (附件7)
    leader_name: Mapped[str | None] = mapped_column(sa.String(40))
    leader_position: Mapped[str | None] = mapped_column(sa.String(60))
    leader_phone: Mapped[str | None] = mapped_column(sa.String(40))
    leader_mobile: Mapped[str | None] = mapped_column(sa.String(40))

    parent: Mapped[Organisation | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Organisation]] = relationship(back_populates="parent", order_by="Organisation.sort_order")

    def ancestors(self) -> list[Organisation]:
        out, node = [], self.parent
        while node is not None:
            out.append(node)
            node = node.parent
        return out

    def is_within(self, other: Organisation) -> bool:
        """True when ``self`` is ``other`` or lies below it in the tree."""
        return self.id == other.id or any(a.id == other.id for a in self.ancestors())

    @property
    def province(self) -> Organisation | None:
        node = self
        while node is not None:  # up to the province only: each parent is a query on a fresh session
            if node.kind == OrgKind.PROVINCE:
                return node
            node = node.parent
        return None

    def __repr__(self) -> str:
        return f"<Organisation {self.code} {self.name}>"
