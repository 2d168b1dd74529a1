"""民族, 政治面貌, 学历 from the national standards' lists; 学位 in its own column

Maps the values already stored to the names of nominations/standards.yaml (汉 → 汉族, 党员 → 中共党员,
"大学本科 管理学学士" → 学历 大学本科 + 学位 管理学学士). A value no list knows is kept as it is and reported
(the form shows it and asks for the standard's entry): nothing is lost.

Revision ID: 14c0001
Revises: 14b0001
Create Date: 2026-11-30 16:00:00
"""
import logging

import sqlalchemy as sa
from alembic import op

revision = '14c0001'
down_revision = "14b0001"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def upgrade():
    from nominate.nominations import standards

    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('degree', sa.String(length=40), nullable=True))
    conn = op.get_bind()
    nominations = sa.table('nominations', sa.column('id', sa.Integer), sa.column('version', sa.Integer),
                           sa.column('ethnicity', sa.String), sa.column('political_status', sa.String),
                           sa.column('education', sa.String), sa.column('degree', sa.String))
    rows = conn.execute(sa.select(nominations.c.id, nominations.c.ethnicity, nominations.c.political_status,
                                  nominations.c.education)).all()
    lists = standards.lists()
    unknown = []
    for row in rows:
        new = {}
        for field in ('ethnicity', 'political_status'):
            value = getattr(row, field)
            if value is None or not value.strip():
                continue
            name = lists[field].canonical(value)
            if name is None:
                unknown.append((row.id, field, value))
            elif name != value:
                new[field] = name
        if row.education and row.education.strip():
            edu, degree, rest = standards.split_education(row.education)
            if edu is None:
                unknown.append((row.id, 'education', rest))
            else:
                if edu != row.education:
                    new['education'] = edu
                if degree:
                    new['degree'] = degree[:40]
        if new:
            conn.execute(nominations.update().where(nominations.c.id == row.id)
                         .values(version=nominations.c.version + 1, **new))
    for nid, field, value in unknown:
        log.warning("nominations.id=%s %s=%r: not in %s, kept as it is (the form asks for the standard's entry)",
                    nid, field, value, lists[field].standard)
    if unknown:
        log.warning("%d stored value(s) not in the national lists, kept unchanged", len(unknown))


def downgrade():
    conn = op.get_bind()
    nominations = sa.table('nominations', sa.column('id', sa.Integer), sa.column('education', sa.String),
                           sa.column('degree', sa.String))
    for nid, edu, degree in conn.execute(sa.select(nominations.c.id, nominations.c.education, nominations.c.degree)
                                         .where(nominations.c.degree.is_not(None))).all():
        conn.execute(nominations.update().where(nominations.c.id == nid)
                     .values(education=(f"{edu or ''} {degree}".strip())[:40]))
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.drop_column('degree')
