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
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
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
