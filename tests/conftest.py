"""Fixtures: one app per session on SQLite (default) or PostgreSQL (NOMINATE_TEST_DATABASE_URL)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from nominate import create_app
from nominate.extensions import db as _db
from tests.factories import Factory

ROOT = Path(__file__).resolve().parent.parent
SHANXI = ROOT / "workflows" / "campaigns" / "shanxi-2021.yaml"


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("NOMINATE_TEST_DATABASE_URL")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")


def _ensure_pg_database(url: str) -> None:
    """Create the test database on the server if it does not exist yet."""
    u = sa.engine.make_url(url)
    admin = sa.create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": u.database}).scalar():
            conn.execute(sa.text(f'CREATE DATABASE "{u.database}"'))
    admin.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = _database_url(tmp_path_factory)
    if url.startswith("postgresql"):
        _ensure_pg_database(url)
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "NOMINATE_TODAY": "2021-08-02",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast in tests; production uses scrypt
    })
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _clear(app):
    with app.app_context():
        _db.session.remove()
        with _db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                names = ", ".join(t.name for t in _db.metadata.sorted_tables)
                conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(_db.metadata.sorted_tables):
                    conn.execute(table.delete())


@pytest.fixture()
def ctx(app):
    """An app context with empty tables and the clock at 2021-08-02 (Monday)."""
    _clear(app)
    app.config["NOMINATE_TODAY"] = "2021-08-02"
    with app.app_context() as c:
        yield c
        _db.session.remove()


@pytest.fixture()
def db(ctx):
    return _db


@pytest.fixture()
def clock(app):
    class Clock:
        def set(self, iso: str):
            app.config["NOMINATE_TODAY"] = iso

        @property
        def today(self):
            return app.config["NOMINATE_TODAY"]

    return Clock()


@pytest.fixture()
def f(db, clock):
    """Factories and helpers bound to a loaded Shanxi 2021 campaign."""
    return Factory(db, clock, SHANXI)


@pytest.fixture()
def client(app, ctx):
    return app.test_client()


@pytest.fixture()
def walk(f):
    from nominate.workflow.walker import Walker

    def commit():
        f.db.session.commit()

    return Walker(f.user, f.clock.set, commit)


@pytest.fixture()
def login(client):
    """Sign ``user`` into the test client through /login and, when the user has or needs one, the second
    factor (a TOTP code computed with pyotp); returns the client. A user signed in again in the same test
    gets their session back (as a browser keeps its cookie) while it is still valid."""
    from tests.signin import session_of, sign_in, use_session

    saved = {}

    def _live(kept, user) -> bool:
        from nominate.accounts.models import UserSession, secret_hash

        if not kept.get("_sid"):
            return False
        record = _db.session.scalar(_db.select(UserSession).filter_by(sid_hash=secret_hash(kept["_sid"])))
        _db.session.refresh(user)
        return record is not None and record.ended_at is None and record.session_version == user.session_version

    def _login(user):
        current = session_of(client)
        if current.get("_user_id"):
            saved[int(current["_user_id"])] = current  # what this user's session holds now (e.g. a campaign)
        kept = saved.get(user.id)
        if kept is not None and _live(kept, user):
            return use_session(client, kept)
        sign_in(client, user)
        saved[user.id] = session_of(client)
        return client
    return _login


@pytest.fixture()
def rate_limited_app(app, ctx):
    """Build a second app on the suite's database with the limiter on (the suite's app has it off).

    ``rate_limited_app(storage, **settings)``: the limiter's counters start fresh (a new key prefix: the extension keeps
    the first app's), and the limiter and the second app's connections are put back afterwards.
    """
    import uuid

    from nominate.extensions import limiter

    saved = limiter.enabled, limiter._key_prefix
    made = []

    def make(storage: str = "memory://", **settings):
        other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                            "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True,
                            "RATELIMIT_STORAGE_URI": storage, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                            **settings})
        limiter._key_prefix = uuid.uuid4().hex
        made.append(other)
        return other

    yield make
    limiter.enabled, limiter._key_prefix = saved
    for other in made:
        with other.app_context():
            _db.engine.dispose()

