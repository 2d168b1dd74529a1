"""Download pages of the official tables: per nominee, per batch, per province, and the ZIP bundles.

Each view: load (404) → operation (permission 403, render, audit row) → file response.
"""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, request, stream_with_context
from flask_login import current_user, login_required

from nominate.core.loading import load_for

from nominate.batches.models import CityBatch
from nominate.campaigns.models import Campaign
from nominate.core.db import row_id
from nominate.core.urls import kept_url
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


class DocLink(tuple):
    """One download: unpacks as (label, url) like before, and knows its stage (初审 / 正式), the document it is (its
    official title) and its format, so a page can group about thirty links by stage and document."""

    def __new__(cls, label: str, url: str, *, stage: str | None, title: str, fmt: str):
        link = super().__new__(cls, (label, url))
        link.stage, link.title, link.fmt = stage, title, fmt
        return link

    @property
    def label(self) -> str:
        return self[0]

    @property
    def url(self) -> str:
        return self[1]


#: the stage each form belongs to when its key does not say it (DESIGN §2: 初审材料 / 正式推荐材料)
FORM_STAGE = {"preliminary_report": "preliminary", "contact_form": "preliminary", "formal_report": "formal",
              "publicity_notice": "formal", "window_approval": "formal", "individual_approval": "formal",
              "opinion_form": "formal"}
GROUP_ORDER = ("preliminary", "formal", None)
GROUP_LABELS = {"preliminary": "初审材料", "formal": "正式推荐材料", None: "其他"}


def _with_pdf(label: str, endpoint: str, form: str, stage: str | None = None, **values) -> list[DocLink]:
    """The Word (or Excel) file and, when LibreOffice is there, its PDF."""
    kind = "Excel" if form.endswith("_xlsx") else "Word"
    where = stage or FORM_STAGE.get(form)
    title = rendering.form_title(form)
    url_values = {**values, **({"stage": stage} if stage else {})}
    links = [DocLink(label, kept_url(endpoint, form=form, **url_values), stage=where, title=title, fmt=kind)]
    if pdf.available() and not form.endswith("_xlsx"):
        links.append(DocLink(f"{label}（PDF）", kept_url(endpoint, form=form, format="pdf", **url_values),
                             stage=where, title=title, fmt="PDF"))
    return links


def _label(form: str, stage: str | None = None) -> str:
    kind = "Excel" if form.endswith("_xlsx") else "Word"
    suffix = "（正式）" if stage == "formal" else ""
    return f"{rendering.form_title(form)}{suffix}（{kind}）"


def _nomination_links(user, nomination) -> list[DocLink]:
    links = []
    for form, kind in context.NOMINATION_FORM_KIND.items():
        if kind == nomination.kind and permissions.can_download_nomination_form(user, nomination, form):
            links += _with_pdf(_label(form), "documents.nomination_form", form, nomination_id=nomination.id)
    return links


def _bundle_links(org, stages, *, background: bool = True) -> list[DocLink]:
    """Each stage's ZIP, streamed, and (``background``) the same built by a background job with its progress."""
    from nominate.documents.bundle import STAGE_LABELS

    links = []
    for s in stages:
        title = f"{org.short_name}{STAGE_LABELS[s]}包"  # 山西省初审材料包
        links.append(DocLink(f"{org.short_name}{STAGE_LABELS[s]}（ZIP 材料包）",
                             kept_url("documents.bundle", org_id=org.id, stage=s), stage=s, title=title, fmt="ZIP"))
        if background:
            links.append(DocLink(f"{org.short_name}{STAGE_LABELS[s]}（后台生成，显示进度）",
                                 kept_url("jobs.new_bundle", org_id=org.id, stage=s), stage=s, title=title,
                                 fmt="后台生成"))
    return links


def _batch_stages(batch) -> list[str]:
    """初审, and 正式 once one of the batch's nominees has formal materials."""
    return ["preliminary"] + (["formal"] if context.batch_nominees(batch, "formal") else [])


def _batch_links(user, batch) -> list[DocLink]:
    nominees = context.batch_nominees(batch)
    stages = _batch_stages(batch)
    links = []
    for stage in stages:
        for form in rendering.BATCH_FORMS:
            if form in ("preliminary_report", "formal_report", "contact_form", "publicity_notice"):
                if stage == "formal" or not permissions.can_download_batch_form(user, batch, form, nominees):
                    continue
                links += _with_pdf(_label(form), "documents.batch_form", form, batch_id=batch.id)
            elif permissions.can_download_batch_form(user, batch, form, nominees):
                links += _with_pdf(_label(form, stage), "documents.batch_form", form, stage=stage, batch_id=batch.id)
    if permissions.can_download_bundle(user, batch, nominees):
        links += _bundle_links(batch.organisation, stages)
    return links


def _province_links(user, campaign) -> list[DocLink]:
    if not permissions.can_download_province_form(user, campaign):
        return []
    links = []
    for stage in context.STAGES:
        for form in rendering.PROVINCE_FORMS:
            if form in rendering.STAGED_FORMS:
                links += _with_pdf(_label(form, stage), "documents.province_form", form, stage=stage,
                                   campaign_id=campaign.id)
            elif stage == "preliminary":
                links += _with_pdf(_label(form), "documents.province_form", form, campaign_id=campaign.id)
    return links + _bundle_links(campaign.province, context.STAGES)


@bp.app_template_global()
def bundle_downloads(user, batch) -> list[DocLink]:
    """The batch's ZIP bundles ``user`` may download: the ZIP links of ``available_documents(user, batch=batch)``
    (各市报送 shows only these, for every city), without making every table's link."""
    if not permissions.can_download_bundle(user, batch, context.batch_nominees(batch)):
        return []
    return _bundle_links(batch.organisation, _batch_stages(batch), background=False)


@bp.app_template_filter("document_groups")
def document_groups(links) -> list[tuple[str, list[tuple[str, list]]]]:
    """Links grouped for a page: [(stage label, [(document title, [DocLink …])])], stages 初审 then 正式, documents
    in the order they came. Plain (label, url) pairs go to 其他."""
    by_stage: dict = {}
    for link in links:
        stage = getattr(link, "stage", None)
        title = getattr(link, "title", link[0])
        by_stage.setdefault(stage, {}).setdefault(title, []).append(link)
    return [(GROUP_LABELS[s], list(by_stage[s].items())) for s in GROUP_ORDER if s in by_stage]


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
