"""Field rules: 身份证号 (GB 11643), phone numbers, deed lengths, eligibility."""
from __future__ import annotations

import datetime as dt
import re

from nominate.core.checks import (check_email, check_phone, check_postcode, id_check_digit,  # noqa: F401 (re-exported)
                                  parse_id_number, region_of)
from nominate.core.errors import DomainError, ValidationFailed


def count_chars(text: str | None) -> int:
    """Characters as the rule counts them: every character except whitespace and line breaks."""
    return len(re.sub(r"\s", "", text or ""))


def deeds_limit(field: str, rules) -> int:
    """The campaign's character limit of 主要事迹 (main_deeds) or 简要事迹 (brief_deeds)."""
    return rules.main_deeds_max if field == "main_deeds" else rules.brief_deeds_max


def deeds_problem(field: str, label: str, text: str | None, rules) -> tuple[str, str, str] | None:
    """The deed-length rule (主要事迹 / 简要事迹, limits from the campaign): (code, message, field) or None.

    The one place of this rule: the form's cleaning, the API and the workflow guard all call it."""
    limit = deeds_limit(field, rules)
    n = count_chars(text)
    if n > limit:
        return f"{field}_too_long", f"{label}超出 {limit} 字（当前 {n} 字，超出 {n - limit} 字）", field
    return None


def identity_problems(id_number: str, birth_date: dt.date | None, gender: str | None) -> tuple[list, dt.date, str]:
    """身份证号 consistency: the entered birth date and gender must agree with the number.

    Returns (problems as (code, message, field), birth date, gender key) — the one place of this rule,
    called by the form's cleaning, the API and the workflow guard alike."""
    _, birth, id_gender = parse_id_number(id_number)
    problems = []
    if birth_date and birth_date != birth:
        problems.append(("birth_date_mismatch", f"出生日期与身份证号不一致（身份证号为 {birth:%Y-%m-%d}）", "birth_date"))
    if gender and gender != id_gender:
        problems.append(("gender_mismatch", f"性别与身份证号不一致（身份证号为{'男' if id_gender == 'male' else '女'}）",
                         "gender"))
    return problems, birth, id_gender


def photo_required(nomination, rules) -> bool:
    """The photo rule: the campaign says which kinds need the 二寸 ID photo."""
    return nomination.kind.value in rules.photo_required_for


def photo_problem(nomination, rules) -> tuple[str, str, str] | None:
    """The photo rule applied: the guard, the walker and the page alike."""
    if photo_required(nomination, rules) and nomination.photo is None:
        return "photo_missing", "须上传2寸蓝底彩色证件照电子版", "photo"
    return None


def full_years_between(start: dt.date, end: dt.date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def ensure(condition: bool, code: str, message: str, field: str | None = None) -> None:
    if not condition:
        raise ValidationFailed(code, message, field)


__all__ = ["DomainError", "ValidationFailed", "parse_id_number", "check_phone",
           "count_chars", "full_years_between", "id_check_digit", "region_of"]
