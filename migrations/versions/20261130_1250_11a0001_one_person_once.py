"""身份证号 in one normal form; one person an individual nominee at most once per campaign

Data: every stored 身份证号 (nominations, honours) and phone number is NFKC-normalised with ASCII digits
(full-width １４０… and other scripts' digits were stored as typed), the honours' person keys and the users'
person keys are recomputed from the normalised number. Schema: a partial unique index on
nominations (campaign_id, id_number) for live individual nominations (withdrawn ones aside).

Revision ID: 11a0001
Revises: 170001
Create Date: 2026-11-30 12:50:00
"""
import hashlib
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = '11a0001'
down_revision = '170001'
branch_labels = None
depends_on = None

WHERE = "kind = 'individual' AND state <> 'withdrawn' AND id_number IS NOT NULL"


def _normal(value):
    """nominate.core.cleaning.normalise_identifier, frozen here as it was when this migration was written."""
    text = unicodedata.normalize("NFKC", value or "")
    text = "".join(str(unicodedata.decimal(ch)) if unicodedata.category(ch) == "Nd" else ch for ch in text)
    return text.strip().upper()


def _key(id_number):
    return hashlib.sha256(id_number.encode()).hexdigest()


def _old_key(id_number):  # person_key before this revision: strip().upper() only
    return hashlib.sha256(id_number.strip().upper().encode()).hexdigest()


def upgrade():
    conn = op.get_bind()
    renamed = {}  # old 身份证号 -> normalised
    for nid, number, phone, leader_phone in conn.execute(sa.text(
            "SELECT id, id_number, phone, leader_phone FROM nominations")).fetchall():
        new = {"id_number": _normal(number) if number else number, "phone": _normal(phone) if phone else phone,
               "leader_phone": _normal(leader_phone) if leader_phone else leader_phone}
        if (new["id_number"], new["phone"], new["leader_phone"]) != (number, phone, leader_phone):
            conn.execute(sa.text("UPDATE nominations SET id_number = :id_number, phone = :phone, "
                                 "leader_phone = :leader_phone WHERE id = :id"), {**new, "id": nid})
        if number and new["id_number"] != number:
            renamed[number] = new["id_number"]
    for hid, number, kind, key in conn.execute(sa.text(
            "SELECT id, id_number, holder_kind, holder_key FROM honours WHERE id_number IS NOT NULL")).fetchall():
        normal = _normal(number)
        if normal == number:
            continue
        renamed[number] = normal
        values = {"id": hid, "n": normal, "k": _key(normal) if kind == "person" else key}
        conn.execute(sa.text("UPDATE honours SET id_number = :n, holder_key = :k WHERE id = :id"), values)
    for old, new in renamed.items():  # an account created with the typed form carries the old key
        if _old_key(old) != _key(new):
            conn.execute(sa.text("UPDATE users SET person_key = :new WHERE person_key = :old"),
                         {"new": _key(new), "old": _old_key(old)})
    twice = conn.execute(sa.text(
        f"SELECT campaign_id, id_number, COUNT(*) FROM nominations WHERE {WHERE} "
        "GROUP BY campaign_id, id_number HAVING COUNT(*) > 1")).fetchall()
    if twice:
        rows = conn.execute(sa.text(f"SELECT id, campaign_id, id_number FROM nominations WHERE {WHERE}")).fetchall()
        groups = {(c, n): [] for c, n, _ in twice}
        for nid, c, n in rows:
            if (c, n) in groups:
                groups[(c, n)].append(str(nid))
        listing = "; ".join(f"campaign {c}: nominations {', '.join(ids)}" for (c, _n), ids in groups.items())
        raise RuntimeError("the same person is an individual nominee more than once in one campaign "
                           f"({listing}): withdraw all but one, then upgrade again")
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.create_index('uq_nominations_campaign_person', ['campaign_id', 'id_number'], unique=True,
                              sqlite_where=sa.text(WHERE), postgresql_where=sa.text(WHERE))


def downgrade():
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.drop_index('uq_nominations_campaign_person', sqlite_where=sa.text(WHERE),
                            postgresql_where=sa.text(WHERE))
