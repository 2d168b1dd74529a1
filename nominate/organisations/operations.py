"""The admin maintains the organisation tree (counties, 省直 units, signing departments)."""
from __future__ import annotations

import re

from nominate.accounts.models import Role
from nominate.audit import operations as audit
from nominate.core.errors import PermissionDenied, ValidationFailed
from nominate.extensions import db
from nominate.organisations.models import Organisation, OrgKind

#: which kinds may sit under which parent kind
PARENT_KINDS = {OrgKind.COUNTY: {OrgKind.CITY}, OrgKind.PROVINCIAL_UNIT: {OrgKind.PROVINCIAL_GROUP},
                OrgKind.DEPARTMENT: {OrgKind.PROVINCE, OrgKind.CITY}, OrgKind.CITY: {OrgKind.PROVINCE}}


def create_organisation(actor, *, code: str, name: str, short_name: str, kind: str, parent: Organisation | None):
    """Add one organisation below ``parent``; the code is the stable key used by files and commands."""
    if actor is None or actor.role != Role.ADMIN:
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
