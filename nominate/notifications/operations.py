"""Writing notices: called by the one operation that writes the audit row, in its transaction.

A notice is a Notification row per recipient (the in-app 消息) plus one Delivery row per chosen channel
(the outbox). Nothing is sent here: after the commit the worker is woken to deliver the outbox, so a
rolled-back event sends nothing and a dead worker loses nothing."""
from __future__ import annotations

from flask import current_app, has_request_context, url_for

from nominate.accounts.models import NOMINATING_ROLES, Role, User
from nominate.core import clock
from nominate.extensions import db
from nominate.nominations import permissions as nperm
from nominate.notifications.models import Channel, Delivery, Notification, UserContact
from nominate.notifications.notices import render
from nominate.organisations.models import Organisation, OrgKind

LINKS = {  # link name -> (endpoint, argument from the subject)
    "nomination": ("nominations.show", "nomination_id"),
    "opinions": ("opinions.inbox", None),
    "batches": ("batches.dashboard", None),
    "province_batches": ("office.batches", None),
    "publicity": ("publicity.index", None),
}
PUBLICITY_LEVEL = {"unit": "本单位公示", "province": "省级公示", "national": "全国公示"}


def link_for(name: str | None, nomination=None) -> str | None:
    """The path of the page where the action is done (relative: the e-mail makes it absolute)."""
    if not name:
        return None
    endpoint, arg = LINKS[name]
    args = {arg: nomination.id} if arg and nomination is not None else {}
    if has_request_context():
        return url_for(endpoint, **args)
    with current_app.test_request_context():
        return url_for(endpoint, **args)


def absolute(link: str | None) -> str:
    return (current_app.config.get("PUBLIC_URL", "").rstrip("/") + link) if link else ""


# --- who ---------------------------------------------------------------------------------------------

def _active(q):
    return list(db.session.scalars(q.where(User.active.is_(True)).order_by(User.id)))


def audience(name: str, *, nomination=None, campaign=None, organisation=None) -> list[User]:
    """The users an audience name of the workflow file stands for."""
    if name == "owner" and nomination is not None:
        return _active(db.select(User).where(User.organisation_id == nomination.owner_org_id,
                                             User.role.in_(NOMINATING_ROLES)))
    if name == "office":
        province_id = campaign.province_id if campaign is not None else nomination.campaign.province_id
        return _active(db.select(User).where(User.organisation_id == province_id, User.role == Role.PROVINCE_OFFICE))
    if name == "ministry":
        return _active(db.select(User).join(Organisation, User.organisation_id == Organisation.id)
                       .where(User.role == Role.MINISTRY, Organisation.kind == OrgKind.MINISTRY))
    if name == "opinion_signers" and nomination is not None:
        from nominate.opinions.models import OpinionStatus

        waiting = [o for o in nomination.opinions if o.status == OpinionStatus.PENDING]
        signers = _active(db.select(User).where(User.role.in_(list(nperm.SIGNER_SLOT))))
        return [u for u in signers if any(nperm.can_sign(u, o) for o in waiting)]
    if name == "organisation" and organisation is not None:
        return _active(db.select(User).where(User.organisation_id == organisation.id, User.role.in_(NOMINATING_ROLES)))
    return []


def _may_be_told(user, nomination, actor) -> bool:
    if actor is not None and getattr(actor, "id", None) == user.id:
        return False  # nobody is told of what they did themselves
    if nomination is None:
        return True
    return not nperm.is_nominee(user, nomination) and nperm.can_view(user, nomination)


# --- what --------------------------------------------------------------------------------------------

def _values(nomination=None, **extra) -> dict:
    values = {}
    if nomination is not None:
        values.update(nomination=f"{nomination.owner_org.short_name} {nomination.name}（{nomination.kind_label}）",
                      org=nomination.owner_org.short_name, campaign=nomination.campaign.title)
    values.update({k: v for k, v in extra.items() if v is not None})
    return values


def _signer_slot(user, nomination) -> str:
    from nominate.opinions.models import OpinionSlot

    slot = nperm.SIGNER_SLOT.get(user.role)
    return OpinionSlot.label_of(slot) if slot else "意见"


def write(user: User, notice: str, values: dict, *, link=None, nomination=None, campaign_id=None, batch_id=None,
          period_id=None, dedupe_key=None) -> Notification | None:
    """One notice to one user, with its outbox rows; None when ``dedupe_key`` was already written."""
    if dedupe_key and db.session.scalar(db.select(Notification.id).filter_by(user_id=user.id, dedupe_key=dedupe_key)):
        return None
    values = {**values, "link": absolute(link)}
    if nomination is not None and "verdict_slot" not in values:
        values["verdict_slot"] = _signer_slot(user, nomination)
    subject, body, sms = render(notice, values)
    note = Notification(user_id=user.id, kind=notice, subject=subject[:200], body=body, sms_text=sms[:300] or None,
                        link=link, nomination_id=getattr(nomination, "id", None),
                        campaign_id=campaign_id or getattr(nomination, "campaign_id", None), batch_id=batch_id,
                        period_id=period_id, dedupe_key=dedupe_key, created_at=clock.now())
    db.session.add(note)
    contact = db.session.get(UserContact, user.id)
    if contact is not None:
        if contact.email and contact.email_enabled:
            note.deliveries.append(Delivery(channel=Channel.EMAIL, address=contact.email, next_attempt_at=real_now()))
        if contact.mobile and contact.sms_enabled:
            note.deliveries.append(Delivery(channel=Channel.SMS, address=contact.mobile, next_attempt_at=real_now()))
    if note.deliveries:
        db.session.info["outbox_written"] = True  # wake the worker after the commit
    return note


def real_now():
    import datetime as dt

    return dt.datetime.now(clock.SHANGHAI)


def _notify(specs, *, actor, nomination=None, campaign=None, organisation=None, values=None, shared=None,
            batch_id=None, period_id=None, action_key="") -> list[Notification]:
    written = []
    groups = shared.notices if shared is not None else {}
    for spec in specs:
        to = spec.get("to") or []
        to = [to] if isinstance(to, str) else to
        users: dict[int, User] = {}
        for name in to:
            for u in audience(name, nomination=nomination, campaign=campaign, organisation=organisation):
                if _may_be_told(u, nomination, actor):
                    users.setdefault(u.id, u)
        group = spec.get("group")
        group_id = {"batch": batch_id, "period": period_id}.get(group) if group else None
        link = link_for(spec.get("link", "nomination" if nomination is not None else None), nomination)
        for user in users.values():
            key = (user.id, spec["notice"], group, group_id)
            if group_id is not None and key in groups:
                note, names, vals = groups[key]  # one notice per batch/period: list every nominee in it
                names.append(nomination.name)
                vals = {**vals, "nomination": f"{nomination.owner_org.short_name} {'、'.join(names)}",
                        "link": absolute(note.link),
                        "verdict_slot": _signer_slot(user, nomination)}
                note.subject, note.body, sms = (t[:200] if i == 0 else t for i, t in
                                                enumerate(render(spec["notice"], vals)))
                note.sms_text = sms[:300] or None
                note.nomination_id = None  # about several nominations: the batch/period names it
                continue
            note = write(user, spec["notice"], values or {}, link=link, nomination=nomination,
                         campaign_id=getattr(campaign, "id", None), batch_id=batch_id, period_id=period_id)
            if note is not None:
                written.append(note)
                if group_id is not None:
                    groups[key] = (note, [nomination.name], dict(values or {}))
    return written


def notify_event(ctx) -> list[Notification]:
    """The notices of one fired event, as its transition's ``notify:`` says (called by fire_event)."""
    specs = getattr(ctx.transition, "notify", ())
    if not specs:
        return []
    nom = ctx.nomination
    starts = getattr(ctx.transition, "starts_publicity", None)
    level = starts or getattr(ctx.transition, "finishes_publicity", None)
    period = ctx.shared.periods.get(level) if level else None
    if period is None and level is not None:
        from nominate.publicity.queries import current_period

        period = current_period(nom, level)
    comment = ctx.comment
    if period is not None and starts:
        comment = f"公示时间：{period.start_date:%Y年%m月%d日}至{period.end_date:%Y年%m月%d日}"
    values = _values(nom, action=ctx.transition.label, comment=comment,
                     level=PUBLICITY_LEVEL.get(level, ""))
    return _notify(specs, actor=ctx.actor, nomination=nom, values=values, shared=ctx.shared,
                   batch_id=nom.batch_id, period_id=getattr(period, "id", None))


def notify_operation(action: str, actor, *, nomination=None, campaign=None, organisation=None,
                     **values) -> list[Notification]:
    """The notices of an operation that is not a workflow event (``operation_notices:`` in the workflow file)."""
    from nominate.workflow.machine import get_workflow

    campaign = campaign or getattr(nomination, "campaign", None)
    wf = get_workflow(campaign.workflow)
    specs = wf.operation_notices.get(action)
    if not specs:
        return []
    return _notify(specs, actor=actor, nomination=nomination, campaign=campaign, organisation=organisation,
                   values=_values(nomination, **values))


# --- reading and settings ------------------------------------------------------------------------------

def mark_read(user, notes) -> int:
    """Mark the user's own notices read (reading is the user's own business: no audit row)."""
    from nominate.core.errors import PermissionDenied
    from nominate.notifications.permissions import can_read

    n = 0
    for note in notes:
        if not can_read(user, note):
            raise PermissionDenied("只能标记本人的消息")
        if note.read_at is None:
            note.read_at = clock.now()
            n += 1
    db.session.flush()
    return n


def mark_all_read(user) -> int:
    import sqlalchemy as sa

    n = db.session.execute(sa.update(Notification).where(Notification.user_id == user.id,
                                                         Notification.read_at.is_(None))
                           .values(read_at=clock.now()).execution_options(synchronize_session=False)).rowcount
    db.session.flush()
    return n


def save_contact(actor, user, *, email=None, mobile=None, email_enabled=True, sms_enabled=False) -> UserContact:
    """A user's e-mail, mobile and chosen channels (their own, or the admin's for them); audited, masked."""
    import re

    from nominate.audit import operations as audit
    from nominate.core.errors import PermissionDenied, ValidationFailed
    from nominate.core.masking import mask_phone

    if actor.id != user.id and actor.role != Role.ADMIN:
        raise PermissionDenied("只能修改本人的联系方式")
    email = (email or "").strip() or None
    mobile = (mobile or "").strip().replace(" ", "").replace("-", "") or None
    if email and (len(email) > 120 or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email)):
        raise ValidationFailed("email_invalid", "电子邮箱格式不正确（例：name@example.gov.cn）", "email")
    if mobile and not re.fullmatch(r"1[3-9]\d{9}", mobile):
        raise ValidationFailed("mobile_invalid", "手机号码应为 11 位数字，以 1 开头", "mobile")
    if sms_enabled and not mobile:
        raise ValidationFailed("mobile_required", "选择短信通知须填写手机号码", "mobile")
    if email_enabled and not email:
        email_enabled = False
    contact = db.session.get(UserContact, user.id)
    if contact is None:
        contact = UserContact(user_id=user.id)
        db.session.add(contact)
    contact.email, contact.mobile = email, mobile
    contact.email_enabled, contact.sms_enabled = bool(email_enabled), bool(sms_enabled)
    audit.record(actor, "contact_saved", object_type="user", object_id=user.id,
                 data={"email": bool(email), "mobile": mask_phone(mobile) if mobile else None, "email_enabled": contact.email_enabled,
                       "sms_enabled": contact.sms_enabled})
    db.session.flush()
    return contact


def retry_delivery(actor, delivery: Delivery) -> Delivery:
    """The admin sends a failed delivery again (its attempts start over); audited."""
    from nominate.audit import operations as audit
    from nominate.core.errors import PermissionDenied, ValidationFailed
    from nominate.notifications.models import DeliveryStatus
    from nominate.notifications.permissions import can_oversee_jobs

    if not can_oversee_jobs(actor):
        raise PermissionDenied("只有系统管理员可以重新发送")
    if delivery.status != DeliveryStatus.FAILED:
        raise ValidationFailed("delivery_not_failed", "只有发送失败的消息可以重新发送", "status")
    delivery.status, delivery.attempts, delivery.next_attempt_at = DeliveryStatus.PENDING, 0, real_now()
    audit.record(actor, "delivery_retried", object_type="delivery", object_id=delivery.id)
    db.session.info["outbox_written"] = True
    db.session.flush()
    return delivery
