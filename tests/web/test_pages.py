"""The pages each role uses: they show what the rules allow and refuse the rest, audited."""
import re

import pytest

from nominate.audit.models import AuditEvent
from nominate.nominations.models import Nomination
from tests.factories import individual_data, make_id_number, snapshot, window_data


def text(resp) -> str:
    return resp.get_data(as_text=True)


def test_login_with_password_and_wrong_password_is_refused_and_audited(client, f, db):
    user = f.city()
    r = client.post("/login", data={"username": user.username, "password": "wrong"})
    assert r.status_code == 200 and "用户名或密码错误" in text(r)
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="login_failed")) is not None
    r = client.post("/login", data={"username": user.username, "password": "Secret-pass-1"})
    assert r.status_code == 302 and r.headers["Location"] == "/"
    assert "待我处理" in text(client.get("/"))


def test_anonymous_is_sent_to_login(client, f):
    r = client.get("/nominations/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


@pytest.mark.parametrize("role,org,paths", [
    ("city_bureau", "taiyuan", ["/", "/batches/", "/nominations/", "/nominations/new/window", "/timeline"]),
    ("province_office", "shanxi", ["/", "/province/batches", "/province/board", "/publicity/", "/opinions/overview",
                                   "/nominations/", "/timeline"]),
    ("signer_discipline", "taiyuan", ["/", "/opinions/"]),
    ("ministry", "mohrss", ["/", "/nominations/", "/publicity/"]),
    ("admin", "shanxi", ["/", "/admin/users", "/admin/campaigns", "/admin/calendar/?year=2021&month=9"]),
])
def test_each_roles_pages_render(login, f, role, org, paths):
    client = login(f.user(role, org))
    f.window()
    for path in paths:
        assert client.get(path).status_code == 200, path


def test_city_cannot_open_another_citys_nomination_by_url_and_it_is_audited(login, f, db):
    nom = f.window("datong", window_name="大同市政务服务大厅")
    client = login(f.city("taiyuan"))
    for path in (f"/nominations/{nom.id}", f"/nominations/{nom.id}/edit"):
        r = client.get(path)
        assert r.status_code == 403 and "大同市政务服务大厅" not in text(r)
    r = client.post(f"/nominations/{nom.id}/events/start_unit_publicity", data={"start_date": "2021-08-02"})
    assert r.status_code == 403
    assert db.session.get(Nomination, nom.id).state.value == "draft"
    denied = db.session.scalars(db.select(AuditEvent).filter_by(action="access_denied")).all()
    assert len(denied) == 3 and all(e.actor_id == f.city("taiyuan").id for e in denied)


def test_nomination_form_shows_field_errors_inline_and_writes_nothing(login, f, db):
    client = login(f.city())
    before = snapshot(db)
    bad_id = make_id_number("19850312", 124)[:-1] + ("0" if make_id_number("19850312", 124)[-1] != "0" else "1")
    data = individual_data(id_number=bad_id, brief_deeds="好" * 537, phone="12345")
    r = client.post("/nominations/new/individual", data=data)
    body = text(r)
    assert r.status_code == 200
    assert "身份证号校验位错误" in body or "校验位" in body
    assert "简要事迹超出 500 字（当前 537 字，超出 37 字）" in body
    assert re.search(r'class="field has-error">\s*<label[^>]*for="phone"', body)
    assert snapshot(db) == before


def test_nomination_form_carries_the_campaign_limits_for_the_counters(login, f):
    body = text(login(f.city()).get("/nominations/new/individual"))
    assert 'data-max="2000"' in body and 'data-max="500"' in body
    assert 'id="main_deeds-counter"' in body


def test_create_then_start_unit_publicity_shows_computed_period(login, f, db, clock):
    client = login(f.city())
    r = client.post("/nominations/new/window", data=window_data())
    assert r.status_code == 302
    nom = db.session.scalar(db.select(Nomination))
    r = client.post(f"/nominations/{nom.id}/events/start_unit_publicity", data={"start_date": "2021-09-01"})
    assert r.status_code == 302
    page = text(client.get(f"/nominations/{nom.id}"))
    assert "本单位公示：2021年9月1日至9月7日" in page
    assert "本单位公示中" in page


def test_finishing_a_publicity_early_or_with_an_open_objection_is_refused(login, f, db, walk, clock):
    nom = walk.to(f.window(), "unit_publicity")
    client = login(f.city())
    r = client.post(f"/nominations/{nom.id}/events/finish_unit_publicity",
                    headers={"Referer": f"/nominations/{nom.id}"})
    assert r.status_code == 302
    assert "须期满" in text(client.get(r.headers["Location"]))
    clock.set("2021-08-04")
    client.post(f"/publicity/nominations/{nom.id}/objections",
                data={"content": "反映窗口午休无人", "objector_name": "王某", "received_on": "2021-08-04"})
    clock.set("2021-08-20")
    r = client.post(f"/nominations/{nom.id}/events/finish_unit_publicity",
                    headers={"Referer": f"/nominations/{nom.id}"})
    page = text(client.get(r.headers["Location"]))
    assert "异议尚在调查" in page
    assert db.session.get(Nomination, nom.id).state.value == "unit_publicity"
    # the nominating city never sees who objected
    assert "王某" not in page


def test_batch_submission_over_quota_says_exactly_why(login, f, db, walk):
    a = walk.to(f.window(window_level="city", window_name="太原市政务大厅A"), "city_recommended")
    b = walk.to(f.window(window_level="city", window_name="太原市政务大厅B"), "city_recommended")
    client = login(f.city())
    client.get("/batches/")  # makes the batch
    client.post(f"/batches/{a.batch_id}/report", data={"which": "report_text", "text": "推荐工作报告正文"})
    r = client.post(f"/batches/{a.batch_id}/submit", headers={"Referer": "/batches/"})
    page = text(client.get(r.headers["Location"]))
    assert "须至少有 1 个县（区）级人社部门服务窗口或乡镇（街道）、社区服务所（站），当前 0 个" in page
    assert {db.session.get(Nomination, n.id).state.value for n in (a, b)} == {"city_recommended"}


def test_quota_meters_on_the_city_dashboard(login, f, walk):
    walk.to(f.window(), "city_recommended")
    page = text(login(f.city()).get("/batches/"))
    assert re.search(r"优质服务窗口</span><b>1 / 2</b>", page)
    assert re.search(r"其中基层窗口.*?</span><b>1 / ≥1</b>", page)


def test_signer_sees_only_their_row_in_jurisdiction(login, f, walk, db):
    mine = walk.to(f.individual("taiyuan"), "formal_materials")
    other = walk.to(f.individual("datong", person_name="李四", id_number=make_id_number("19800101", 301)),
                    "formal_materials")
    signer = f.user("signer_discipline", "taiyuan")
    client = login(signer)
    page = text(client.get("/opinions/"))
    assert mine.person_name in page and "李四" not in page
    own = next(o for o in mine.opinions if o.slot.value == "discipline")
    other_slot = next(o for o in mine.opinions if o.slot.value == "personnel")
    other_city = next(o for o in other.opinions if o.slot.value == "discipline")
    assert client.get(f"/opinions/{own.id}/sign").status_code == 200
    assert client.get(f"/opinions/{other_slot.id}/sign").status_code == 403
    assert client.get(f"/opinions/{other_city.id}/sign").status_code == 403
    r = client.post(f"/opinions/{own.id}/sign", data={"verdict": "disagree", "text": "", "signer_name": "陈立"})
    assert r.status_code == 200 and "不同意推荐时须写明理由" in text(r)
    r = client.post(f"/opinions/{own.id}/sign", data={"verdict": "agree", "text": "同意推荐", "signer_name": "陈立"})
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(own), own.id).status.value == "signed"


def test_page_offers_only_the_events_the_user_may_fire(login, f, walk):
    nom = walk.to(f.window(), "province_review")
    city_page = text(login(f.city()).get(f"/nominations/{nom.id}"))
    assert "确定为初审推荐对象" not in city_page and "撤回" in city_page
    office_page = text(login(f.office).get(f"/nominations/{nom.id}"))
    assert "确定为初审推荐对象" in office_page and "退回修改" in office_page and "撤回" not in office_page


def test_calendar_month_view_marks_holidays_and_adjusted_days(login, f):
    page = text(login(f.user("admin", "shanxi")).get("/admin/calendar/?year=2021&month=9"))
    # 2021-09-18 (Saturday) was a 调休 working day; 2021-09-21 the Mid-Autumn holiday
    assert re.search(r'class="adjusted[^"]*"[^>]*>\s*18<', page)
    assert re.search(r'class="holiday[^"]*"[^>]*>\s*21<', page)


def test_workday_preview_endpoint(login, f):
    r = login(f.city()).get("/workdays/end?start=2025-09-29&days=5")
    assert r.get_json()["end"] == "2025-10-11"
    r = login(f.city()).get("/workdays/end?start=2027-03-01&days=5")
    assert r.status_code == 422 and r.get_json()["error"]["code"]


def test_admin_adds_an_organisation_and_bad_input_names_the_field(login, f, db):
    from nominate.organisations.models import Organisation

    client = login(f.user("admin", "shanxi"))
    city = f.org("taiyuan")
    r = client.post("/admin/organisations", data={"code": "taiyuan-jinyuan", "name": "晋源区人力资源和社会保障局",
                                                 "short_name": "晋源区", "kind": "county", "parent_id": city.id})
    assert r.status_code == 302
    org = db.session.scalar(db.select(Organisation).filter_by(code="taiyuan-jinyuan"))
    assert org.parent_id == city.id and org.kind.value == "county"
    r = client.post("/admin/organisations", headers={"Referer": "/admin/users"},
                    data={"code": "Bad Code", "name": "x", "short_name": "x", "kind": "county", "parent_id": city.id})
    assert "单位代码须为2–64位小写字母" in text(client.get(r.headers["Location"]))
    assert login(f.city()).post("/admin/organisations", data={"code": "zz-1"}).status_code == 403


def test_returned_nomination_shows_the_provinces_reason(login, f, walk, db):
    from nominate.workflow.engine import fire_event

    nom = walk.to(f.window(), "province_review")
    fire_event(nom, "return_to_city", f.office, comment="主要事迹缺少近三年服务数据")
    db.session.commit()
    page = text(login(f.city()).get(f"/nominations/{nom.id}"))
    assert "主要事迹缺少近三年服务数据" in page and "修改后重新报送" in page


def test_ministry_switches_between_provinces_campaigns(login, f, walk, db, tmp_path):
    """The Ministry sees every province's campaigns; the newest is not necessarily the one it needs."""
    from nominate.campaigns.loader import load_campaign
    from tests.campaigns.test_campaign_data import OTHER

    nom = walk.to(f.window(window_name="太原市政务服务大厅"), "province_selected")
    path = tmp_path / "hebei-2024.yaml"
    path.write_text(OTHER, encoding="utf-8")
    hebei = load_campaign(path)
    db.session.commit()
    client = login(f.ministry)
    page = text(client.get("/nominations/"))
    assert "太原市政务服务大厅" not in page  # the newest campaign (河北) is shown first
    assert 'name="campaign_id"' in page
    r = client.post("/campaigns/select", data={"campaign_id": nom.campaign_id, "next": "/nominations/"})
    assert r.status_code == 302 and r.headers["Location"] == "/nominations/"
    assert "太原市政务服务大厅" in text(client.get("/nominations/"))
    # a city may not switch to another province's campaign
    r = login(f.city()).post("/campaigns/select", data={"campaign_id": hebei.id},
                             headers={"Referer": "/nominations/"})
    assert r.status_code == 302 and hebei.id != nom.campaign_id
    assert "请选择您可以查看的评选活动" in text(login(f.city()).get("/nominations/"))


def test_a_clerk_who_is_a_nominee_cannot_handle_their_citys_batch(login, f, walk, db):
    """征求意见表 注3: the nominee never handles their own file — nor the batch and tables that hold it."""
    person = walk.to(f.individual(), "city_recommended")
    admin = login(f.user("admin", "shanxi"))
    r = admin.post("/admin/users", data={"username": "clerk2", "display_name": "太原 经办人", "password": "Secret-pass-1",
                                         "role": "city_bureau", "organisation_id": f.org("taiyuan").id,
                                         "id_number": person.id_number})
    assert r.status_code == 302
    from nominate.accounts.models import User

    clerk = db.session.scalar(db.select(User).filter_by(username="clerk2"))
    assert clerk.person_key
    client = login(clerk)
    assert client.get("/batches/").status_code == 403
    assert client.post(f"/batches/{person.batch_id}/order", data={"order": str(person.id)}).status_code == 403
    assert client.get(f"/documents/batches/{person.batch_id}/main_deeds").status_code == 403
    assert client.get(f"/nominations/{person.id}").status_code == 403
    bad = login(f.user("admin", "shanxi")).post("/admin/users", data={"username": "clerk3", "display_name": "x", "password": "Secret-pass-1",
                                           "role": "city_bureau", "organisation_id": f.org("taiyuan").id,
                                           "id_number": "140105198503121"})
    assert "身份证号应为18位" in text(bad)


def test_an_objection_holds_only_its_own_nominee_when_a_publicity_ends(login, f, walk, db, clock):
    from nominate.nominations.operations import submit_formal_materials
    from nominate.publicity import operations as pops

    noms = [f.window(c, window_name=f"{c}窗口") for c in ("taiyuan", "datong")]
    for nom in noms:
        walk.to(nom, "formal_materials")
        submit_formal_materials(nom, f.city(nom.owner_org.code))
    period = pops.start_publicity(noms, "province", f.office, "2021-09-13")
    clock.set("2021-09-15")
    pops.record_objection(noms[1], f.office, content="反映材料不实")
    db.session.commit()
    clock.set("2021-09-22")
    client = login(f.office)
    r = client.post(f"/publicity/periods/{period.id}/finish", headers={"Referer": "/publicity/"})
    page = text(client.get(r.headers["Location"]))
    assert "1 个推荐对象进入下一环节" in page and "datong窗口：异议尚在调查" in page
    db.session.expire_all()
    assert [db.session.get(Nomination, n.id).state.value for n in noms] == ["province_publicized",
                                                                            "province_publicity"]
