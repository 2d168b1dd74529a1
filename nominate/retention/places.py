"""The places where a nominee's personal data lives, each able to preview and anonymise it.

A place is registered once, at import, with ``register``; the retention command asks every registered
place. An area that keeps a copy of a nominee's data (rendered-document caches, stored bundles,
notification and e-mail bodies) registers its own place, so the command reaches it without a change here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import sqlalchemy as sa

from nominate.audit.models import AuditEvent
from nominate.core.masking import mask_text
from nominate.extensions import db
from nominate.honours.models import Honour, HonourImport
from nominate.jobs.models import BundleJob, JobStatus
from nominate.nominations.enums import NominationKind
from nominate.nominations.models import Nomination, NominationPhoto
from nominate.nominations.permissions import person_key
from nominate.notifications.models import Notification
from nominate.opinions.models import Opinion
from nominate.publicity.models import Objection, PublicityEntry, PublicityNotice


@dataclass
class Selection:
    """The nominations whose personal data goes, with what identifies their people (read before any change)."""

    nominations: list[Nomination]
    id_numbers: set[str] = field(default_factory=set)
    #: person keys of people whose data must stay elsewhere (another nomination that is kept)
    kept_keys: set[str] = field(default_factory=set)

    @property
    def ids(self) -> list[int]:
        return [n.id for n in self.nominations]

    @property
    def keys(self) -> set[str]:
        return {person_key(n) for n in self.id_numbers} - self.kept_keys


@dataclass(frozen=True)
class Place:
    key: str
    label: str
    #: how many items would change (rows, files, entries)
    preview: Callable[[Selection], int]
    #: change them; returns how many changed. None: a place that is only checked (it must hold no copy).
    anonymise: Callable[[Selection], int] | None = None
    #: tables whose old row versions PostgreSQL should drop after the change (VACUUM FULL)
    tables: tuple[str, ...] = ()


PLACES: dict[str, Place] = {}


def register(place: Place) -> Place:
    PLACES[place.key] = place
    return place


# --- 推荐对象: 身份证号 and phones -------------------------------------------------------------------

def _with_personal_fields(sel: Selection):
    return [n for n in sel.nominations if n.id_number or n.phone or n.leader_phone]


def _clear_fields(sel: Selection) -> int:
    changed = _with_personal_fields(sel)
    for n in changed:
        n.id_number = n.phone = n.leader_phone = None
    return len(changed)


register(Place("nomination_fields", "推荐对象的身份证号、联系电话（窗口负责人电话）",
               lambda sel: len(_with_personal_fields(sel)), _clear_fields, ("nominations",)))


# --- 推荐对象照片 --------------------------------------------------------------------------------------

def _photos(sel: Selection):
    return db.select(NominationPhoto).where(NominationPhoto.nomination_id.in_(sel.ids))


def _delete_photos(sel: Selection) -> int:
    photos = db.session.scalars(_photos(sel)).all()
    for photo in photos:
        photo.nomination.photo = None  # delete-orphan
    db.session.flush()
    return len(photos)


register(Place("nomination_photos", "推荐对象的二寸照片",
               lambda sel: _count(_photos(sel)), _delete_photos, ("nomination_photos",)))


# --- 荣誉库: the person's 身份证号 copy and the uploaded scans (证明材料) ---------------------------------

def _honours(sel: Selection):
    if not sel.keys:
        return db.select(Honour).where(sa.false())
    return db.select(Honour).where(Honour.holder_key.in_(sel.keys),
                                   sa.or_(Honour.id_number.is_not(None), Honour.evidence.has()))


def _clear_honours(sel: Selection) -> int:
    honours = db.session.scalars(_honours(sel)).all()
    for honour in honours:
        honour.id_number = None
        honour.evidence = None  # delete-orphan: the scan goes with it
    db.session.flush()
    return len(honours)


register(Place("honour_records", "荣誉库中本人的身份证号与上传的证明材料扫描件",
               lambda sel: _count(_honours(sel)), _clear_honours, ("honours", "honour_evidence")))


# --- 公示通知扫描件: the scanned notice of a unit publicity recorded after it started ------------------------

def _publicity_notices(sel: Selection):
    """Notices of publicity periods that list only nominees of the selection (a notice naming a kept nominee stays)."""
    if not sel.ids:
        return db.select(PublicityNotice).where(sa.false())
    others = db.select(PublicityEntry.period_id).where(PublicityEntry.nomination_id.not_in(sel.ids))
    return db.select(PublicityNotice).where(PublicityNotice.period_id.in_(
        db.select(PublicityEntry.period_id).where(PublicityEntry.nomination_id.in_(sel.ids))),
        PublicityNotice.period_id.not_in(others))


def _delete_publicity_notices(sel: Selection) -> int:
    notices = db.session.scalars(_publicity_notices(sel)).all()
    for notice in notices:
        db.session.delete(notice)
    db.session.flush()
    return len(notices)


register(Place("publicity_notices", "补登公示时上传的公示通知扫描件",
               lambda sel: _count(_publicity_notices(sel)), _delete_publicity_notices, ("publicity_notices",)))


# --- free text where someone may have typed a number (deeds, remarks, opinions, objections) ----------

def _texts(sel: Selection):
    """(row, attribute) pairs of free text that still holds a full 身份证号 or mobile number."""
    out = []
    for n in sel.nominations:
        out += [(n, a) for a in ("main_deeds", "brief_deeds", "remarks", "rank_justification")]
    opinions = db.session.scalars(db.select(Opinion).where(Opinion.nomination_id.in_(sel.ids))).all()
    out += [(o, "text") for o in opinions]
    objections = db.session.scalars(db.select(Objection).where(Objection.nomination_id.in_(sel.ids))).all()
    out += [(o, a) for o in objections for a in ("content", "investigation")]
    return [(row, a) for row, a in out if getattr(row, a) and mask_text(getattr(row, a)) != getattr(row, a)]


def _mask_texts(sel: Selection) -> int:
    found = _texts(sel)
    for row, attr in found:
        setattr(row, attr, mask_text(getattr(row, attr)))
    return len(found)


register(Place("free_text", "事迹、备注、意见和异议文字中写入的身份证号、手机号（改为脱敏形式）",
               lambda sel: len(_texts(sel)), _mask_texts, ("nominations", "opinions", "objections")))


# --- 异议人联系方式: the objector's contact, kept while the nominee's file is kept -------------------------

def _objections(sel: Selection):
    return db.select(Objection).where(Objection.nomination_id.in_(sel.ids), Objection.objector_contact.is_not(None))


def _clear_objector_contacts(sel: Selection) -> int:
    rows = db.session.scalars(_objections(sel)).all()
    for o in rows:
        o.objector_contact = None
    return len(rows)


register(Place("objector_contacts", "针对这些推荐对象的异议人联系方式",
               lambda sel: _count(_objections(sel)), _clear_objector_contacts, ("objections",)))


# --- 荣誉导入暂存: uploaded sheets (they hold numbers) whose preview expired and were never committed ------

def _expired_stashes(_sel: Selection):
    import datetime as dt

    from nominate.core import clock
    from nominate.honours.importer import STASH_HOURS

    return db.select(HonourImport).where(HonourImport.created_at < clock.now() - dt.timedelta(hours=STASH_HOURS))


def _delete_stashes(sel: Selection) -> int:
    stale = db.session.scalars(_expired_stashes(sel)).all()
    for stash in stale:
        db.session.delete(stash)
    return len(stale)


register(Place("honour_import_stashes", "过期未提交的荣誉导入文件（表中有身份证号）",
               lambda sel: _count(_expired_stashes(sel)), _delete_stashes, ("honour_imports",)))


# --- 消息: notification subjects, bodies and SMS texts about these nominees ---------------------------

def _notices(sel: Selection):
    if not sel.ids:
        return []
    return db.session.scalars(db.select(Notification).where(Notification.nomination_id.in_(sel.ids))).all()


def _notice_texts(notice) -> tuple:
    return notice.subject, notice.body, notice.sms_text


def _unmasked_notices(sel: Selection):
    """Notices about these nominees whose texts still hold a number that masking would hide (a typed reason
    quoting a phone, say); e-mails and SMS are sent from these rows, so they are the one copy to clean."""
    return [n for n in _notices(sel)
            if any(t and mask_text(t) != t for t in _notice_texts(n))
            or any(num in (t or "") for num in sel.id_numbers for t in _notice_texts(n))]


def _mask_notices(sel: Selection) -> int:
    changed = _unmasked_notices(sel)
    for n in changed:
        for attr in ("subject", "body", "sms_text"):
            value = getattr(n, attr)
            if value:
                for num in sel.id_numbers:
                    value = value.replace(num, mask_text(num))
                setattr(n, attr, mask_text(value))
    return len(changed)


register(Place("notification_texts", "关于这些推荐对象的消息、邮件和短信正文中的身份证号、电话（改为脱敏形式）",
               lambda sel: len(_unmasked_notices(sel)), _mask_notices, ("notifications",)))


# --- stored bundles (后台生成的材料包): every file of the campaign holds these nominees' tables -----------

def _stored_bundles(sel: Selection):
    campaigns = {n.campaign_id for n in sel.nominations}
    if not campaigns:
        return []
    return db.session.scalars(db.select(BundleJob).where(BundleJob.campaign_id.in_(campaigns),
                                                         BundleJob.file_path.is_not(None))).all()


def _delete_bundles(sel: Selection) -> int:
    """Remove the files (a bundle holds 附件3 with full 身份证号 and the photos); the row stays as a record."""
    jobs = _stored_bundles(sel)
    for job in jobs:
        Path(job.file_path).unlink(missing_ok=True)
        job.status, job.file_path = JobStatus.EXPIRED, None
    return len(jobs)


register(Place("stored_bundles", "后台生成并保存的材料包文件（含推荐审批表、照片）",
               lambda sel: len(_stored_bundles(sel)), _delete_bundles, ("bundle_jobs",)))


# --- the audit trail: append-only, masked when written; checked, never changed -----------------------

def _audit_rows_with_numbers(sel: Selection) -> int:
    if not sel.id_numbers:
        return 0
    text = sa.cast(AuditEvent.data, sa.Text)
    hits = sa.or_(*[sa.or_(AuditEvent.comment.contains(n, autoescape=True), text.contains(n, autoescape=True))
                    for n in sel.id_numbers])
    return _count(db.select(AuditEvent.id).where(hits))


register(Place("audit_trail", "审计记录（只增不改，写入时已脱敏；此处只核查其中没有完整身份证号）",
               _audit_rows_with_numbers))


def _count(select) -> int:
    return db.session.scalar(db.select(sa.func.count()).select_from(select.order_by(None).subquery()))


def selection_for(nominations: list[Nomination]) -> Selection:
    """The selection of ``nominations``, with the people whose data another, kept nomination still needs."""
    ids = {n.id for n in nominations}
    numbers = {n.id_number for n in nominations if n.kind == NominationKind.INDIVIDUAL and n.id_number}
    kept = db.session.scalars(db.select(Nomination.id_number).where(
        Nomination.id_number.in_(numbers), Nomination.id.not_in(ids))).all() if numbers else []
    return Selection(nominations, numbers, {person_key(n) for n in kept})
