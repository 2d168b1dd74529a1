"""The password policy (等保 2.0 第三级: 口令复杂度): length, character classes, not the user name, not a
common password, and a strength estimate from zxcvbn (Dropbox's estimator, with its list of 30,000 common
passwords). The figures are configuration (``PASSWORD_*``), not constants."""
from __future__ import annotations

import string

from flask import current_app
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from nominate.core.errors import ValidationFailed

_COMMON = frozenset(FREQUENCY_LISTS["passwords"])
CLASSES = (("大写字母", str.isupper), ("小写字母", str.islower), ("数字", str.isdigit),
           ("符号", lambda c: c in string.punctuation or c == " "))


def policy_text() -> str:
    cfg = current_app.config
    return (f"至少 {cfg['PASSWORD_MIN_LENGTH']} 位，含大写字母、小写字母、数字、符号中的至少 "
            f"{cfg['PASSWORD_MIN_CLASSES']} 类，不含用户名，不是常见密码")


def check_password_policy(password: str, *, username: str = "", field: str = "password") -> None:
    """Refuse a password the policy does not allow, with a message that names the rule."""
    cfg = current_app.config
    password = password or ""
    if len(password) < cfg["PASSWORD_MIN_LENGTH"]:
        raise ValidationFailed("password_too_short", f"密码至少 {cfg['PASSWORD_MIN_LENGTH']} 位", field)
    if len(password) > 128:
        raise ValidationFailed("password_too_long", "密码不能超过 128 位", field)
    if any(ord(c) < 32 or ord(c) == 127 for c in password):
        raise ValidationFailed("password_invalid", "密码不能含控制字符", field)
    classes = [label for label, test in CLASSES if any(test(c) for c in password)]
    if len(classes) < cfg["PASSWORD_MIN_CLASSES"]:
        raise ValidationFailed("password_too_simple",
                               f"密码须含大写字母、小写字母、数字、符号中的至少 {cfg['PASSWORD_MIN_CLASSES']} 类"
                               f"（现有：{'、'.join(classes) or '无'}）", field)
    lowered = password.lower()
    name = (username or "").strip().lower()
    if name and (name in lowered or name[::-1] in lowered):
        raise ValidationFailed("password_contains_username", "密码不能包含用户名", field)
    if lowered in _COMMON:
        raise ValidationFailed("password_common", "该密码是常见密码，请换一个", field)
    result = zxcvbn(password[:100], user_inputs=[name] if name else [])
    if result["score"] < cfg["PASSWORD_MIN_SCORE"]:
        raise ValidationFailed("password_weak", "密码太容易被猜中（由常见单词、日期、键盘序列或重复字符组成），请换一个",
                               field)
