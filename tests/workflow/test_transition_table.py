"""The transition table of DESIGN §3, written out independently of workflows/nomination.yaml."""
import itertools

import pytest
from transitions import MachineError

from nominate.core.errors import DomainError
from nominate.workflow.engine import _StateHolder, fire_event
from nominate.workflow.machine import get_workflow
from tests.factories import snapshot

BEFORE_SELECTION = ["draft", "unit_publicity", "city_review", "city_recommended", "province_review", "returned"]
EXPECTED = {
    ("start_unit_publicity", "draft"): "unit_publicity",
    ("finish_unit_publicity", "unit_publicity"): "city_review",
    ("recommend", "city_review"): "city_recommended",
    ("submit_to_province", "city_recommended"): "province_review",
    ("return_to_city", "province_review"): "returned",
    ("resubmit", "returned"): "province_review",
    ("select", "province_review"): "province_selected",
    ("reject", "province_review"): "not_selected",
    ("report_to_ministry", "province_selected"): "ministry_preliminary",
    ("ministry_confirm", "ministry_preliminary"): "formal_materials",
    ("ministry_decline", "ministry_preliminary"): "ministry_rejected",
    ("submit_formal_materials", "formal_materials"): "formal_materials",  # the state stays; audited
    ("start_province_publicity", "formal_materials"): "province_publicity",
    ("finish_province_publicity", "province_publicity"): "province_publicized",
    ("submit_to_ministry", "province_publicized"): "submitted_to_ministry",
    ("start_national_publicity", "submitted_to_ministry"): "national_publicity",
    ("ministry_reject", "submitted_to_ministry"): "ministry_rejected",
    ("finish_national_publicity", "national_publicity"): "awarded",
    ("revoke", "awarded"): "revoked",
    **{("withdraw", s): "withdrawn" for s in BEFORE_SELECTION},
    **{("disqualify", s): "disqualified" for s in ("unit_publicity", "province_publicity", "national_publicity")},
}
STATES = ["draft", "unit_publicity", "city_review", "city_recommended", "province_review", "returned",
          "province_selected", "ministry_preliminary", "formal_materials", "province_publicity", "province_publicized",
          "submitted_to_ministry", "national_publicity", "awarded", "not_selected", "ministry_rejected", "withdrawn",
          "disqualified", "revoked"]
EVENTS = sorted({e for e, _ in EXPECTED})


def test_workflow_file_has_exactly_the_vocabulary():
    wf = get_workflow("nomination")
    assert sorted(wf.states) == sorted(STATES)
    assert sorted(wf.transitions) == EVENTS
    assert {(t.event, s): t.dest for t in wf.transitions.values() for s in t.sources} == EXPECTED


@pytest.mark.parametrize("event,state", sorted(itertools.product(EVENTS, STATES)))
def test_every_state_event_pair(event, state):
    wf = get_workflow("nomination")
    holder = _StateHolder(state)
    if (event, state) in EXPECTED:
        wf.fire(holder, event)
        assert holder.state == EXPECTED[(event, state)]
    else:
        with pytest.raises(MachineError):
            wf.fire(holder, event)
        assert holder.state == state


def test_final_states_have_no_exit_but_revoke():
    wf = get_workflow("nomination")
    for state in ("not_selected", "ministry_rejected", "withdrawn", "disqualified", "revoked"):
        assert wf.is_final(state) and wf.events_from(state) == []


ILLEGAL_SAMPLE = [("draft", "select", "office"), ("draft", "finish_unit_publicity", "city"),
                  ("unit_publicity", "recommend", "city"), ("city_review", "submit_to_province", "city"),
                  ("province_review", "report_to_ministry", "office"), ("province_selected", "withdraw", "city"),
                  ("formal_materials", "finish_province_publicity", "office"),
                  ("province_publicized", "start_national_publicity", "office"), ("awarded", "withdraw", "city"),
                  ("awarded", "select", "office")]


@pytest.mark.parametrize("state,event,who", ILLEGAL_SAMPLE)
def test_illegal_pairs_are_refused_by_the_engine_and_change_nothing(f, walk, db, state, event, who):
    nom = walk.to(f.window(), state)
    actor = f.city() if who == "city" else f.office
    before = snapshot(db)
    with pytest.raises(DomainError) as exc:
        fire_event(nom, event, actor, comment="理由")
    db.session.rollback()
    assert exc.value.code == "event_not_allowed"
    assert get_workflow().state_label(state) in exc.value.message
    assert snapshot(db) == before
