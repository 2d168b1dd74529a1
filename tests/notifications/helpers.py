"""Real components for the delivery tests: an SMTP server (aiosmtpd), a worker (`flask worker` in its own
process, or huey's consumer thread in this one for the embedded default) and the brokers."""
from __future__ import annotations

import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import time
import uuid

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from nominate import create_app
from tests.conftest import ROOT

REDIS_URL = "redis://127.0.0.1:6379/7"  # shared Redis: database 7, and a queue name of our own per test


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """aiosmtpd handler: every message the server accepted, parsed."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content,
                                                      policy=email.policy.default))
        return "250 Message accepted for delivery"

    def received(self) -> list[tuple[str, str]]:
        return [(str(m["To"]), str(m["Subject"])) for m in self.messages]

    def wait_for(self, count: int, timeout: float = 60.0):
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            assert time.monotonic() < deadline, f"only {len(self.messages)} of {count} e-mails arrived: {self.received()}"
            time.sleep(0.1)


class SmtpServer:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.mailbox = Mailbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def pg_broker_url() -> str | None:
    """A database of its own for huey's tables (SqlHuey), on the test PostgreSQL server; None when none answers."""
    base = os.environ.get("NOMINATE_TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/nominate_17"
    u = sa.engine.make_url(base.replace("postgresql+psycopg://", "postgresql://"))
    url = u.set(drivername="postgresql+psycopg", database=(u.database or "nominate") + "_jobs")
    try:
        admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        with admin.connect() as conn:
            if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": url.database}).scalar():
                conn.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
        admin.dispose()
    except Exception:  # noqa: BLE001
        return None
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def redis_ok() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except Exception:  # noqa: BLE001
        return False


def broker_url(kind: str, tmp_path) -> str:
    if kind == "embedded":
        return "sqlite:///" + str(tmp_path / "jobs.db")
    if kind == "redis":
        if not redis_ok():
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        return REDIS_URL
    url = pg_broker_url()
    if url is None:
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    return url


def jobs_app(app, broker: str, smtp_port: int, queue: str, **over):
    """A second app on the test database whose jobs go to ``broker`` and whose mail goes to ``smtp_port``."""
    config = {
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "test",
        "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "NOMINATE_TODAY": app.config["NOMINATE_TODAY"],
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "JOBS_BROKER_URL": broker, "JOBS_QUEUE_NAME": queue,
        "JOBS_WORKER_THREAD": "0", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_TIMEOUT": 5,
        "NOTIFY_RETRY_SECONDS": 0.5, "NOTIFY_LEASE_SECONDS": 2, "PUBLIC_URL": "http://nominate.test",
    }
    config.update(over)
    return create_app(config)


def queue_name() -> str:
    return "nominate-test-" + uuid.uuid4().hex[:10]


class Worker:
    """`flask worker` in a process of its own (what production runs), killed by the test when it wants."""

    def __init__(self, app, broker, smtp_port, queue, tmp_path, **env):
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "FLASK_APP": "nominate",
                    "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "NOMINATE_JOBS_URL": broker,
                    "NOMINATE_JOBS_QUEUE": queue, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_port),
                    "MAIL_TIMEOUT": "5", "NOTIFY_RETRY_SECONDS": "0.5", "NOTIFY_LEASE_SECONDS": "2",
                    "NOMINATE_TODAY": app.config["NOMINATE_TODAY"], "SECRET_KEY": "test",
                    "NOMINATE_PUBLIC_URL": "http://nominate.test", **env}
        self.log = tmp_path / f"worker-{uuid.uuid4().hex[:6]}.log"
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen([sys.executable, "-m", "flask", "worker", "-w", "2"], env=self.env, cwd=ROOT,
                                     stdout=open(self.log, "wb"), stderr=subprocess.STDOUT)
        return self

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
