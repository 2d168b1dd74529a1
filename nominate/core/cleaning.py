"""Input cleaning: the one step every text passes on its way in (web forms, API, imports).

- Every field refuses control characters (NUL included; tab and line breaks are text), invisible format
  characters (zero-width spaces and joiners, the BOM, bidi embeddings/overrides/isolates) and lone
  surrogates, with an error that names the field.
- Identifier-like fields (身份证号, phones, postcodes, numbers, user names) are NFKC-normalised, so that
  full-width or other-script digits become ASCII (１４０… → 140…) and one person has one key.
- Free text is only trimmed of ASCII whitespace and line breaks: Chinese punctuation (，（）：；！？) and the
  full-width 　　 indent at the start of a paragraph are kept as typed.
"""
from __future__ import annotations

import functools
import json
import re
import sys
import unicodedata

from nominate.core.errors import ValidationFailed

#: characters of category Cc that are ordinary text
_TEXT_CONTROLS = {"\t", "\n", "\r"}
#: Unicode categories refused everywhere: Cc control, Cf format (zero-width, bidi, BOM …), Cs surrogate
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs"}
#: trimmed from free text; U+3000 (the full-width indent) is not among them
_ASCII_SPACE = " \t\r\n\x0b\x0c"

#: JSON bodies: deeper nesting is refused before it is parsed into objects
MAX_JSON_DEPTH = 32
#: integers anywhere in input: larger magnitudes are refused (no id, count or year comes close)
MAX_INT_DIGITS = 15


@functools.cache
def _refused_class() -> str:
    """A regex character class body of every refused code point (built once, in about half a second, so
    that a 1 MB text is searched in C rather than character by character in Python)."""
    ranges, start = [], None
    for cp in range(sys.maxunicode + 2):
        bad = cp <= sys.maxunicode and unicodedata.category(chr(cp)) in _REFUSED_CATEGORIES \
            and chr(cp) not in _TEXT_CONTROLS
        if bad and start is None:
            start = cp
        elif not bad and start is not None:
            ranges.append((start, cp - 1))
            start = None
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


@functools.cache
def _refused_pattern(single_line: bool) -> re.Pattern:
    return re.compile("[" + _refused_class() + ("\t\n\r" if single_line else "") + "]")


def refused_character(text: str, *, single_line: bool = False) -> str | None:
    """The first character no field accepts (with ``single_line``: no tab or line break either), or None."""
    found = _refused_pattern(single_line).search(text)
    return found.group() if found else None


def describe(ch: str) -> str:
    """A refused character as an official can read it: its code point and kind."""
    cat = unicodedata.category(ch)
    kind = {"Cc": "控制字符", "Cs": "无效的代理字符"}.get(cat)
    if kind is None:
        name = unicodedata.name(ch, "")
        kind = ("零宽字符" if "ZERO WIDTH" in name or ch == "\ufeff" else
                "文字方向控制符" if any(w in name for w in ("DIRECTIONAL", "EMBEDDING", "OVERRIDE", "ISOLATE", "MARK"))
                else "不可见的格式字符")
    return f"{kind} U+{ord(ch):04X}"


def check_characters(text: str, field: str | None, label: str | None = None, *, single_line: bool = False) -> None:
    """Refuse ``text`` when it holds a character no field accepts; the error names the field."""
    ch = refused_character(text, single_line=single_line)
    if ch is not None:
        name = label or field or "输入"
        raise ValidationFailed("invalid_character",
                               f"“{name}”含有不允许的字符（{describe(ch)}），请删除后重新填写", field)


def clean_text(value, field: str | None = None, label: str | None = None, *, identifier: bool = False):
    """The cleaning step for one value: refuse bad characters, NFKC identifiers, trim.

    Non-strings are returned unchanged (numbers, dates, None) so callers can pass any raw value."""
    if not isinstance(value, str):
        return value
    check_characters(value, field, label)
    if identifier:
        return _ascii_digits(unicodedata.normalize("NFKC", value)).strip()
    return value.replace("\r\n", "\n").strip(_ASCII_SPACE)


def _ascii_digits(text: str) -> str:
    """Every decimal digit of any script (Arabic-Indic ٣, Devanagari ३ …) as its ASCII digit: NFKC maps only
    the full-width ones."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if unicodedata.category(ch) == "Nd" else ch for ch in text)


def normalise_identifier(value: str | None) -> str:
    """NFKC, ASCII digits, trimmed and upper-cased (the X of a 身份证号): the one form an identifier is
    stored and compared in."""
    return _ascii_digits(unicodedata.normalize("NFKC", value or "")).strip().upper()


class InputRefused(ValidationFailed):
    """A request's raw input was refused before any view read it (bad characters, nesting, huge numbers)."""


def check_input_value(value, field: str, *, depth: int = 0, single_line: bool = False) -> None:
    """Walk a parsed input value (query/form/JSON) and refuse bad characters and huge integers anywhere.

    ``single_line`` (query strings, path segments): tabs and line breaks are refused too."""
    stack = [(value, field, depth)]
    while stack:
        item, name, level = stack.pop()
        if level > MAX_JSON_DEPTH:
            raise InputRefused("json_too_deep", f"JSON 嵌套层数超过 {MAX_JSON_DEPTH} 层", name or None)
        if isinstance(item, str):
            check_characters(item, name or None, single_line=single_line)
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if len(str(abs(item))) > MAX_INT_DIGITS:
                raise InputRefused("number_too_large", f"“{name or '输入'}”的数值过大（超过 {MAX_INT_DIGITS} 位）",
                                   name or None)
        elif isinstance(item, dict):
            for key, sub in item.items():
                check_characters(str(key), name or None)
                stack.append((sub, f"{name}.{key}" if name else str(key), level + 1))
        elif isinstance(item, list):
            for i, sub in enumerate(item):
                stack.append((sub, f"{name}[{i}]" if name else f"[{i}]", level + 1))


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(r"[\[\]{}]")


def _json_depth(text: str) -> int:
    """The deepest nesting of brackets outside strings (scanned, not parsed: no recursion)."""
    depth = deepest = 0
    for m in _BRACKETS.finditer(_JSON_STRING.sub("", text)):
        if m.group() in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_JSON_DEPTH:
                    return deepest
        else:
            depth -= 1
    return deepest


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise InputRefused("number_too_large", f"数值过大（超过 {MAX_INT_DIGITS} 位）", None)
    return int(text)


def _float(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise InputRefused("number_too_large", "数值超出范围", None)
    return number


def _constant(name: str):
    raise InputRefused("number_invalid", f"JSON 中不允许 {name}", None)


def safe_json_loads(text: str):
    """json.loads with limits: nesting depth, integer length, no NaN/Infinity; errors are InputRefused."""
    if _json_depth(text) > MAX_JSON_DEPTH:
        raise InputRefused("json_too_deep", f"JSON 嵌套层数超过 {MAX_JSON_DEPTH} 层", None)
    try:
        return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except (ValueError, RecursionError):
        raise InputRefused("json_invalid", "请求内容不是有效的 JSON", None) from None
