"""The admin maintains the organisation tree (counties, 省直 units, signing departments); each city,
省直 unit and the provincial office keeps its own contacts (附件7 评选工作联系表, table footers)."""
from __future__ import annotations

import re

from nominate.audit import operations as audit
from nominate.core.checks import check_email, check_phone, check_postcode
from nominate.core.errors import MultipleErrors, PermissionDenied, ValidationFailed
from nominate.extensions import db
from nominate.organisations.models import Organisation, OrgKind
from nominate.organisations.permissions import can_edit_contacts, can_maintain_organisations

#: which kinds may sit under which parent kind
PARENT_KINDS = {OrgKind.COUNTY: {OrgKind.CITY}, OrgKind.PROVINCIAL_UNIT: {OrgKind.PROVINCIAL_GROUP},
                OrgKind.DEPARTMENT: {OrgKind.PROVINCE, OrgKind.CITY}, OrgKind.CITY: {OrgKind.PROVINCE}}


def create_organisation(actor, *, code: str, name: str, short_name: str, kind: str, parent: Organisation | None):
    """Add one organisation below ``parent``; the code is the stable key used by files and commands."""
    if not can_maintain_organisations(actor):
        raise PermissionDenied("只有系统管理员可以维护单位")
    code, name, short_name = (code or "").strip(), (name or "").strip(), (short_name or "").strip()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,63}", code):
        raise ValidationFailed("code_invalid", "单位代码须为2–64位小写字母、数字或连字符", "code")
    if db.session.scalar(db.select(Organisation).filter_by(code=code)):
        raise ValidationFailed("code_taken", f"单位代码 {code} 已存在", "code")
    if not name or len(name) > 120:
        raise ValidationFailed("name_invalid", "单位全称不能为空且不超过120字", "name")
    if not short_name or len(short_name) > 40:
        raise ValidationFailed("short_name_invalid", "单位简称不能为空且不超过40字", "short_name")
    try:
        kind_enum = OrgKind(kind)
    except ValueError:
        raise ValidationFailed("kind_invalid", "单位类别无效", "kind") from None
    allowed = PARENT_KINDS.get(kind_enum)
    if allowed is None:
        raise ValidationFailed("kind_not_creatable", f"{kind_enum.label}由评选活动文件创建，不能在此新增", "kind")
    if parent is None or parent.kind not in allowed:
        raise ValidationFailed("parent_invalid", f"{kind_enum.label}的上级须为：" + "、".join(k.label for k in allowed),
                               "parent_id")
    org = Organisation(code=code, name=name, short_name=short_name, kind=kind_enum, parent=parent,
                       sort_order=len(parent.children))
    db.session.add(org)
    db.session.flush()
    audit.record(actor, "organisation_created", object_type="organisation", object_id=org.id,
                 data={"code": code, "name": name, "kind": kind_enum.value, "parent": parent.code})
    return org


#: the contact fields of 附件7 in its order: (name, label, kind, required, max length)
CONTACT_FIELDS = [
    ("leader_name", "分管领导姓名", "text", True, 40),
    ("leader_position", "分管领导职务", "text", True, 60),
    ("leader_phone", "分管领导办公电话", "phone", True, 40),
    ("leader_mobile", "分管领导手机", "phone", True, 40),
    ("contact_name", "联系人姓名", "text", True, 40),
    ("contact_position", "联系人职务", "text", True, 60),
    ("contact_phone", "联系人办公电话", "phone", True, 40),
    ("contact_mobile", "联系人手机", "phone", True, 40),
    ("fax", "传真", "phone", False, 40),
    ("email", "电子邮箱", "email", True, 120),
    ("address", "通讯地址", "text", True, 200),
    ("postcode", "邮政编码", "postcode", True, 6),
]
CONTACT_LABELS = {name: label for name, label, *_ in CONTACT_FIELDS}


def missing_contacts(org: Organisation) -> list[str]:
    """Labels of the required contacts the organisation has not entered yet (shown before printing)."""
    return [label for name, label, _, required, _ in CONTACT_FIELDS if required and not getattr(org, name)]


def update_contacts(actor, org: Organisation, data: dict) -> Organisation:
    """The organisation's own contacts, every field checked; all errors at once, nothing written on error."""
    if not can_edit_contacts(actor, org):
        raise PermissionDenied("只能维护本单位的联系信息")
    errors, values = [], {}
    for name, label, kind, required, limit in CONTACT_FIELDS:
        raw = data.get(name)
        value = raw.strip() if isinstance(raw, str) else ""
        try:
            if not value:
                if required:
                    raise ValidationFailed("required", f"{label}不能为空", name)
                values[name] = None
                continue
            if kind == "phone":
                value = check_phone(value, name, label)
            elif kind == "email":
                value = check_email(value, name, label)
            elif kind == "postcode":
                value = check_postcode(value, name, label)
            elif len(value) > limit:
                raise ValidationFailed("text_too_long", f"{label}最多 {limit} 个字符（当前 {len(value)} 个）", name)
            values[name] = value
        except ValidationFailed as exc:
            errors.append(exc)
    if errors:
        raise MultipleErrors(errors)
    changed = {name: [getattr(org, name), value] for name, value in values.items() if getattr(org, name) != value}
    for name, (_, value) in changed.items():
        setattr(org, name, value)
    db.session.flush()
    audit.record(actor, "organisation_contacts_updated", object_type="organisation", object_id=org.id,
                 data={"fields": sorted(changed)})
    return org
