"""The admin's 表格模板 page: each form's committed template and the campaign's uploaded versions,
upload (checked), preview, put into use, restore, download."""
from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from form_templates import TEMPLATE_FILES
from nominate.campaigns.models import Campaign
from nominate.campaigns.queries import current_campaign
from nominate.core.db import unit_of_work
from nominate.core.errors import MultipleErrors, NotFound, PermissionDenied, ValidationFailed
from nominate.core.pdf import DOCX_MIME, PdfUnavailable
from nominate.extensions import db
from nominate.formtemplates import operations, preview, queries
from nominate.formtemplates.models import TemplateVersion

bp = Blueprint("formtemplates", __name__, template_folder="templates")


def _admin() -> None:
    if not operations.can_manage_templates(current_user):
        raise PermissionDenied("只有系统管理员可以管理表格模板")


def _version(version_id: int) -> TemplateVersion:
    version = db.session.get(TemplateVersion, version_id) if version_id < 2**31 else None
    if version is None:
        raise NotFound("没有这个模板版本")
    return version


def _campaign() -> Campaign:
    campaign = current_campaign(current_user)
    if campaign is None:
        raise NotFound("还没有评选活动：请先加载评选活动文件")
    return campaign


def _titles() -> dict[str, str]:
    return {form: name.removesuffix(".docx") for form, name in TEMPLATE_FILES.items()}


@bp.route("/admin/templates", methods=["GET", "POST"])
@login_required
def index():
    _admin()
    campaign = _campaign()
    errors, status = [], 200
    if request.method == "POST":
        upload = request.files.get("file")
        form = request.form.get("form", "")
        data = upload.read() if upload else b""
        try:
            with unit_of_work():
                version = operations.upload_template(current_user, campaign, form,
                                                     upload.filename if upload else "", data)
            flash(f"已上传「{_titles()[form]}」第 {version.number} 版：请查看预览，确认后启用。", "success")
            return redirect(url_for("formtemplates.show", version_id=version.id))
        except MultipleErrors as exc:
            errors, status = exc.errors, 422
        except ValidationFailed as exc:
            errors, status = [exc], 422
    in_use = {form: queries.template_source(campaign.id, form) for form in TEMPLATE_FILES}
    return render_template("formtemplates/index.html", campaign=campaign, titles=_titles(), in_use=in_use,
                           versions=queries.versions(campaign.id), errors=errors,
                           chosen=request.form.get("form", "")), status


@bp.route("/admin/templates/<int:version_id>")
@login_required
def show(version_id: int):
    _admin()
    version = _version(version_id)
    pages, problem = 0, None
    try:
        pages = len(preview.preview_pages(version.form, version.content, version.sha256))
    except PdfUnavailable as exc:
        problem = exc.message
    return render_template("formtemplates/show.html", version=version, title=_titles()[version.form],
                           pages=pages, problem=problem)


@bp.route("/admin/templates/<int:version_id>/pages/<int:page>.png")
@login_required
def page(version_id: int, page: int):
    _admin()
    version = _version(version_id)
    try:
        pages = preview.preview_pages(version.form, version.content, version.sha256)
    except PdfUnavailable as exc:
        raise NotFound(exc.message) from None
    if not 1 <= page <= len(pages):
        abort(404)
    return send_file(io.BytesIO(pages[page - 1]), mimetype="image/png", max_age=0)


@bp.route("/admin/templates/<int:version_id>/file")
@login_required
def download(version_id: int):
    _admin()
    version = _version(version_id)
    name = f"{_titles()[version.form]}（第{version.number}版）.docx"
    return send_file(io.BytesIO(version.content), mimetype=DOCX_MIME, as_attachment=True, download_name=name)


@bp.route("/admin/templates/<int:version_id>/use", methods=["POST"])
@login_required
def use(version_id: int):
    _admin()
    version = _version(version_id)
    with unit_of_work():
        operations.use_template_version(current_user, version)
    flash(f"「{_titles()[version.form]}」已启用第 {version.number} 版。", "success")
    return redirect(url_for("formtemplates.index"))


@bp.route("/admin/templates/committed", methods=["POST"])
@login_required
def use_committed():
    _admin()
    campaign = _campaign()
    form = request.form.get("form", "")
    with unit_of_work():
        operations.use_committed_template(current_user, campaign, form)
    flash(f"「{_titles()[form]}」已恢复使用系统自带模板。", "success")
    return redirect(url_for("formtemplates.index"))
