"""Session versions, login unlocks, refusal windows; the audit table refuses TRUNCATE and replacement

Revision ID: 11b0001
Revises: 943126bfa0a8
Create Date: 2026-11-30 12:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = "11b0001"
down_revision = "943126bfa0a8"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_version", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("login_generation", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "refusal_windows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("caller", sa.String(length=80), nullable=False),
        sa.Column("route", sa.String(length=250), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_path", sa.String(length=200), nullable=False),
        sa.Column("first_event_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["first_event_id"], ["audit_events.id"],
                                name=op.f("fk_refusal_windows_first_event_id_audit_events")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refusal_windows")),
        sa.UniqueConstraint("caller", "route", "window_start", name=op.f("uq_refusal_windows_caller_route_window_start")),
    )
    if op.get_bind().dialect.name == "postgresql":
        # Row triggers do not see TRUNCATE: a statement trigger refuses it (the function of a1d1t0nly001).
        op.execute("""
        CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
        """)
    else:
        # INSERT OR REPLACE deletes the old row without firing DELETE triggers (recursive_triggers is off):
        # refuse any insert whose id is already taken.
        op.execute("""
        CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events
        WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only (REPLACE refused)'); END;
        """)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_replace")
    op.drop_table("refusal_windows")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("login_generation")
        batch.drop_column("session_version")
