"""The application's own PostgreSQL role: it may read and write every table but may not UPDATE, DELETE
or TRUNCATE the audit trail. A trigger alone does not bind the table's owner (who can drop or disable it),
so production runs as a role that owns nothing: the migrations run as the owner, the app as this role."""
from __future__ import annotations

import sqlalchemy as sa

#: tables the application role may only read and append to
APPEND_ONLY_TABLES = ("audit_events",)


def app_role_statements(role: str, database: str, quote) -> list[str]:
    """The GRANT/REVOKE statements for ``role`` (``quote`` quotes an identifier)."""
    r, d = quote(role), quote(database)
    out = [
        f"GRANT CONNECT ON DATABASE {d} TO {r}",
        f"GRANT USAGE ON SCHEMA public TO {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}",
        # tables added by later migrations (run by the owner) get the same rights
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {r}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {r}",
    ]
    for table in APPEND_ONLY_TABLES:
        out.append(f"REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON {quote(table)} FROM {r}")
    return out


def grant_app_role(connection, role: str) -> list[str]:
    """Run the statements on ``connection`` (the owner's, PostgreSQL) and return them."""
    if connection.dialect.name != "postgresql":
        from nominate.core.errors import DomainError

        raise DomainError("privileges_unsupported", "数据库角色权限只适用于 PostgreSQL")
    quote = connection.dialect.identifier_preparer.quote
    statements = app_role_statements(role, connection.engine.url.database, quote)
    for statement in statements:
        connection.execute(sa.text(statement))
    return statements
