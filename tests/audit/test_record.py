"""The trail's one writer (nominate.audit.operations): a row per change, masked as it is written, and one row per
caller, route and window for refused requests."""
from __future__ import annotations

from nominate.audit import operations as audit
from nominate.audit.models import AuditEvent, RefusalWindow


def test_record_masks_identity_numbers_and_phones_as_it_writes(f, db):
    actor = f.user("province_office", "shanxi")
    audit.record(actor, "note", object_type="test", comment="身份证号 110101199003074514，电话 13912345678",
                 data={"id_number": "110101199003074514", "phone": "13912345678", "nested": ["13912345678"]})
    db.session.flush()
    row = db.session.scalars(db.select(AuditEvent).filter_by(action="note")).one()
    text = f"{row.comment} {row.data}"
    assert "110101199003074514" not in text and "13912345678" not in text
    assert row.actor_id == actor.id and row.actor_role == "province_office"


def test_refusals_in_one_window_are_one_row_with_a_counter(f, db):
    for _ in range(3):
        audit.record_refusal(None, caller="addr:10.0.0.9", route="GET /x", path="/x", window_minutes=10,
                             data={"method": "GET"})
    db.session.flush()
    rows = db.session.scalars(db.select(AuditEvent).filter_by(action="access_denied")).all()
    windows = db.session.scalars(db.select(RefusalWindow).filter_by(caller="addr:10.0.0.9")).all()
    assert len(rows) == 1 and len(windows) == 1 and windows[0].count == 3
    assert windows[0].first_event_id == rows[0].id
