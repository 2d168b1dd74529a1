"""Users: the identifier at the 统一身份认证 platform (single sign-on by OpenID Connect)

Revision ID: 19b0001
Revises: 19a0001
Create Date: 2026-11-30 16:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "19b0001"
down_revision = "19a0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("sso_id", sa.String(length=128), nullable=True))
        batch.create_unique_constraint(op.f("uq_users_sso_id"), ["sso_id"])


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("uq_users_sso_id"), type_="unique")
        batch.drop_column("sso_id")
