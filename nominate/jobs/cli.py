"""`flask worker` (the production worker process)."""
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
    from nominate.core.queue import enqueue

    enqueue("dispatch", app=app)  # a restarted worker first delivers what the outbox holds
    huey.create_consumer(workers=workers, worker_type="thread", periodic=True, max_delay=2.0).run()
