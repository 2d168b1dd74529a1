"""Contacts of each organisation (附件7, table footers); 邮政编码 and 附件2 职务 of a window

Revision ID: 150001
Revises: 11b0001
Create Date: 2026-11-30 12:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '150001'
down_revision = "11b0001"
branch_labels = None
depends_on = None

ORG_COLUMNS = [('contact_position', 60), ('contact_mobile', 40), ('email', 120), ('postcode', 6),
               ('leader_name', 40), ('leader_position', 60), ('leader_phone', 40), ('leader_mobile', 40)]


def upgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        for name, length in ORG_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('leader_title', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('postcode', sa.String(length=6), nullable=True))


def downgrade():
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.drop_column('postcode')
        batch_op.drop_column('leader_title')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        for name, _ in reversed(ORG_COLUMNS):
            batch_op.drop_column(name)
