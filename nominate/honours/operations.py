"""Writing the register: entering honours, evidence, links to nominations; each write audited and flushed.

The request (or the import) commits once around these operations (nominate.core.db.unit_of_work).
"""
from __future__ import annotations

import sqlalchemy as sa

from nominate.audit import operations as audit
from nominate.core.db import MAX_ID
from nominate.core import clock
from nominate.core.cleaning import clean_text
from nominate.core.errors import DomainError, MultipleErrors, PermissionDenied, ValidationFailed
from nominate.extensions import db
from nominate.honours import permissions
from nominate.honours.models import (HolderKind, Honour, HonourEvidence, HonourKind, HonourLevel, HonourLink,
                                     LinkStatus, unit_key)
from nominate.honours.queries import link_rows_by_nomination, matches, matching_nominations
from nominate.nominations.models import Nomination
from nominate.nominations.permissions import person_key
from nominate.nominations.validation import parse_id_number
from nominate.organisations.models import Organisation

LABELS = {
    "holder_kind": "持有人类别", "person_name": "姓名", "id_number": "身份证号", "unit_name": "窗口（单位）名称",
    "organisation": "所属单位", "title": "荣誉名称", "level": "级别", "kind": "类别", "competition": "比赛名称",
    "year": "年度", "rank": "名次（等次）", "issuing_body": "颁发单位", "document_number": "文号",
}
TEXT_LIMITS = {"person_name": 40, "unit_name": 120, "title": 120, "competition": 120, "rank": 40,
               "issuing_body": 120, "document_number": 80}
ENUMS = {"holder_kind": HolderKind, "level": HonourLevel, "kind": HonourKind}
PRIZE_KINDS = {HonourKind.INDIVIDUAL_RANK, HonourKind.TEAM_PRIZE}
EARLIEST_YEAR = 1949
EVIDENCE_TYPES = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


#: NFKC-normalised (full-width digits become ASCII); the other texts are free text, only trimmed
IDENTIFIERS = {"id_number", "year"}


def _text(raw, name: str | None = None) -> str:
    """The one cleaning step (control, zero-width and bidi characters refused, naming the field) for a value
    from a form, the API or a sheet cell."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return clean_text(str(raw), name, LABELS.get(name or ""), identifier=name in IDENTIFIERS)


def _enum(name, raw):
    enum = ENUMS[name]
    value = _text(getattr(raw, "value", raw), name)
    for member in enum:
        # "省级" or "省", the stable key, or the label
        if value in (member.value, member.label, member.label.rstrip("级")):
            return member
    if not value:
        raise ValidationFailed(f"{name}_required", f"请填写{LABELS[name]}", name)
    raise ValidationFailed(f"{name}_invalid", f"{LABELS[name]}须为以下之一：{'、'.join(m.label for m in enum)}"
                                              f"（当前为“{value}”）", name)


def _year(raw) -> int:
    value = _text(raw, "year").removesuffix("年")
    if not value:
        raise ValidationFailed("year_required", "请填写年度", "year")
    if not value.isdigit():
        raise ValidationFailed("year_invalid", f"年度须为四位数字年份（当前为“{value}”）", "year")
    year = int(value)
    if not EARLIEST_YEAR <= year <= clock.today().year:
        raise ValidationFailed("year_out_of_range", f"年度须在 {EARLIEST_YEAR} 年至今年之间（当前为 {year}）", "year")
    return year


def resolve_organisation(actor, raw) -> Organisation:
    """所属单位 by id, code, full or short name; it must lie in the actor's part of the tree."""
    if isinstance(raw, Organisation):
        org = raw
    else:
        value = _text(raw, "organisation")
        if not value:
            raise ValidationFailed("organisation_required", "请填写所属单位", "organisation")
        cond = [Organisation.code == value, Organisation.name == value, Organisation.short_name == value]
        if value.isdigit() and 0 < int(value) <= MAX_ID:  # a huge number is just no such id
            cond.append(Organisation.id == int(value))
        found = db.session.scalars(sa.select(Organisation).where(sa.or_(*cond))).all()
        if not found:
            raise ValidationFailed("organisation_unknown", f"所属单位“{value}”不存在：请填写系统中的单位全称、简称或代码",
                                   "organisation")
        if len(found) > 1:
            raise ValidationFailed("organisation_ambiguous", f"所属单位“{value}”对应多个单位：请填写单位全称或代码",
                                   "organisation")
        org = found[0]
    if not permissions.can_enter_for(actor, org):
        raise ValidationFailed("organisation_out_of_scope", f"所属单位“{org.name}”不在本单位管辖范围内", "organisation")
    return org


def clean_honour(actor, raw: dict) -> dict:
    """Turn raw input (form, API or sheet row) into the columns of an Honour; report every field error at once."""
    errors: list[DomainError] = []
    out: dict = {}

    def attempt(name, fn):
        try:
            out[name] = fn()
        except DomainError as exc:
            errors.append(exc)

    for name in ENUMS:
        attempt(name, lambda name=name: _enum(name, raw.get(name)))
    attempt("year", lambda: _year(raw.get("year")))
    attempt("organisation", lambda: resolve_organisation(actor, raw.get("organisation")))
    for name, limit in TEXT_LIMITS.items():
        try:
            value = _text(raw.get(name), name)
        except DomainError as exc:
            errors.append(exc)
            out[name] = None
            continue
        if len(value) > limit:
            errors.append(ValidationFailed("text_too_long", f"{LABELS[name]}最多 {limit} 个字符（当前 {len(value)} 个）",
                                           name))
        out[name] = value or None
    out["competition"] = out["competition"] or ""
    if not out["title"]:
        errors.append(ValidationFailed("title_required", "请填写荣誉名称", "title"))

    holder, kind = out.get("holder_kind"), out.get("kind")
    if holder == HolderKind.PERSON:
        out["unit_name"] = None
        if not out["person_name"]:
            errors.append(ValidationFailed("person_name_required", "个人荣誉须填写姓名", "person_name"))
        attempt("id_number", lambda: parse_id_number(_text(raw.get("id_number"), "id_number"), "id_number")[0])
    elif holder == HolderKind.UNIT:
        out["person_name"] = out["id_number"] = None
        if not out["unit_name"]:
            errors.append(ValidationFailed("unit_name_required", "窗口（单位）荣誉须填写窗口（单位）名称", "unit_name"))
    if kind == HonourKind.TEAM_PRIZE and holder == HolderKind.PERSON:
        errors.append(ValidationFailed("kind_holder_mismatch", "团体奖项的持有人须为窗口（单位），不能是个人", "kind"))
    if kind == HonourKind.INDIVIDUAL_RANK and holder == HolderKind.UNIT:
        errors.append(ValidationFailed("kind_holder_mismatch", "个人名次的持有人须为个人，不能是窗口（单位）", "kind"))
    if kind in PRIZE_KINDS and not out["competition"]:
        errors.append(ValidationFailed("competition_required", f"{kind.label}须填写比赛名称（如 2020年全省人社窗口单位业务技能练兵比武全省赛）",
                                       "competition"))
    if errors:
        raise MultipleErrors(errors)
    org = out.pop("organisation")
    out["organisation_id"] = org.id
    out["holder_key"] = person_key(out["id_number"]) if holder == HolderKind.PERSON else unit_key(org.id, out["unit_name"])
    return out


def identity(data) -> tuple:
    """What makes two records the same honour (the register's unique constraint)."""
    get = data.get if isinstance(data, dict) else lambda k: getattr(data, k)
    return get("holder_key"), get("year"), get("kind"), get("title"), get("competition")


def existing_identities(rows: list[dict]) -> set[tuple]:
    """The identities among ``rows`` that the register already holds (one query)."""
    keys = {row["holder_key"] for row in rows}
    if not keys:
        return set()
    found = db.session.scalars(sa.select(Honour).where(Honour.holder_key.in_(keys))).all()
    return {identity(h) for h in found}


def duplicate_error(data: dict) -> ValidationFailed:
    return ValidationFailed("honour_duplicate", f"荣誉库中已有该记录：{data['year']}年“{data['title']}”"
                                                f"{'（' + data['competition'] + '）' if data['competition'] else ''}",
                            "title")


def add_honour(actor, data: dict, *, source: str = "form") -> Honour:
    """Insert one cleaned record, audit it and attach it to the nominations it matches."""
    honour = Honour(**data, created_by_id=getattr(actor, "id", None))
    db.session.add(honour)
    db.session.flush()
    audit.record(actor, "honour_created", object_type="honour", object_id=honour.id,
                 data={"title": honour.title, "year": honour.year, "holder": honour.holder_name,
                       "id_number": honour.id_number, "source": source})
    auto_link_honour(honour, actor)
    return honour


def create_honour(actor, raw: dict, evidence: tuple[str, bytes] | None = None, max_bytes: int = 5 * 1024 * 1024) -> Honour:
    """Enter one honour by hand (form or API), optionally with its evidence file (filename, bytes)."""
    if not permissions.can_use_register(actor):
        raise PermissionDenied("您无权录入荣誉")
    data = clean_honour(actor, raw)
    if identity(data) in existing_identities([data]):
        raise duplicate_error(data)
    honour = add_honour(actor, data)
    if evidence:
        attach_evidence(honour, actor, evidence[0], evidence[1], max_bytes)
    return honour


def attach_evidence(honour: Honour, actor, filename: str, raw: bytes, max_bytes: int) -> HonourEvidence:
    """Keep the certificate scan (PDF, JPEG or PNG, sniffed from its bytes) with the record."""
    if not permissions.can_attach_evidence(actor, honour):
        raise PermissionDenied("您无权为该荣誉上传证明材料")
    if not raw:
        raise ValidationFailed("evidence_empty", "证明材料文件为空", "evidence")
    if len(raw) > max_bytes:
        raise ValidationFailed("evidence_too_large", f"证明材料不能超过 {max_bytes // 1024 // 1024} MB"
                                                     f"（当前 {len(raw) / 1024 / 1024:.1f} MB）", "evidence")
    mime = next((m for magic, m in EVIDENCE_TYPES if raw.startswith(magic)), None)
    if mime is None:
        raise ValidationFailed("evidence_format", "证明材料须为 PDF、JPEG 或 PNG 文件", "evidence")
    ev = honour.evidence or HonourEvidence(honour=honour)
    ev.filename, ev.content, ev.mime, ev.size = (filename or "证明材料")[-200:], raw, mime, len(raw)
    ev.uploaded_at = clock.now()
    db.session.add(ev)
    audit.record(actor, "honour_evidence_uploaded", object_type="honour", object_id=honour.id,
                 data={"filename": ev.filename, "mime": mime, "size": len(raw)})
    db.session.flush()
    return ev


def delete_honour(honour: Honour, actor) -> None:
    """Remove a wrong record with its evidence and links (the audit trail keeps what it said)."""
    if not permissions.can_delete(actor, honour):
        raise PermissionDenied("只有省推荐评选办可以删除荣誉记录")
    audit.record(actor, "honour_deleted", object_type="honour", object_id=honour.id,
                 data={"title": honour.title, "year": honour.year, "holder": honour.holder_name,
                       "id_number": honour.id_number,
                       "nominations": [link.nomination_id for link in honour.links]})
    db.session.delete(honour)
    db.session.flush()


def _add_auto_link(honour, nomination, actor) -> HonourLink:
    link = HonourLink(honour=honour, nomination_id=nomination.id, status=LinkStatus.AUTO)
    db.session.add(link)
    audit.record(actor, "honour_linked", object_type="honour", object_id=honour.id, nomination=nomination,
                 data={"title": honour.title, "year": honour.year, "status": LinkStatus.AUTO.value})
    return link


def auto_link_honour(honour: Honour, actor=None) -> list[HonourLink]:
    """Attach a new honour to every nomination (any campaign) whose holder matches and that has no decision yet."""
    decided = {link.nomination_id for link in honour.links}
    made = [_add_auto_link(honour, nom, actor) for nom in matching_nominations(honour) if nom.id not in decided]
    db.session.flush()
    return made


def auto_link_nomination(nomination: Nomination, actor=None) -> list[HonourLink]:
    """Store the auto links of a nomination whose holder matches honours already in the register
    (to call after a nomination is created or its 身份证号 / window name changes; reading works without it)."""
    stored = {link.honour_id for link in db.session.scalars(
        sa.select(HonourLink).where(HonourLink.nomination_id == nomination.id))}
    rows = link_rows_by_nomination([nomination.id])[nomination.id]
    made = [_add_auto_link(h, nomination, actor) for h, _ in rows if h.id not in stored]
    db.session.flush()
    return made


def decide_link(honour: Honour, nomination: Nomination, actor, status) -> HonourLink:
    """Confirm an honour on a nomination (also one that did not match by itself) or unlink it for good."""
    try:
        status = LinkStatus(getattr(status, "value", status))
    except ValueError:
        status = LinkStatus.AUTO  # refused just below, with the field named
    if status == LinkStatus.AUTO:
        raise ValidationFailed("link_status_invalid", "关联操作须为“确认”（confirmed）或“解除”（unlinked）", "status")
    link = db.session.scalar(sa.select(HonourLink).filter_by(honour_id=honour.id, nomination_id=nomination.id))
    if not permissions.can_link(actor, honour, nomination, matched=link is not None or matches(honour, nomination)):
        raise PermissionDenied("您无权调整该推荐对象的荣誉关联")
    before = link.status if link else None
    if before == status:
        return link
    if link is None:
        link = HonourLink(honour=honour, nomination_id=nomination.id, status=status)
        db.session.add(link)
    link.status, link.decided_by_id = status, actor.id
    audit.record(actor, "honour_link_confirmed" if status == LinkStatus.CONFIRMED else "honour_unlinked",
                 object_type="honour", object_id=honour.id, nomination=nomination,
                 data={"title": honour.title, "year": honour.year, "status": status.value,
                       "previous": getattr(before, "value", None)})
    db.session.flush()
    return link
