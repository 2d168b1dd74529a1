"""Masking of sensitive values (身份证号, phone numbers): the one function for lists, pages, the API, the
audit trail and the logs.

Numbers are found whatever stands next to them: Chinese text is made of word characters, so ``\\b`` never
separates "身份证号140105…有误"; the patterns instead require that no digit (of any script, full-width
included) touches the number on either side.
"""
from __future__ import annotations

import re

_D = r"\d"  # str patterns: any Unicode decimal digit (ASCII, full-width, other scripts)
_EDGE_L, _EDGE_R = r"(?<!\d)", r"(?!\d)"
#: 18-character 身份证号 (last may be X), and the 15-digit first-generation number
_ID18_RE = re.compile(_EDGE_L + rf"({_D}{{6}}){_D}{{8}}({_D}{{3}}[{_D}XxＸｘ])" + r"(?![\dXxＸｘ])")
_ID15_RE = re.compile(_EDGE_L + rf"({_D}{{6}}){_D}{{6}}({_D}{{3}})" + _EDGE_R)
#: mobile numbers, optionally +86 and separated 3-4-4 by a space or hyphen
_MOBILE_RE = re.compile(_EDGE_L + r"((?:\+?86[- ]?)?[1１][3-9３-９]\d)[- ]?\d{4}[- ]?(\d{4})" + _EDGE_R)
#: landlines with an area code: 0351-7676040, 010 12345678
_LANDLINE_RE = re.compile(_EDGE_L + r"(0\d{2,3})[- ]?\d{3,4}(\d{4})" + _EDGE_R)


def mask_id(value: str | None) -> str:
    if not value:
        return ""
    v = str(value)
    if len(v) < 8:
        return "*" * len(v)
    return v[:6] + "*" * (len(v) - 10) + v[-4:]


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    v = str(value)
    if len(v) <= 4:
        return "*" * len(v)
    return v[:3] + "*" * (len(v) - 7) + v[-4:] if len(v) >= 7 else "*" * (len(v) - 2) + v[-2:]


def mask_text(text):
    """Mask every 身份证号 and phone number inside free text (non-strings are returned unchanged)."""
    if not text or not isinstance(text, str):
        return text if text is not None else ""
    text = _ID18_RE.sub(lambda m: m.group(1) + "********" + m.group(2), text)
    text = _ID15_RE.sub(lambda m: m.group(1) + "******" + m.group(2), text)
    text = _MOBILE_RE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
    return _LANDLINE_RE.sub(lambda m: m.group(1) + "-****" + m.group(2), text)


def mask_data(data):
    """mask_text applied to every string inside a JSON-like value (dict keys kept)."""
    if isinstance(data, dict):
        return {k: mask_data(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [mask_data(v) for v in data]
    if isinstance(data, str):
        return mask_text(data)
    return data
