"""Publicity periods: not closed early nor with an open objection; an upheld objection disqualifies."""
import pytest

from nominate.publicity import operations as pops
from nominate.workflow.engine import fire_event
from tests.factories import refused


def test_unit_publicity_cannot_close_before_end(f, walk, db, clock):
    nom = walk.to(f.window(), "unit_publicity")  # 2021-08-02 → 2021-08-06
    clock.set("2021-08-06")
    err = refused(db, lambda: fire_event(nom, "finish_unit_publicity", f.city()), "publicity_not_elapsed")
    assert "2021年8月2日至8月6日" in err.message
    clock.set("2021-08-07")
    fire_event(nom, "finish_unit_publicity", f.city())
    assert nom.state.value == "city_review"


def test_open_objection_blocks_province_publicity_end(f, walk, db, clock):
    nom = walk.to(f.individual(), "province_publicity")
    pops.record_objection(nom, f.office, content="反映材料不实")
    clock.set("2021-09-30")
    refused(db, lambda: fire_event(nom, "finish_province_publicity", f.office), "objection_open")


def test_formal_materials_must_be_submitted_before_publicity(f, walk, db):
    nom = walk.to(f.window(), "formal_materials")
    refused(db, lambda: pops.start_publicity([nom], "province", f.office, "2021-09-13"), "formal_materials_missing")


@pytest.mark.parametrize("level,state,resolver", [
    ("unit", "unit_publicity", "city"), ("province", "province_publicity", "office"),
    ("national", "national_publicity", "office")])
def test_upheld_objection_disqualifies(f, walk, db, level, state, resolver):
    nom = walk.to(f.individual(), state)
    actor = f.city() if resolver == "city" else f.office
    obj = pops.record_objection(nom, actor, content="反映该同志2019年有违规行为", objector_name="群众甲",
                                objector_contact="13900001111")
    db.session.commit()
    pops.resolve_objection(obj, actor, outcome="upheld", investigation="经核查，反映问题属实")
    db.session.commit()
    assert nom.state.value == "disqualified"
    assert pops.current_period(nom, level).status.value == "closed"


def test_cleared_objection_lets_publicity_finish(f, walk, db, clock):
    nom = walk.to(f.window(), "unit_publicity")
    obj = pops.record_objection(nom, f.city(), content="反映窗口态度差")
    db.session.commit()
    clock.set("2021-08-09")
    with pytest.raises(Exception) as exc:
        fire_event(nom, "finish_unit_publicity", f.city())
    assert exc.value.code == "objection_open"
    db.session.rollback()
    pops.resolve_objection(obj, f.city(), outcome="cleared", investigation="经核查，反映情况不属实")
    fire_event(nom, "finish_unit_publicity", f.city())
    db.session.commit()
    assert nom.state.value == "city_review"
