"""A campaign's own versions of the Word templates (uploaded, checked, one in use per form)

Revision ID: 160001
Revises: 11a0001
Create Date: 2026-11-30 13:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = '160001'
down_revision = '11a0001'  # chained after issues 17 and 11a at the merges of main (was 150001)
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'template_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('form', sa.String(length=40), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('uploaded_by_name', sa.String(length=80), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('in_use', sa.Boolean(), nullable=False),
        sa.Column('in_use_since', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_template_versions_campaign_id_campaigns')),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_template_versions_uploaded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_template_versions')),
        sa.UniqueConstraint('campaign_id', 'form', 'number', name=op.f('uq_template_versions_campaign_id_form_number')),
    )
    with op.batch_alter_table('template_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_template_versions_campaign_id'), ['campaign_id'], unique=False)


def downgrade():
    with op.batch_alter_table('template_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_template_versions_campaign_id'))
    op.drop_table('template_versions')
