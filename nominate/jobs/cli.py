"""`flask worker` (the production worker process) and `flask send-reminders`."""
from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--workers", "-w", default=2, show_default=True, help="worker threads in this process")
@with_appcontext
def worker_cmd(workers):
    """Run the job worker (huey consumer) on the configured broker until SIGTERM/SIGINT."""
    # the worker says what it runs: huey's own records at INFO, through the app's one-line masked handler
    # (the app keeps other libraries at WARNING; basicConfig would do nothing once that handler exists)
    logging.getLogger("huey").setLevel(logging.INFO)
    app = current_app._get_current_object()
    huey = app.extensions["huey"]
    click.echo(f"nominate worker: {type(huey).__name__} queue {huey.name!r}, {workers} thread(s)")
    from nominate.jobs.queue import enqueue

    enqueue("dispatch", app=app)  # a restarted worker first delivers what the outbox holds
    huey.create_consumer(workers=workers, worker_type="thread", periodic=True, max_delay=2.0).run()


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
