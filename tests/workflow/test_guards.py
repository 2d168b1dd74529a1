"""Every guard refuses with its code and a Chinese message, and nothing changes."""
from nominate.workflow.engine import fire_event
from tests.factories import make_id_number, refused


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


def test_city_quota_at_recommend(f, walk, db):
    a = walk.to(f.individual(), "city_review")
    b = walk.to(f.individual(person_name="李四", id_number=make_id_number("19870315", 13)), "city_review")
    fire_event(a, "recommend", f.city())
    db.session.commit()
    err = refused(db, lambda: fire_event(b, "recommend", f.city()), "city_quota_full")
    assert err.message == "太原市已推荐 1 名个人，已达名额上限（1）"


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


def test_photo_required_before_formal_materials(f, walk, db):
    nom = walk.to(f.individual(), "formal_materials")
    from nominate.nominations.operations import submit_formal_materials

    refused(db, lambda: submit_formal_materials(nom, f.city()), "photo_missing")


def test_comment_required_for_reject(f, walk, db):
    nom = walk.to(f.window(), "province_review")
    err = refused(db, lambda: fire_event(nom, "reject", f.office, comment="  "), "comment_required")
    assert err.field == "comment"


def test_objection_upheld_guard(f, walk, db):
    nom = walk.to(f.window(), "unit_publicity")
    refused(db, lambda: fire_event(nom, "disqualify", f.city(), internal=True), "objection_not_upheld")


def test_quota_messages_say_the_count_with_its_measure_word(f, walk, db):
    """Issue 14, defect 9: "名额为 12窗口" → "名额为 1 个窗口" (the campaign file's count words)."""
    a = walk.to(f.window(), "province_review")
    b = walk.to(f.window("datong", window_name="平城区就业服务大厅"), "province_review")
    f.campaign.config = {**f.campaign.config, "quotas": {**f.campaign.config["quotas"],
                                                         "province": {"window": 1, "individual": 5}}}
    f.campaign.__dict__.pop("rules", None)
    db.session.commit()
    fire_event(a, "select", f.office)
    db.session.commit()
    err = refused(db, lambda: fire_event(b, "select", f.office), "province_quota_full")
    assert err.message.startswith("全省优质服务窗口名额为 1 个窗口，已确定 1 个窗口，已达上限")
