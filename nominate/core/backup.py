"""Backup and restore of the whole database: SQLite's online backup API, pg_dump/pg_restore on PostgreSQL."""
from __future__ import annotations

import hashlib
import sqlite3
import subprocess

import sqlalchemy as sa

from nominate.core.errors import DomainError


def _url(uri: str) -> sa.engine.URL:
    return sa.engine.make_url(uri)


def _libpq(url: sa.engine.URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def backup(uri: str, path: str) -> None:
    """Write a consistent copy of the database at ``uri`` to ``path`` (the app may keep running)."""
    url = _url(uri)
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(url.database) as src, sqlite3.connect(path) as dst:
            src.backup(dst)
    elif url.get_backend_name() == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", path, _libpq(url)])
    else:
        raise DomainError("backup_unsupported", f"不支持备份该数据库：{url.get_backend_name()}")


def restore(uri: str, path: str) -> None:
    """Replace the database at ``uri`` with the backup at ``path`` (stop the app first)."""
    url = _url(uri)
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(path) as src, sqlite3.connect(url.database) as dst:
            src.backup(dst)
    elif url.get_backend_name() == "postgresql":
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
              "--dbname", _libpq(url), path])
    else:
        raise DomainError("backup_unsupported", f"不支持恢复该数据库：{url.get_backend_name()}")


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
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
