"""`flask send-reminders` and `flask set-contact` (a user's e-mail and mobile)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("send-reminders")
@with_appcontext
def send_reminders_cmd():
    """Write today's deadline reminders now (the worker also does it every hour)."""
    from nominate.notifications.reminders import run_all

    click.echo(f"已生成 {run_all()} 条截止提醒")


@click.command("set-contact")
@click.argument("username")
@click.option("--email", default=None, help="e-mail address (empty: none)")
@click.option("--mobile", default=None, help="mobile number for SMS (empty: none)")
@click.option("--sms/--no-sms", default=False, help="send SMS as well")
@with_appcontext
def set_contact_cmd(username, email, mobile, sms):
    """Set a user's e-mail and mobile and turn e-mail (and SMS) notices on."""
    from nominate.accounts.models import User
    from nominate.core.db import unit_of_work
    from nominate.core.errors import DomainError
    from nominate.extensions import db
    from nominate.notifications.operations import save_contact

    user = db.session.scalar(db.select(User).filter_by(username=username))
    if user is None:
        raise click.ClickException(f"用户 {username} 不存在")
    try:
        with unit_of_work():
            save_contact(user, user, email=email, mobile=mobile, email_enabled=bool(email), sms_enabled=sms)
    except DomainError as exc:
        raise click.ClickException(f"{exc.message}（{exc.code}）") from None
    click.echo(f"{username}：已开启邮件{'和短信' if sms else ''}通知")
