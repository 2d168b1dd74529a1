"""Masking of sensitive values (身份证号, phone numbers) for lists, logs and the audit trail."""
from __future__ import annotations

import re

_ID_RE = re.compile(r"\b(\d{6})\d{8}(\d{3}[\dXx])\b")
_MOBILE_RE = re.compile(r"\b(1[3-9]\d)\d{4}(\d{4})\b")


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


def mask_text(text: str | None) -> str:
    """Mask every 身份证号 and mobile number inside free text."""
    if not text:
        return text or ""
    text = _ID_RE.sub(lambda m: m.group(1) + "********" + m.group(2), text)
    return _MOBILE_RE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
