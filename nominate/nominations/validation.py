"""Field rules: 身份证号 (GB 11643), phone numbers, deed lengths, eligibility."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from nominate.core.cleaning import normalise_identifier
from nominate.core.errors import DomainError, ValidationFailed

_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_LANDLINE = re.compile(r"^0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?$")
_ASCII_ID = re.compile(r"^[0-9]{17}[0-9X]$")


def id_check_digit(first17: str) -> str:
    """The GB 11643 check digit of the first 17 digits (python-stdnum's cn.ric)."""
    return ric.calc_check_digit(first17 + "0")


def region_of(code: str) -> str | None:
    """The county a 身份证号's first six digits name, from python-stdnum's table of administrative codes.

    Any code that is or was assigned counts: the code is that of the registration when the number was issued
    (often years after birth, and codes are renamed), so ric.validate's "assigned in the birth year" test
    would refuse real people's numbers."""
    info = {k: v for _part, props in numdb.get("cn/loc").info(code) for k, v in props.items()}
    if "province" not in info or "county" not in info:
        return None
    return info["province"] + re.sub(r"\[[^\]]*\]", "", info["county"].split(",")[-1])


def parse_id_number(value: str, field: str = "id_number") -> tuple[str, dt.date, str]:
    """Validate a 18-character 身份证号; return (normalised, birth date, gender key).

    Full-width and other-script digits are NFKC-normalised to ASCII first (one person, one number);
    python-stdnum checks the check digit and the birth date, its code table the region code."""
    v = normalise_identifier(value)
    if len(v) != 18:
        raise ValidationFailed("id_number_length", f"身份证号应为18位（当前{len(v)}位）", field)
    if not _ASCII_ID.match(v):
        raise ValidationFailed("id_number_format", "身份证号前17位应为数字，最后一位为数字或X", field)
    try:
        birth = ric.get_birth_date(v)
    except ValidationError:
        raise ValidationFailed("id_number_birth_date", "身份证号中的出生日期不存在", field) from None
    if birth.year < 1900 or birth > dt.date.today():
        raise ValidationFailed("id_number_birth_date", "身份证号中的出生日期不合理", field)
    if region_of(v[:6]) is None:
        raise ValidationFailed("id_number_region", f"身份证号前6位地区代码 {v[:6]} 不是有效的行政区划代码", field)
    if ric.calc_check_digit(v) != v[17]:
        raise ValidationFailed("id_number_checksum", "身份证号校验位错误", field)
    gender = "male" if int(v[16]) % 2 == 1 else "female"
    return v, birth, gender


def check_phone(value: str, field: str, label: str) -> str:
    v = re.sub(r"[\s()]", "", normalise_identifier(value))
    if not (_MOBILE.match(v) or _LANDLINE.match(v)):
        raise ValidationFailed("phone_format", f"{label}格式不正确：应为11位手机号或带区号的固定电话（如0351-7676040）", field)
    return v


def check_postcode(value: str, field: str, label: str = "邮政编码") -> str:
    v = re.sub(r"\s", "", normalise_identifier(value))
    if not re.fullmatch(r"[0-8][0-9]{5}", v):
        raise ValidationFailed("postcode_format", f"{label}格式不正确：应为6位数字（如030006）", field)
    return v


def check_email(value: str, field: str, label: str = "电子邮箱") -> str:
    v = (value or "").strip()
    if len(v) > 120 or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}", v):
        raise ValidationFailed("email_format", f"{label}格式不正确：应如 rsc@sx.gov.cn（不超过120个字符）", field)
    return v


def count_chars(text: str | None) -> int:
    """Characters as the rule counts them: every character except whitespace and line breaks."""
    return len(re.sub(r"\s", "", text or ""))


def check_length(text: str | None, limit: int, field: str, label: str) -> None:
    n = count_chars(text)
    if n > limit:
        raise ValidationFailed(f"{field}_too_long",
                               f"{label}超出 {limit} 字（当前 {n} 字，超出 {n - limit} 字）", field)


def deeds_problem(field: str, label: str, text: str | None, rules) -> tuple[str, str, str] | None:
    """The deed-length rule (主要事迹 / 简要事迹, limits from the campaign): (code, message, field) or None.

    The one place of this rule: the form's cleaning, the API and the workflow guard all call it."""
    limit = rules.main_deeds_max if field == "main_deeds" else rules.brief_deeds_max
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


def photo_problem(nomination, rules) -> tuple[str, str, str] | None:
    """The photo rule: the campaign says which kinds need the 二寸 ID photo."""
    if nomination.kind.value in rules.photo_required_for and nomination.photo is None:
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


__all__ = ["DomainError", "ValidationFailed", "parse_id_number", "check_phone", "check_length",
           "count_chars", "full_years_between", "id_check_digit", "region_of"]
