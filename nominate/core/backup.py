"""Backup and restore of the whole database: SQLite's online backup API, pg_dump/pg_restore on PostgreSQL."""
from __future__ import annotations

import hashlib
import sqlite3
import subprocess

import sqlalchemy as sa

from nominate.core.errors import DomainError


def _url(uri: str) -> sa.engine.URL:
    return sa.engine.make_url(uri)


def _libpq(url: sa.engine.URL) -> tuple[str, dict]:
    """The connection string without its password (which ``ps`` would show) and the environment
    that carries the password instead (libpq reads PGPASSWORD)."""
    import os

    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    bare = sa.engine.URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                                database=url.database, query=url.query)
    return bare.render_as_string(hide_password=False), env


def _sqlite_file(url: sa.engine.URL):
    """The SQLite file of ``url``; a mistyped path must not be "backed up" as a new empty database."""
    from pathlib import Path

    if not url.database or not Path(url.database).is_file():
        raise DomainError("database_missing", f"数据库文件不存在：{url.database}")
    return url.database


def backup(uri: str, path: str) -> None:
    """Write a consistent copy of the database at ``uri`` to ``path`` (the app may keep running)."""
    url = _url(uri)
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(_sqlite_file(url)) as src, sqlite3.connect(path) as dst:
            src.backup(dst)
    elif url.get_backend_name() == "postgresql":
        target, env = _libpq(url)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", path, target], env)
    else:
        raise DomainError("backup_unsupported", f"不支持备份该数据库：{url.get_backend_name()}")


def restore(uri: str, path: str) -> None:
    """Replace the database at ``uri`` with the backup at ``path`` (stop the app first)."""
    url = _url(uri)
    if url.get_backend_name() == "sqlite":
        from pathlib import Path

        if not Path(path).is_file():
            raise DomainError("backup_missing", f"备份文件不存在：{path}")
        with sqlite3.connect(path) as src, sqlite3.connect(_sqlite_file(url)) as dst:
            src.backup(dst)
    elif url.get_backend_name() == "postgresql":
        target, env = _libpq(url)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
              "--dbname", target, path], env)
    else:
        raise DomainError("backup_unsupported", f"不支持恢复该数据库：{url.get_backend_name()}")


def _run(cmd: list[str], env: dict) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        raise DomainError("backup_failed", f"{cmd[0]} 失败：{done.stderr.strip()[:500]}")


def table_checksums(connection) -> dict[str, tuple[int, str]]:
    """(row count, SHA-256 of every row in primary-key order) per table: compares two databases."""
    from nominate.extensions import db

    out = {}
    for table in db.metadata.sorted_tables:
        rows = connection.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
        digest = hashlib.sha256()
        for row in rows:
            digest.update(repr(tuple(_plain(v) for v in row)).encode())
        out[table.name] = (len(rows), digest.hexdigest())
    return out


def _plain(value):
    """Values as both databases give them back (SQLite drops the time zone of stored datetimes)."""
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return value.replace(tzinfo=None).isoformat()
    if isinstance(value, memoryview):
        return bytes(value)
    return value
