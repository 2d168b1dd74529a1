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


def test_audit_table_refuses_truncate_and_replacement(empty_app):
    """Issue 11 #8: TRUNCATE (PostgreSQL) and INSERT OR REPLACE (SQLite) went past the row triggers."""
    with empty_app.app_context():
        upgrade()
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO audit_events (object_type, action, at) "
                                 "VALUES ('request', 'login', CURRENT_TIMESTAMP)"))
            assert conn.execute(sa.text("SELECT id FROM audit_events")).scalar() == 1
        if db.engine.dialect.name == "postgresql":
            statements = ["TRUNCATE audit_events CASCADE", "TRUNCATE audit_events, refusal_windows"]
        else:
            statements = ["INSERT OR REPLACE INTO audit_events (id, object_type, action, at) "
                          "VALUES (1, 'request', 'forged', CURRENT_TIMESTAMP)",
                          "REPLACE INTO audit_events (id, object_type, action, at) "
                          "VALUES (1, 'request', 'forged', CURRENT_TIMESTAMP)"]
        for statement in statements:
            with pytest.raises(sa.exc.DatabaseError, match="append-only"):
                with db.engine.begin() as conn:
                    conn.execute(sa.text(statement))
        with db.engine.begin() as conn:  # appending still works
            conn.execute(sa.text("INSERT INTO audit_events (object_type, action, at) "
                                 "VALUES ('request', 'logout', CURRENT_TIMESTAMP)"))
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT action FROM audit_events ORDER BY id")).scalars().all() == [
                "login", "logout"]


def test_the_app_role_cannot_update_delete_or_truncate_the_audit_table(empty_app):
    """Issue 11 #8: in production the app connects as a role without UPDATE, DELETE or TRUNCATE on the
    audit table (``flask grant-app-role``, README's deployment section); connect as such a role and be refused."""
    if not os.environ.get("NOMINATE_TEST_DATABASE_URL"):
        pytest.skip("database roles exist only on PostgreSQL (the suite's PostgreSQL run covers this)")
    role = f"nominate_app_{uuid.uuid4().hex[:8]}"
    with empty_app.app_context():
        upgrade()
        with db.engine.begin() as conn:
            conn.execute(sa.text(f'CREATE ROLE "{role}" LOGIN'))
        try:
            result = empty_app.test_cli_runner().invoke(args=["grant-app-role", role])
            assert result.exit_code == 0, result.output
            app_engine = sa.create_engine(db.engine.url.set(username=role, password=None))
            with app_engine.begin() as conn:  # the app's work: read, write, append to the trail
                conn.execute(sa.text("INSERT INTO refusal_windows (caller, route, window_start, count, last_at, "
                                     "last_path) VALUES ('addr:x', 'GET /', now(), 1, now(), '/')"))
                conn.execute(sa.text("UPDATE refusal_windows SET count = count + 1"))
                conn.execute(sa.text("INSERT INTO audit_events (object_type, action, at) "
                                     "VALUES ('request', 'login', CURRENT_TIMESTAMP)"))
                assert conn.execute(sa.text("SELECT count(*) FROM audit_events")).scalar() == 1
            for statement in ("UPDATE audit_events SET action = 'changed'", "DELETE FROM audit_events",
                              "TRUNCATE audit_events CASCADE", "UPDATE alembic_version SET version_num = 'x'"):
                with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                    with app_engine.begin() as conn:
                        conn.execute(sa.text(statement))
            # a table a later migration adds (as the owner) gets the same rights by default
            with db.engine.begin() as conn:
                conn.execute(sa.text("CREATE TABLE later_table (id integer PRIMARY KEY)"))
            with app_engine.begin() as conn:
                conn.execute(sa.text("INSERT INTO later_table VALUES (1)"))
            app_engine.dispose()
            # the trigger stays as a second line: even the owner cannot TRUNCATE the trail
            with pytest.raises(sa.exc.DatabaseError, match="append-only"):
                with db.engine.begin() as conn:
                    conn.execute(sa.text("TRUNCATE audit_events CASCADE"))
        finally:
            with db.engine.begin() as conn:
                conn.execute(sa.text(f'DROP OWNED BY "{role}"'))
                conn.execute(sa.text(f'DROP ROLE "{role}"'))


def test_identity_migration_normalises_stored_numbers_and_person_keys(empty_app):
    """Migration 11a0001: numbers stored full-width become ASCII, the honours' and users' person keys follow,
    and the one-person-per-campaign index is in place."""
    import hashlib

    from tests.factories import make_id_number

    ascii_id = make_id_number("19850312", 124)
    typed = "".join(chr(ord(c) + 0xFEE0) for c in ascii_id)
    old_key = hashlib.sha256(typed.encode()).hexdigest()
    new_key = hashlib.sha256(ascii_id.encode()).hexdigest()
    now = "2021-08-02 08:00:00"
    with empty_app.app_context():
        upgrade(revision="943126bfa0a8")
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO organisations (id, code, name, short_name, kind, sort_order) "
                                 "VALUES (1, 'shanxi', '山西省', '山西', 'province', 0)"))
            conn.execute(sa.text("INSERT INTO campaigns (id, key, title, period_label, year, workflow, province_id, "
                                 "config, source_sha256, loaded_at) VALUES (1, 'k', 't', 'p', 2021, 'nomination', 1, "
                                 "'{}', 'x', :now)"), {"now": now})
            conn.execute(sa.text("INSERT INTO nominations (id, campaign_id, kind, state, owner_org_id, "
                                 "cadre_authority_org_id, version, created_at, updated_at, id_number, phone) "
                                 "VALUES (1, 1, 'individual', 'draft', 1, 1, 1, :now, :now, :id, :phone)"),
                         {"now": now, "id": typed, "phone": "１３８１２３４５６７８"})
            conn.execute(sa.text("INSERT INTO users (id, username, display_name, password_hash, role, "
                                 "organisation_id, active, created_at, person_key) VALUES (1, 'u', 'u', 'x', "
                                 "'city_bureau', 1, true, :now, :key)"), {"now": now, "key": old_key})
            conn.execute(sa.text("INSERT INTO honours (id, holder_kind, holder_key, person_name, id_number, "
                                 "organisation_id, title, level, kind, competition, year, created_at) VALUES "
                                 "(1, 'person', :key, '张', :id, 1, 't', 'province', 'title', '', 2020, :now)"),
                         {"key": old_key, "id": typed, "now": now})
        upgrade()
        with db.engine.begin() as conn:
            assert conn.execute(sa.text("SELECT id_number, phone FROM nominations")).one() == (ascii_id, "13812345678")
            assert conn.execute(sa.text("SELECT person_key FROM users")).scalar() == new_key
            assert conn.execute(sa.text("SELECT id_number, holder_key FROM honours")).one() == (ascii_id, new_key)
            with pytest.raises(sa.exc.IntegrityError):
                conn.execute(sa.text("INSERT INTO nominations (campaign_id, kind, state, owner_org_id, "
                                     "cadre_authority_org_id, version, created_at, updated_at, id_number) "
                                     "VALUES (1, 'individual', 'draft', 1, 1, 1, :now, :now, :id)"),
                             {"now": now, "id": ascii_id})
