"""What each batch submission sent (batch_snapshots); deleted drafts (nominations.deleted_at); a backdated unit publicity's reason and scanned notice

Revision ID: 14b0001
Revises: 160001
Create Date: 2026-11-30 16:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '14b0001'
down_revision = "160001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('publicity_periods', schema=None) as batch_op:
        batch_op.add_column(sa.Column('backdate_reason', sa.Text(), nullable=True))
    op.create_table(
        'publicity_notices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('period_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('mime', sa.String(length=40), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['period_id'], ['publicity_periods.id'],
                                name=op.f('fk_publicity_notices_period_id_publicity_periods')),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_publicity_notices_uploaded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_publicity_notices')),
        sa.UniqueConstraint('period_id', name=op.f('uq_publicity_notices_period_id')),
    )
    op.create_table(
        'batch_snapshots',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('taken_by_id', sa.Integer(), nullable=True),
        sa.Column('content', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['batch_id'], ['city_batches.id'], name=op.f('fk_batch_snapshots_batch_id_city_batches')),
        sa.ForeignKeyConstraint(['taken_by_id'], ['users.id'], name=op.f('fk_batch_snapshots_taken_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_batch_snapshots')),
        sa.UniqueConstraint('batch_id', 'number', name=op.f('uq_batch_snapshots_batch_id_number')),
    )
    with op.batch_alter_table('batch_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_batch_snapshots_batch_id'), ['batch_id'], unique=False)


def downgrade():
    with op.batch_alter_table('batch_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_batch_snapshots_batch_id'))
    op.drop_table('batch_snapshots')
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
    op.drop_table('publicity_notices')
    with op.batch_alter_table('publicity_periods', schema=None) as batch_op:
        batch_op.drop_column('backdate_reason')
