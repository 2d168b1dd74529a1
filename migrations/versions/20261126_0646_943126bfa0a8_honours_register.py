"""The honours register: honours, their evidence, links to nominations, import stashes

Revision ID: 943126bfa0a8
Revises: a1d1t0nly001
Create Date: 2026-11-26 06:46:46
"""
import sqlalchemy as sa
from alembic import op

revision = '943126bfa0a8'
down_revision = 'a1d1t0nly001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('honour_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_honour_imports_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honour_imports')),
    sa.UniqueConstraint('token', name=op.f('uq_honour_imports_token'))
    )
    op.create_table('honours',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holder_kind', sa.Enum('person', 'unit', name='honour_holder_kind', native_enum=False, create_constraint=True, length=14), nullable=False),
    sa.Column('holder_key', sa.String(length=200), nullable=False),
    sa.Column('person_name', sa.String(length=40), nullable=True),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('unit_name', sa.String(length=120), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('level', sa.Enum('national', 'province', 'city', 'county', name='honour_level', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('kind', sa.Enum('title', 'individual_rank', 'team_prize', 'competition_title', name='honour_kind', native_enum=False, create_constraint=True, length=25), nullable=False),
    sa.Column('competition', sa.String(length=120), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('rank', sa.String(length=40), nullable=True),
    sa.Column('issuing_body', sa.String(length=120), nullable=True),
    sa.Column('document_number', sa.String(length=80), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_honours_created_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_honours_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honours')),
    sa.UniqueConstraint('holder_key', 'year', 'kind', 'title', 'competition', name=op.f('uq_honours_holder_key_year_kind_title_competition'))
    )
    with op.batch_alter_table('honours', schema=None) as batch_op:
        batch_op.create_index('ix_honours_organisation_year', ['organisation_id', 'year'], unique=False)

    op.create_table('honour_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('honour_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('mime', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['honour_id'], ['honours.id'], name=op.f('fk_honour_evidence_honour_id_honours')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honour_evidence')),
    sa.UniqueConstraint('honour_id', name=op.f('uq_honour_evidence_honour_id'))
    )
    op.create_table('honour_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('honour_id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('auto', 'confirmed', 'unlinked', name='honour_link_status', native_enum=False, create_constraint=True, length=17), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_honour_links_decided_by_id_users')),
    sa.ForeignKeyConstraint(['honour_id'], ['honours.id'], name=op.f('fk_honour_links_honour_id_honours')),
    sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id'], name=op.f('fk_honour_links_nomination_id_nominations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honour_links')),
    sa.UniqueConstraint('honour_id', 'nomination_id', name=op.f('uq_honour_links_honour_id_nomination_id'))
    )
    with op.batch_alter_table('honour_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_honour_links_nomination_id'), ['nomination_id'], unique=False)


def downgrade():
    with op.batch_alter_table('honour_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_honour_links_nomination_id'))

    op.drop_table('honour_links')
    op.drop_table('honour_evidence')
    with op.batch_alter_table('honours', schema=None) as batch_op:
        batch_op.drop_index('ix_honours_organisation_year')

    op.drop_table('honours')
    op.drop_table('honour_imports')
