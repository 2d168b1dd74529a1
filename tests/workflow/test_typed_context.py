"""Guards and effects share a typed context: the event's declared inputs are parsed once into EventParams
(no string keys), and what one operation shares among its events is the typed Shared."""
import dataclasses
import datetime as dt

import pytest

from nominate.audit.models import AuditEvent
from nominate.core.errors import ValidationFailed
from nominate.publicity.queries import current_period
from nominate.workflow.context import EventContext, EventParams, Shared
from nominate.workflow.engine import fire_event
from tests.factories import refused


def test_the_context_is_typed_end_to_end():
    fields = {f.name: f.type for f in dataclasses.fields(EventContext)}
    assert fields["params"] == "EventParams" and fields["shared"] == "Shared"
    assert [f.name for f in dataclasses.fields(EventParams)] == ["start_date", "backdate_reason", "notice"]
    assert {f.name for f in dataclasses.fields(Shared)} >= {"periods", "objection", "batch_submission"}


def test_event_params_read_only_what_the_event_declares():
    assert EventParams.parse({"start_date": "2021-08-02"}, ("start_date",)) == EventParams(dt.date(2021, 8, 2))
    assert EventParams.parse({"start_date": dt.date(2021, 8, 2)}, ("start_date",)).start_date == dt.date(2021, 8, 2)
    assert EventParams.parse({"start_date": "2021-08-02"}, ()) == EventParams()  # not an input of this event
    assert EventParams.parse({"start_date": ""}, ("start_date",)) == EventParams()
    assert EventParams.parse(None, ("start_date",)).audit() == {}
    with pytest.raises(ValidationFailed) as bad:
        EventParams.parse({"start_date": "2021-13-45"}, ("start_date",))
    assert bad.value.field == "start_date" and "YYYY-MM-DD" in bad.value.message


def test_the_effect_reads_the_typed_start_date_and_the_audit_row_records_it(f, db):
    nom = f.window()
    fire_event(nom, "start_unit_publicity", f.city(), params={"start_date": "2021-08-04"})
    db.session.commit()
    period = current_period(nom, "unit")
    row = db.session.scalars(db.select(AuditEvent).where(AuditEvent.nomination_id == nom.id)
                             .order_by(AuditEvent.id.desc())).first()
    assert row.data["start_date"] == "2021-08-04"
    assert row.data["publicity"]["start"] == "2021-08-04"
    assert period.start_date == dt.date(2021, 8, 4)


def test_a_malformed_start_date_is_refused_naming_the_field_and_changes_nothing(f, db):
    nom = f.window()
    err = refused(db, lambda: fire_event(nom, "start_unit_publicity", f.city(), params={"start_date": "8月4日"}),
                  "start_date_invalid")
    assert err.field == "start_date"
