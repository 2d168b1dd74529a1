"""Deliveries survive what goes wrong: a worker killed (SIGKILL) while sending delivers once after a restart;
a mail server that is down does not lose the notice (it stays in the 消息 centre and is retried); a
delivery that fails for good is shown to the admin with its error; a rolled-back event sends nothing."""
import time

import pytest
import sqlalchemy as sa

from nominate.notifications.models import Delivery, DeliveryStatus, Notification, UserContact
from nominate.workflow.engine import fire_event
from tests.notifications.helpers import SmtpServer, Worker, broker_url, free_port, jobs_app, queue_name

pytestmark = pytest.mark.slow


def _returned_window(f, walk, db):
    """A taiyuan window in province review; the city clerk takes e-mail."""
    nom = walk.to(f.window(), "province_review")
    db.session.add(UserContact(user_id=f.city().id, email="taiyuan@example.gov.cn"))
    db.session.commit()
    return nom


def _return(other, nom_id, token, comment="请补充廉洁记录证明"):
    r = other.test_client().post(f"/api/v1/nominations/{nom_id}/events", headers={"Authorization": f"Bearer {token}"},
                                 json={"event": "return_to_city", "comment": comment})
    assert r.status_code == 200, r.get_json()


def _delivery(other, db):
    with other.app_context():
        return db.session.execute(sa.select(Delivery.status, Delivery.attempts, Delivery.last_error)).one()


def _wait(cond, timeout=30.0, what=""):
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


@pytest.mark.parametrize("broker", ["redis", "embedded"])
def test_a_worker_killed_while_sending_delivers_exactly_once_after_a_restart(broker, app, f, walk, db, tmp_path):
    url, queue = broker_url(broker, tmp_path), queue_name()
    nom = _returned_window(f, walk, db)
    token, nom_id = f.token(f.office), nom.id
    db.session.remove()
    smtp = SmtpServer().start()
    other = jobs_app(app, url, smtp.port, queue)
    marker = tmp_path / "paused"
    first = Worker(app, url, smtp.port, queue, tmp_path, NOMINATE_FAULT_PAUSE="delivery:sending",
                   NOMINATE_FAULT_MARKER=str(marker)).start()
    second = None
    try:
        _return(other, nom_id, token)
        _wait(marker.exists, 60, f"the worker never started the delivery: {first.output()}")
        first.kill()  # SIGKILL mid-delivery: claimed, not sent, nothing recorded after the claim
        assert smtp.mailbox.messages == []
        assert _delivery(other, db)[:2] == (DeliveryStatus.SENDING, 1)
        time.sleep(2.2)  # the claim's lease (NOTIFY_LEASE_SECONDS=2 here) runs out
        second = Worker(app, url, smtp.port, queue, tmp_path).start()
        smtp.mailbox.wait_for(1, timeout=60)
        time.sleep(2.0)  # a sweep or a second wake-up must not send it again
        assert len(smtp.mailbox.messages) == 1
        assert "退回修改" in str(smtp.mailbox.messages[0]["Subject"])
        assert _delivery(other, db)[:2] == (DeliveryStatus.SENT, 2)
    finally:
        first.stop()
        if second is not None:
            second.stop()
        smtp.stop()
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_mail_server_that_is_down_loses_nothing(app, f, walk, db, tmp_path):
    from nominate.jobs.queue import start_worker_thread

    url, queue, port = broker_url("embedded", tmp_path), queue_name(), free_port()
    nom = _returned_window(f, walk, db)
    city_token, token, nom_id = f.token(f.city()), f.token(f.office), nom.id
    db.session.remove()
    other = jobs_app(app, url, port, queue)  # nothing listens on the port yet
    consumer = start_worker_thread(other)
    smtp = SmtpServer(port)
    try:
        _return(other, nom_id, token)
        _wait(lambda: (_delivery(other, db)[2] or "") != "", 30, "no failed attempt recorded")
        status, attempts, error = _delivery(other, db)
        assert status == DeliveryStatus.PENDING and attempts >= 1 and "Connection refused" in error
        # the notice is in the 消息 centre all along
        got = other.test_client().get("/api/v1/notifications", headers={"Authorization": f"Bearer {city_token}"})
        assert got.get_json()["unread"] == 1 and "退回修改" in got.get_json()["items"][0]["subject"]
        smtp.start()  # the server comes back: the retry delivers it, once
        smtp.mailbox.wait_for(1, timeout=60)
        time.sleep(1.5)
        assert len(smtp.mailbox.messages) == 1 and _delivery(other, db)[0] == DeliveryStatus.SENT
    finally:
        consumer.stop(graceful=True)
        smtp.stop()
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_delivery_that_fails_for_good_is_shown_to_the_admin_with_its_error(app, f, walk, db, login, client):
    from nominate.notifications.delivery import dispatch

    nom = _returned_window(f, walk, db)
    fire_event(nom, "return_to_city", f.office, comment="请补充材料")
    db.session.commit()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), NOTIFY_MAX_ATTEMPTS=1)
    try:
        assert dispatch() == 0
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=25, NOTIFY_MAX_ATTEMPTS=8)
    d = db.session.scalars(sa.select(Delivery)).one()
    assert d.status == DeliveryStatus.FAILED and d.last_error.startswith("SMTP")
    page = login(f.user("admin", "shanxi")).get("/notifications/admin").get_data(as_text=True)
    assert "发送失败" in page and d.last_error in page and "t***@example.gov.cn" in page
    assert "taiyuan@example.gov.cn" not in page  # the address is masked
    r = client.post(f"/notifications/admin/deliveries/{d.id}/retry")
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(Delivery, d.id).status == DeliveryStatus.PENDING
    assert db.session.get(Delivery, d.id).attempts == 0


def test_a_rolled_back_event_sends_nothing(app, f, walk, db, tmp_path):
    from nominate.jobs.queue import start_worker_thread

    url, queue = broker_url("embedded", tmp_path), queue_name()
    nom = _returned_window(f, walk, db)
    other_nom = walk.to(f.window(window_name="小店区坞城街道社保所", window_level="township"), "province_review")
    office_id, ids = f.office.id, (nom.id, other_nom.id)
    db.session.remove()
    smtp = SmtpServer().start()
    other = jobs_app(app, url, smtp.port, queue)
    consumer = start_worker_thread(other)
    try:
        from nominate.accounts.models import User
        from nominate.nominations.models import Nomination

        with other.app_context():
            office = db.session.get(User, office_id)
            fire_event(db.session.get(Nomination, ids[0]), "return_to_city", office, comment="第一份：将被回滚")
            db.session.flush()
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Delivery)) == 1
            db.session.rollback()  # e.g. a later step of the same request failed
            fire_event(db.session.get(Nomination, ids[1]), "return_to_city", office, comment="第二份：已提交")
            db.session.commit()
        smtp.mailbox.wait_for(1, timeout=60)
        time.sleep(1.5)  # the worker has swept the outbox since: nothing else arrives
        (msg,) = smtp.mailbox.messages
        assert "坞城街道社保所" in str(msg["Subject"])
        with other.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
                Notification.body.contains("将被回滚"))) == 0
    finally:
        consumer.stop(graceful=True)
        smtp.stop()
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_two_workers_on_two_hosts_never_send_a_notice_twice(app, f, db, tmp_path):
    """Workers on several hosts share the outbox: each delivery is claimed by exactly one of them."""
    from nominate.jobs.queue import enqueue
    from nominate.notifications.operations import write

    url, queue = broker_url("redis", tmp_path), queue_name()
    users = [f.user("city_bureau", "taiyuan", name=f"clerk-{i}") for i in range(24)]
    for u in users:
        db.session.add(UserContact(user_id=u.id, email=f"{u.username}@example.gov.cn"))
        write(u, "deadline_reminder", {"org": "太原市", "deadline": "初审材料报送", "days": 3, "due_date": "2021年08月23日"})
    db.session.commit()
    expected = sorted(f"{u.username}@example.gov.cn" for u in users)
    db.session.remove()
    smtp = SmtpServer().start()
    other = jobs_app(app, url, smtp.port, queue)
    workers = [Worker(app, url, smtp.port, queue, tmp_path).start() for _ in range(2)]
    try:
        for _ in range(6):  # several wake-ups, as many commits would give
            enqueue("dispatch", app=other)
        smtp.mailbox.wait_for(len(expected), timeout=90)
        time.sleep(2.0)
        ids = [m["Message-ID"] for m in smtp.mailbox.messages]
        assert len(ids) == len(expected) == len(set(ids))
        assert sorted(str(m["To"]) for m in smtp.mailbox.messages) == expected
        # both workers took dispatch jobs (on a loaded machine one may start late: wake them until both have run,
        # bounded; dispatching again is idempotent, so nothing more may arrive)
        deadline = time.monotonic() + 60
        while not all("Executing nominate.jobs.queue.dispatch_outbox" in w.log.read_text() for w in workers):
            assert time.monotonic() < deadline, "a worker never took a dispatch job"
            enqueue("dispatch", app=other)
            time.sleep(0.5)
        time.sleep(1.0)
        assert len(smtp.mailbox.messages) == len(expected)  # the extra wake-ups sent nothing twice
    finally:
        for w in workers:
            w.stop()
        smtp.stop()
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_job_that_fails_for_good_is_shown_to_the_admin_with_its_error(app, f, db, tmp_path, login):
    """The hourly reminder job meets a campaign it cannot read: huey records the failure, 后台任务 shows it."""
    from nominate.campaigns.models import Campaign
    from nominate.jobs.queue import enqueue, start_worker_thread

    campaign = db.session.get(Campaign, f.campaign.id)
    campaign.config = {**campaign.config, "reminders": [{"deadline": "preliminary_materials",
                                                         "working_days_before": [3], "pending": "no_such_rule"}]}
    db.session.commit()  # (the loader refuses such a file; written behind its back to break the job)
    admin_id = f.user("admin", "shanxi").id
    db.session.remove()
    other = jobs_app(app, broker_url("embedded", tmp_path), free_port(), queue_name(), NOMINATE_TODAY="2021-08-18")
    consumer = start_worker_thread(other)
    try:
        enqueue("reminders", app=other)
        from nominate.audit.models import AuditEvent

        def recorded():
            with other.app_context():
                return db.session.scalars(sa.select(AuditEvent).filter_by(action="job_failed")).all()
        _wait(recorded, 30, "the failure was not recorded")
        rows = recorded()  # the explicit run, and the worker's own periodic run when it falls due meanwhile
        assert rows and all(row.data["task"].endswith("send_reminders") and "no_such_rule" in row.data["error"]
                            for row in rows)
    finally:
        consumer.stop(graceful=True)
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
    from nominate.accounts.models import User

    page = login(db.session.get(User, admin_id)).get("/notifications/admin").get_data(as_text=True)
    assert "失败的后台任务" in page and "send_reminders" in page and "no_such_rule" in page
