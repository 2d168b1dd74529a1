"""The states the migrations allow are exactly the states of the workflow file.

NominationState and BatchState are derived from workflows/nomination.yaml; the database keeps each as
VARCHAR with a CHECK constraint listing the values. Alembic's comparison does not look inside CHECK
constraints, so this test does: a state added to (or removed from) the file without a migration fails here."""
import re

import sqlalchemy as sa
from flask_migrate import upgrade

from nominate.extensions import db
from nominate.nominations.enums import NominationState
from nominate.batches.models import BatchState
from tests.migrations.test_migrations import empty_app  # noqa: F401  (fixture)


def _constraint_values(conn, table: str, name: str) -> set[str]:
    if conn.dialect.name == "postgresql":
        text = conn.execute(sa.text("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = :n"),
                            {"n": f"ck_{table}_{name}"}).scalar_one()
    else:
        sql = conn.execute(sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"),
                           {"t": table}).scalar_one()
        text = re.search(rf"CONSTRAINT ck_{table}_{name} CHECK \(\w+ IN \(([^)]*)\)\)", sql).group(1)
    return set(re.findall(r"'([a-z_]+)'", text))


def test_the_migrated_check_constraints_list_exactly_the_files_states(empty_app):  # noqa: F811
    with empty_app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            assert _constraint_values(conn, "nominations", "nomination_state") == {m.value for m in NominationState}
            assert _constraint_values(conn, "city_batches", "batch_state") == {m.value for m in BatchState}


def test_the_check_reader_sees_a_missing_state():
    assert "province_vetted" not in {m.value for m in NominationState}
    values = {m.value for m in NominationState}
    assert len(values) == 19 and "draft" in values and "revoked" in values
