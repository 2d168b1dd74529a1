"""The huey instance of an app, the tasks the areas registered (nominate.core.queue) bound to it, the in-process
worker thread.

Brokers (JOBS_BROKER_URL): unset → a SQLite file beside the database (embedded default, nothing to install);
redis://… → RedisHuey; postgresql://… → huey.contrib.sql_huey.SqlHuey (peewee, psycopg 3), for clouds
that do not allow Redis. Tasks are registered per app, so a test or a worker process builds its own."""
from __future__ import annotations

import logging
import os
import threading

from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer
from huey.signals import SIGNAL_ERROR

from nominate.core.queue import TASKS, enqueue

log = logging.getLogger("nominate.jobs")


def make_huey(app):
    url = app.config.get("JOBS_BROKER_URL")
    name = app.config.get("JOBS_QUEUE_NAME", "nominate")
    if not url:
        if app.config.get("TESTING"):
            return MemoryHuey(name, results=False)  # a test that needs a worker names a real broker
        return SqliteHuey(name, filename=default_queue_file(app), results=False)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(name, url=url, results=False)
    if url.startswith(("postgresql", "postgres://")):
        from huey.contrib.sql_huey import SqlHuey

        return SqlHuey(name, database=url.replace("postgresql+psycopg://", "postgresql://"), results=False)
    if url.startswith("sqlite:///"):
        return SqliteHuey(name, filename=url[len("sqlite:///"):], results=False)
    raise ValueError(f"NOMINATE_JOBS_URL: unsupported broker {url!r} (redis://, postgresql://, sqlite:///)")


def default_queue_file(app) -> str:
    """The embedded queue: beside a SQLite database file (so each database has its own), else instance/jobs.db."""
    uri = app.config.get("SQLALCHEMY_DATABASE_URI") or ""
    if uri.startswith("sqlite:///") and uri != "sqlite:///:memory:":
        return uri[len("sqlite:///"):].removesuffix(".db") + ".jobs.db"
    os.makedirs(app.instance_path, exist_ok=True)
    return os.path.join(app.instance_path, "jobs.db")


class InProcessConsumer(Consumer):
    """huey's consumer run from a thread of the web process: no signal handlers (only the main thread has them)."""

    def _set_signal_handlers(self):
        pass


def init_jobs(app) -> None:
    huey = make_huey(app)

    def in_app(fn):
        def task(*args, **kwargs):
            with app.app_context():
                return fn(*args, **kwargs)
        task.__name__ = fn.__name__
        return task

    def schedule(key: str):
        """A crontab from the configuration ("minute hour day month weekday"), so operators move a job, not code."""
        fields = str(app.config[key]).split()
        if len(fields) != 5:
            raise ValueError(f"{key} = {app.config[key]!r}: a crontab needs 5 fields (minute hour day month weekday)")
        minute, hour, day, month, weekday = fields
        return crontab(minute=minute, hour=hour, day=day, month=month, day_of_week=weekday)

    tasks = {}
    for key, spec in TASKS.items():
        if spec["schedule"]:
            tasks[key] = huey.periodic_task(schedule(spec["schedule"]), name=spec["name"])(in_app(spec["fn"]))
        else:
            tasks[key] = huey.task(name=spec["name"], retries=spec["retries"],
                                   retry_delay=spec["retry_delay"])(in_app(spec["fn"]))
    app.extensions["huey"] = huey

    @huey.signal(SIGNAL_ERROR)
    def _record_failure(signal, task, exc=None):
        """A job that fails for good (no retries left) is written down for the admin (后台任务), with its error."""
        if task.retries:
            return  # huey retries it
        with app.app_context():
            from nominate.audit import operations as audit
            from nominate.extensions import db

            try:
                db.session.rollback()
                audit.record(None, "job_failed", object_type="job",
                             data={"task": task.name, "job": task.id, "error": f"{type(exc).__name__}: {exc}"[:1000]})
                db.session.commit()
            except Exception:  # noqa: BLE001 — the database itself may be what failed: the log has it
                log.exception("could not record the failure of %s", task.name)
    app.extensions["jobs"] = tasks
    app.extensions["jobs_thread"] = None

    setting = str(app.config.get("JOBS_WORKER_THREAD", "auto")).lower()
    thread_wanted = setting in ("1", "true", "on") or (
        setting == "auto" and not app.config.get("JOBS_BROKER_URL") and not app.config.get("TESTING"))
    if thread_wanted:
        lock = threading.Lock()

        @app.before_request
        def _start_worker_thread():
            if app.extensions["jobs_thread"] is None:
                with lock:
                    if app.extensions["jobs_thread"] is None:
                        app.extensions["jobs_thread"] = start_worker_thread(app)


def start_worker_thread(app, workers: int = 1) -> Consumer:
    """Start huey's consumer (scheduler + worker threads) inside this process; returns it (``.stop()``)."""
    consumer = InProcessConsumer(app.extensions["huey"], workers=workers, worker_type="thread",
                                 check_worker_health=False, periodic=True, max_delay=2.0)
    consumer.start()
    log.info("in-process job worker started (%s)", type(app.extensions["huey"]).__name__)
    enqueue("dispatch", app=app)  # deliver whatever the outbox holds from before
    return consumer
