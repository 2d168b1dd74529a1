"""Checks of identifiers and contacts every area uses: 身份证号 (GB 11643, python-stdnum), phone numbers, postcodes,
e-mail addresses, and the person key (a 身份证号's hash) that matches one person across nominations, honours and
accounts. Each check returns the normalised value or raises ValidationFailed naming the field."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from nominate.core.cleaning import normalise_identifier
from nominate.core.errors import ValidationFailed

_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_LANDLINE = re.compile(r"^0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?$")
_ASCII_ID = re.compile(r"^[0-9]{17}[0-9X]$")


def id_check_digit(first17: str) -> str:
    """The GB 11643 check digit of the first 17 digits (python-stdnum's cn.ric)."""
    return ric.calc_check_digit(first17 + "0")


@functools.lru_cache(maxsize=4096)  # a static table: a page's checks ask the same few codes again and again
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


def person_key(id_number: str | None) -> str | None:
    """SHA-256 of the 身份证号 in its one normal form (NFKC, ASCII digits, upper-case X)."""
    return hashlib.sha256(normalise_identifier(id_number).encode()).hexdigest() if id_number else None
