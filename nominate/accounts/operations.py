"""Accounts: create and invite users, passwords, two factors (TOTP and recovery codes), sessions, login
unlocks, API tokens."""
from __future__ import annotations

import datetime as dt
import hmac
import secrets

import pyotp
import sqlalchemy as sa
from flask import current_app

from nominate.accounts.factors import SECOND_FACTORS
from nominate.accounts.models import (ApiToken, Invitation, RecoveryCode, Role, User, UserSession,
                                      secret_hash)
from nominate.accounts.passwords import check_password_policy
from nominate.audit import operations as audit
from nominate.core import clock
from nominate.core.checks import parse_id_number, person_key
from nominate.core.cleaning import ascii_digits
from nominate.core.errors import PermissionDenied, ValidationFailed
from nominate.extensions import db
from nominate.organisations.models import Organisation



def bump_session_version(user: User, *, keep: UserSession | None = None, reason: str = "ended") -> None:
    """Every session opened before this call stops working (the one mechanism for logout, password change,
    deactivation, a change of role or organisation, and "end my other sessions"). Their server-side records
    are marked ended with ``reason``; ``keep`` (the caller's own session) goes on at the new version."""
    user.session_version = (user.session_version or 0) + 1
    query = sa.update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
        keep.session_version = user.session_version
    db.session.execute(query.values(ended_at=clock.wall(), end_reason=reason),
                       execution_options={"synchronize_session": False})
    db.session.flush()


def end_session(actor: User | None, record: UserSession, reason: str = "ended_by_user") -> None:
    """End one session: its cookie stops working at once. A user ends their own; the system ends idle ones."""
    if actor is not None and actor.id != record.user_id:
        raise PermissionDenied("只能结束本人的会话")
    if record.ended_at is not None:
        return
    record.ended_at = clock.wall()
    record.end_reason = reason
    if reason != "idle":  # an idle time-out is not an act of anyone: the session list shows it
        audit.record(actor, "session_ended", object_type="user", object_id=record.user_id,
                     data={"session": record.id, "reason": reason})
    db.session.flush()


def end_other_sessions(user: User, current: UserSession) -> None:
    """The user ends every session but the one they are using (the session version is raised)."""
    bump_session_version(user, keep=current, reason="ended_by_user")
    audit.record(user, "other_sessions_ended", object_type="user", object_id=user.id)


# ---- two factors ---------------------------------------------------------------------------------------

TOTP_DIGITS = 6


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=current_app.config["TOTP_ISSUER"])


def _totp_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step whose code is ``code`` (within the configured drift), never one already used."""
    code = ascii_digits((code or "").replace(" ", "")).strip()
    if len(code) != TOTP_DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(clock.wall())
    window = int(current_app.config["TOTP_VALID_WINDOW"])
    for step in range(now_step - window, now_step + window + 1):
        if last_step is not None and step <= last_step:
            continue  # a code is accepted once: not again, nor an older one
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes; returns them in clear (shown once, only hashes are kept)."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id),
                       execution_options={"synchronize_session": False})
    codes = []
    for _ in range(int(current_app.config["RECOVERY_CODE_COUNT"])):
        raw = secrets.token_hex(5)  # 40 bits each, from the OS's generator
        code = f"{raw[:5]}-{raw[5:]}"
        codes.append(code)
        db.session.add(RecoveryCode(user_id=user.id, code_hash=secret_hash(code), created_at=clock.wall()))
    return codes


WRONG_CODE = "验证码不正确、已使用或已过期：请输入认证器 App 当前显示的 6 位数字，或一个未用过的恢复码"


def offer_totp_secret(record: UserSession) -> str:
    """A new secret for the enrolment page of this session (kept server-side until a code confirms it)."""
    record.totp_pending = new_totp_secret()
    db.session.flush()
    return record.totp_pending


def enrol_totp(user: User, *, secret: str, code: str, record: UserSession | None = None) -> list[str]:
    """The user confirms enrolment with a code from their app; returns the new recovery codes (shown once)."""
    if not secret or len(secret) < 16:
        raise ValidationFailed("totp_enrolment_expired", "绑定已过期，请重新扫描二维码", "code")
    step = _totp_step(secret, code, None)
    if step is None:
        raise ValidationFailed("totp_wrong", "验证码不正确或已过期：请输入认证器 App 当前显示的 6 位数字", "code")
    user.totp_secret, user.totp_enrolled_at, user.totp_last_step = secret, clock.wall(), step
    if record is not None:
        record.totp_pending = None
    codes = _new_recovery_codes(user)
    audit.record(user, "totp_enrolled", object_type="user", object_id=user.id)
    db.session.flush()
    return codes


def pre_enrol_totp(actor, user: User, secret: str | None = None) -> str:
    """Enrol ``user`` with ``secret`` (or a new one) without a code: the admin's command and the demo's
    accounts. Returns the secret."""
    secret = secret or new_totp_secret()
    pyotp.TOTP(secret).now()  # refuses a secret that is not base32
    user.totp_secret, user.totp_enrolled_at, user.totp_last_step = secret, clock.wall(), None
    audit.record(actor, "totp_enrolled", object_type="user", object_id=user.id, data={"by": "admin"})
    db.session.flush()
    return secret


def reset_two_factor(actor, user: User) -> None:
    """The admin removes a user's TOTP enrolment and recovery codes (a lost phone); their sessions end and
    the next sign-in enrols again."""
    if actor is not None and actor.role != Role.ADMIN:
        raise PermissionDenied("只有系统管理员可以重置双因素认证")
    user.totp_secret = user.totp_enrolled_at = user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id),
                       execution_options={"synchronize_session": False})
    bump_session_version(user, reason="two_factor_reset")
    audit.record(actor, "two_factor_reset", object_type="user", object_id=user.id, data={"username": user.username})


def pass_second_factor(user: User, code: str) -> str:
    """Check a TOTP code or a recovery code; returns the factor passed ("totp" or "recovery").
    A TOTP code is accepted once; a recovery code works once and is then spent."""
    if user.totp_secret is None:
        raise ValidationFailed("totp_not_enrolled", "尚未绑定认证器，请先完成绑定", "code")
    step = _totp_step(user.totp_secret, code, user.totp_last_step)
    if step is not None:
        # a conditional UPDATE: two requests racing with one code, only one moves the step forward
        moved = db.session.execute(
            sa.update(User).where(User.id == user.id, sa.or_(User.totp_last_step.is_(None),
                                                             User.totp_last_step < step))
            .values(totp_last_step=step), execution_options={"synchronize_session": False}).rowcount
        if moved == 1:
            user.totp_last_step = step
            audit.record(user, "second_factor_passed", object_type="user", object_id=user.id,
                         data={"factor": "totp"})
            return "totp"
        raise ValidationFailed("totp_wrong", WRONG_CODE, "code")
    text = (code or "").strip().lower()
    if len(text) <= 20:
        spent = db.session.execute(
            sa.update(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None),
                                          RecoveryCode.code_hash == secret_hash(text))
            .values(used_at=clock.wall()), execution_options={"synchronize_session": False}).rowcount
        if spent == 1:
            left = db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))
            audit.record(user, "second_factor_passed", object_type="user", object_id=user.id,
                         data={"factor": "recovery", "recovery_codes_left": left})
            return "recovery"
    raise ValidationFailed("totp_wrong", WRONG_CODE, "code")


def regenerate_recovery_codes(user: User, *, factors: list[str]) -> list[str]:
    """New recovery codes (the old ones stop working), from a session that passed two factors."""
    _require_two_factors(factors)
    codes = _new_recovery_codes(user)
    audit.record(user, "recovery_codes_regenerated", object_type="user", object_id=user.id)
    db.session.flush()
    return codes


def _require_two_factors(factors: list[str]) -> None:
    if not SECOND_FACTORS.intersection(factors or ()):
        raise PermissionDenied("此操作须在通过双因素认证（密码加动态验证码）的会话中进行", code="two_factors_required")


# ---- invitations ---------------------------------------------------------------------------------------

def invite_user(actor, *, username: str, role: str, organisation: Organisation, display_name: str | None = None,
                id_number: str | None = None) -> tuple[User, str]:
    """The admin creates an account without a password and a one-time link that expires
    (INVITATION_VALID_HOURS); the first visit sets the password. Returns the user and the link's token."""
    if actor is not None and actor.role != Role.ADMIN:
        raise PermissionDenied("只有系统管理员可以邀请用户")
    user = create_user(actor, username=username, password=None, role=role, organisation=organisation,
                       display_name=display_name, id_number=id_number)
    return user, _new_invitation(actor, user)


def reinvite_user(actor, user: User) -> str:
    """A new link for an invited account that has not set its password yet (earlier links stop working)."""
    if actor is not None and actor.role != Role.ADMIN:
        raise PermissionDenied("只有系统管理员可以邀请用户")
    if user.password_set:
        raise ValidationFailed("invitation_not_needed", f"用户 {user.username} 已设置密码，无需邀请", "username")
    return _new_invitation(actor, user)


def _new_invitation(actor, user: User) -> str:
    now = clock.wall()
    db.session.execute(sa.update(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None))
                       .values(used_at=now), execution_options={"synchronize_session": False})
    token = secrets.token_urlsafe(32)
    hours = float(current_app.config["INVITATION_VALID_HOURS"])
    db.session.add(Invitation(user_id=user.id, token_hash=secret_hash(token), created_by_id=getattr(actor, "id", None),
                              created_at=now, expires_at=now + dt.timedelta(hours=hours)))
    audit.record(actor, "user_invited", object_type="user", object_id=user.id,
                 data={"username": user.username, "valid_hours": hours})
    db.session.flush()
    return token


def find_invitation(token: str | None) -> Invitation:
    """The invitation of ``token`` if it may still be used; else a refusal that says why."""
    row = None
    if token and len(token) <= 100 and token.isascii():
        row = db.session.scalar(sa.select(Invitation).filter_by(token_hash=secret_hash(token)))
    if row is None:
        raise ValidationFailed("invitation_invalid", "邀请链接无效：请向系统管理员索取新的链接", "token")
    if row.used_at is not None or row.user.password_set:
        raise ValidationFailed("invitation_used", "邀请链接已使用或已作废（每个链接只能使用一次）", "token")
    if clock.wall() >= clock.utc(row.expires_at):
        raise ValidationFailed("invitation_expired", "邀请链接已过期：请向系统管理员索取新的链接", "token")
    if not row.user.active:
        raise ValidationFailed("invitation_invalid", "该账号已停用", "token")
    return row


def accept_invitation(token: str, password: str) -> User:
    """The invited user sets a first password that meets the policy; the link is spent."""
    row = find_invitation(token)
    user = row.user
    check_password_policy(password, username=user.username, field="password")
    spent = db.session.execute(sa.update(Invitation).where(Invitation.id == row.id, Invitation.used_at.is_(None))
                               .values(used_at=clock.wall()), execution_options={"synchronize_session": False}).rowcount
    if spent != 1:
        raise ValidationFailed("invitation_used", "邀请链接已使用或已作废（每个链接只能使用一次）", "token")
    user.set_password(password)
    user.password_set = True
    audit.record(user, "invitation_accepted", object_type="user", object_id=user.id)
    db.session.flush()
    return user


def normalise_username(name: str | None) -> str:
    """The one form a user name is stored and looked up in: NFKC with ASCII digits, trimmed, so a full-width
    or other-script spelling (ｔａｉｙｕａｎ, taiyuan１) is the same account, never a second one."""
    import unicodedata

    if not name or not name.isprintable():
        return (name or "").strip()
    return ascii_digits(unicodedata.normalize("NFKC", name)).strip()


def create_user(actor, *, username: str, password: str | None, role: str, organisation: Organisation,
                display_name: str | None = None, id_number: str | None = None) -> User:
    username = normalise_username(username)
    if not username or len(username) > 64:
        raise ValidationFailed("username_invalid", "用户名不能为空且不超过64个字符", "username")
    if db.session.scalar(db.select(User).filter_by(username=username)):
        raise ValidationFailed("username_taken", f"用户名 {username} 已存在", "username")
    if password is not None:  # None: an invited account, whose first login sets the password
        check_password_policy(password, username=username, field="password")
    try:
        role_enum = Role(role)
    except ValueError:
        raise ValidationFailed("role_invalid", "角色须为：" + "、".join(f"{r.value}（{r.label}）" for r in Role),
                               "role") from None
    if id_number:
        id_number = parse_id_number(id_number, "id_number")[0]
    user = User(username=username, display_name=display_name or username, role=role_enum, organisation=organisation,
                person_key=person_key(id_number))
    if password is None:
        user.set_password(secrets.token_urlsafe(32))  # never told to anyone; check_password refuses anyway
        user.password_set = False
    else:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user_created", object_type="user", object_id=user.id,
                 data={"username": username, "role": role_enum.value, "organisation": organisation.short_name})
    return user


def issue_token(actor, user: User, name: str = "api") -> str:
    """Create a token and return its clear value (shown once; only the hash is stored). Called by the admin's
    command; a user's own page goes through ``create_own_token``."""
    clear = ApiToken.generate()
    db.session.add(ApiToken(user=user, name=name, token_hash=ApiToken.hash(clear), prefix=clear[:10]))
    db.session.flush()
    audit.record(actor, "token_issued", object_type="user", object_id=user.id, data={"name": name})
    return clear


def create_own_token(user: User, name: str, *, factors: list[str]) -> str:
    """A user creates an API token for themself, only from a session that passed two factors."""
    _require_two_factors(factors)
    name = (name or "").strip()
    if not name or len(name) > 80 or not name.isprintable():
        raise ValidationFailed("token_name_invalid", "令牌名称不能为空且不超过80个字符", "name")
    return issue_token(user, user, name)


def revoke_token(actor, token: ApiToken) -> None:
    """Revoke ``token`` (its owner, or the admin's command with no actor); it answers 401 at once."""
    if actor is not None and actor.id != token.user_id:
        raise PermissionDenied("只能吊销本人的令牌")
    if token.revoked_at is not None:
        return
    token.revoked_at = clock.now()
    audit.record(actor, "token_revoked", object_type="user", object_id=token.user_id, data={"name": token.name})
    db.session.flush()


def change_password(actor: User, *, current: str, new: str, keep: UserSession | None = None) -> None:
    """A user changes their own password (the current one is asked again)."""
    if not actor.check_password(current or ""):
        raise ValidationFailed("password_wrong", "当前密码不正确", "current")
    if new == current:
        raise ValidationFailed("password_unchanged", "新密码不能与当前密码相同", "new")
    check_password_policy(new, username=actor.username, field="new")
    actor.set_password(new)
    bump_session_version(actor, keep=keep, reason="password_changed")  # other sessions (a stolen cookie) end
    audit.record(actor, "password_changed", object_type="user", object_id=actor.id)
    db.session.flush()


def log_out(user: User) -> None:
    """The user logs out: this cookie, and any copy of it, stops working (and every other session)."""
    bump_session_version(user, reason="logout")
    audit.record(user, "logout", object_type="user", object_id=user.id)


def unlock_login(actor, user: User) -> None:
    """The admin lifts the login throttle of ``user`` from every address (its failure counters restart)."""
    if actor is not None and actor.role != Role.ADMIN:
        from nominate.core.errors import PermissionDenied

        raise PermissionDenied("只有系统管理员可以解除登录限制")
    user.login_generation = (user.login_generation or 0) + 1
    audit.record(actor, "login_unlocked", object_type="user", object_id=user.id, data={"username": user.username})
    db.session.flush()


def move_user(actor, user: User, *, role: str | None = None, organisation: Organisation | None = None) -> None:
    """The admin changes a user's role or organisation; the user's open sessions end."""
    if actor is not None and actor.role != Role.ADMIN:
        from nominate.core.errors import PermissionDenied

        raise PermissionDenied("只有系统管理员可以修改用户的角色或单位")
    before = {"role": user.role.value, "organisation": user.organisation.short_name}
    if role is not None:
        try:
            user.role = Role(role)
        except ValueError:
            raise ValidationFailed("role_invalid", "角色须为：" + "、".join(f"{r.value}（{r.label}）" for r in Role),
                                   "role") from None
    if organisation is not None:
        user.organisation = organisation
    after = {"role": user.role.value, "organisation": user.organisation.short_name}
    if after == before:
        return
    bump_session_version(user, reason="user_moved")
    audit.record(actor, "user_moved", object_type="user", object_id=user.id,
                 data={"username": user.username, "before": before, "after": after})


def set_user_active(actor: User, user: User, active: bool) -> None:
    """The admin disables (or re-enables) an account; a disabled account can neither log in nor use tokens."""
    from nominate.core.errors import PermissionDenied

    if actor.role != Role.ADMIN:
        raise PermissionDenied("只有系统管理员可以启用或停用账号")
    if user.id == actor.id and not active:
        raise ValidationFailed("cannot_disable_self", "不能停用自己的账号", "active")
    user.active = active
    if not active:
        bump_session_version(user, reason="user_disabled")
    audit.record(actor, "user_enabled" if active else "user_disabled", object_type="user", object_id=user.id,
                 data={"username": user.username})
    db.session.flush()


# ---- single sign-on (统一身份认证, OpenID Connect): accounts.oidc reads the platform's answer -------------------

SSO_ID_MAX = 128


def normalise_sso_id(value: str | None) -> str:
    """The one form a platform identifier is stored and looked up in (as user names: NFKC, ASCII digits, trimmed),
    so a 工号 typed with full-width digits is the platform's ASCII one."""
    return normalise_username(value)


def find_sso_account(value: str) -> User | None:
    """The account an admin linked to this platform identifier, if any (a value PostgreSQL cannot hold, such as
    one with NUL, is no account, never a query)."""
    value = normalise_sso_id(value)
    if not value or not value.isprintable() or len(value) > SSO_ID_MAX:
        return None
    return db.session.scalar(db.select(User).filter_by(sso_id=value))


def set_sso_id(actor, user: User, value: str | None) -> None:
    """The admin links ``user`` to a person of the 统一身份认证 platform (the value of ``OIDC_MATCH_CLAIM``), or
    unlinks it (empty). Sessions opened under the old link end."""
    if actor is not None and actor.role != Role.ADMIN:
        raise PermissionDenied("只有系统管理员可以设置统一身份认证标识")
    value = normalise_sso_id(value) or None
    if value is not None and not value.isprintable():
        raise ValidationFailed("sso_id_invalid", "统一身份认证标识不能含有控制字符或不可见字符", "sso_id")
    if value is not None and len(value) > SSO_ID_MAX:
        raise ValidationFailed("sso_id_too_long", f"统一身份认证标识不能超过{SSO_ID_MAX}个字符（当前{len(value)}个）",
                               "sso_id")
    if value == user.sso_id:
        return
    if value is not None:
        holder = db.session.scalar(db.select(User).where(User.sso_id == value, User.id != user.id))
        if holder is not None:
            raise ValidationFailed("sso_id_taken", f"统一身份认证标识 {value} 已关联账号 {holder.username}", "sso_id")
    before, user.sso_id = user.sso_id, value
    bump_session_version(user)
    audit.record(actor, "user_sso_linked" if value else "user_sso_unlinked", object_type="user", object_id=user.id,
                 data={"username": user.username, "before": before, "after": value})
    db.session.flush()


def record_sso_login(user: User, *, subject: str, factors) -> None:
    """A successful single sign-on (the session was opened by auth.start_session with these factors)."""
    audit.record(user, "login", object_type="user", object_id=user.id,
                 data={"method": "oidc", "subject": subject, "factors": list(factors)})


def refuse_sso_login(user: User | None, *, reason: str, identity: str | None, subject: str | None, caller: str,
                     path: str, window_minutes: int) -> None:
    """A single sign-on refused: an identity no account is linked to, a disabled account, or an answer of the
    platform that signs nobody in. One audit row per address, identity and window, with a counter."""
    audit.record_refusal(None, action="login_failed", caller=caller, route=f"sso {reason} {identity or ''}"[:250],
                         path=path, window_minutes=window_minutes,
                         data={"object_type": "user", "object_id": user.id if user else None, "method": "oidc",
                               "reason": reason, "identity": identity, "subject": subject,
                               "username": user.username if user else None})
