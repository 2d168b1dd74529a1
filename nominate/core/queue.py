"""Putting a job on the queue by name, from any area: the task table the areas fill (``register_task``), ``enqueue``
and the wake-up after a commit that wrote the outbox. nominate.jobs.queue binds the table to each app's huey."""
from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import event

log = logging.getLogger("nominate.jobs")

#: The tasks, registered by name by the areas that own them (create_app imports TASK_MODULES first): jobs binds
#: them to each app's huey and imports no area.
TASKS: dict[str, dict] = {}


def register_task(key: str, fn, *, name: str, schedule: str | None = None, retries: int = 0,
                  retry_delay: int = 0) -> None:
    """``key`` is what ``enqueue`` names; ``schedule`` the setting holding a periodic task's crontab."""
    TASKS[key] = {"fn": fn, "name": name, "schedule": schedule, "retries": retries, "retry_delay": retry_delay}


def enqueue(name: str, *args, app=None, delay: float | None = None):
    """Put a job on the queue; a broker that cannot be reached is logged, never fatal (the sweep catches up)."""
    app = app or current_app._get_current_object()
    task = app.extensions["jobs"][name]
    try:
        if delay:
            return task.schedule(args=args, delay=delay)
        return task(*args)
    except Exception:  # noqa: BLE001 — the outbox row is safe in the database; the periodic sweep sends it
        log.exception("could not enqueue %s", name)
        return None


def _wake_after_commit(session):
    if session.info.pop("outbox_written", False):
        try:
            enqueue("dispatch")
        except RuntimeError:  # no app context (a script's own session): the sweep delivers it
            pass


def _forget_on_rollback(session):
    session.info.pop("outbox_written", None)


from flask_sqlalchemy.session import Session as _FsaSession  # noqa: E402

event.listen(_FsaSession, "after_commit", _wake_after_commit)
event.listen(_FsaSession, "after_rollback", _forget_on_rollback)
