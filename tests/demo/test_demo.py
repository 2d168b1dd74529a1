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
