"""Data versions for the page cache (one row per campaign and a global one)

Revision ID: 180001
Revises: 19b0001
Create Date: 2026-11-30 17:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '180001'
down_revision = "19b0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'data_versions',
        sa.Column('scope', sa.String(length=40), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('scope', name=op.f('pk_data_versions')),
    )


def downgrade():
    op.drop_table('data_versions')
