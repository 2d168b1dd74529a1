"""Campaigns are data: another province's file with other numbers runs with no code change."""
import textwrap

import pytest

from nominate.batches import operations as bops
from nominate.campaigns.loader import CampaignFileError, load_campaign
from nominate.core.errors import DomainError
from nominate.nominations import operations as nops
from nominate.workflow.engine import fire_event
from tests.conftest import SHANXI
from tests.factories import individual_data, window_data

OTHER = textwrap.dedent("""
    key: hebei-2024
    workflow: nomination
    title: 河北省推荐评选
    period_label: 2022—2024年度
    year: 2024
    province: {code: hebei, name: 河北省人力资源和社会保障厅, short_name: 河北省}
    cities:
      - {code: shijiazhuang, short_name: 石家庄市, name: 石家庄市人力资源和社会保障局}
      - {code: baoding, short_name: 保定市, name: 保定市人力资源和社会保障局}
    provincial_group: {code: hebei-shengzhi, short_name: 省直, name: 河北省人社厅直属单位}
    quotas:
      province: {window: 3, individual: 2}
      per_city: {window: 1, individual: 2, grassroots_window_min: 0}
      provincial_group: null
      overrides:
        baoding: {window: 3, individual: 1, grassroots_window_min: 2}
    grassroots_levels: [township, community]
    deadlines:
      - {key: preliminary_materials, label: 初审材料报送, date: 2024-06-28}
    publicity: {working_days: 7}
    limits: {main_deeds_max: 3000, brief_deeds_max: 300}
    eligibility:
      as_of: 2024-06-01
      min_system_years: 5
      admin_ranks: [无, 科员, 副科级, 正科级, 副处级, 正处级, 副厅局级]
      forbidden_from_rank: 正处级
      advisory_max_rank: 副科级
      clean_record_since: 2021-01-01
    copies: 3
""")


@pytest.fixture()
def hebei(db, tmp_path, clock):
    path = tmp_path / "hebei-2024.yaml"
    path.write_text(OTHER, encoding="utf-8")
    campaign = load_campaign(path)
    db.session.commit()
    clock.set("2024-06-03")
    return campaign


def _user(db, role, code):
    from nominate.accounts.operations import create_user
    from nominate.organisations.models import Organisation

    org = db.session.scalar(db.select(Organisation).filter_by(code=code))
    u = create_user(None, username=f"{role}-{code}", password="Secret-pass-1", role=role, organisation=org)
    db.session.commit()
    return u


def test_other_campaign_rules_apply(hebei, db, clock):
    city = _user(db, "city_bureau", "shijiazhuang")
    rules = hebei.rules
    assert rules.publicity_working_days == 7 and rules.brief_deeds_max == 300
    # brief deeds limit is 300 here
    with pytest.raises(DomainError) as exc:
        nops.create_nomination(hebei, city, "window", window_data(brief_deeds="字" * 301))
    assert "300" in exc.value.message
    # 5 years in the system required here (2020 start is 4 years at 2024-06-01)
    nom = nops.create_nomination(hebei, city, "individual", individual_data(system_start="2020-01-01", admin_rank="科员"))
    with pytest.raises(DomainError) as exc:
        fire_event(nom, "start_unit_publicity", city)
    assert exc.value.code == "system_years_short" and "5年" in exc.value.message
    db.session.rollback()
    # 7 working days of publicity: Mon 2024-06-03 → Wed 2024-06-12 (Dragon Boat 06-10)
    nom = nops.create_nomination(hebei, city, "window", window_data(admin_rank="副处级"))
    fire_event(nom, "start_unit_publicity", city, params={"start_date": "2024-06-03"})
    from nominate.publicity.operations import current_period

    assert current_period(nom, "unit").end_date.isoformat() == "2024-06-12"
    # 正处级 is forbidden here
    nom2 = nops.create_nomination(hebei, city, "window", window_data(admin_rank="正处级", window_name="X"))
    with pytest.raises(DomainError) as exc:
        fire_event(nom2, "start_unit_publicity", city)
    assert exc.value.code == "rank_forbidden"


def test_other_campaign_city_quota_override(hebei, db, clock):
    """保定 may send 3 windows but needs 2 grassroots (township/community) among them."""
    city = _user(db, "city_bureau", "baoding")
    noms = []
    for i, level in enumerate(["county", "township", "city"]):
        n = nops.create_nomination(hebei, city, "window", window_data(window_name=f"窗口{i}", window_level=level,
                                                                       admin_rank="科员"))
        fire_event(n, "start_unit_publicity", city, params={"start_date": "2024-06-03"})
        noms.append(n)
    clock.set("2024-06-13")
    for n in noms:
        fire_event(n, "finish_unit_publicity", city)
        fire_event(n, "recommend", city)
    db.session.commit()
    bops.set_batch_report(noms[0].batch, city, report_text="报告")
    db.session.commit()
    with pytest.raises(DomainError) as exc:
        bops.submit_city_batch(noms[0].batch, city)
    assert exc.value.code == "grassroots_window_missing" and "至少有 2 个" in exc.value.message


def test_shanxi_file_says_what_the_notice_says(f):
    r = f.campaign.rules
    assert (r.province_quota.window, r.province_quota.individual) == (12, 5)
    q = r.city_quota("taiyuan")
    assert (q.window, q.individual, q.grassroots_window_min) == (2, 1, 1)
    assert r.city_quota("shanxi-shengzhi", is_group=True) is None
    assert (r.main_deeds_max, r.brief_deeds_max, r.publicity_working_days, r.copies) == (2000, 500, 5, 5)
    assert [d.due_date.isoformat() if d.due_date else None for d in f.campaign.deadlines] == \
        ["2021-08-13", "2021-08-23", None]
    assert len([o for o in f.campaign.province.children if o.kind.value == "city"]) == 11


def test_reload_keeps_deadline_set_later(f, db):
    from nominate.campaigns.operations import set_deadline

    set_deadline(f.campaign, f.office, "formal_materials", "2021-09-30")
    db.session.commit()
    load_campaign(SHANXI)
    db.session.commit()
    assert f.campaign.deadline("formal_materials").due_date.isoformat() == "2021-09-30"


def test_provincial_units_have_no_own_quota(f, walk, db):
    unit = f.provincial_unit()
    noms = [nops.create_nomination(f.campaign, unit, "individual",
                                   individual_data(person_name=f"省直{i}", id_number=__import__(
                                       "tests.factories", fromlist=["x"]).make_id_number("19800101", 300 + i)))
            for i in range(3)]
    db.session.commit()
    for n in noms:
        walk.to(n, "city_recommended")
    assert all(n.state.value == "city_recommended" for n in noms)
    assert noms[0].cadre_authority_org.code == "shanxi"


@pytest.mark.parametrize("broken,message", [
    ("key: x\n", "缺少必填项"),
    ("[1, 2", "YAML"),
])
def test_broken_campaign_file_is_refused(db, tmp_path, broken, message):
    path = tmp_path / "bad.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(CampaignFileError) as exc:
        load_campaign(path)
    assert message in exc.value.message
