"""String enums stored as VARCHAR with a CHECK constraint (portable across SQLite and PostgreSQL)."""
from __future__ import annotations

import enum

import sqlalchemy as sa


class LabelledEnum(str, enum.Enum):
    """A str enum whose members carry a Chinese label: ``Member = ("key", "中文")``."""

    def __new__(cls, value: str, label: str = ""):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label or value
        return obj

    def __str__(self) -> str:
        return self.value

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]

    @classmethod
    def label_of(cls, value: str | None) -> str:
        if value is None:
            return ""
        try:
            return cls(value).label
        except ValueError:
            return value


def enum_column(enum_cls: type[enum.Enum], name: str, **kw) -> sa.Enum:
    """VARCHAR column type with a named CHECK constraint listing the enum's values."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls) + 8,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
        **kw,
    )
