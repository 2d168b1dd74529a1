"""Who is told of what (workflows/nomination.yaml `notify:` and `operation_notices:`), in the event's own
transaction; never the nominee, never the actor, never the objector's name; the 消息 centre and the API."""
import pytest
import sqlalchemy as sa

from nominate.accounts.models import User
from nominate.notifications.models import Delivery, Notification, UserContact
from nominate.workflow.engine import fire_event
from tests.factories import individual_data


def notes(db, kind=None):
    q = sa.select(Notification).order_by(Notification.id)
    if kind:
        q = q.where(Notification.kind == kind)
    return db.session.scalars(q).all()


def told(db, kind):
    """{username: [subjects]} of the notices of ``kind``."""
    out = {}
    for n in notes(db, kind):
        out.setdefault(db.session.get(User, n.user_id).username, []).append(n.subject)
    return out


def test_every_notice_named_in_the_workflow_has_a_text_and_every_audience_is_known(app):
    from nominate.notifications.notices import templates
    from nominate.workflow.machine import get_workflow

    with app.app_context():
        wf = get_workflow("nomination")
        specs = [s for t in wf.transitions.values() for s in (t.notify or ())]
        specs += [s for v in wf.operation_notices.values() for s in v]
    assert len(specs) >= 14
    known = {"owner", "office", "ministry", "opinion_signers", "organisation"}
    for spec in specs:
        assert spec["notice"] in templates(), spec
        assert set(spec["to"]) <= known, spec
    for key, t in templates().items():
        assert t["subject"] and t["body"] and t["sms"], key


def test_a_returned_nomination_tells_the_city_with_the_reasons(f, walk, db):
    nom = walk.to(f.window(), "province_review")
    fire_event(nom, "return_to_city", f.office, comment="简要事迹与主要事迹不一致，请核实")
    db.session.commit()
    got = told(db, "batch_returned")
    assert set(got) == {"city_bureau-taiyuan"}  # the city, not the office that returned it
    (note,) = notes(db, "batch_returned")
    assert "太原市" in note.subject and nom.name in note.subject and "退回修改" in note.subject
    assert "简要事迹与主要事迹不一致" in note.body and note.link == f"/nominations/{nom.id}"


def test_a_submitted_batch_is_one_notice_to_the_office_naming_every_nominee(f, walk, db):
    from nominate.batches.operations import set_batch_report, submit_city_batch

    a = walk.to(f.window(), "city_recommended")
    b = walk.to(f.window(window_name="小店区坞城街道社保所", window_level="township"), "city_recommended")
    set_batch_report(a.batch, f.city(), report_text="经局党组研究决定推荐……")
    submit_city_batch(a.batch, f.city())
    db.session.commit()
    (note,) = notes(db, "batch_submitted")
    assert db.session.get(User, note.user_id).username == "province_office-shanxi"
    assert a.name in note.subject and b.name in note.subject and note.batch_id == a.batch_id


def test_an_opinion_request_tells_exactly_the_signer_whose_row_it_is(f, walk, db):
    from nominate.opinions.operations import request_police_opinions

    f.user("signer_discipline", "taiyuan", name="jijian-2")  # a second signer of the same row is told too
    nom = walk.to(f.individual(), "formal_materials")
    assert set(told(db, "opinion_requested")) == {"signer_discipline-taiyuan", "jijian-2", "signer_personnel-taiyuan"}
    subjects = {n.subject for n in notes(db, "opinion_requested")}
    assert any("纪检监察部门意见" in s for s in subjects) and any("组织人事部门意见" in s for s in subjects)
    request_police_opinions([nom], f.office)
    db.session.commit()
    assert told(db, "opinion_requested")["signer_police-shanxi"] == [
        f"【待签署】太原市 {nom.name}（优质服务先进个人）：请签署省级公安部门意见"]
    # the other city's signers heard nothing
    assert not [u for u in told(db, "opinion_requested") if "datong" in u]


def test_a_negative_opinion_tells_the_office_and_the_city(f, walk, db):
    from nominate.opinions.operations import sign_opinion

    nom = walk.to(f.individual(), "formal_materials")
    op = next(o for o in nom.opinions if o.slot.value == "discipline")
    sign_opinion(op, f.user("signer_discipline", "taiyuan"), verdict="disagree", text="该同志受到过党内警告处分",
                 signer_name="王明")
    db.session.commit()
    assert set(told(db, "opinion_negative")) == {"province_office-shanxi", "city_bureau-taiyuan"}
    assert all("受到过党内警告处分" in n.body for n in notes(db, "opinion_negative"))


def test_objections_tell_office_and_city_and_never_name_the_objector(f, walk, db, clock):
    from nominate.publicity import operations as pops

    nom = walk.to(f.window(), "province_publicity")
    clock.set("2021-09-14")
    f.user("province_office", "shanxi", name="office-2")
    obj = pops.record_objection(nom, f.office, content="反映其材料不实", objector_name="赵举报",
                                objector_contact="13900001111")
    pops.resolve_objection(obj, f.office, outcome="cleared", investigation="经调查不属实")
    db.session.commit()
    # the office user who acted is not told; the other office user and the owning city are
    assert set(told(db, "objection_recorded")) == {"office-2", "city_bureau-taiyuan"}
    assert set(told(db, "objection_resolved")) == {"office-2", "city_bureau-taiyuan"}
    for n in notes(db):
        assert "赵举报" not in n.subject + n.body + (n.sms_text or "") and "13900001111" not in n.body
    assert any("经核查不属实" in n.subject for n in notes(db, "objection_resolved"))


def test_publicity_start_and_end_and_the_ministry_decisions(f, walk, db):
    a = walk.to(f.window(), "national_publicity")
    started = told(db, "publicity_started")
    assert "city_bureau-taiyuan" in started and any("省级公示" in s for s in started["city_bureau-taiyuan"])
    assert any("全国公示" in s for s in started["city_bureau-taiyuan"])
    assert any("省级公示" in s for s in told(db, "publicity_ended")["city_bureau-taiyuan"])
    decision = told(db, "ministry_decision")
    assert set(decision) == {"city_bureau-taiyuan"}  # the office recorded it: not told of its own act
    assert any("人社部初审通过" in s and a.name in s for s in decision["city_bureau-taiyuan"])


def test_an_extension_tells_the_organisation(f, db):
    from nominate.campaigns.operations import grant_extension

    f.city("datong")
    grant_extension(f.campaign, f.office, f.org("datong"), "preliminary_materials", "2021-09-30", "因汛情延期")
    db.session.commit()
    assert told(db, "extension_granted") == {"city_bureau-datong": ["【延期】初审材料报送延期至2021年09月30日"]}


def test_never_to_a_nominee_about_their_own_nomination(f, walk, db):
    data = individual_data()
    clerk = f.user("city_bureau", "taiyuan", name="nominee-clerk", id_number=data["id_number"])
    signer = f.user("signer_discipline", "taiyuan", name="nominee-signer", id_number=data["id_number"])
    nom = walk.to(f.individual(), "province_review")
    fire_event(nom, "return_to_city", f.office, comment="请补充材料")
    db.session.commit()
    fire_event(nom, "resubmit", f.city(), comment="已补充")
    db.session.commit()
    walk.to(nom, "formal_materials")
    mine = db.session.scalars(sa.select(Notification).where(Notification.user_id.in_([clerk.id, signer.id]))).all()
    assert mine == []
    assert "city_bureau-taiyuan" in told(db, "batch_returned")  # the other clerk of the city is told


def test_a_rolled_back_event_leaves_no_notice_and_no_outbox_row(f, walk, db):
    db.session.add(UserContact(user_id=f.city().id, email="taiyuan@example.gov.cn"))
    db.session.commit()
    nom = walk.to(f.window(), "province_review")
    fire_event(nom, "return_to_city", f.office, comment="请补充材料")
    assert len(notes(db, "batch_returned")) == 1  # written in the event's transaction …
    db.session.rollback()  # … and gone with it
    assert notes(db, "batch_returned") == [] and db.session.scalar(sa.select(sa.func.count()).select_from(Delivery)) == 0


def test_channels_follow_each_users_choice(f, walk, db):
    from nominate.notifications.operations import save_contact

    save_contact(f.city(), f.city(), email="taiyuan@example.gov.cn", mobile="13912345678", email_enabled=True,
                 sms_enabled=True)
    save_contact(f.office, f.office, email="office@example.gov.cn", email_enabled=False)
    db.session.commit()
    nom = walk.to(f.window(), "province_review")
    fire_event(nom, "return_to_city", f.office, comment="请补充材料")
    db.session.commit()
    (note,) = notes(db, "batch_returned")
    assert {(d.channel.value, d.address, d.status.value) for d in note.deliveries} == {
        ("email", "taiyuan@example.gov.cn", "pending"), ("sms", "13912345678", "pending")}
    assert note.sms_text.startswith("【人社评选】") and "请补充材料" in note.sms_text
    # the batch submission before it went to the office in-app only (their e-mail is switched off)
    assert all(not n.deliveries for n in notes(db, "batch_submitted"))


@pytest.mark.parametrize("email,mobile,field", [("not-an-email", "", "email"), ("", "12345", "mobile"),
                                                ("a@b.cn", "", "mobile")])
def test_bad_contacts_are_refused_naming_the_field(f, db, email, mobile, field):
    from nominate.core.errors import ValidationFailed
    from nominate.notifications.operations import save_contact

    with pytest.raises(ValidationFailed) as err:
        save_contact(f.city(), f.city(), email=email, mobile=mobile, sms_enabled=(field == "mobile" and not mobile))
    assert err.value.field == field
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UserContact)) == 0


def test_the_message_centre_the_unread_count_on_every_page_and_the_api(f, walk, db, client, login):
    nom = walk.to(f.window(), "province_review")
    fire_event(nom, "return_to_city", f.office, comment="请补充材料")
    db.session.commit()
    c = login(f.city())
    for path in ("/", "/nominations/", "/batches/", "/timeline", "/notifications/"):
        page = c.get(path).get_data(as_text=True)
        assert 'aria-label="未读 1 条"' in page, path
    assert "退回修改" in c.get("/notifications/").get_data(as_text=True)
    token = f.token(f.city())
    got = client.get("/api/v1/notifications", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert got["unread"] == 1 and got["items"][0]["kind"] == "batch_returned" and got["items"][0]["read"] is False
    nid = got["items"][0]["id"]
    other = f.token(f.office)
    assert client.post(f"/api/v1/notifications/{nid}/read",
                       headers={"Authorization": f"Bearer {other}"}).status_code == 403
    r = client.post(f"/api/v1/notifications/{nid}/read", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.get_json()["read"] is True
    assert client.get("/api/v1/notifications?unread=1",
                      headers={"Authorization": f"Bearer {token}"}).get_json() == {"items": [], "unread": 0}
    assert 'aria-label="未读' not in c.get("/").get_data(as_text=True)
