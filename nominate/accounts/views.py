"""Login, logout and password change; the admin's list of users."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user

from nominate.accounts import oidc, operations
from nominate.accounts.auth import SESSION_VERSION_KEY, safe_next, start_session
from nominate.accounts.forms import LoginForm, PasswordForm, UserForm
from nominate.accounts.passwords import policy_text
from nominate.accounts.models import Role, User
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
            start_session(user)
            with unit_of_work():
                audit.record(user, "login", object_type="user", object_id=user.id)
            return redirect(_safe_next(request.args.get("next")))
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
    start_session(user, factors=identity.factors)
    with unit_of_work():
        operations.record_sso_login(user, subject=identity.subject, factors=identity.factors)
    return redirect(_safe_next(target))


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
                operations.change_password(current_user, current=form.current.data, new=form.new.data)
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
    _require_admin()
    user = load_for(current_user, User, user_id, what="用户")
    active = request.form.get("active") == "1"
    with unit_of_work():
        operations.set_user_active(current_user, user, active)
    flash(f"已{'启用' if active else '停用'}账号 {user.username}", "success")
    return redirect(url_for("accounts.users"))


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@login_required
def unlock_login(user_id):
    _require_admin()
    user = load_for(current_user, User, user_id, what="用户")
    with unit_of_work():
        operations.unlock_login(current_user, user)
    flash(f"已解除账号 {user.username} 的登录限制", "success")
    return redirect(url_for("accounts.users"))


@bp.route("/users/<int:user_id>/sso", methods=["POST"])
@login_required
def set_sso_id(user_id):
    _require_admin()
    user = load_for(current_user, User, user_id, what="用户")
    with unit_of_work():
        operations.set_sso_id(current_user, user, request.form.get("sso_id", ""))
    flash(f"已{'设置' if user.sso_id else '清除'}账号 {user.username} 的统一身份认证标识", "success")
    return redirect(url_for("accounts.users"))
