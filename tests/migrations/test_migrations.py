"""The schema is made by the migrations: upgrading an empty database gives exactly the models' schema,
and every migration downgrades cleanly (SQLite, and PostgreSQL when the suite runs there)."""
import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from nominate import create_app
from nominate.extensions import db


@pytest.fixture()
def empty_app(tmp_path):
    base = os.environ.get("NOMINATE_TEST_DATABASE_URL")
    admin = None
    if base:
        url = sa.engine.make_url(base.replace("postgresql://", "postgresql+psycopg://", 1))
        name = f"nominate_mig_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        uri = url.set(database=name).render_as_string(hide_password=False)
    else:
        uri = f"sqlite:///{tmp_path / 'migrations.db'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "t"})
    yield app
    with app.app_context():
        db.engine.dispose()
    if admin is not None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_matches_models_and_downgrades_cleanly(empty_app):
    with empty_app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        downgrade(revision="base")
        with db.engine.connect() as conn:
            left = set(sa.inspect(conn).get_table_names()) - {"alembic_version"}
        assert left == set()
        upgrade()  # and up again from nothing
        with db.engine.connect() as conn:
            assert "nominations" in sa.inspect(conn).get_table_names()


def test_audit_table_refuses_update_and_delete(empty_app):
    """Migration a1d1t0nly001: a trigger on PostgreSQL (and on SQLite) keeps audit_events append-only."""
    with empty_app.app_context():
        upgrade()
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO audit_events (object_type, action, at) "
                                 "VALUES ('request', 'login', CURRENT_TIMESTAMP)"))
        for statement in ("UPDATE audit_events SET action = 'changed'", "DELETE FROM audit_events"):
            with pytest.raises(sa.exc.DatabaseError, match="append-only"):
                with db.engine.begin() as conn:
                    conn.execute(sa.text(statement))
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT action FROM audit_events")).scalars().all() == ["login"]
