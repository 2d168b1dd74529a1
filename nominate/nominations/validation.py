"""Field rules: 身份证号 (GB 11643), phone numbers, deed lengths, eligibility."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Problem:
    """One unmet eligibility rule: hard (the nominee cannot be recommended: it blocks the unit publicity) or soft
    (allowed with a written justification, 推荐说明)."""
    code: str
    message: str
    field: str
    hard: bool = True

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "field": self.field,
                "rule": "hard" if self.hard else "soft"}


def eligibility_problems(nom, rules, today: dt.date) -> list[Problem]:
    """Every eligibility rule of the campaign file that ``nom`` does not meet, all at once, each naming its field.

    The one place of these rules: the form shows each message beside its field after a save, the API returns them
    with the nomination (``eligibility``) and in the refusal, and the workflow guard ``eligible`` refuses with them."""
    out: list[Problem] = []
    words = rules.wording
    if rules.rank_is_forbidden(nom.admin_rank):
        out.append(Problem("rank_forbidden", f"{words['forbidden']}：行政级别为{nom.admin_rank}", "admin_rank"))
    if nom.kind.value == "individual":
        as_of = rules.eligibility_as_of or today
        if nom.system_start and full_years_between(nom.system_start, as_of) < rules.min_system_years:
            out.append(Problem(
                "system_years_short",
                f"{words['system_years']}：参加人社系统工作时间 {nom.system_start.year}年{nom.system_start.month}月，"
                f"截至{as_of.year}年{as_of.month}月{as_of.day}日不满{rules.min_system_years}年", "system_start"))
        if rules.rank_needs_justification(nom.admin_rank) and not (nom.rank_justification or "").strip():
            out.append(Problem("rank_needs_justification",
                               f"{words['advisory']}：行政级别为{nom.admin_rank}，须填写推荐说明",
                               "rank_justification", hard=False))
    if nom.kind.value in rules.clean_record_kinds and rules.clean_record_since and not nom.clean_record_attested_by:
        out.append(Problem("clean_record_missing", words["clean_record"], "clean_record_attested_by"))
    return out


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
