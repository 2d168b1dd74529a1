"""The demo data set: Shanxi 2021, every city, nominations in many states, one working login per role."""
from collections import Counter

from nominate.accounts.models import Role, User
from nominate.audit.models import AuditEvent
from nominate.nominations.models import Nomination
from nominate.organisations.models import Organisation, OrgKind
from nominate.publicity.models import Objection


def test_demo_covers_cities_states_and_roles(db):
    from nominate.demo.data import PASSWORD, build_demo

    logins = build_demo()

    cities = db.session.scalars(db.select(Organisation.short_name).filter_by(kind=OrgKind.CITY)).all()
    assert sorted(cities) == sorted(["太原市", "大同市", "阳泉市", "长治市", "晋城市", "朔州市", "晋中市",
                                     "运城市", "忻州市", "临汾市", "吕梁市"])
    states = Counter(n.state.value for n in db.session.scalars(db.select(Nomination)))
    for state in ("draft", "unit_publicity", "city_review", "city_recommended", "province_review", "returned",
                  "formal_materials", "province_publicity", "province_publicized", "submitted_to_ministry",
                  "national_publicity", "awarded", "not_selected", "ministry_rejected", "withdrawn",
                  "disqualified"):
        assert states[state] >= 1, f"demo has no nomination in {state}"
    # one working login per role, with the printed password
    assert {role for role, *_ in logins} == {r.value for r in Role}
    for _, username, password, _ in logins:
        assert password == PASSWORD
        user = db.session.scalar(db.select(User).filter_by(username=username))
        assert user.check_password(password)
    # every state change went through the engine: each nomination's audit trail ends in its state
    for nom in db.session.scalars(db.select(Nomination)):
        last = db.session.scalars(db.select(AuditEvent).where(AuditEvent.nomination_id == nom.id,
                                                              AuditEvent.to_state.is_not(None))
                                  .order_by(AuditEvent.id.desc())).first()
        if nom.state.value != "draft":
            assert last is not None and last.to_state == nom.state.value
    outcomes = Counter(o.status.value for o in db.session.scalars(db.select(Objection)))
    assert outcomes["open"] >= 1 and outcomes["upheld"] >= 1 and outcomes["cleared"] >= 1


def test_demo_refuses_a_database_with_nominations(db, f):
    import pytest

    from nominate.demo.data import build_demo

    f.window()
    f.db.session.commit()
    with pytest.raises(RuntimeError, match="演示数据只能装入空库"):
        build_demo()


def test_demo_has_an_honours_register_linked_to_nominees(db):
    from nominate.demo.data import build_demo
    from nominate.honours.compose import remarks_for
    from nominate.honours.models import Honour, HonourLink

    build_demo()
    assert db.session.scalar(db.select(db.func.count(Honour.id))) >= 15
    linked = db.session.scalars(db.select(HonourLink.nomination_id).distinct()).all()
    assert len(linked) >= 8
    taiyuan_person = db.session.scalar(db.select(Nomination).filter_by(person_name="张晓梅"))
    assert remarks_for(taiyuan_person).startswith("2020年在全省人社窗口单位业务技能练兵比武全省赛中获全省人社“知识通”称号；"
                                                 "2020年全省人社窗口单位业务技能练兵比武全省赛个人第三名")


def test_demo_reset_asks_first_and_rebuilds_through_the_migrations(tmp_path):
    """`flask demo --reset` names the database and asks; without a yes nothing changes."""
    import sqlalchemy as sa

    from nominate import create_app
    from nominate.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'demo.db'}", "SECRET_KEY": "t",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    runner = app.test_cli_runner()
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0 and "shengban" in first.output
    again = runner.invoke(args=["demo"])
    assert again.exit_code != 0 and "演示数据只能装入空库" in again.output
    refused = runner.invoke(args=["demo", "--reset"], input="n\n")
    assert refused.exit_code != 0 and "已取消" in refused.output and "demo.db" in refused.output
    done = runner.invoke(args=["demo", "--reset", "--yes"])
    assert done.exit_code == 0, done.output
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
            triggers = conn.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars().all()
        assert any("audit" in t for t in triggers)
        db.engine.dispose()


def test_the_demo_story_is_the_one_it_was_before_it_became_a_file(db):
    """The story moved from Python (walker.to / fire_event calls) into workflows/demo/shanxi-2021.yaml:
    the demo is the same, figure for figure, as the demo the Python script made (measured on main
    before the move), but for issue 14's workbench walk (every role holds a to-do and a waiting item): 高云 (省直)
    is returned to her unit after the 初审 deadline, and 李秀英's 纪检监察 row waits to be signed."""
    from nominate.batches.models import CityBatch
    from nominate.core.clock import local_time
    from nominate.demo.data import DEMO_TODAY, PASSWORD, build_demo
    from nominate.opinions.models import Opinion
    from nominate.publicity.models import PublicityPeriod

    logins = build_demo()

    assert DEMO_TODAY == "2021-10-20"
    assert [(role, username, display) for role, username, _, display in logins] == [
        ("admin", "admin", "系统管理员"), ("province_office", "shengban", "省推荐评选办 王晋"),
        ("city_bureau", "taiyuan", "太原市人社局 评选办"), ("provincial_unit", "shengzhi", "省人才中心 人事科"),
        ("signer_discipline", "jincheng-jijian", "晋城市纪委监委"), ("signer_personnel", "jincheng-zuzhi", "晋城市委组织部"),
        ("signer_police", "gongan", "山西省公安厅"), ("ministry", "renshebu", "人社部评比表彰工作领导小组办公室")]
    assert all(password == PASSWORD for _, _, password, _ in logins)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 41
    noms = db.session.scalars(db.select(Nomination)).all()
    assert Counter(n.state.value for n in noms) == {
        "awarded": 5, "city_recommended": 3, "city_review": 1, "disqualified": 1, "draft": 2, "formal_materials": 4,
        "ministry_rejected": 1, "national_publicity": 1, "not_selected": 6, "province_publicity": 1,
        "province_publicized": 1, "province_review": 4, "returned": 2, "submitted_to_ministry": 1, "unit_publicity": 1,
        "withdrawn": 1}
    assert Counter((n.owner_org.code, n.state.value) for n in noms) == {
        ("changzhi", "awarded"): 1, ("changzhi", "province_publicity"): 1, ("changzhi", "province_publicized"): 1,
        ("datong", "national_publicity"): 1, ("datong", "not_selected"): 2, ("jincheng", "formal_materials"): 3,
        ("jinzhong", "formal_materials"): 1, ("jinzhong", "not_selected"): 2, ("linfen", "city_recommended"): 3,
        ("lvliang", "city_review"): 1, ("lvliang", "draft"): 1, ("lvliang", "unit_publicity"): 1,
        ("shuozhou", "ministry_rejected"): 1, ("shuozhou", "not_selected"): 2, ("sx-sicenter", "returned"): 1,
        ("sx-talent", "draft"): 1, ("taiyuan", "awarded"): 3, ("xinzhou", "province_review"): 2,
        ("xinzhou", "withdrawn"): 1, ("yangquan", "awarded"): 1, ("yangquan", "disqualified"): 1,
        ("yangquan", "submitted_to_ministry"): 1, ("yuncheng", "province_review"): 2, ("yuncheng", "returned"): 1}
    assert Counter(b.state.value for b in db.session.scalars(db.select(CityBatch))) == {
        "accepted": 7, "returned": 2, "submitted": 1, "draft": 2}
    assert Counter((o.status.value, str(o.received_on)) for o in db.session.scalars(db.select(Objection))) == {
        ("cleared", "2021-08-02"): 1, ("upheld", "2021-09-15"): 1, ("open", "2021-10-19"): 1}
    assert Counter((o.slot.value, o.status.value) for o in db.session.scalars(db.select(Opinion))) == {
        ("discipline", "signed"): 3, ("personnel", "signed"): 3, ("police", "signed"): 3,
        ("discipline", "pending"): 1, ("personnel", "pending"): 1, ("police", "pending"): 1}
    assert Counter((p.level.value, p.status.value) for p in db.session.scalars(db.select(PublicityPeriod))) == {
        ("unit", "closed"): 32, ("province", "closed"): 9, ("national", "closed"): 5, ("national", "open"): 1,
        ("province", "open"): 1, ("unit", "open"): 1}
    changes = Counter(a.action for a in db.session.scalars(db.select(AuditEvent).where(AuditEvent.to_state.is_not(None))))
    assert changes == {
        "create": 35, "start_unit_publicity": 33, "finish_unit_publicity": 32, "recommend": 30, "submit_to_province": 27,
        "report_to_ministry": 15, "select": 15, "ministry_confirm": 14, "start_province_publicity": 10,
        "finish_province_publicity": 8, "submit_to_ministry": 7, "reject": 6, "start_national_publicity": 6,
        "finish_national_publicity": 5, "disqualify": 1, "ministry_decline": 1, "return_to_city": 2, "withdraw": 1}
    formal = db.session.scalar(db.select(Nomination).filter_by(window_name="晋城市人力资源和社会保障局政务服务大厅"))
    # read through the app's one conversion: PostgreSQL answers in UTC, SQLite with the naive Shanghai wall time
    # (``astimezone`` would take that for the machine's zone and move it to the 16th from 16:00 Shanghai on)
    assert local_time(formal.formal_submitted_at).date().isoformat() == "2021-10-15"


def test_a_story_naming_what_the_workflow_does_not_know_is_refused_before_anything_is_written(f):
    """A renamed state or event, a misspelt nominee or a step the player does not know stops the demo
    with its name, before the first step."""
    import pytest

    from nominate.demo.story import Story

    nom = f.window()
    f.db.session.commit()
    story = {"today": "2021-10-20", "story": [
        {"walk": {"to": "province_aproved", "nominees": ["taiyuan.A"]}},
        {"fire": {"event": "teleport", "nominees": ["taiyuan.B"], "by": "office"}},
        {"dance": "taiyuan.A"},
        {"objection": {"nominee": "taiyuan.A", "by": "office", "content": "x", True: "2021-09-15"}},
    ]}
    with pytest.raises(ValueError) as refused:
        Story(story, nom.campaign, {}, {"taiyuan": {"A": nom}}, f.user, lambda iso: None, str).play()
    message = str(refused.value)
    for part in ("第1步：流程中没有状态 province_aproved", "第2步：流程中没有事件 teleport", "第2步：演示剧本：没有推荐对象 taiyuan.B",
                 "第3步：未知的步骤 dance", "第4步：键名 [True] 不是文字"):
        assert part in message
    assert nom.state.value == "draft"


def test_demo_accounts_that_must_use_two_factors_are_pre_enrolled_and_sign_in_with_the_printed_code(app, db, client):
    """What scripts/demo tells a visitor: the password, then the code `flask totp-code USER` prints."""
    from nominate.accounts.factors import must_use_two_factors
    from nominate.demo.data import PASSWORD, build_demo, demo_totp_secret

    logins = build_demo()
    enrolled = set()
    for _, username, _, _ in logins:
        user = db.session.scalar(db.select(User).filter_by(username=username))
        assert (user.totp_secret == demo_totp_secret(username)) is must_use_two_factors(user), username
        if user.totp_secret:
            enrolled.add(user.role.value)
    assert enrolled == {"province_office", "admin", "signer_discipline", "signer_personnel", "signer_police",
                        "ministry"}
    r = client.post("/login", data={"username": "shengban", "password": PASSWORD})
    assert r.status_code == 302 and r.headers["Location"].startswith("/login/two-factor")
    code = app.test_cli_runner().invoke(args=["totp-code", "shengban"]).output.strip()
    r = client.post("/login/two-factor", data={"code": code})
    assert r.status_code == 302 and r.headers["Location"] == "/"
    from flask import g

    g.pop("_login_user", None)
    assert client.get("/province/batches").status_code == 200
