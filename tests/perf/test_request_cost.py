"""The fixed cost of a signed-in request: a page served from the page cache asks the database once, and on
PostgreSQL that one read runs before the request's transaction (no BEGIN, no ROLLBACK, kept prepared), while
whatever the request does after it is still one transaction."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import g
from psycopg.pq import TransactionStatus

from nominate.core.db import before_the_transaction
from nominate.extensions import db as _db
from tests.caching.test_page_cache import cached  # noqa: F401  (the page cache on, emptied)
from tests.signin import session_of, sign_in, use_session


class Statements:
    """The SQL the engine runs inside the block, SQLite's BEGIN IMMEDIATE (core.db's hook) left out, and the reads
    ``core.db.ReadApart`` has psycopg run itself (``apart``: those of them)."""

    def __init__(self, engine):
        self.engine, self.seen, self.apart = engine, [], []

    def _note(self, _conn, _cursor, statement, *_args):
        if statement != "BEGIN IMMEDIATE":
            self.seen.append(statement)

    def _note_apart(self, statement):
        self.seen.append(statement)
        self.apart.append(statement)

    def __enter__(self):
        from nominate.core.db import ReadApart

        sa.event.listen(self.engine, "before_cursor_execute", self._note)
        ReadApart.observers.append(self._note_apart)
        return self

    def __exit__(self, *exc):
        from nominate.core.db import ReadApart

        sa.event.remove(self.engine, "before_cursor_execute", self._note)
        ReadApart.observers.remove(self._note_apart)


def _raw():
    """The psycopg connection the session uses now."""
    return _db.session.connection().connection.dbapi_connection


def _postgresql_only(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("autocommit reads are a PostgreSQL (psycopg) matter; SQLite runs the block as it is")


def test_a_warm_page_is_one_statement_and_leaves_no_transaction_open(app, client, f, cached, db):
    office = f.office
    saved = session_of(sign_in(client, office))
    assert client.get("/province/board").status_code == 200  # fills the cache
    name = office.display_name  # read now: after the commit it would be read again, in a transaction of the test's
    db.session.commit()  # the test's own work is done: the next request starts with nothing open
    use_session(client, saved)
    g.pop("_login_user", None)
    with Statements(db.engine) as sql:
        resp = client.get("/province/board")
    assert resp.status_code == 200 and name in resp.get_data(as_text=True)
    assert len(sql.seen) == 1 and sql.seen[0].startswith("SELECT users.") and "AS totp_enrolled" in sql.seen[0]
    if db.engine.dialect.name == "postgresql":
        raw = _raw()
        assert raw.info.transaction_status == TransactionStatus.IDLE and not raw.autocommit


def test_a_warm_api_list_is_one_statement(app, client, f, cached, db):
    from nominate.accounts.operations import issue_token

    token = issue_token(None, f.office, "cost")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/nominations", headers=headers).status_code == 200
    db.session.commit()
    g.pop("user", None)
    with Statements(db.engine) as sql:
        assert client.get("/api/v1/nominations", headers=headers).status_code == 200
    assert len(sql.seen) == 1 and sql.seen[0].startswith("SELECT api_tokens.")


def test_the_read_before_the_transaction_runs_in_autocommit_and_what_follows_is_one_transaction(db):
    _postgresql_only(db)
    db.session.commit()
    raw = _raw()
    with before_the_transaction():
        assert raw.autocommit
        assert db.session.execute(sa.text("SELECT 1")).scalar() == 1
        assert raw.info.transaction_status == TransactionStatus.IDLE  # nothing was left open
    assert not raw.autocommit
    db.session.execute(sa.text("SELECT 1"))
    assert raw.info.transaction_status == TransactionStatus.INTRANS  # the next statement began the transaction
    db.session.rollback()


def test_inside_a_transaction_under_way_the_block_runs_as_it_is(db):
    _postgresql_only(db)
    db.session.execute(sa.text("SELECT 1"))
    raw = _raw()
    assert raw.info.transaction_status == TransactionStatus.INTRANS
    with before_the_transaction():
        assert not raw.autocommit
        db.session.execute(sa.text("SELECT 1"))
    assert raw.info.transaction_status == TransactionStatus.INTRANS and not raw.autocommit
    db.session.rollback()


class _CheckedOut:
    """The DBAPI connections the pool hands out inside the block."""

    def __init__(self, engine):
        self.engine, self.seen = engine, []

    def _note(self, dbapi_connection, _record, _proxy):
        self.seen.append(dbapi_connection)

    def __enter__(self):
        sa.event.listen(self.engine.pool, "checkout", self._note)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine.pool, "checkout", self._note)


def test_a_read_apart_runs_in_autocommit_on_a_connection_of_its_own_and_gives_it_back_as_it_found_it(db):
    from nominate.core.db import ReadApart

    _postgresql_only(db)
    db.session.execute(sa.text("SELECT 1"))  # the session's transaction under way is not the read's
    mine = _raw()
    read = ReadApart(sa.select(sa.literal(7).label("seven")))
    with Statements(db.engine) as sql, _CheckedOut(db.engine) as pool:
        assert read.first({})["seven"] == 7
    assert sql.seen == sql.apart and len(sql.apart) == 1  # executed by psycopg itself, not through SQLAlchemy
    (raw,) = pool.seen
    assert raw is not mine and not raw.autocommit and raw.info.transaction_status == TransactionStatus.IDLE
    assert mine.info.transaction_status == TransactionStatus.INTRANS  # the session's transaction, untouched
    db.session.rollback()


def test_a_read_apart_whose_connection_breaks_is_thrown_away_and_the_request_goes_the_usual_way(db):
    from nominate.core.db import ReadApart

    _postgresql_only(db)
    invalidated = []
    note = lambda dbapi_connection, _record, _exc: invalidated.append(dbapi_connection)  # noqa: E731
    read = ReadApart(sa.select(sa.func.pg_terminate_backend(sa.func.pg_backend_pid()).label("gone")))
    sa.event.listen(db.engine.pool, "invalidate", note)
    try:
        with _CheckedOut(db.engine) as pool:
            assert read.first({}) is None  # no answer from it: the usual way answers
    finally:
        sa.event.remove(db.engine.pool, "invalidate", note)
    assert invalidated == pool.seen  # that connection, thrown away by ReadApart itself, not handed out again


def test_a_read_apart_refuses_columns_sqlalchemy_would_convert(db):
    from nominate.accounts.models import User
    from nominate.core.db import ReadApart

    _postgresql_only(db)
    with pytest.raises(TypeError, match="role"):
        ReadApart(sa.select(User.role).limit(1)).first({})  # an enum: a Role from SQLAlchemy, a str from psycopg


def test_a_read_apart_on_sqlite_reads_through_the_session(db):
    from nominate.core.db import ReadApart

    if db.engine.dialect.name != "sqlite":
        pytest.skip("the SQLite way")
    assert ReadApart(sa.select(sa.literal(7).label("seven"))).first({}) == {"seven": 7}
    assert ReadApart(sa.select(sa.literal(7).label("seven")).where(sa.false())).first({}) is None


SECRETS = ("users.password_hash", "users.totp_last_step", "users.sso_id", "user_sessions.user_agent",
           "user_sessions.address", "contact_phone", "leader_mobile", "email")


def test_a_warm_page_statement_reads_only_what_the_page_key_and_parts_use(app, client, f, cached, db):
    """The one statement of a warm page (web.warm) selects the user's identity, scope, display name and whether a
    TOTP secret exists, and its session record's validity: never the secret itself, the password hash, the TOTP
    replay counter, the session's address or user agent, or anything of the organisation."""
    office = f.office
    saved = session_of(sign_in(client, office))
    assert client.get("/province/board").status_code == 200
    db.session.commit()
    use_session(client, saved)
    g.pop("_login_user", None)
    with Statements(db.engine) as sql:
        resp = client.get("/province/board")
    assert resp.status_code == 200
    (statement,) = sql.seen
    selected = statement.rsplit("FROM users", 1)[0]  # the select list (its subqueries read other tables)
    for column in (*SECRETS, "organisations", "users.totp_secret AS", "users.totp_secret,", "users.totp_secret \n"):
        assert column not in selected
    for column in ("users.role", "users.organisation_id", "users.person_key", "users.display_name",
                   "users.session_version", "users.active", "users.totp_secret IS NOT NULL", "user_sessions.ended_at",
                   "user_sessions.last_seen_at", "data_version", "unread"):
        assert column in selected


def test_the_authentication_statement_reads_only_what_every_request_uses(app, client, f, cached, db):
    """The statement that loads the user for any other page selects the user's identity, scope and two-factor
    state, its session record's validity and its organisation's name and place in the tree: never the password
    hash, the TOTP replay counter, the session's address or user agent, or the organisation's contacts (read on
    first use)."""
    office = f.office
    sign_in(client, office)
    db.session.commit()
    g.pop("_login_user", None)
    with Statements(db.engine) as sql:
        resp = client.get("/notifications/")
    assert resp.status_code == 200
    statement = sql.seen[0]
    selected = statement.rsplit("FROM users", 1)[0]
    for column in SECRETS:
        assert column not in selected
    for column in ("users.role", "users.organisation_id", "users.session_version", "users.totp_secret",
                   "user_sessions.ended_at", "user_sessions.last_seen_at", ".name", ".parent_id"):
        assert column in selected
    # a column left out is still there when a page needs it: read on first use
    assert office.organisation.contact_phone == db.session.get(type(office.organisation), office.organisation_id).contact_phone


def test_an_api_token_statement_reads_only_what_every_request_uses(app, client, f, cached, db):
    from nominate.accounts.operations import issue_token

    token = issue_token(None, f.office, "t")
    db.session.commit()
    with Statements(db.engine) as sql:
        resp = client.get("/api/v1/nominations", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200
    selected = sql.seen[0].rsplit("FROM api_tokens", 1)[0]
    assert "api_tokens.token_hash" not in selected and "users.password_hash" not in selected
    assert "contact_phone" not in selected and ".role" in selected
