"""Each kind of notice end to end: the action through the API (or the page), the job run by a real worker on
the embedded default (SQLite queue, huey's consumer thread in this process) and on the production brokers
(Redis; PostgreSQL via SqlHuey; `flask worker` in its own process), the e-mail received by a real SMTP
server (aiosmtpd) with a Chinese subject naming the nomination and the action."""
import time

import pytest
import sqlalchemy as sa

from nominate.accounts.models import User
from nominate.notifications.models import Delivery, Notification, UserContact
from tests.notifications.helpers import SmtpServer, Worker, broker_url, jobs_app, queue_name
from tests.signin import sign_in

pytestmark = pytest.mark.slow


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def _emails_for_everyone(db):
    for user in db.session.scalars(sa.select(User)).all():
        if db.session.get(UserContact, user.id) is None:
            db.session.add(UserContact(user_id=user.id, email=f"{user.username}@example.gov.cn"))
    db.session.commit()


@pytest.fixture()
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.mark.parametrize("broker", ["embedded", "redis", "postgresql"])
def test_every_kind_of_notice_arrives_by_email(broker, app, f, walk, db, clock, smtp, tmp_path):
    from nominate.nominations.operations import submit_formal_materials
    from nominate.jobs.queue import enqueue, start_worker_thread
    from nominate.publicity import operations as pops

    url, queue = broker_url(broker, tmp_path), queue_name()
    # the scene, walked with the operations: a taiyuan batch ready to submit, an individual at the Ministry's
    # preliminary review, a window in provincial publicity, a window ready for it
    ind = walk.to(f.individual(), "ministry_preliminary")
    a = walk.to(f.window(), "city_recommended")
    assert a.batch.report_text  # the report went with the first submission (frozen since: issue 14)
    pub = walk.to(f.window(city="datong", window_name="大同市平城区就业服务大厅"), "province_publicity")
    nxt = walk.to(f.window(city="datong", window_name="大同市云冈区社保所", window_level="township"),
                  "formal_materials")
    submit_formal_materials(nxt, f.city("datong"))
    f.user("province_office", "shanxi", name="office-2")  # hears what the first office user does
    f.city("yangquan")  # has not submitted its batch: reminded of the deadline
    _emails_for_everyone(db)
    tokens = {"city": f.token(f.city()), "office": f.token(f.office), "ministry": f.token(f.ministry),
              "discipline": f.token(f.user("signer_discipline", "taiyuan"))}
    ids = {"batch": a.batch_id, "a": a.id, "ind": ind.id, "pub": pub.id, "nxt": nxt.id, "office_user": f.office.id,
           "datong": f.org("datong").id}
    db.session.commit()
    db.session.remove()

    other = jobs_app(app, url, smtp.port, queue)
    worker = consumer = None
    if broker == "embedded":
        consumer = start_worker_thread(other, workers=2)  # the embedded default: a thread of the app
    else:
        # its clock stands on the 3rd working day before the 初审材料 deadline (8月23日), for the reminder job
        worker = Worker(app, url, smtp.port, queue, tmp_path, NOMINATE_TODAY="2021-08-18").start()
    try:
        c = other.test_client()

        def today(iso):
            other.config["NOMINATE_TODAY"] = iso

        today("2021-08-20")
        r = c.post(f"/api/v1/batches/{ids['batch']}/submit", headers=auth(tokens["city"]))
        assert r.status_code == 200, r.get_json()
        today("2021-08-25")
        r = c.post(f"/api/v1/nominations/{ids['a']}/events", headers=auth(tokens["office"]),
                   json={"event": "return_to_city", "comment": "缺少廉洁记录证明"})
        assert r.status_code == 200, r.get_json()
        today("2021-09-10")
        r = c.post(f"/api/v1/nominations/{ids['ind']}/events", headers=auth(tokens["ministry"]),
                   json={"event": "ministry_confirm"})
        assert r.status_code == 200, r.get_json()
        with other.app_context():
            op_id = db.session.scalar(sa.select(sa.text("id")).select_from(sa.table("opinions")).where(
                sa.text(f"nomination_id = {ids['ind']} AND slot = 'discipline'")))
        r = c.post(f"/api/v1/opinions/{op_id}/sign", headers=auth(tokens["discipline"]),
                   json={"verdict": "disagree", "text": "该同志受过党内警告处分", "signer_name": "王明"})
        assert r.status_code == 200, r.get_json()
        today("2021-09-14")
        r = c.post("/api/v1/objections", headers=auth(tokens["office"]),
                   json={"nomination_id": ids["pub"], "content": "反映材料不实", "objector_name": "赵举报"})
        assert r.status_code == 201, r.get_json()
        r = c.post(f"/api/v1/objections/{r.get_json()['id']}/resolve", headers=auth(tokens["office"]),
                   json={"outcome": "cleared", "investigation": "经调查不属实"})
        assert r.status_code == 200, r.get_json()
        today("2021-09-22")
        with other.app_context():
            period = pops.current_period(db.session.get(type(a), ids["pub"]), "province").id
        assert c.post(f"/api/v1/publicity-periods/{period}/finish", headers=auth(tokens["office"])).status_code == 200
        r = c.post("/api/v1/publicity-periods", headers=auth(tokens["office"]),
                   json={"level": "province", "nomination_ids": [ids["nxt"]], "start_date": "2021-09-22"})
        assert r.status_code == 201, r.get_json()
        with other.app_context():  # the extension is granted on the page
            from nominate.accounts.models import User

            sign_in(c, db.session.get(User, ids["office_user"]))
        r = c.post("/province/extensions", data={"organisation_id": ids["datong"], "deadline_key": "formal_materials",
                                                  "until": "2021-10-30", "reason": "因汛情延期"})
        assert r.status_code == 302, r.get_data(as_text=True)[:300]

        today("2021-08-18")  # (the embedded worker runs on this app's clock)
        enqueue("reminders", app=other)  # the hourly job, run now by the worker
        with other.app_context():
            def reminded():
                n = db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
                    Notification.kind == "deadline_reminder"))
                db.session.rollback()  # never hold SQLite's write lock while waiting for the worker
                return n
            deadline = time.monotonic() + 60
            while not reminded():
                assert time.monotonic() < deadline, "the worker never ran the reminder job"
                time.sleep(0.2)

        expected = {  # (to, words the subject must hold)
            ("province_office-shanxi@example.gov.cn", ("待审核", "太原市", "小店区人力资源和社会保障局社保经办大厅")),
            ("office-2@example.gov.cn", ("待审核", "太原市")),
            ("city_bureau-taiyuan@example.gov.cn", ("退回修改", "小店区人力资源和社会保障局社保经办大厅")),
            ("city_bureau-taiyuan@example.gov.cn", ("人社部初审通过", "张晓梅")),
            ("province_office-shanxi@example.gov.cn", ("人社部初审通过", "张晓梅")),
            ("signer_discipline-taiyuan@example.gov.cn", ("待签署", "张晓梅", "纪检监察部门意见")),
            ("signer_personnel-taiyuan@example.gov.cn", ("待签署", "张晓梅", "组织人事部门意见")),
            ("province_office-shanxi@example.gov.cn", ("不同意意见", "张晓梅")),
            ("city_bureau-taiyuan@example.gov.cn", ("不同意意见", "张晓梅")),
            ("city_bureau-datong@example.gov.cn", ("异议", "平城区就业服务大厅", "省级公示")),
            ("office-2@example.gov.cn", ("异议", "平城区就业服务大厅")),
            ("city_bureau-datong@example.gov.cn", ("异议结论", "经核查不属实")),
            ("city_bureau-datong@example.gov.cn", ("公示结束", "省级公示", "平城区就业服务大厅")),
            ("city_bureau-datong@example.gov.cn", ("公示开始", "省级公示", "云冈区社保所")),
            ("city_bureau-datong@example.gov.cn", ("延期", "正式推荐材料报送", "2021年10月30日")),
            ("city_bureau-yangquan@example.gov.cn", ("截止提醒", "初审材料报送", "还有3个工作日", "2021年08月23日")),
        }
        with other.app_context():
            outbox = db.session.scalar(sa.select(sa.func.count()).select_from(Delivery))
        try:
            smtp.mailbox.wait_for(outbox, timeout=90)
        except AssertionError:
            with other.app_context():
                errors = db.session.execute(sa.select(Delivery.status, Delivery.attempts, Delivery.last_error)).all()
            raise AssertionError(f"{errors} {worker.output() if worker else ''}") from None
        time.sleep(1.0)  # nothing more arrives: each delivery once
        got = smtp.mailbox.received()
        message_ids = [m["Message-ID"] for m in smtp.mailbox.messages]
        assert len(got) == outbox and len(set(message_ids)) == outbox  # every delivery once, none twice
        for to, words in expected:
            assert any(t == to and all(w in s for w in words) for t, s in got), (to, words, got)
        assert all("赵举报" not in s for _, s in got)
        bodies = [m.get_body(preferencelist=("plain",)).get_content() for m in smtp.mailbox.messages]
        assert any("缺少廉洁记录证明" in b and "http://nominate.test/nominations/" in b for b in bodies)
        with other.app_context():
            statuses = set(db.session.scalars(sa.select(Delivery.status)).all())
            assert {s.value for s in statuses} == {"sent"}
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) >= len(expected)
    finally:
        if consumer is not None:
            consumer.stop(graceful=True)
        if worker is not None:
            worker.stop()
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
