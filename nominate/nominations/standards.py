"""The national-standard lists (民族 GB/T 3304, 政治面貌 GB/T 4762, 学历 GB/T 4658), read from standards.yaml.

One reader for the form's choices, the API and any import (short forms mapped to the standard's name, or a refusal
naming the field and the list), the migration of stored values and the board's charts (counted by code)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

DATA_FILE = Path(__file__).with_name("standards.yaml")
#: the nomination fields each list governs
FIELD_LISTS = {"ethnicity": "ethnicity", "political_status": "political_status", "education": "education"}


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    standard_name: str


@dataclass(frozen=True)
class StandardList:
    key: str
    label: str
    standard: str
    items: tuple[Item, ...]
    lookup: dict = field(hash=False, compare=False)

    def names(self) -> list[str]:
        return [i.name for i in self.items]

    def choices(self) -> list[tuple[str, str]]:
        """(stored value, shown text) pairs for a select."""
        return [(i.name, i.name) for i in self.items]

    def find(self, value) -> Item | None:
        """The item ``value`` names: its name, the standard's name, its code or a listed short form."""
        if value is None:
            return None
        return self.lookup.get(_key(str(value)))

    def canonical(self, value) -> str | None:
        item = self.find(value)
        return item.name if item else None

    def code_of(self, value) -> str | None:
        item = self.find(value)
        return item.code if item else None

    def name_of_code(self, code: str) -> str | None:
        return next((i.name for i in self.items if i.code == code), None)

    def refusal(self) -> str:
        return f"{self.label}须为{self.standard}中的一项：{'、'.join(self.names())}"


def _key(text: str) -> str:
    """Full-width forms, spaces and brackets do not distinguish two entries."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


@cache
def _load(path: str) -> dict[str, StandardList]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    out = {}
    for key, spec in raw.items():
        items, lookup = [], {}
        suffix = spec.get("strip_suffix")
        for entry in spec["items"]:
            code, name = str(entry["code"]), entry["name"]
            item = Item(code, name, entry.get("standard_name") or name)
            items.append(item)
            forms = [name, item.standard_name, code, *(entry.get("aliases") or [])]
            if suffix and name.endswith(suffix) and len(name) > len(suffix) + 0:
                forms.append(name[: -len(suffix)])
            for form in forms:
                k = _key(str(form))
                if k in lookup and lookup[k] is not item:
                    raise ValueError(f"{path}: {key} 中的“{form}”对应两项")
                lookup[k] = item
        out[key] = StandardList(key, spec["label"], spec["standard"], tuple(items), lookup)
    return out


def lists() -> dict[str, StandardList]:
    return _load(str(DATA_FILE))


def for_field(name: str) -> StandardList | None:
    key = FIELD_LISTS.get(name)
    return lists()[key] if key else None


def split_education(value: str | None) -> tuple[str | None, str | None, str | None]:
    """A stored or imported 学历学位 text ("大学本科 管理学学士", "本科/学士") as (学历 name or None, 学位 text or
    None, the part that matched no 学历). The 学历 is the longest leading form of the list."""
    if value is None or not str(value).strip():
        return None, None, None
    text = str(value).strip()
    edu = lists()["education"]
    item = edu.find(text)
    if item:
        return item.name, None, None
    parts = [p for p in re.split(r"[\s/／、,，;；]+", text) if p]
    if parts:
        item = edu.find(parts[0])
        if item:
            rest = " ".join(parts[1:]) or None
            return item.name, rest, None
    return None, None, text
