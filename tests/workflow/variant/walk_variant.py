"""Run by test_variant_workflow.py in a fresh interpreter with NOMINATE_WORKFLOWS_DIR pointing at a variant
workflow file (one extra state, one extra event, a renamed label): the state enum, hence the schema's
CHECK constraint, is derived from that file at import. Not collected on its own (no test_ prefix)."""
import os

import pytest
import sqlalchemy as sa

from nominate.audit.models import AuditEvent
from nominate.nominations.enums import NominationState

pytestmark = pytest.mark.skipif(not os.environ.get("NOMINATE_WORKFLOWS_DIR"), reason="run by test_variant_workflow")


def test_the_enum_and_the_schema_are_derived_from_the_variant():
    assert NominationState("province_vetted").label == "省级复核中"
    assert NominationState.AWARDED.label == "已授予称号"


def test_a_nomination_walks_through_the_extra_state_and_event(f, walk, db):
    nom = walk.to(f.individual(), "province_vetted")  # the walker reads the main path from the file
    assert nom.state_label == "省级复核中"
    walk.to(nom, "awarded")
    db.session.expire_all()
    assert nom.state_label == "已授予称号"
    rows = db.session.scalars(db.select(AuditEvent).where(AuditEvent.nomination_id == nom.id,
                                                          AuditEvent.to_state.is_not(None))
                              .order_by(AuditEvent.id)).all()
    steps = [(r.action, r.from_state, r.to_state) for r in rows]
    assert ("vet", "province_selected", "province_vetted") in steps
    assert ("report_to_ministry", "province_vetted", "ministry_preliminary") in steps
    assert steps[-1] == ("finish_national_publicity", "national_publicity", "awarded")
    vet = next(r for r in rows if r.action == "vet")
    assert vet.comment  # the variant's guard (comment_required) was applied


def test_the_schema_still_refuses_a_state_outside_the_file(f, db):
    nom = f.individual()
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.text("UPDATE nominations SET state = 'nowhere' WHERE id = :i"), {"i": nom.id})
        db.session.commit()
    db.session.rollback()
