"""Downloads: check the right, render, write the audit row; shared by the web pages and the API."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath

from nominate.audit import operations as audit
from nominate.batches.models import CityBatch
from nominate.campaigns.models import Campaign
from nominate.campaigns.queries import latest_for_org
from nominate.core.db import end_read, unit_of_work
from nominate.core.errors import NotFound, PermissionDenied, ValidationFailed
from nominate.core import pdf
from nominate.documents import context, permissions, rendering
from nominate.documents.bundle import Bundle, batch_bundle, province_bundle
from nominate.extensions import db
from nominate.organisations.models import Organisation

FORMATS = ("docx", "pdf")


def _check_choice(value: str, allowed, what: str) -> None:
    if value not in allowed:
        raise NotFound(f"没有这种{what}：{value}")


def _finish(user, file: rendering.RenderedFile, fmt: str, **where) -> rendering.RenderedFile:
    """Convert to PDF when asked, then record the download in its own transaction."""
    _check_choice(fmt, FORMATS, "格式")
    if fmt == "pdf":
        if file.mimetype != rendering.DOCX_MIME:
            raise ValidationFailed("pdf_not_offered", "只有 Word 表格提供 PDF 版本", "format")
        file = rendering.RenderedFile(str(PurePath(file.filename).with_suffix(".pdf")), rendering.PDF_MIME,
                                      pdf.to_pdf(file.data, file.filename))
    data = {**where.pop("data", {}), "file": file.filename, "format": fmt}
    with unit_of_work():
        audit.record(user, "document_downloaded", **where, data=data)
    return file


def download_nomination_form(user, nomination, form: str, fmt: str = "docx") -> rendering.RenderedFile:
    """附件2 (window), 附件3 or 附件4 (individual) of one nominee."""
    _check_choice(form, rendering.NOMINATION_FORMS, "表格")
    if context.NOMINATION_FORM_KIND[form] != nomination.kind:
        raise NotFound(f"{nomination.kind_label}没有这张表格")
    if not permissions.can_download_nomination_form(user, nomination, form):
        raise PermissionDenied("您无权下载该推荐对象的这张表格")
    file = rendering.nomination_file(nomination, form)
    return _finish(user, file, fmt, object_type="nomination", nomination=nomination, data={"form": form})


def download_batch_form(user, batch, form: str, stage: str = "preliminary", fmt: str = "docx"):
    """One table of a city's (or 省直 unit's) batch; ``stage`` picks the 初审 or the 正式 list."""
    _check_choice(form, rendering.BATCH_FORMS, "表格")
    _check_choice(stage, context.STAGES, "阶段")
    if not permissions.can_download_batch_form(user, batch, form, context.batch_nominees(batch)):
        raise PermissionDenied("您无权下载该推荐批次的这张表格")
    file = rendering.batch_file(batch, form, stage)
    return _finish(user, file, fmt, object_type="batch", object_id=batch.id, campaign_id=batch.campaign_id,
                   data={"form": form, "stage": stage})


def download_province_form(user, campaign, form: str, stage: str = "preliminary", fmt: str = "docx"):
    """One of the province's own documents: its 汇总表, 公示报样 or 推荐工作报告."""
    _check_choice(form, rendering.PROVINCE_FORMS, "表格")
    _check_choice(stage, context.STAGES, "阶段")
    if not permissions.can_download_province_form(user, campaign):
        raise PermissionDenied("只有省推荐评选办可以下载全省汇总材料")
    file = rendering.province_file(campaign, form, stage)
    return _finish(user, file, fmt, object_type="campaign", object_id=campaign.id, campaign_id=campaign.id,
                   data={"form": form, "stage": stage})


def campaign_for(org: Organisation, campaign_id: int | None = None) -> Campaign:
    """The campaign a bundle is for: the one asked for, else the province's latest."""
    campaign = latest_for_org(org, campaign_id)
    if campaign is None:
        raise NotFound("找不到该单位的评选活动")
    return campaign


@dataclass
class BundleDownload:
    """A bundle to stream: its name for the response header and how to build it again by ids.

    The stream runs after the view has returned, in a new application context whose session has
    none of the request's rows; so ``stream`` rebuilds the bundle from ids in the session current
    then, and ends its read transaction after each document, keeping the rows it read (``core.db.end_read``:
    on SQLite a transaction holds the database, and a long bundle must not make other requests wait for its end)."""

    filename: str
    documents: int
    build: Callable[[], Bundle]

    def stream(self) -> Iterator[bytes]:
        yield from self.build().stream(after_each=end_read)


def download_bundle(user, org: Organisation, stage: str, campaign_id: int | None = None) -> BundleDownload:
    """The ZIP bundle of a city / 省直 unit, or of the province when ``org`` is the province.

    The audit row is written before streaming starts: the stream itself runs after the response.
    """
    campaign, build = bundle_builder(user, org, stage, campaign_id)
    bundle = build()
    with unit_of_work():
        audit.record(user, "document_downloaded", object_type="organisation", object_id=org.id,
                     campaign_id=campaign.id, data={"bundle": stage, "file": bundle.filename,
                                                    "documents": len(bundle.entries)})
    return BundleDownload(bundle.filename, len(bundle.entries), build)


def bundle_builder(user, org: Organisation, stage: str, campaign_id: int | None = None):
    """(campaign, build) of the bundle ``user`` may download, where ``build()`` makes its entries: the one
    piece the streamed download and the background job (nominate.jobs) both call. Refuses as the download does."""
    _check_choice(stage, context.STAGES, "阶段")
    campaign = campaign_for(org, campaign_id)
    if org.id == campaign.province_id:
        if not permissions.can_download_province_form(user, campaign):
            raise PermissionDenied("只有省推荐评选办可以下载全省材料包")
        campaign_key = campaign.id
        build = lambda: province_bundle(db.session.get(Campaign, campaign_key), stage)  # noqa: E731
    else:
        batch = db.session.scalar(db.select(CityBatch).filter_by(campaign_id=campaign.id, organisation_id=org.id))
        if batch is None:
            raise NotFound(f"{org.name}在本次评选中没有推荐批次")
        if not permissions.can_download_bundle(user, batch, context.batch_nominees(batch)):
            raise PermissionDenied("您无权下载该单位的材料包")
        batch_key = batch.id
        build = lambda: batch_bundle(db.session.get(CityBatch, batch_key), stage)  # noqa: E731
    return campaign, build


