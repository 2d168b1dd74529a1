"""Uploading a campaign's own template and choosing which version is in use; each step audited."""
from __future__ import annotations

import hashlib

from form_templates import TEMPLATE_FILES
from form_templates.checks import check_template
from nominate.accounts.models import Role
from nominate.audit import operations as audit
from nominate.core import clock
from nominate.core.errors import MultipleErrors, PermissionDenied, ValidationFailed
from nominate.extensions import db
from nominate.formtemplates.models import TemplateVersion

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


def can_manage_templates(user) -> bool:
    return getattr(user, "role", None) == Role.ADMIN


def _require(user) -> None:
    if not can_manage_templates(user):
        raise PermissionDenied("只有系统管理员可以管理表格模板")


def check_upload(form: str, filename: str, data: bytes) -> None:
    """Raise a ``ValidationFailed`` naming every reason the file cannot be a template of ``form``."""
    if form not in TEMPLATE_FILES:
        raise ValidationFailed("template_form_invalid", "请选择要替换的表格", "form")
    if not filename.lower().endswith(".docx"):
        raise ValidationFailed("template_not_docx", "模板文件必须是 Word 文档（.docx）", "file")
    if not data:
        raise ValidationFailed("template_empty", "请选择模板文件", "file")
    if len(data) > MAX_TEMPLATE_BYTES:
        raise ValidationFailed("template_too_large", "模板文件不能超过 5 MB", "file")
    problems = check_template(form, data)
    if problems:
        raise MultipleErrors([ValidationFailed(p.code, p.message, "file") for p in problems])


def upload_template(user, campaign, form: str, filename: str, data: bytes) -> TemplateVersion:
    """Store a checked template as the next version of ``form`` for ``campaign`` (not yet in use)."""
    _require(user)
    check_upload(form, filename, data)
    number = (db.session.scalar(db.select(db.func.max(TemplateVersion.number))
                                .filter_by(campaign_id=campaign.id, form=form)) or 0) + 1
    version = TemplateVersion(campaign_id=campaign.id, form=form, number=number, filename=filename[-200:],
                              content=data, sha256=hashlib.sha256(data).hexdigest(),
                              uploaded_by_id=user.id, uploaded_by_name=user.display_name, uploaded_at=clock.now())
    db.session.add(version)
    db.session.flush()
    audit.record(user, "template_uploaded", object_type="template_version", object_id=version.id,
                 campaign_id=campaign.id, data={"form": form, "version": number, "sha256": version.sha256,
                                                "file": version.filename})
    return version


def use_template_version(user, version: TemplateVersion) -> TemplateVersion:
    """Put ``version`` into use for its form (an earlier version too: that is a restore); checked again."""
    _require(user)
    check_upload(version.form, version.filename, version.content)
    previous = db.session.scalars(db.select(TemplateVersion).filter_by(
        campaign_id=version.campaign_id, form=version.form, in_use=True).with_for_update()).all()
    for row in previous:
        row.in_use, row.in_use_since = False, None
    db.session.flush()
    version.in_use, version.in_use_since = True, clock.now()
    audit.record(user, "template_version_used", object_type="template_version", object_id=version.id,
                 campaign_id=version.campaign_id,
                 data={"form": version.form, "version": version.number, "sha256": version.sha256,
                       "replaced": [row.number for row in previous if row.id != version.id]})
    return version


def use_committed_template(user, campaign, form: str) -> None:
    """Stop using the campaign's versions of ``form``: the committed file is used again."""
    _require(user)
    if form not in TEMPLATE_FILES:
        raise ValidationFailed("template_form_invalid", "请选择要恢复的表格", "form")
    previous = db.session.scalars(db.select(TemplateVersion).filter_by(
        campaign_id=campaign.id, form=form, in_use=True)).all()
    for row in previous:
        row.in_use, row.in_use_since = False, None
    audit.record(user, "template_committed_used", object_type="campaign", object_id=campaign.id,
                 campaign_id=campaign.id, data={"form": form, "replaced": [row.number for row in previous]})
