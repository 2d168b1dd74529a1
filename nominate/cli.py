"""Command line: `flask --app nominate <command>` (or the `nominate` console script)."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
import pyotp
from sqlalchemy import exc as sa_exc
from flask.cli import FlaskGroup, with_appcontext

from nominate.accounts.operations import invite_user, pre_enrol_totp, provisioning_uri, reset_two_factor
from nominate.core.db import unit_of_work
from nominate.accounts.cli import set_sso_id_cmd
from nominate.core.errors import DomainError
from nominate.demo.data import demo_totp_secret
from nominate.extensions import db
from nominate.organisations.models import Organisation


def _fail(exc: DomainError):
    raise click.ClickException(f"{exc.message}（{exc.code}）")


def _user(username):
    from nominate.accounts.models import User
    from nominate.extensions import db

    user = db.session.scalar(db.select(User).filter_by(username=username))
    if user is None:
        raise click.ClickException(f"用户 {username} 不存在")
    return user


def _file_sha256(path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _record_restore(path, digest: str) -> None:
    """After a restore, the restored trail itself records who restored which file, from where and when."""
    import getpass
    import os
    import socket

    from nominate.audit import operations as audit
    from nominate.core.db import unit_of_work

    with unit_of_work():
        audit.record(None, "database_restored", object_type="database",
                     data={"file": os.path.abspath(path), "sha256": digest, "bytes": os.path.getsize(path),
                           "os_user": getpass.getuser(), "host": socket.gethostname(), "pid": os.getpid()})


def register_cli(app):
    from nominate.jobs.cli import worker_cmd
    from nominate.notifications.cli import send_reminders_cmd, set_contact_cmd

    for command in (worker_cmd, send_reminders_cmd, set_contact_cmd, set_sso_id_cmd):
        app.cli.add_command(command)

    @app.cli.command("load-campaign")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @with_appcontext
    def load_campaign_cmd(path):
        """Load or update a campaign from its YAML file (workflows/campaigns/…)."""
        from nominate.campaigns.loader import load_campaign
        from nominate.core.db import unit_of_work

        try:
            with unit_of_work():
                c = load_campaign(path)
        except DomainError as exc:
            _fail(exc)
        click.echo(f"已加载评选活动 {c.key}：{c.title}（{c.period_label}）")

    @app.cli.command("create-user")
    @click.option("--username", required=True)
    @click.option("--password", required=True)
    @click.option("--role", required=True, help="city_bureau, provincial_unit, province_office, signer_discipline, "
                                                "signer_personnel, signer_police, ministry, admin")
    @click.option("--org", "org_code", required=True, help="organisation code, e.g. taiyuan, shanxi, mohrss")
    @click.option("--name", "display_name")
    @click.option("--id-number", help="本人身份证号：本人若被推荐，禁止其经办本人材料")
    @with_appcontext
    def create_user_cmd(username, password, role, org_code, display_name, id_number):
        """Create a user account."""
        from nominate.accounts.operations import create_user
        from nominate.core.db import unit_of_work
        from nominate.extensions import db
        from nominate.organisations.models import Organisation

        org = db.session.scalar(db.select(Organisation).filter_by(code=org_code))
        if org is None:
            raise click.ClickException(f"单位代码 {org_code} 不存在")
        try:
            with unit_of_work():
                create_user(None, username=username, password=password, role=role, organisation=org,
                            display_name=display_name, id_number=id_number)
        except DomainError as exc:
            _fail(exc)
        click.echo(f"已创建用户 {username}")

    @app.cli.command("issue-token")
    @click.argument("username")
    @click.option("--name", default="api")
    @with_appcontext
    def issue_token_cmd(username, name):
        """Issue an API token for USERNAME (printed once)."""
        from nominate.accounts.operations import issue_token
        from nominate.core.db import unit_of_work

        user = _user(username)
        with unit_of_work():
            token = issue_token(None, user, name)
        click.echo(token)

    @app.cli.command("revoke-token")
    @click.argument("username")
    @click.option("--prefix", help="revoke only the token starting with this prefix (shown when issued)")
    @with_appcontext
    def revoke_token_cmd(username, prefix):
        """Revoke USERNAME's API tokens (all of them, or the one with --prefix); they get 401 at once."""
        from nominate.accounts.models import ApiToken
        from nominate.accounts.operations import revoke_token
        from nominate.core.db import unit_of_work
        from nominate.extensions import db

        user = _user(username)
        q = db.select(ApiToken).filter_by(user_id=user.id, revoked_at=None)
        tokens = [t for t in db.session.scalars(q) if not prefix or prefix.startswith(t.prefix)
                  or t.prefix.startswith(prefix)]
        if not tokens:
            raise click.ClickException(f"用户 {username} 没有{'该前缀的' if prefix else ''}有效令牌")
        with unit_of_work():
            for token in tokens:
                revoke_token(None, token)
        click.echo(f"已吊销 {username} 的 {len(tokens)} 个令牌")

    @app.cli.command("unlock-login")
    @click.argument("username")
    @with_appcontext
    def unlock_login_cmd(username):
        """Lift USERNAME's login throttle at every address (its failure counters restart); audited."""
        from nominate.accounts.operations import unlock_login
        from nominate.core.db import unit_of_work

        user = _user(username)
        with unit_of_work():
            unlock_login(None, user)
        click.echo(f"已解除 {username} 的登录限制")

    @app.cli.command("move-user")
    @click.argument("username")
    @click.option("--role", help="the new role (city_bureau, province_office, …)")
    @click.option("--org", "org_code", help="the new organisation's code")
    @with_appcontext
    def move_user_cmd(username, role, org_code):
        """Change USERNAME's role or organisation; the user's open sessions end. Audited."""
        from nominate.accounts.operations import move_user
        from nominate.core.db import unit_of_work
        from nominate.extensions import db
        from nominate.organisations.models import Organisation

        user = _user(username)
        org = None
        if org_code:
            org = db.session.scalar(db.select(Organisation).filter_by(code=org_code))
            if org is None:
                raise click.ClickException(f"单位代码 {org_code} 不存在")
        try:
            with unit_of_work():
                move_user(None, user, role=role, organisation=org)
        except DomainError as exc:
            _fail(exc)
        click.echo(f"已修改 {username}：{user.role.label}，{user.organisation.short_name}（原会话已失效）")

    @app.cli.command("grant-app-role")
    @click.argument("role")
    @with_appcontext
    def grant_app_role_cmd(role):
        """PostgreSQL, run as the schema's owner after `db upgrade`: give ROLE (the role the app connects as)
        read/write on every table but no UPDATE, DELETE or TRUNCATE on the audit trail."""
        from nominate.core.privileges import grant_app_role
        from nominate.extensions import db

        try:
            with db.engine.begin() as conn:
                statements = grant_app_role(conn, role)
        except DomainError as exc:
            _fail(exc)
        except sa_exc.DBAPIError as exc:
            raise click.ClickException(f"授权失败：{str(exc.orig).strip()[:300]}") from None
        click.echo("\n".join(statements))
        click.echo(f"已授予数据库角色 {role} 应用所需权限（审计表只可读与追加）")

    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False, writable=True))
    @with_appcontext
    def backup_cmd(path):
        """Write a consistent copy of the whole database to PATH (SQLite file or pg_dump archive)."""
        from flask import current_app

        from nominate.core import backup

        try:
            backup.backup(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
        except DomainError as exc:
            _fail(exc)
        click.echo(f"已备份到 {path}")

    @app.cli.command("restore")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--yes", is_flag=True, help="confirm: the current data is replaced")
    @with_appcontext
    def restore_cmd(path, yes):
        """Replace the whole database with the backup at PATH (stop the app first)."""
        from flask import current_app

        from nominate.core import backup
        from nominate.extensions import db

        if not yes:
            raise click.ClickException("恢复将覆盖当前全部数据：确认请加 --yes")
        db.session.remove()
        db.engine.dispose()
        digest = _file_sha256(path)
        try:
            backup.restore(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
        except DomainError as exc:
            _fail(exc)
        _record_restore(path, digest)
        click.echo(f"已从 {path} 恢复（已记入审计日志）")
        _warn_retention_after_restore()

    @app.cli.command("retention")
    @click.option("--campaign", "campaign_key", help="only this campaign (its key, e.g. shanxi-2021)")
    @click.option("--apply", "apply_", is_flag=True, help="anonymise (default: preview only)")
    @click.option("--yes", is_flag=True, help="confirm --apply: the data is overwritten, irreversibly")
    @with_appcontext
    def retention_cmd(campaign_key, apply_, yes):
        """Preview, then (--apply --yes) anonymise the personal data of non-awarded nominees of expired campaigns."""
        from nominate.core.db import unit_of_work
        from nominate.retention import operations as retention
        from nominate.retention.places import PLACES

        chosen = [p for p in retention.plans() if campaign_key in (None, p.campaign.key)]
        if campaign_key and not chosen:
            raise click.ClickException(f"评选活动 {campaign_key} 不存在")
        for p in chosen:
            if p.years is None:
                click.echo(f"{p.campaign.key}：活动文件未设置 retention.personal_data_years，不处理")
                continue
            status = "已届满" if p.expired else "未届满"
            click.echo(f"{p.campaign.key}：最后一次状态变化 {p.closed_on or '（无）'}，保存 {p.years} 年，"
                       f"至 {p.expires_on or '—'}（{status}）；保留状态以外的推荐对象 {len(p.nominations)} 个")
            for key, n in p.counts.items():
                click.echo(f"  {PLACES[key].label}：{n}")
        due = [p for p in chosen if p.expired and (p.pending or p.audit_copies)]
        if not apply_:
            if due:
                click.echo("以上为预览。确认后运行：flask retention --apply --yes"
                           + (f" --campaign {campaign_key}" if campaign_key else "") + "（不可恢复）")
            return
        if not yes:
            raise click.ClickException("匿名化不可恢复：确认请加 --yes")
        for p in due:
            try:
                with unit_of_work():
                    done = retention.anonymise_campaign(p.campaign)
            except DomainError as exc:
                _fail(exc)
            click.echo(f"{p.campaign.key}：已匿名化 {len(done.nominations)} 个推荐对象（"
                       + "，".join(f"{PLACES[k].label} {n}" for k, n in done.counts.items()) + "）")
        if due:
            retention.drop_old_row_versions()
        else:
            click.echo("没有需要匿名化的个人信息")

    @app.cli.command("workdays")
    @click.argument("start")
    @click.argument("days", type=int, default=5)
    @with_appcontext
    def workdays_cmd(start, days):
        """Print the DAYS-th working day from START (START counts as day 1 when it is a working day)."""
        from nominate.workdays.calendar import load_calendar

        try:
            end = load_calendar().add_workdays(dt.date.fromisoformat(start), days)
        except ValueError:
            raise click.ClickException("日期格式应为 YYYY-MM-DD") from None
        except DomainError as exc:
            _fail(exc)
        click.echo(end.isoformat())

    @app.cli.command("workflow-diagram")
    @click.option("--workflow", default="nomination")
    @click.option("--out", default="docs/workflow.md")
    def workflow_diagram_cmd(workflow, out):
        """Regenerate the Mermaid diagram of a workflow from its YAML file."""
        from nominate.workflow.docs import render_workflow_markdown

        Path(out).write_text(render_workflow_markdown(workflow), encoding="utf-8")
        click.echo(f"wrote {out}")

    @app.cli.command("totp-code")
    @click.argument("username")
    @with_appcontext
    def totp_code_cmd(username):
        """Print the current TOTP code of demo account USERNAME (only accounts enrolled with the demo's
        published secret: a real account's code is never printed)."""
        user = _user(username)
        if not user.totp_secret or user.totp_secret != demo_totp_secret(user.username):
            raise click.ClickException(f"用户 {username} 不是预置认证器的演示账号：只有演示账号的动态验证码可以这样查看")
        click.echo(pyotp.TOTP(user.totp_secret).now())

    @app.cli.command("enrol-totp")
    @click.argument("username")
    @with_appcontext
    def enrol_totp_cmd(username):
        """Enrol USERNAME's authenticator with a new secret, printed once with its otpauth:// URI (audited)."""
        user = _user(username)
        with unit_of_work():
            secret = pre_enrol_totp(None, user)
        click.echo(f"密钥 {secret}")
        click.echo(provisioning_uri(user, secret))

    @app.cli.command("reset-two-factor")
    @click.argument("username")
    @with_appcontext
    def reset_two_factor_cmd(username):
        """Remove USERNAME's authenticator and recovery codes (a lost phone); their sessions end (audited)."""
        user = _user(username)
        with unit_of_work():
            reset_two_factor(None, user)
        click.echo(f"已重置 {username} 的双因素认证，下次登录时重新绑定")

    @app.cli.command("invite-user")
    @click.option("--username", required=True)
    @click.option("--role", required=True)
    @click.option("--org", "org_code", required=True)
    @click.option("--display-name")
    @with_appcontext
    def invite_user_cmd(username, role, org_code, display_name):
        """Create an account without a password and print its one-time invitation link (expires)."""
        from flask import current_app, url_for

        org = db.session.scalar(db.select(Organisation).filter_by(code=org_code))
        if org is None:
            raise click.ClickException(f"单位 {org_code} 不存在")
        try:
            with unit_of_work():
                _, token = invite_user(None, username=username, role=role, organisation=org,
                                       display_name=display_name)
        except DomainError as exc:
            _fail(exc)
        with current_app.test_request_context():
            path = url_for("auth.invitation", token=token)
        click.echo(current_app.config["PUBLIC_URL"].rstrip("/") + path)

    @app.cli.command("demo")
    @click.option("--reset/--no-reset", default=False, help="erase the whole database first (asks; demo databases only)")
    @click.option("--yes", is_flag=True, help="do not ask before --reset erases the database")
    @with_appcontext
    def demo_cmd(reset, yes):
        """Load the Shanxi 2021 campaign with realistic demo data and print one login per role."""
        from nominate.accounts.models import Role
        from nominate.demo.data import build_demo

        if reset:
            _erase_database(yes)
        try:
            accounts = build_demo()
        except RuntimeError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo("演示账号（每个角色一个；各市账号为城市拼音，如 datong、lvliang）：")
        for role, username, password, org in accounts:
            label = Role(role).label
            click.echo(f"  {label}{'　' * (12 - len(label))}用户名 {username:<18} 密码 {password}   {org}")
        click.echo("省推荐评选办、意见签署部门、人社部和系统管理员账号须使用双因素认证：演示账号已预置认证器，"
                   "当前动态验证码用 flask totp-code 用户名 查看（如 flask totp-code shengban）。")

    # The national-scale data set for load tests lives with the benchmarks: benchmarks/national.py.


def _warn_retention_after_restore() -> None:
    """A backup older than a retention run brings anonymised data back: say which campaigns need it again."""
    from nominate.extensions import db
    from nominate.retention.operations import campaigns_to_redo

    try:
        for p in campaigns_to_redo():
            click.echo(f"警告：评选活动 {p.campaign.key} 的个人信息保存期已于 {p.expires_on} 届满，恢复的备份中仍有 "
                       f"{p.pending} 项未匿名化：请再次运行 flask retention --apply --yes --campaign {p.campaign.key}",
                       err=True)
    finally:
        db.session.remove()  # read only: release the connection (SQLite's write lock) at once


def _erase_database(yes: bool) -> None:
    """Drop every table and rebuild the schema through the migrations (so the audit trigger is there
    too); asks first, naming the database, unless ``--yes``."""
    from flask_migrate import upgrade

    from nominate.extensions import db

    where = db.engine.url.render_as_string(hide_password=True)
    if not yes and not click.confirm(f"将删除数据库 {where} 中的全部数据，确定吗？", default=False):
        raise click.ClickException("已取消，数据库未改动")
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade()


def main():
    """Console script: `nominate <command>` is `flask --app nominate <command>`."""
    from nominate import create_app

    cli = FlaskGroup(create_app=create_app)
    sys.exit(cli.main())
