"""backup and restore round-trip the demo data: every table's row count and checksum come back equal."""
import hashlib

import pytest
import sqlalchemy as sa

from nominate.core.backup import _plain, table_checksums
from nominate.extensions import db as _db
from tests.conftest import _clear


@pytest.mark.slow
def test_backup_then_restore_gives_back_every_row(app, ctx, tmp_path):
    from nominate.demo.data import build_demo

    build_demo()
    _db.session.commit()
    versions = "SELECT scope, version FROM data_versions"
    with _db.engine.connect() as conn:
        before = table_checksums(conn)
        versions_before = dict(conn.execute(sa.text(versions)).all())
    assert before["nominations"][0] > 20 and before["audit_events"][0] > 100
    runner = app.test_cli_runner()
    path = str(tmp_path / "nominate.backup")
    result = runner.invoke(args=["backup", path])
    assert result.exit_code == 0, result.output
    _clear(app)  # lose everything (the audit table is append-only only where migrations made it)
    with _db.engine.connect() as conn:
        assert table_checksums(conn)["nominations"][0] == 0
    assert runner.invoke(args=["restore", path]).exit_code != 0  # asks for confirmation
    result = runner.invoke(args=["restore", path, "--yes"])
    assert result.exit_code == 0, result.output
    with _db.engine.connect() as conn:
        after = table_checksums(conn)
        # the audit trail gains the restore's own row; the data version is raised past every earlier value
        # (no page cached before the restore may be served after it: issue 18)
        changed = ("audit_events", "data_versions")
        assert {k: v for k, v in after.items() if k not in changed} == {
            k: v for k, v in before.items() if k not in changed}
        assert after["data_versions"][0] == before["data_versions"][0]
        restored = dict(conn.execute(sa.text(versions)).all())
        # a page's key holds the sum of the versions: the global one jumps past any sum seen before
        assert restored["global"] > sum(versions_before.values()), (versions_before, restored)
        assert {k: v for k, v in restored.items() if k != "global"} == {
            k: v for k, v in versions_before.items() if k != "global"}
        assert conn.execute(sa.text("SELECT count(*) FROM users")).scalar() == before["users"][0]
        # every audit row came back, and the restore added one of its own (issue 11 #8)
        assert after["audit_events"][0] == before["audit_events"][0] + 1
        last = conn.execute(sa.text("SELECT action, data FROM audit_events ORDER BY id DESC LIMIT 1")).one()
        assert last[0] == "database_restored"
        audit = _db.metadata.tables["audit_events"]
        kept = conn.execute(sa.select(audit).order_by(audit.c.id).limit(before["audit_events"][0])).all()
        digest = hashlib.sha256()
        for row in kept:
            digest.update(repr(tuple(_plain(v) for v in row)).encode())
        assert digest.hexdigest() == before["audit_events"][1]


def test_backup_of_a_mistyped_sqlite_path_is_refused_not_an_empty_copy(tmp_path):
    import pytest

    from nominate.core.backup import backup
    from nominate.core.errors import DomainError

    with pytest.raises(DomainError, match="数据库文件不存在"):
        backup(f"sqlite:///{tmp_path / 'no-such.db'}", str(tmp_path / "out.db"))
    assert not (tmp_path / "no-such.db").exists() and not (tmp_path / "out.db").exists()


def test_postgres_password_goes_to_the_environment_not_the_command_line():
    import sqlalchemy as sa

    from nominate.core.backup import _libpq

    target, env = _libpq(sa.engine.make_url("postgresql+psycopg://nominate:s3cret@db.example:5432/nominate"))
    assert "s3cret" not in target and env["PGPASSWORD"] == "s3cret"
