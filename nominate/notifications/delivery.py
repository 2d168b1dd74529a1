"""The worker's side of the outbox: claim a due delivery, send it, mark it sent (once) or schedule a retry.

A claim is a conditional UPDATE committed before sending, with a lease: two workers never send the
same row, and a worker killed while sending leaves a claim that expires (NOTIFY_LEASE_SECONDS) and is
taken again. The e-mail's Message-ID is fixed per delivery, so in the one window that no SMTP client can
close (the server accepted the message, the worker died before recording it) a retried copy carries the
same Message-ID and a receiving system can recognise it."""
from __future__ import annotations

import datetime as dt
import logging
import socket

import sqlalchemy as sa
from flask import current_app
from flask_mailman import EmailMessage, Mail

from nominate.core import faults
from nominate.extensions import db
from nominate.core.queue import enqueue, register_task
from nominate.notifications import sms
from nominate.notifications.models import Channel, Delivery, DeliveryStatus
from nominate.notifications.operations import absolute, real_now

log = logging.getLogger("nominate.notifications")
mail = Mail()


def _due(now):
    return sa.or_(sa.and_(Delivery.status == DeliveryStatus.PENDING, Delivery.next_attempt_at <= now),
                  sa.and_(Delivery.status == DeliveryStatus.SENDING, Delivery.lease_until < now))


def dispatch(limit: int = 100) -> int:
    """Deliver every due outbox row (a job: run by the worker, safe to run twice or on several hosts)."""
    ids = db.session.scalars(sa.select(Delivery.id).where(_due(real_now())).order_by(Delivery.id).limit(limit)).all()
    db.session.commit()
    return sum(1 for i in ids if deliver_one(i))


def deliver_one(delivery_id: int) -> bool:
    cfg = current_app.config
    now = real_now()
    claimed = db.session.execute(
        sa.update(Delivery).where(Delivery.id == delivery_id, _due(now))
        .values(status=DeliveryStatus.SENDING, attempts=Delivery.attempts + 1,
                lease_until=now + dt.timedelta(seconds=cfg["NOTIFY_LEASE_SECONDS"]))
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    if claimed != 1:
        return False  # another worker has it, or it is no longer due
    d = db.session.get(Delivery, delivery_id)
    faults.pause_point("delivery:sending")  # kill tests: claimed, not yet sent
    try:
        send(d)
    except Exception as exc:  # noqa: BLE001 — any failure of the channel: record it, retry later
        db.session.rollback()
        d = db.session.get(Delivery, delivery_id)
        d.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        d.lease_until = None
        if d.attempts >= cfg["NOTIFY_MAX_ATTEMPTS"]:
            d.status = DeliveryStatus.FAILED
            log.error("delivery %s failed for good after %s attempts: %s", d.id, d.attempts, d.last_error)
        else:
            wait = cfg["NOTIFY_RETRY_SECONDS"] * 2 ** (d.attempts - 1)
            d.status, d.next_attempt_at = DeliveryStatus.PENDING, real_now() + dt.timedelta(seconds=wait)
            enqueue("dispatch", delay=wait + 0.5)
        db.session.commit()
        return False
    d.status, d.sent_at, d.lease_until, d.last_error = DeliveryStatus.SENT, real_now(), None, None
    db.session.commit()
    return True


def send(d: Delivery) -> None:
    note = d.notification
    if d.channel == Channel.EMAIL:
        if current_app.config.get("MAIL_BACKEND", "smtp") == "smtp" and not current_app.config.get("MAIL_SERVER"):
            raise RuntimeError("未配置邮件服务器（MAIL_SERVER）")
        body = note.body
        if note.link and absolute(note.link) not in body:
            body += "\n" + absolute(note.link)
        body += "\n\n——本邮件由推荐评选系统自动发送，请勿直接回复。"
        host = current_app.config.get("PUBLIC_URL", "").split("//")[-1].split("/")[0].split(":")[0] or socket.getfqdn()
        msg = EmailMessage(subject=note.subject, body=body, to=[d.address],
                           headers={"Message-ID": f"<nominate-delivery-{d.id}@{host}>"})
        msg.send(fail_silently=False)
    else:
        sms.backend().send(d.address, note.sms_text or note.subject, template=note.kind)


register_task("dispatch", dispatch, name="dispatch_outbox", retries=3, retry_delay=10)
register_task("sweep", dispatch, name="sweep_outbox", schedule="JOBS_SWEEP_SCHEDULE")
