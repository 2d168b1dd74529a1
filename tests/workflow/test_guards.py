"""Every guard refuses with its code and a Chinese message, and nothing changes."""
import pytest

from nominate.batches import operations as bops
from nominate.core.errors import DomainError
from nominate.opinions import operations as oops
from nominate.publicity import operations as pops
from nominate.workflow.engine import fire_event
from tests.factories import make_id_number, snapshot


def refused(db, fn, code):
    """Run ``fn``; it must raise ``code`` and leave every table as it was."""
    db.session.commit()
    before = snapshot(db)
    with pytest.raises(DomainError) as exc:
        fn()
    db.session.rollback()
    assert exc.value.code == code, exc.value.message
    assert exc.value.message and any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message)
    assert snapshot(db) == before
    return exc.value


def test_other_city_cannot_fire(f, db):
    nom = f.window()
    err = refused(db, lambda: fire_event(nom, "start_unit_publicity", f.city("datong")), "forbidden")
    assert err.status == 403


def test_province_cannot_fire_city_event(f, db):
    nom = f.window()
    refused(db, lambda: fire_event(nom, "start_unit_publicity", f.office), "forbidden")


def test_nominee_cannot_act_on_own_nomination(f, db):
    nom = f.individual()
    me = f.user("city_bureau", "taiyuan", name="nominee-clerk", id_number=nom.id_number)
    refused(db, lambda: fire_event(nom, "start_unit_publicity", me), "forbidden")


def test_illegal_event_lists_allowed_events(f, db):
    nom = f.window()
    err = refused(db, lambda: fire_event(nom, "select", f.office), "event_not_allowed")
    assert "草稿" in err.message
    assert err.details["allowed_events"] == []  # the office may do nothing on a draft
    err = refused(db, lambda: fire_event(nom, "recommend", f.city()), "event_not_allowed")
    assert set(err.details["allowed_events"]) == {"start_unit_publicity", "withdraw"}


def test_unknown_event(f, db):
    nom = f.window()
    refused(db, lambda: fire_event(nom, "teleport", f.city()), "event_unknown")


def test_internal_event_cannot_be_fired_directly(f, walk, db):
    nom = walk.to(f.window(), "unit_publicity")
    refused(db, lambda: fire_event(nom, "disqualify", f.city()), "event_internal")


def test_complete_names_missing_fields(f, db):
    nom = f.window(leader_name=None, brief_deeds=None)
    err = refused(db, lambda: fire_event(nom, "start_unit_publicity", f.city()), "incomplete")
    assert "窗口负责人姓名" in err.message and "简要事迹" in err.message
    assert err.field == "leader_name"


def test_deed_length_over_limit_says_by_how_much(f, db):
    nom = f.window()
    db.session.execute(db.update(type(nom)).where(type(nom).id == nom.id).values(brief_deeds="字" * 537))
    db.session.commit()
    db.session.refresh(nom)
    err = refused(db, lambda: fire_event(nom, "start_unit_publicity", f.city()), "brief_deeds_too_long")
    assert "当前 537 字" in err.message and "超出 37 字" in err.message


def test_identity_consistency(f, db):
    nom = f.individual()
    wrong = "male" if nom.gender.value == "female" else "female"
    db.session.execute(db.update(type(nom)).where(type(nom).id == nom.id).values(gender=wrong))
    db.session.commit()
    db.session.refresh(nom)
    refused(db, lambda: fire_event(nom, "start_unit_publicity", f.city()), "gender_mismatch")


def test_system_years_under_three(f, db):
    nom = f.individual(system_start="2019-09-01", window_start="2019-09-01")
    err = refused(db, lambda: fire_event(nom, "start_unit_publicity", f.city()), "system_years_short")
    assert "3年" in err.message


def test_three_years_exactly_is_enough(f, db):
    nom = f.individual(system_start="2018-08-23", window_start="2019-01-01")
    fire_event(nom, "start_unit_publicity", f.city())
    assert nom.state.value == "unit_publicity"


def test_forbidden_rank(f, db):
    nom = f.individual(admin_rank="副厅局级")
    refused(db, lambda: fire_event(nom, "start_unit_publicity", f.city()), "rank_forbidden")
    win = f.window(admin_rank="正厅局级", window_name="省级大厅")
    refused(db, lambda: fire_event(win, "start_unit_publicity", f.city()), "rank_forbidden")


def test_rank_above_section_needs_justification(f, db):
    nom = f.individual(admin_rank="副处级")
    refused(db, lambda: fire_event(nom, "start_unit_publicity", f.city()), "rank_needs_justification")
    from nominate.nominations.operations import update_nomination

    update_nomination(nom, f.city(), {"rank_justification": "长期在窗口一线，事迹突出，经局党组研究同意推荐"})
    fire_event(nom, "start_unit_publicity", f.city())
    assert nom.state.value == "unit_publicity"


def test_window_needs_clean_record_attestation(f, db):
    nom = f.window(clean_record_attested_by=None, clean_record_attested_on=None)
    refused(db, lambda: fire_event(nom, "start_unit_publicity", f.city()), "incomplete")


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


def test_city_quota_at_recommend(f, walk, db):
    a = walk.to(f.individual(), "city_review")
    b = walk.to(f.individual(person_name="李四", id_number=make_id_number("19870315", 13)), "city_review")
    fire_event(a, "recommend", f.city())
    db.session.commit()
    err = refused(db, lambda: fire_event(b, "recommend", f.city()), "city_quota_full")
    assert err.message == "太原市已推荐 1 名个人，已达名额上限（1）"


def test_grassroots_window_required_at_submission(f, walk, db):
    a = walk.to(f.window(window_level="city", window_name="太原市人社局政务大厅"), "city_recommended")
    bops.set_batch_report(a.batch, f.city(), report_text="报告")
    db.session.commit()
    err = refused(db, lambda: bops.submit_city_batch(a.batch, f.city()), "grassroots_window_missing")
    assert "至少有 1 个" in err.message


def test_two_windows_one_grassroots_submits(f, walk, db):
    a = walk.to(f.window(window_level="city", window_name="市级大厅"), "city_recommended")
    b = walk.to(f.window(window_level="township", window_name="某街道社保所"), "city_recommended")
    bops.set_batch_report(a.batch, f.city(), report_text="报告")
    bops.submit_city_batch(a.batch, f.city())
    db.session.commit()
    assert {a.state.value, b.state.value} == {"province_review"}
    assert [n.rank for n in a.batch.nominations] == [1, 2]


def test_batch_needs_report(f, walk, db):
    a = walk.to(f.window(), "city_recommended")
    refused(db, lambda: bops.submit_city_batch(a.batch, f.city()), "report_missing")


def test_deadline_refuses_late_batch_unless_extended(f, walk, db, clock):
    from nominate.campaigns.operations import grant_extension

    a = walk.to(f.window(), "city_recommended")
    bops.set_batch_report(a.batch, f.city(), report_text="报告")
    db.session.commit()
    clock.set("2021-08-24")
    err = refused(db, lambda: bops.submit_city_batch(a.batch, f.city()), "deadline_passed")
    assert "2021年08月23日" in err.message
    grant_extension(f.campaign, f.office, f.org("taiyuan"), "preliminary_materials", "2021-08-27", "汛期影响，准予延期")
    db.session.commit()
    bops.submit_city_batch(a.batch, f.city())
    db.session.commit()
    assert a.state.value == "province_review"
    b = walk.to(f.window(window_name="另一窗口", window_level="township"), "city_recommended")
    clock.set("2021-08-28")
    refused(db, lambda: bops.submit_city_batch(b.batch, f.city()), "deadline_passed")


def test_another_citys_extension_does_not_help(f, walk, db, clock):
    from nominate.campaigns.operations import grant_extension

    a = walk.to(f.window(), "city_recommended")
    bops.set_batch_report(a.batch, f.city(), report_text="报告")
    grant_extension(f.campaign, f.office, f.org("datong"), "preliminary_materials", "2021-08-30", "延期")
    db.session.commit()
    clock.set("2021-08-24")
    refused(db, lambda: bops.submit_city_batch(a.batch, f.city()), "deadline_passed")


def test_province_quota_and_lost_place_not_refilled(f, walk, db, tmp_path):
    """With a province quota of 1 individual, a disqualified selectee's place is not refilled."""
    a = walk.to(f.individual(), "province_review")
    b = walk.to(f.individual("datong", person_name="王五", id_number=make_id_number("19880722", 13)), "province_review")
    f.campaign.config = {**f.campaign.config, "quotas": {**f.campaign.config["quotas"],
                                                         "province": {"window": 12, "individual": 1}}}
    f.campaign.__dict__.pop("rules", None)
    db.session.commit()
    fire_event(a, "select", f.office)
    db.session.commit()
    err = refused(db, lambda: fire_event(b, "select", f.office), "province_quota_full")
    assert "1" in err.message
    fire_event(a, "report_to_ministry", f.office)
    fire_event(a, "ministry_decline", f.office, comment="初审未通过")
    db.session.commit()
    refused(db, lambda: fire_event(b, "select", f.office), "province_quota_full")


def test_opinions_must_be_signed_and_positive(f, walk, db, clock):
    nom = walk.to(f.individual(), "formal_materials")
    f.photo(nom)
    from nominate.nominations.operations import submit_formal_materials

    submit_formal_materials(nom, f.city())
    db.session.commit()
    err = refused(db, lambda: pops.start_publicity([nom], "province", f.office, "2021-09-13"), "opinions_missing")
    assert "纪检监察部门意见" in err.message and "省级公安部门意见" in err.message
    oops.request_police_opinions([nom], f.office)
    slots = {o.slot.value: o for o in nom.opinions}
    oops.sign_opinion(slots["discipline"], f.user("signer_discipline", "taiyuan"), verdict="agree", text="",
                      signer_name="赵纪")
    oops.sign_opinion(slots["personnel"], f.user("signer_personnel", "taiyuan"), verdict="agree", text="同意",
                      signer_name="钱组")
    oops.sign_opinion(slots["police"], f.user("signer_police", "shanxi"), verdict="disagree",
                      text="该同志有违法记录", signer_name="孙警")
    db.session.commit()
    refused(db, lambda: pops.start_publicity([nom], "province", f.office, "2021-09-13"), "opinion_negative")


def test_photo_required_before_formal_materials(f, walk, db):
    nom = walk.to(f.individual(), "formal_materials")
    from nominate.nominations.operations import submit_formal_materials

    refused(db, lambda: submit_formal_materials(nom, f.city()), "photo_missing")


def test_formal_materials_must_be_submitted_before_publicity(f, walk, db):
    nom = walk.to(f.window(), "formal_materials")
    refused(db, lambda: pops.start_publicity([nom], "province", f.office, "2021-09-13"), "formal_materials_missing")


def test_comment_required_for_reject(f, walk, db):
    nom = walk.to(f.window(), "province_review")
    err = refused(db, lambda: fire_event(nom, "reject", f.office, comment="  "), "comment_required")
    assert err.field == "comment"


def test_objection_upheld_guard(f, walk, db):
    nom = walk.to(f.window(), "unit_publicity")
    refused(db, lambda: fire_event(nom, "disqualify", f.city(), internal=True), "objection_not_upheld")
