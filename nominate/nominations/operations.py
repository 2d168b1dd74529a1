"""Creating and editing nominations: every write validated, audited and flushed in one transaction."""
from __future__ import annotations

import datetime as dt
import io
from contextlib import contextmanager, nullcontext

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from nominate.audit import operations as audit
from nominate.core import clock
from nominate.core.cleaning import clean_text
from nominate.core.db import lock
from nominate.core.errors import DomainError, MultipleErrors, PermissionDenied, ValidationFailed
from nominate.extensions import db
from nominate.nominations import fields as F
from nominate.nominations import permissions
from nominate.nominations import standards
from nominate.nominations.enums import (Gender, NominationKind, UnitNature, WindowCategory,
                                        WindowLevel)
from nominate.nominations.models import PERSON_ONCE_WHERE, Nomination, NominationPhoto
from nominate.nominations.validation import (check_phone, check_postcode, deeds_problem, identity_problems,
                                             parse_id_number)
from nominate.organisations.models import OrgKind

ENUM_FIELDS = {"window_category": WindowCategory, "window_level": WindowLevel, "unit_nature": UnitNature,
               "gender": Gender}
DATE_FIELDS = {"birth_date", "work_start", "system_start", "window_start", "clean_record_attested_on"}
INT_FIELDS = {"staff_count"}
PHONE_FIELDS = {"phone", "leader_phone"}
#: NFKC-normalised on entry (full-width digits become ASCII); every other text is free text, only trimmed
IDENTIFIER_FIELDS = {"id_number", "postcode", *PHONE_FIELDS, *INT_FIELDS, *DATE_FIELDS}
TEXT_LIMITS = {"window_name": 120, "parent_unit_name": 120, "leader_name": 40, "leader_position": 120, "leader_title": 60,
               "address": 200, "person_name": 40, "degree": 40,
               "work_unit": 160, "position": 80, "professional_title": 40, "clean_record_attested_by": 80}


def clean_fields(data: dict, kind: str, campaign) -> dict:
    """Turn raw input into typed values; collect every field error (MultipleErrors)."""
    errors: list[DomainError] = []
    out: dict = {}
    data = _split_degree(data)
    for name, raw in data.items():
        spec = F.BY_NAME.get(name)
        if spec is None:
            errors.append(ValidationFailed("unknown_field", f"未知字段：{name}", name))
            continue
        if kind not in spec.kinds:
            errors.append(ValidationFailed("field_not_for_kind",
                                           f"{spec.label}不适用于{NominationKind.label_of(kind)}", name))
            continue
        try:
            value = clean_text(raw, name, spec.label, identifier=name in IDENTIFIER_FIELDS)
            out[name] = None if value in ("", None) else _clean_one(name, spec.label, value, campaign)
        except DomainError as exc:
            errors.append(exc)
    if errors:
        raise MultipleErrors(errors)
    return out


def _split_degree(data: dict) -> dict:
    """"大学本科 管理学学士" (one 学历学位 text, as older records and imports write it) is the 学历 and the 学位."""
    raw = data.get("education")
    if not isinstance(raw, str) or data.get("degree") not in (None, ""):
        return data
    edu, degree, _unknown = standards.split_education(raw)
    if edu and degree:
        return {**data, "education": edu, "degree": degree}
    return data


def _clean_one(name, label, value, campaign):
    rules = campaign.rules
    standard = standards.for_field(name)
    if standard is not None:
        if not isinstance(value, str) or standard.find(value) is None:
            raise ValidationFailed(f"{name}_invalid", standard.refusal(), name,
                                   details={"allowed": standard.names()})
        return standard.canonical(value)
    if name in ENUM_FIELDS:
        enum = ENUM_FIELDS[name]
        if isinstance(value, enum):
            return value
        for member in enum:
            if value in (member.value, member.label):
                return member
        raise ValidationFailed(f"{name}_invalid", f"{label}须为以下之一：{'、'.join(m.label for m in enum)}", name)
    if name in DATE_FIELDS:
        if isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, dt.date):
            try:
                value = dt.date.fromisoformat(str(value))
            except ValueError:
                raise ValidationFailed("date_invalid", f"{label}须为有效日期（YYYY-MM-DD）", name) from None
        if value > clock.today() or value.year < 1900:
            raise ValidationFailed("date_out_of_range", f"{label}不能晚于今天或早于1900年", name)
        return value
    if name in INT_FIELDS:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationFailed("number_invalid", f"{label}须为整数", name) from None
        if not 0 < number < 100000:
            raise ValidationFailed("number_out_of_range", f"{label}须为1至99999之间的整数", name)
        return number
    if not isinstance(value, str):
        raise ValidationFailed("text_invalid", f"{label}须为文本", name)
    if name == "id_number":
        return parse_id_number(value, name)[0]
    if name in PHONE_FIELDS:
        return check_phone(value, name, label)
    if name == "postcode":
        return check_postcode(value, name, label)
    if name == "admin_rank":
        if value not in rules.admin_ranks:
            raise ValidationFailed("admin_rank_invalid", f"行政级别须为以下之一：{'、'.join(rules.admin_ranks)}", name)
        return value
    if name == "main_deeds" or name == "brief_deeds":
        problem = deeds_problem(name, label, value, rules)
        if problem:
            raise ValidationFailed(*problem)
        return value
    limit = TEXT_LIMITS.get(name, 5000)
    if len(value) > limit:
        raise ValidationFailed("text_too_long", f"{label}最多 {limit} 个字符（当前 {len(value)} 个）", name)
    return value


def _cross_check(nom: Nomination, changed: dict) -> None:
    """身份证号 fills birth date and gender; entered values must agree with it."""
    if nom.kind != NominationKind.INDIVIDUAL or not nom.id_number:
        return
    problems, birth, gender = identity_problems(nom.id_number, changed.get("birth_date"),
                                                changed["gender"].value if changed.get("gender") else None)
    if problems:
        raise MultipleErrors([ValidationFailed(*p) for p in problems])
    nom.birth_date = birth
    nom.gender = Gender(gender)


def _other_nomination_of_person(nom: Nomination) -> Nomination | None:
    """Another live individual nomination of the same person (same 身份证号) in the same campaign."""
    if nom.kind != NominationKind.INDIVIDUAL or not nom.id_number:
        return None
    campaign_id = nom.campaign_id if nom.campaign_id is not None else nom.campaign.id  # not flushed yet
    return _other_of(campaign_id, nom.id_number, nom.id)


def _other_of(campaign_id: int, id_number: str, own_id: int | None) -> Nomination | None:
    # exactly the rows the partial unique index covers (its predicate, not a copy of the state names)
    q = db.select(Nomination.id).where(Nomination.campaign_id == campaign_id, Nomination.id_number == id_number,
                                       sa.text(PERSON_ONCE_WHERE))
    if own_id is not None:
        q = q.where(Nomination.id != own_id)
    with db.session.no_autoflush:  # the new row is not written before the question is answered
        other = db.session.scalars(q.limit(1)).first()
        return db.session.get(Nomination, other) if other is not None else None


def _duplicate_person(other: Nomination) -> ValidationFailed:
    return ValidationFailed(
        "id_number_duplicate",
        f"此人已是本次评选的推荐对象：{other.owner_org.name}推荐的“{other.person_name}”（推荐对象编号 {other.id}，"
        f"{other.state_label}）。同一人在一次评选中只能作为先进个人被推荐一次（已撤回的除外）", "id_number")


def _check_one_person_once(nom: Nomination) -> None:
    other = _other_nomination_of_person(nom)
    if other is not None:
        raise _duplicate_person(other)


@contextmanager
def _person_savepoint():
    """A savepoint opened *before* the row is pending or changed, flushed at the end of the block.

    The partial unique index (campaign, 身份证号) settles two simultaneous entries of one person that the
    check before it cannot see. ``begin_nested`` flushes whatever is pending before it sets the SAVEPOINT,
    so the savepoint must exist before the nomination is created or edited: the refused INSERT/UPDATE then
    rolls back to it alone and the loser is told which nomination holds the person (never a 500)."""
    savepoint = db.session.begin_nested()
    probe: dict = {}
    try:
        yield probe
        probe.update(_probe(probe.get("nom")))
        db.session.flush()
    except IntegrityError:
        savepoint.rollback()
        if not probe.get("id_number"):
            raise
        other = _other_of(probe["campaign_id"], probe["id_number"], probe["id"])
        if other is None:
            raise
        raise _duplicate_person(other) from None
    except BaseException:
        if savepoint.is_active:
            savepoint.rollback()
        raise
    else:
        savepoint.commit()


def _probe(nom: Nomination | None) -> dict:
    """What identifies the person, read before the flush (a rolled-back savepoint expires the row)."""
    if nom is None or nom.kind != NominationKind.INDIVIDUAL or not nom.id_number:
        return {}
    with db.session.no_autoflush:
        campaign_id = nom.campaign_id if nom.campaign_id is not None else nom.campaign.id
    return {"campaign_id": campaign_id, "id_number": nom.id_number, "id": nom.id}


def default_cadre_authority(org):
    """城市 nominees: the city's 纪检监察/组织人事; 省直 nominees: the province's."""
    if org.kind == OrgKind.PROVINCIAL_UNIT:
        return org.province
    return org


def create_nomination(campaign, actor, kind: str, data: dict) -> Nomination:
    """A city (or 省直 unit) enters a new nominee as a draft."""
    if not permissions.can_create_in(actor, campaign):
        raise PermissionDenied("只有本省的市级人社部门或省直单位可以新增推荐对象")
    try:
        kind_enum = NominationKind(kind)
    except ValueError:
        raise ValidationFailed("kind_invalid", "推荐类别须为 window（优质服务窗口）或 individual（优质服务先进个人）",
                               "kind") from None
    values = clean_fields(data, kind_enum.value, campaign)
    if not any(v is not None for v in values.values()):
        name = "window_name" if kind_enum == NominationKind.WINDOW else "person_name"
        raise ValidationFailed("draft_empty", f"未填写任何内容，未保存：请至少填写{F.label(name)}后再保存草稿", name)
    org = actor.organisation
    cadre_org_id = default_cadre_authority(org).id
    with _person_savepoint() as probe:
        nom = Nomination(campaign=campaign, kind=kind_enum, owner_org=org,
                         cadre_authority_org_id=cadre_org_id, created_by_id=actor.id)
        for k, v in values.items():
            setattr(nom, k, v)
        _cross_check(nom, values)
        _check_one_person_once(nom)
        db.session.add(nom)
        probe["nom"] = nom
    audit.record(actor, "create", object_type="nomination", nomination=nom, to_state=nom.state,
                 data={"kind": kind_enum.value, "fields": sorted(values)})
    return nom


def update_nomination(nom: Nomination, actor, data: dict) -> Nomination:
    """Change fields while the nomination is editable; the audit row lists the changed fields."""
    if not permissions.can_edit(actor, nom):
        raise PermissionDenied(f"推荐对象当前状态为“{nom.state_label}”，您不能修改")
    values = clean_fields(data, nom.kind.value, nom.campaign)
    changed = {k: v for k, v in values.items() if getattr(nom, k) != v}
    # Only a new 身份证号 can meet the partial unique index (campaign, 身份证号): other edits change
    # neither of its columns nor the state its predicate reads, so they need no savepoint (and no flush
    # of their own: they are written with the caller's transaction).
    with _person_savepoint() if "id_number" in changed else nullcontext({}) as probe:
        for k, v in changed.items():
            setattr(nom, k, v)
        _cross_check(nom, changed)
        if "id_number" in changed:
            _check_one_person_once(nom)
        probe["nom"] = nom
    if changed:
        audit.record(actor, "update", object_type="nomination", nomination=nom,
                     data={"changed": sorted(changed)})
    return nom


def delete_draft(nom: Nomination, actor, reason: str | None = None) -> Nomination:
    """Its organisation deletes an unsubmitted draft: hidden everywhere, 身份证号 and phones cleared (the person may
    be entered again), the row kept for the audit trail; one audit row, one transaction."""
    if not (permissions.is_owner(actor, nom) and not permissions.is_nominee(actor, nom)):
        raise PermissionDenied("只有推荐单位可以删除本单位的草稿")
    locked = lock(Nomination, nom.id)  # two clicks delete once
    if locked.deleted_at is not None:
        raise ValidationFailed("already_deleted", "该草稿已删除", "state")
    if not permissions.can_delete(actor, locked):
        raise ValidationFailed("not_deletable", f"推荐对象当前状态为“{locked.state_label}”：只有尚未开始公示的草稿可以删除，"
                                                "已开始办理的推荐对象可“撤回”", "state")
    audit.record(actor, "draft_deleted", object_type="nomination", nomination=locked, from_state=locked.state,
                 comment=(reason or "").strip() or None, data={"name": locked.name, "kind": locked.kind.value})
    locked.deleted_at = clock.now()
    locked.id_number = locked.phone = locked.leader_phone = None
    if locked.photo is not None:
        db.session.delete(locked.photo)
    db.session.flush()
    return locked


PHOTO_RATIO = 35 / 49  # 二寸 photo: 35 mm × 49 mm
PHOTO_RATIO_TOLERANCE = 0.06
PHOTO_MIN_SIZE = (260, 364)
PHOTO_MAX_PIXELS = 40_000_000  # far above any ID photo; larger claims are refused before decoding (bombs)


def upload_photo(nom: Nomination, actor, raw: bytes, max_bytes: int) -> NominationPhoto:
    """Sniff and decode with Pillow, check 二寸 proportions, re-encode as JPEG."""
    from PIL import Image, UnidentifiedImageError

    if not permissions.can_edit(actor, nom):
        raise PermissionDenied("当前状态下不能上传照片")
    if nom.kind != NominationKind.INDIVIDUAL:
        raise ValidationFailed("photo_not_for_window", "只有先进个人需要上传证件照", "photo")
    if len(raw) > max_bytes:
        raise ValidationFailed("photo_too_large", f"照片文件不能超过 {max_bytes // 1024 // 1024} MB", "photo")
    try:
        with Image.open(io.BytesIO(raw)) as img:
            if img.format not in ("JPEG", "PNG"):
                raise ValidationFailed("photo_format", "照片须为 JPEG 或 PNG 图片", "photo")
            if img.width * img.height > PHOTO_MAX_PIXELS:
                raise ValidationFailed("photo_too_many_pixels",
                                       f"照片像素过多（{img.width}×{img.height}），请上传普通证件照", "photo")
            img.load()
            rgb = img.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationFailed("photo_unreadable", "无法识别的图片文件", "photo") from None
    w, h = rgb.size
    if w < PHOTO_MIN_SIZE[0] or h < PHOTO_MIN_SIZE[1]:
        raise ValidationFailed("photo_too_small", f"照片分辨率过低（{w}×{h}），至少 {PHOTO_MIN_SIZE[0]}×{PHOTO_MIN_SIZE[1]} 像素", "photo")
    if abs(w / h - PHOTO_RATIO) > PHOTO_RATIO * PHOTO_RATIO_TOLERANCE:
        raise ValidationFailed("photo_ratio", f"照片须为二寸证件照比例（宽:高 = 35:49），当前 {w}×{h}", "photo")
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=90)
    photo = nom.photo or NominationPhoto(nomination=nom)
    photo.content, photo.mime, photo.width, photo.height = out.getvalue(), "image/jpeg", w, h
    photo.uploaded_at = clock.now()
    db.session.add(photo)
    audit.record(actor, "photo_uploaded", object_type="nomination", nomination=nom, data={"size": [w, h]})
    db.session.flush()
    return photo


def submit_formal_materials(nom: Nomination, actor) -> Nomination:
    """The city declares the formal materials complete (before the formal deadline): the workflow's
    ``formal_submission`` event, fired through the engine (guards, audit row); the state stays."""
    from nominate.workflow.engine import fire_event

    if not permissions.is_owner(actor, nom) or permissions.is_nominee(actor, nom):
        raise PermissionDenied("只有推荐单位可以报送正式推荐材料")
    event = nom.workflow.event_tagged("formal_submission")
    if nom.state.value not in event.sources:
        raise ValidationFailed("state_invalid", f"推荐对象当前状态为“{nom.state_label}”，不在正式材料阶段", "state")
    return fire_event(nom, event.event, actor, internal=True)
