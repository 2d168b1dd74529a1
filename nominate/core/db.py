"""Database helpers: SQLite transaction mode, row locks and the unit of work."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from contextvars import ContextVar

import psycopg
from psycopg.pq import TransactionStatus
from sqlalchemy import event
from sqlalchemy.engine import Engine

from nominate.extensions import db

#: the largest id an INTEGER column holds (PostgreSQL refuses more): a bigger one is just "no such row"
MAX_ID = 2**31 - 1


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, _record):
    if isinstance(dbapi_connection, sqlite3.Connection):
        # Let SQLAlchemy's "begin" hook issue BEGIN IMMEDIATE: a write transaction takes the
        # write lock up front, so two requests racing for the last quota place serialise.
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


#: inside :func:`without_locks`: a read-only check (a to-do list, a button) never takes a row lock
_NO_LOCKS: ContextVar[bool] = ContextVar("nominate_no_locks", default=False)
#: inside :func:`reading`: what a page's checks have read once for all its rows (so a list of N rows asks the
#: database a fixed number of times, not N times)
_READ_MEMO: ContextVar[dict | None] = ContextVar("nominate_read_memo", default=None)


@contextmanager
def without_locks():
    """A read-only check: :func:`lock` loads the row as it stands, without FOR UPDATE, inside the block."""
    token = _NO_LOCKS.set(True)
    try:
        yield
    finally:
        _NO_LOCKS.reset(token)


@contextmanager
def reading():
    """A page reading many rows' readiness: no row lock, and one memo the queries share (see :func:`read_memo`).

    Only for reading: an operation never runs inside it, so it never decides from a memo."""
    token = _READ_MEMO.set({})
    try:
        with without_locks():
            yield _READ_MEMO.get()
    finally:
        _READ_MEMO.reset(token)


def read_memo() -> dict | None:
    """The memo of the enclosing :func:`reading` block, or None (then every query goes to the database)."""
    return _READ_MEMO.get() if _NO_LOCKS.get() else None


def lock(model, ident):
    """Load ``model`` row ``ident`` with a row lock (SELECT … FOR UPDATE; SQLite is already serialised)."""
    if _NO_LOCKS.get():
        return db.session.get(model, ident)
    return db.session.execute(
        db.select(model).where(model.id == ident).with_for_update(of=model).execution_options(populate_existing=True)
    ).scalar_one_or_none()


@contextmanager
def before_the_transaction():
    """The block's one read runs on its own, before the session's transaction begins on the server: on
    PostgreSQL in autocommit (one round trip instead of BEGIN, SELECT, ROLLBACK, and psycopg keeps the
    statement prepared, which a ROLLBACK makes it forget). Everything after the block begins its transaction
    as before (psycopg sends BEGIN before the next statement), so what a request writes stays one transaction.
    Only for a read that needs no transaction of its own: the request's authentication, one SELECT. Where the
    session's connection is already in a transaction, or is not psycopg's (SQLite), the block runs as it is."""
    conn = db.session.connection()
    raw = conn.connection.dbapi_connection if conn.dialect.driver == "psycopg" else None
    if raw is not None and raw.info.transaction_status == TransactionStatus.IDLE:
        raw.autocommit = True
    else:
        raw = None
    try:
        yield
    finally:
        if raw is not None:
            if raw.info.transaction_status == TransactionStatus.IDLE:
                raw.autocommit = False
            else:  # broken mid-read: never hand this connection out again in autocommit
                conn.invalidate()


class ReadApart:
    """A Core select read ahead of everything else a request does, apart from the request's session, for a request
    that may be answered from that one read (``accounts.auth.warm_viewer``); whatever the request does next runs as
    before. On PostgreSQL it runs on a pool connection of its own, in autocommit (one round trip, no ORM session
    begun or closed for it), executed by psycopg with the statement compiled once by SQLAlchemy: SQLAlchemy's
    execution machinery costs twice the round trip itself here (124 against 56 µs a read on the benchmark
    machine). So the columns must be ones SQLAlchemy would not convert (integers, strings, booleans, times;
    ``type_coerce`` an enum to a string). Elsewhere (SQLite, where every transaction takes the write lock and a
    test's session may hold it) it runs through the session's connection, before its transaction."""

    #: called with the SQL of each read PostgreSQL runs this way (SQLAlchemy's statement events do not see it): the
    #: tests' statement counts listen here
    observers: list = []

    def __init__(self, stmt):
        self.stmt = stmt
        self.names = tuple(stmt.selected_columns.keys())
        self._compiled = None

    def _compile(self):
        """The SQL and its compiled form, once; refused when SQLAlchemy would have converted a column (psycopg's
        value would then differ on PostgreSQL alone, where the SQLite tests cannot see it)."""
        dialect = db.engine.dialect
        converted = [column.key for column in self.stmt.selected_columns
                     if column.type.result_processor(dialect, None) is not None]
        if converted:
            raise TypeError(f"ReadApart: SQLAlchemy converts {converted}; type_coerce them to a plain type")
        compiled = self.stmt.compile(dialect=dialect)
        return str(compiled), compiled

    def first(self, params: dict) -> dict | None:
        """The first row, by column name; None when there is none, or when (PostgreSQL) the connection the pool
        handed out turns out to be broken: it is thrown away, and the request goes on the usual way, through
        SQLAlchemy, which notices a lost server and renews the pool."""
        if db.engine.dialect.driver != "psycopg":
            with before_the_transaction():
                row = db.session.connection().execute(self.stmt, params).first()
            return None if row is None else dict(zip(self.names, row))
        if self._compiled is None:
            self._compiled = self._compile()
        sql, compiled = self._compiled
        for observe in ReadApart.observers:
            observe(sql)
        pooled = db.engine.raw_connection()
        try:
            raw = pooled.dbapi_connection
            raw.autocommit = True
            try:
                with raw.cursor() as cursor:
                    row = cursor.execute(sql, compiled.construct_params(params)).fetchone()
            except (psycopg.OperationalError, psycopg.InterfaceError):
                pooled.invalidate()
                return None
            finally:
                if pooled.is_valid:
                    if raw.info.transaction_status == TransactionStatus.IDLE:
                        raw.autocommit = False
                    else:  # broken mid-read: never hand this connection out again in autocommit
                        pooled.invalidate()
        finally:
            pooled.close()
        return None if row is None else dict(zip(self.names, row))


@contextmanager
def unit_of_work():
    """One transaction: commit when the block succeeds, roll back on any exception."""
    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def end_read() -> None:
    """End the session's read transaction (on SQLite every transaction holds the write lock: a long stream must
    not make other requests wait for its end) and keep what it loaded: the rows read stay as they were, not
    expired and read again one by one. Anything written and not committed is rolled back, never committed."""
    session = db.session()
    if session.new or session.dirty or session.deleted:
        session.rollback()
        return
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()  # nothing to write: it only ends the transaction
    finally:
        session.expire_on_commit = keep


#: inside :func:`only_when_needed`: statements a page runs only when some of its rows need them (counted apart)
_ONLY_WHEN_NEEDED: ContextVar[bool] = ContextVar("nominate_only_when_needed", default=False)


@contextmanager
def only_when_needed():
    """The block's statements run only when some of a page's rows need them (a prefetch skipped when no row
    does): :class:`StatementCounter` counts them apart, so a page's count does not depend on which rows the
    data holds, while the block's own count is checked to stay fixed."""
    token = _ONLY_WHEN_NEEDED.set(True)
    try:
        yield
    finally:
        _ONLY_WHEN_NEEDED.reset(token)


class StatementCounter:
    """Counts the SQL statements ``engine`` executes inside the block (for N+1 checks): ``count`` all of them (the
    reads :class:`ReadApart` has psycopg run itself included), ``when_needed`` those run inside
    :func:`only_when_needed` (included in ``count``)."""

    def __init__(self, engine):
        self.engine, self.count, self.when_needed = engine, 0, 0

    def _count(self, *_args):
        self.count += 1
        if _ONLY_WHEN_NEEDED.get():
            self.when_needed += 1

    def __enter__(self):
        self.count = self.when_needed = 0
        event.listen(self.engine, "before_cursor_execute", self._count)
        ReadApart.observers.append(self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)
        ReadApart.observers.remove(self._count)


def row_id(value) -> int | None:
    """A row id from request text: ASCII digits after normalisation, 1 … MAX_ID; anything else is None
    (a number no INTEGER column holds is "no such row", never sent to the database or to int())."""
    from nominate.core.cleaning import normalise_identifier

    text = normalise_identifier(value if isinstance(value, str) else str(value or ""))
    if not (0 < len(text) <= 10 and text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def row_ids(values) -> list[int]:
    """row_id of each value, the invalid ones left out."""
    return [i for i in (row_id(v) for v in values) if i is not None]
