"""Accounts: create users, passwords and sessions, login unlocks, API tokens."""
from __future__ import annotations

from nominate.accounts.models import ApiToken, Role, User
from nominate.accounts.passwords import check_password_policy
from nominate.audit import operations as audit
from nominate.core import clock
from nominate.core.cleaning import ascii_digits
from nominate.core.errors import PermissionDenied, ValidationFailed
from nominate.extensions import db
from nominate.nominations.permissions import person_key
from nominate.organisations.models import Organisation



def bump_session_version(user: User) -> None:
    """Every session cookie opened before this call stops working (the one mechanism for logout,
    password change, deactivation and a change of role or organisation)."""
    user.session_version = (user.session_version or 0) + 1
    db.session.flush()


def normalise_username(name: str | None) -> str:
    """The one form a user name is stored and looked up in: NFKC with ASCII digits, trimmed, so a full-width
    or other-script spelling (ｔａｉｙｕａｎ, taiyuan１) is the same account, never a second one."""
    import unicodedata

    if not name or not name.isprintable():
        return (name or "").strip()
    return ascii_digits(unicodedata.normalize("NFKC", name)).strip()


def create_user(actor, *, username: str, password: str, role: str, organisation: Organisation,
                display_name: str | None = None, id_number: str | None = None) -> User:
    username = normalise_username(username)
    if not username or len(username) > 64:
        raise ValidationFailed("username_invalid", "用户名不能为空且不超过64个字符", "username")
    if db.session.scalar(db.select(User).filter_by(username=username)):
        raise ValidationFailed("username_taken", f"用户名 {username} 已存在", "username")
    check_password_policy(password, username=username, field="password")
    try:
        role_enum = Role(role)
    except ValueError:
        raise ValidationFailed("role_invalid", "角色须为：" + "、".join(f"{r.value}（{r.label}）" for r in Role),
                               "role") from None
    if id_number:
        from nominate.nominations.validation import parse_id_number

        id_number = parse_id_number(id_number, "id_number")[0]
    user = User(username=username, display_name=display_name or username, role=role_enum, organisation=organisation,
                person_key=person_key(id_number))
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user_created", object_type="user", object_id=user.id,
                 data={"username": username, "role": role_enum.value, "organisation": organisation.short_name})
    return user


def issue_token(actor, user: User, name: str = "api") -> str:
    """Create a token and return its clear value (shown once; only the hash is stored)."""
    clear = ApiToken.generate()
    db.session.add(ApiToken(user=user, name=name, token_hash=ApiToken.hash(clear), prefix=clear[:10]))
    db.session.flush()
    audit.record(actor, "token_issued", object_type="user", object_id=user.id, data={"name": name})
    return clear


def revoke_token(actor, token: ApiToken) -> None:
    token.revoked_at = clock.now()
    audit.record(actor, "token_revoked", object_type="user", object_id=token.user_id, data={"name": token.name})
    db.session.flush()


def change_password(actor: User, *, current: str, new: str) -> None:
    """A user changes their own password (the current one is asked again)."""
    if not actor.check_password(current or ""):
        raise ValidationFailed("password_wrong", "当前密码不正确", "current")
    if new == current:
        raise ValidationFailed("password_unchanged", "新密码不能与当前密码相同", "new")
    check_password_policy(new, username=actor.username, field="new")
    actor.set_password(new)
    bump_session_version(actor)  # other sessions (a stolen cookie) end; the caller re-opens its own
    audit.record(actor, "password_changed", object_type="user", object_id=actor.id)
    db.session.flush()


def log_out(user: User) -> None:
    """The user logs out: this cookie, and any copy of it, stops working."""
    bump_session_version(user)
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
    bump_session_version(user)
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
        bump_session_version(user)
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
