"""A window and an individual through every stage, and every exit."""
import pytest

from nominate.audit.models import AuditEvent
from nominate.publicity import operations as pops
from nominate.workflow.engine import fire_event

MAIN_PATH = ["draft", "unit_publicity", "city_review", "city_recommended", "province_review", "province_selected",
             "ministry_preliminary", "formal_materials", "province_publicity", "province_publicized",
             "submitted_to_ministry", "national_publicity", "awarded"]


def _history(db, nom):
    return db.session.scalars(db.select(AuditEvent).where(AuditEvent.nomination_id == nom.id,
                                                          AuditEvent.to_state.is_not(None))
                              .order_by(AuditEvent.id)).all()


@pytest.mark.parametrize("kind", ["window", "individual"])
def test_nomination_walks_from_draft_to_awarded(f, walk, db, kind):
    nom = f.window() if kind == "window" else f.individual()
    seen = [nom.state.value]
    while nom.state.value != "awarded":
        walk.step(nom)
        seen.append(nom.state.value)
    assert seen == MAIN_PATH
    transitions = [(e.from_state, e.to_state) for e in _history(db, nom)][1:]  # after "create"
    assert transitions == list(zip(MAIN_PATH, MAIN_PATH[1:]))
    assert all(e.actor_id is not None for e in _history(db, nom))


def test_individual_publicity_dates_follow_working_days(f, walk, db):
    nom = walk.to(f.individual(), "province_publicity")
    period = pops.current_period(nom, "province")
    assert (period.start_date.isoformat(), period.end_date.isoformat()) == ("2021-09-13", "2021-09-17")
    assert period.period_text == "2021年9月13日至9月17日"


def test_returned_then_resubmitted(f, walk, db):
    nom = walk.to(f.window(), "province_review")
    with pytest.raises(Exception):
        fire_event(nom, "return_to_city", f.office)  # a return needs its reasons
    db.session.rollback()
    fire_event(nom, "return_to_city", f.office, comment="主要事迹需补充具体数据")
    db.session.commit()
    assert nom.state.value == "returned" and nom.batch.state.value == "returned"
    from nominate.nominations.operations import update_nomination

    update_nomination(nom, f.city(), {"main_deeds": "补充后的主要事迹：办件量三万件。" * 10})
    fire_event(nom, "resubmit", f.city())
    db.session.commit()
    assert nom.state.value == "province_review" and nom.batch.state.value == "submitted"


def test_not_selected_is_final(f, walk, db):
    nom = walk.to(f.window(), "province_review")
    fire_event(nom, "reject", f.office, comment="事迹不够突出")
    db.session.commit()
    assert nom.state.value == "not_selected"
    assert nom.batch.state.value == "accepted"


@pytest.mark.parametrize("stage", ["draft", "unit_publicity", "city_review", "city_recommended", "province_review"])
def test_city_withdraws_before_selection(f, walk, db, stage):
    nom = walk.to(f.window(), stage)
    fire_event(nom, "withdraw", f.city(), comment="本人申请撤回")
    db.session.commit()
    assert nom.state.value == "withdrawn" and nom.rank is None


def test_withdraw_refused_after_selection(f, walk, db):
    nom = walk.to(f.window(), "province_selected")
    with pytest.raises(Exception) as exc:
        fire_event(nom, "withdraw", f.city(), comment="撤回")
    assert exc.value.code == "event_not_allowed"


def test_ministry_declines_at_preliminary_review(f, walk, db):
    nom = walk.to(f.window(), "ministry_preliminary")
    fire_event(nom, "ministry_decline", f.office, comment="人社部初审未通过")
    db.session.commit()
    assert nom.state.value == "ministry_rejected"


def test_ministry_rejects_at_re_review(f, walk, db):
    nom = walk.to(f.window(), "submitted_to_ministry")
    fire_event(nom, "ministry_reject", f.ministry, comment="复审未通过")
    db.session.commit()
    assert nom.state.value == "ministry_rejected"


def test_revoked_after_award(f, walk, db):
    nom = walk.to(f.window(), "awarded")
    fire_event(nom, "revoke", f.office, comment="发现违反评选纪律，撤销称号")
    db.session.commit()
    assert nom.state.value == "revoked"
    actions = [e.action for e in _history(db, nom)]
    assert actions[-1] == "revoke"
