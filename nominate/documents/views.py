"""Download pages of the official tables: per nominee, per batch, per province, and the ZIP bundles.

Each view: load (404) → operation (permission 403, render, audit row) → file response.
"""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, request, stream_with_context, url_for
from flask_login import current_user, login_required

from nominate.core.loading import load_for

from nominate.batches.models import CityBatch
from nominate.campaigns.models import Campaign
from nominate.core.db import row_id
from nominate.core.errors import NotFound
from nominate.core import pdf
from nominate.documents import context, operations, permissions, rendering
from nominate.extensions import db
from nominate.nominations.models import Nomination
from nominate.organisations.models import Organisation

bp = Blueprint("documents", __name__, url_prefix="/documents", template_folder="templates")


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback and the RFC 5987 UTF-8 name every current browser uses."""
    stem, _, ext = filename.rpartition(".")
    ascii_stem = "".join(c for c in stem if c.isascii() and c.isprintable() and c not in '"\\').strip(" _-")
    fallback = f"{ascii_stem or 'document'}.{ext}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def attachment(body, filename: str, mimetype: str) -> Response:
    """A download response; never cached, since the tables hold full identities."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def file_response(file: rendering.RenderedFile) -> Response:
    return attachment(file.data, file.filename, file.mimetype)


def load(model, ident, what: str):
    """404 when missing (a guessed huge id included); the operations check who may download."""
    return load_for(current_user, model, ident, what=what)


def _fmt() -> str:
    return request.args.get("format", "docx")


def _stage() -> str:
    return request.args.get("stage", "preliminary")


@bp.route("/nominations/<int:nomination_id>/<form>")
@login_required
def nomination_form(nomination_id: int, form: str):
    """附件2 / 附件3 / 附件4 of one nominee (``?format=pdf`` for PDF)."""
    nomination = load(Nomination, nomination_id, "推荐对象")
    return file_response(operations.download_nomination_form(current_user, nomination, form, _fmt()))


@bp.route("/batches/<int:batch_id>/<form>")
@login_required
def batch_form(batch_id: int, form: str):
    """A batch's 汇总表 (Word or Excel), report, 附件7 or 公示报样 (``?stage=formal`` for the 正式 list)."""
    batch = load(CityBatch, batch_id, "推荐批次")
    return file_response(operations.download_batch_form(current_user, batch, form, _stage(), _fmt()))


@bp.route("/campaigns/<int:campaign_id>/<form>")
@login_required
def province_form(campaign_id: int, form: str):
    """The province's 汇总表 (its selected list), 公示报样 and 推荐工作报告."""
    campaign = load(Campaign, campaign_id, "评选活动")
    return file_response(operations.download_province_form(current_user, campaign, form, _stage(), _fmt()))


@bp.route("/bundles/<int:org_id>/<stage>")
@login_required
def bundle(org_id: int, stage: str):
    """The ZIP of a city / 省直 unit, or of the province, streamed as each document is rendered."""
    org = load(Organisation, org_id, "单位")
    campaign_id = request.args.get("campaign_id", type=row_id)
    result = operations.download_bundle(current_user, org, stage, campaign_id)
    # The browser shows its own download progress while the documents are rendered one by one.
    return attachment(stream_with_context(result.stream()), result.filename, rendering.ZIP_MIME)


# --- links for the pages ----------------------------------------------------------------------


def _with_pdf(label: str, endpoint: str, form: str, **values) -> list[tuple[str, str]]:
    links = [(label, url_for(endpoint, form=form, **values))]
    if pdf.available() and not form.endswith("_xlsx"):
        links.append((f"{label}（PDF）", url_for(endpoint, form=form, format="pdf", **values)))
    return links


def _label(form: str, stage: str | None = None) -> str:
    kind = "Excel" if form.endswith("_xlsx") else "Word"
    suffix = "（正式）" if stage == "formal" else ""
    return f"{rendering.form_title(form)}{suffix}（{kind}）"


def _nomination_links(user, nomination) -> list[tuple[str, str]]:
    links = []
    for form, kind in context.NOMINATION_FORM_KIND.items():
        if kind == nomination.kind and permissions.can_download_nomination_form(user, nomination, form):
            links += _with_pdf(_label(form), "documents.nomination_form", form, nomination_id=nomination.id)
    return links


def _bundle_links(org, stages) -> list[tuple[str, str]]:
    from nominate.documents.bundle import STAGE_LABELS

    links = []
    for s in stages:
        links.append((f"{org.short_name}{STAGE_LABELS[s]}（ZIP 材料包）", url_for("documents.bundle", org_id=org.id, stage=s)))
        links.append((f"{org.short_name}{STAGE_LABELS[s]}（后台生成，显示进度）",
                      url_for("jobs.new_bundle", org_id=org.id, stage=s)))
    return links


def _batch_links(user, batch) -> list[tuple[str, str]]:
    nominees = context.batch_nominees(batch)
    stages = ["preliminary"] + (["formal"] if context.batch_nominees(batch, "formal") else [])
    links = []
    for stage in stages:
        for form in rendering.BATCH_FORMS:
            if form in ("preliminary_report", "formal_report", "contact_form", "publicity_notice"):
                if stage == "formal" or not permissions.can_download_batch_form(user, batch, form, nominees):
                    continue
                links += _with_pdf(_label(form), "documents.batch_form", form, batch_id=batch.id)
            elif permissions.can_download_batch_form(user, batch, form, nominees):
                links += _with_pdf(_label(form, stage), "documents.batch_form", form, batch_id=batch.id, stage=stage)
    if permissions.can_download_bundle(user, batch, nominees):
        links += _bundle_links(batch.organisation, stages)
    return links


def _province_links(user, campaign) -> list[tuple[str, str]]:
    if not permissions.can_download_province_form(user, campaign):
        return []
    links = []
    for stage in context.STAGES:
        for form in rendering.PROVINCE_FORMS:
            if form in rendering.STAGED_FORMS:
                links += _with_pdf(_label(form, stage), "documents.province_form", form, campaign_id=campaign.id,
                                   stage=stage)
            elif stage == "preliminary":
                links += _with_pdf(_label(form), "documents.province_form", form, campaign_id=campaign.id)
    return links + _bundle_links(campaign.province, context.STAGES)


@bp.app_template_global()
def available_documents(user, nomination=None, batch=None, org=None) -> list[tuple[str, str]]:
    """(label, url) of every download ``user`` may use for a nominee, a batch or an organisation.

    Pages call this to show their download links, so a link is shown exactly when it would work;
    the PDF links appear only when LibreOffice is installed.
    """
    if nomination is not None:
        return _nomination_links(user, nomination)
    if batch is not None:
        return _batch_links(user, batch)
    if org is not None:
        try:
            campaign = operations.campaign_for(org)
        except NotFound:
            return []
        if org.id == campaign.province_id:
            return _province_links(user, campaign)
        found = db.session.scalar(db.select(CityBatch).filter_by(campaign_id=campaign.id, organisation_id=org.id))
        return _batch_links(user, found) if found is not None else []
    return []
