"""Login (password, then the second factor), two-factor enrolment, invitations, the user's own sessions and
API tokens, logout and password change; the admin's list of users."""
from __future__ import annotations

import segno
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user
from markupsafe import Markup

from nominate.accounts import factors, oidc, operations, queries
from nominate.accounts.auth import SESSION_VERSION_KEY, current_session_record, safe_next, start_session
from nominate.accounts.forms import (CodeForm, EnrolForm, InvitationForm, InviteForm, LoginForm, PasswordForm,
                                     TokenForm, UserForm)
from nominate.accounts.passwords import policy_text
from nominate.accounts.permissions import can_manage_own
from nominate.accounts.models import ApiToken, Role, User, UserSession
from nominate.audit import operations as audit
from nominate.core.db import row_id, unit_of_work
from nominate.core.loading import load_for
from nominate.core.errors import DomainError, PermissionDenied
from nominate.extensions import db, limiter
from nominate.organisations.models import Organisation
from nominate.core.forms import apply_errors, select_choices

auth = Blueprint("auth", __name__, template_folder="templates")
bp = Blueprint("accounts", __name__, template_folder="templates", url_prefix="/admin")


def _safe_next(target: str | None) -> str:
    return safe_next(target) or url_for("web.home")


def _login_pair() -> str:
    """The throttle's key: (account name, client address, the account's unlock generation). Failures
    from one address never hold back the same account at another address; the admin's unlock starts
    the account's counters afresh everywhere."""
    from flask_limiter.util import get_remote_address

    name = operations.normalise_username(request.form.get("username")).lower()[:64]
    # runs before the form is cleaned: a name PostgreSQL cannot hold (NUL) is no account, never a query
    generation = None if not name.isprintable() else db.session.scalar(
        db.select(User.login_generation).where(db.func.lower(User.username) == name))
    return f"login-pair:{name}:{get_remote_address()}:{generation or 0}"


def _login_failed(response) -> bool:
    return response.status_code != 302  # a successful login redirects; only failures count


@auth.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"], deduct_when=_login_failed)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"], key_func=_login_pair,
               deduct_when=_login_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    form = LoginForm()
    if request.method == "POST" and not oidc.local_login_enabled():
        return _local_login_switched_off()
    if form.validate_on_submit():
        name = operations.normalise_username(form.username.data)
        user = db.session.scalar(db.select(User).filter_by(username=name)) if name.isprintable() else None
        if user is not None and user.check_password(form.password.data) and user.active:
            with unit_of_work():
                start_session(user, "password")
                audit.record(user, "login", object_type="user", object_id=user.id)
            return _after_first_factor(user, request.args.get("next"))
        with unit_of_work():  # one row per address, account and window, with a counter
            audit.record_refusal(None, action="login_failed", caller=f"addr:{request.remote_addr}",
                                 route=f"login {name.lower()[:64]}", path=request.path,
                                 window_minutes=current_app.config["REFUSAL_WINDOW_MINUTES"],
                                 data={"object_type": "user", "object_id": user.id if user else None,
                                       "username": form.username.data[:64],
                                       "disabled": bool(user and not user.active)})
        form.password.errors.append("用户名或密码错误，或账号已停用")
    return _login_page(form)


def _login_page(form=None, *, sso_error: str | None = None, status: int = 200):
    """The login page: the local form (unless switched off) and the 统一身份认证 button (when configured)."""
    return render_template("accounts/login.html", form=form or LoginForm(), sso_error=sso_error,
                           local_login=oidc.local_login_enabled(), sso_enabled=oidc.configured(),
                           sso_name=oidc.provider_name() if oidc.configured() else None,
                           next_path=safe_next(request.args.get("next"))), status


def _local_login_switched_off():
    with unit_of_work():
        audit.record_refusal(None, action="login_failed", caller=f"addr:{request.remote_addr}",
                             route="login local-off", path=request.path,
                             window_minutes=current_app.config["REFUSAL_WINDOW_MINUTES"],
                             data={"reason": "local_login_off",
                                   "username": (request.form.get("username") or "")[:64]})
    return _login_page(sso_error=f"本系统已关闭用户名密码登录，请通过{oidc.provider_name()}登录", status=403)


#: where to go after single sign-on (a same-site path), kept in the session while the user is at the platform
_SSO_NEXT = "sso_next"


@auth.route("/login/oidc")
def oidc_login():
    """Off to the 统一身份认证 platform's login page (state, nonce and the PKCE verifier wait in the session)."""
    if not oidc.configured():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    session.pop(_SSO_NEXT, None)
    target = safe_next(request.args.get("next"))
    if target:
        session[_SSO_NEXT] = target
    redirect_uri = current_app.config.get("OIDC_REDIRECT_URI") or url_for("auth.oidc_callback", _external=True)
    try:
        return oidc.authorize_redirect(redirect_uri)
    except oidc.SsoFailed as exc:
        return _login_page(sso_error=exc.message, status=exc.status)


@auth.route("/login/oidc/callback")
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], deduct_when=_login_failed)
def oidc_callback():
    """The platform sends the browser back: the account an admin linked to this identity is signed in; an
    unknown identity or a disabled account is refused and audited."""
    if not oidc.configured():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    caller, window = f"addr:{request.remote_addr}", current_app.config["REFUSAL_WINDOW_MINUTES"]
    try:
        identity = oidc.complete_authorization()
    except oidc.SsoFailed as exc:
        with unit_of_work():
            operations.refuse_sso_login(None, reason=exc.code, identity=None, subject=None, caller=caller,
                                        path=request.path, window_minutes=window)
        return _login_page(sso_error=exc.message, status=exc.status)
    user = operations.find_sso_account(identity.value)
    if user is None or not user.active:
        reason = "sso_unknown_identity" if user is None else "sso_account_disabled"
        with unit_of_work():
            operations.refuse_sso_login(user, reason=reason, identity=identity.value, subject=identity.subject,
                                        caller=caller, path=request.path, window_minutes=window)
        message = (f"{oidc.provider_name()}账号 {identity.value} 未开通本系统，请联系系统管理员" if user is None
                   else "该账号已停用，请联系系统管理员")
        return _login_page(sso_error=message, status=403)
    target = session.get(_SSO_NEXT)
    start_session(user, tuple(identity.factors))
    with unit_of_work():
        operations.record_sso_login(user, subject=identity.subject, factors=identity.factors)
    return redirect(_safe_next(target))


def _after_first_factor(user: User, target: str | None):
    """After the password (or another first factor): on to the second factor when one is owed."""
    nxt = safe_next(target)
    if factors.owes_second_factor(user):
        return redirect(url_for("auth.two_factor" if user.totp_secret else "auth.two_factor_enrol", next=nxt))
    return redirect(nxt or url_for("web.home"))


def _code_pair() -> str:
    """The second-factor throttle's key: the account (a 6-digit code must not be guessed by trying)."""
    return f"second-factor:{getattr(current_user, 'id', None)}:{getattr(current_user, 'login_generation', 0)}"


@auth.route("/login/two-factor", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"], key_func=_code_pair,
               deduct_when=_login_failed)
@login_required
def two_factor():
    """The second step of sign-in: a TOTP code from the user's app, or one recovery code."""
    if not current_user.totp_secret:
        return redirect(url_for("auth.two_factor_enrol", next=safe_next(request.args.get("next"))))
    if factors.passed_two_factors():
        return redirect(_safe_next(request.args.get("next")))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                factor = operations.pass_second_factor(current_user, form.code.data)
        except DomainError as exc:
            with unit_of_work():
                audit.record_refusal(current_user, action="second_factor_failed", caller=f"user:{current_user.id}",
                                     route="two-factor", path=request.path,
                                     window_minutes=current_app.config["REFUSAL_WINDOW_MINUTES"],
                                     data={"object_type": "user", "object_id": current_user.id})
            apply_errors(form, exc)
        else:
            factors.add_factor(factor)
            if factor == "recovery":
                flash("已使用一个恢复码（每个恢复码只能用一次）。如手机丢失，请尽快在“双因素认证”页重新生成恢复码。", "info")
            return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/two_factor.html", form=form)


def _qr_svg(uri: str) -> Markup:
    """The otpauth URI as an inline SVG QR code (segno; no image request, no CDN)."""
    return Markup(segno.make(uri, error="m").svg_inline(scale=4, border=2, omitsize=False))


@auth.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor_enrol():
    """Bind an authenticator app (QR code, confirmed by a code); once bound, regenerate recovery codes."""
    if current_user.totp_secret:
        if factors.owes_second_factor(current_user):
            return redirect(url_for("auth.two_factor", next=safe_next(request.args.get("next"))))
        codes = None
        if request.method == "POST":
            with unit_of_work():
                codes = operations.regenerate_recovery_codes(current_user, factors=factors.factors())
        return render_template("accounts/two_factor_status.html", codes=codes,
                               left=queries.recovery_codes_left(current_user))
    form = EnrolForm()
    record = current_session_record()
    if not record.totp_pending:
        with unit_of_work():
            operations.offer_totp_secret(record)
    secret = record.totp_pending
    if form.validate_on_submit():
        try:
            with unit_of_work():
                codes = operations.enrol_totp(current_user, secret=secret, code=form.code.data, record=record)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            factors.add_factor("totp")
            flash("认证器已绑定：今后登录时须输入认证器显示的动态验证码", "success")
            return render_template("accounts/two_factor_status.html", codes=codes, left=len(codes),
                                   next=safe_next(request.args.get("next")))
    uri = operations.provisioning_uri(current_user, secret)
    return render_template("accounts/two_factor_enrol.html", form=form, qr=_qr_svg(uri), secret=secret,
                           must=factors.must_use_two_factors(current_user))


@auth.route("/account/sessions")
@login_required
def sessions():
    """The user's last login and active sessions; each can be ended here."""
    current = current_session_record()
    return render_template("accounts/sessions.html", rows=queries.sessions_of(current_user),
                           current_id=current.id if current else None,
                           last_login=queries.last_login(current_user, current))


def _own_session(session_id: int) -> UserSession:
    return load_for(current_user, UserSession, session_id, can=can_manage_own, what="会话")


@auth.route("/account/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id):
    record = _own_session(session_id)
    with unit_of_work():
        operations.end_session(current_user, record)
    flash("该会话已结束", "success")
    if current_session_record() is not None and record.id == current_session_record().id:
        return redirect(url_for("auth.login"))
    return redirect(url_for("auth.sessions"))


@auth.route("/account/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    current = current_session_record()
    with unit_of_work():
        operations.end_other_sessions(current_user, current)
    session[SESSION_VERSION_KEY] = current_user.session_version  # this session goes on, the others end
    flash("其他会话均已结束", "success")
    return redirect(url_for("auth.sessions"))


@auth.route("/account/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    """The user's API tokens: created only in a session that passed two factors, listed, revoked."""
    form = TokenForm()
    clear = None
    if form.validate_on_submit():
        try:
            with unit_of_work():
                clear = operations.create_own_token(current_user, form.name.data, factors=factors.factors())
        except DomainError as exc:
            if exc.status == 403:
                raise
            apply_errors(form, exc)
    return render_template("accounts/tokens.html", form=form, clear=clear, rows=queries.tokens_of(current_user),
                           can_create=factors.passed_two_factors())


@auth.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id):
    token = load_for(current_user, ApiToken, token_id, can=can_manage_own, what="令牌")
    with unit_of_work():
        operations.revoke_token(current_user, token)
    flash(f"令牌 {token.name}（{token.prefix}…）已吊销", "success")
    return redirect(url_for("auth.tokens"))


@auth.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token):
    """An invited user opens the admin's one-time link and sets a first password that meets the policy."""
    try:
        invite = operations.find_invitation(token)
    except DomainError as exc:
        return render_template("error.html", error=exc), 410 if exc.code in ("invitation_expired", "invitation_used") else 404
    form = InvitationForm()
    if form.validate_on_submit():
        if form.password.data != form.confirm.data:
            form.confirm.errors.append("两次输入的密码不一致")
        else:
            try:
                with unit_of_work():
                    user = operations.accept_invitation(token, form.password.data)
                    start_session(user, "password")
                    audit.record(user, "login", object_type="user", object_id=user.id)
            except DomainError as exc:
                apply_errors(form, exc)
            else:
                flash("密码已设置，欢迎使用", "success")
                return _after_first_factor(user, None)
    return render_template("accounts/invitation.html", form=form, user=invite.user, password_policy=policy_text())


@auth.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        with unit_of_work():
            operations.log_out(current_user)
    logout_user()
    session.pop(SESSION_VERSION_KEY, None)
    flash("已退出登录", "info")
    return redirect(url_for("auth.login"))


@auth.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                operations.change_password(current_user, current=form.current.data, new=form.new.data,
                                           keep=current_session_record())
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            session[SESSION_VERSION_KEY] = current_user.session_version  # this session goes on, the others end
            flash("密码已修改", "success")
            return redirect(url_for("web.home"))
    return render_template("accounts/password.html", form=form, password_policy=policy_text())


def _require_admin():
    if current_user.role != Role.ADMIN:
        raise PermissionDenied("只有系统管理员可以管理用户")


@bp.route("/users", methods=["GET", "POST"])
@login_required
def users():
    _require_admin()
    orgs = db.session.scalars(db.select(Organisation).order_by(Organisation.kind, Organisation.sort_order,
                                                               Organisation.id)).all()
    form = UserForm()
    form.role.choices = select_choices(Role.choices())
    form.organisation_id.choices = select_choices((o.id, f"{o.name}（{o.kind.label}）") for o in orgs)
    if form.validate_on_submit():
        try:
            with unit_of_work():
                operations.create_user(current_user, username=form.username.data.strip(),
                                       password=form.password.data, role=form.role.data,
                                       organisation=db.session.get(Organisation, form.organisation_id.data),
                                       display_name=form.display_name.data.strip(),
                                       id_number=(form.id_number.data or "").strip() or None)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            flash(f"已创建用户 {form.username.data}", "success")
            return redirect(url_for("accounts.users"))
    rows = db.session.scalars(db.select(User).order_by(User.role, User.username)).all()
    from nominate.organisations.operations import PARENT_KINDS

    return render_template("accounts/users.html", users=rows, orgs=orgs, form=form, password_policy=policy_text(),
                           org_kinds=list(PARENT_KINDS), parents=[o for o in orgs if any(
                               o.kind in allowed for allowed in PARENT_KINDS.values())])


@bp.route("/organisations", methods=["POST"])
@login_required
def add_organisation():
    from nominate.organisations.operations import create_organisation

    _require_admin()
    parent_id = request.form.get("parent_id", type=row_id)
    parent = load_for(current_user, Organisation, parent_id, what="上级单位") if parent_id else None
    with unit_of_work():
        org = create_organisation(current_user, code=request.form.get("code", ""), name=request.form.get("name", ""),
                                  short_name=request.form.get("short_name", ""), kind=request.form.get("kind", ""),
                                  parent=parent)
    flash(f"已新增单位 {org.name}", "success")
    return redirect(url_for("accounts.users"))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@login_required
def set_active(user_id):
    active = request.form.get("active") == "1"
    return _act_on_user(user_id, lambda user: operations.set_user_active(current_user, user, active),
                        lambda user: f"已{'启用' if active else '停用'}账号 {user.username}")


def _act_on_user(user_id: int, act, message):
    """An administrator's act on one account: the account loaded within the admin's reach, ``act(user)`` in one
    unit of work (its operation writes the audit row), then ``message(user)`` and back to the list."""
    _require_admin()
    user = load_for(current_user, User, user_id, what="用户")
    with unit_of_work():
        act(user)
    flash(message(user), "success")
    return redirect(url_for("accounts.users"))


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@login_required
def unlock_login(user_id):
    return _act_on_user(user_id, lambda user: operations.unlock_login(current_user, user),
                        lambda user: f"已解除账号 {user.username} 的登录限制")


def _org_choices():
    orgs = db.session.scalars(db.select(Organisation).order_by(Organisation.kind, Organisation.sort_order,
                                                               Organisation.id)).all()
    return select_choices((o.id, f"{o.name}（{o.kind.label}）") for o in orgs)


@bp.route("/users/invite", methods=["GET", "POST"])
@login_required
def invite():
    """The admin invites a user: the account is made without a password, and a one-time link that expires
    is shown once, to be handed over (the first visit sets the password). No self-registration."""
    _require_admin()
    form = InviteForm()
    form.role.choices = select_choices(Role.choices())
    form.organisation_id.choices = _org_choices()
    link = None
    if form.validate_on_submit():
        try:
            with unit_of_work():
                user, token = operations.invite_user(
                    current_user, username=form.username.data.strip(), role=form.role.data,
                    organisation=db.session.get(Organisation, form.organisation_id.data),
                    display_name=form.display_name.data.strip())
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            link = current_app.config["PUBLIC_URL"].rstrip("/") + url_for("auth.invitation", token=token)
    return render_template("accounts/invite.html", form=form, link=link,
                           hours=current_app.config["INVITATION_VALID_HOURS"])


@bp.route("/users/<int:user_id>/reset-two-factor", methods=["POST"])
@login_required
def reset_two_factor(user_id):
    return _act_on_user(user_id, lambda user: operations.reset_two_factor(current_user, user),
                        lambda user: f"已重置账号 {user.username} 的双因素认证：其会话已结束，下次登录时重新绑定认证器")


@bp.route("/users/<int:user_id>/sso", methods=["POST"])
@login_required
def set_sso_id(user_id):
    return _act_on_user(user_id, lambda user: operations.set_sso_id(current_user, user, request.form.get("sso_id", "")),
                        lambda user: f"已{'设置' if user.sso_id else '清除'}账号 {user.username} 的统一身份认证标识")
