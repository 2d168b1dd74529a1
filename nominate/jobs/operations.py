"""Bundles as jobs: asked for on a page, built by the worker with the same rendering code as the streamed
download (documents.operations.bundle_builder), progress kept per document, kept for BUNDLE_KEEP_HOURS."""
from __future__ import annotations

import datetime as dt
import os
import secrets
import zipfile
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from nominate.accounts.models import User
from nominate.audit import operations as audit
from nominate.core import clock
from nominate.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from nominate.core import pdf
from nominate.documents.operations import bundle_builder
from nominate.extensions import db
from nominate.jobs.models import BundleJob, JobStatus
from nominate.core.queue import register_task


def bundle_dir() -> Path:
    path = Path(current_app.config.get("BUNDLE_DIR") or os.path.join(current_app.instance_path, "bundles"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def request_bundle(user, org, stage: str, campaign_id: int | None = None, fmt: str = "docx") -> BundleJob:
    """Queue a bundle build for ``user`` (refused exactly as the download would be); audited. ``fmt="pdf"``
    converts every Word table to PDF in the worker (the slow LibreOffice conversions leave the request)."""
    if fmt not in ("docx", "pdf"):
        raise ValidationFailed("format_invalid", "格式须为 docx 或 pdf", "fmt")
    if fmt == "pdf" and not pdf.available():
        raise pdf.PdfUnavailable()
    campaign, build = bundle_builder(user, org, stage, campaign_id)
    bundle = build()
    job = BundleJob(campaign_id=campaign.id, organisation_id=org.id, stage=stage, fmt=fmt, requested_by_id=user.id,
                    total=len(bundle.entries), filename=_filename(bundle.filename, fmt), created_at=clock.now())
    db.session.add(job)
    db.session.flush()
    audit.record(user, "bundle_requested", object_type="bundle_job", object_id=job.id, campaign_id=campaign.id,
                 data={"organisation": org.short_name, "stage": stage, "documents": job.total})
    return job


def _filename(name: str, fmt: str) -> str:
    return name.removesuffix(".zip") + "（PDF）.zip" if fmt == "pdf" else name


def _as_format(arcname: str, data: bytes, fmt: str) -> tuple[str, bytes]:
    """The entry as the job writes it: a Word table becomes its PDF when the job asks for PDF."""
    if fmt == "pdf" and arcname.endswith(".docx"):
        return arcname.removesuffix(".docx") + ".pdf", pdf.to_pdf(data, arcname.rsplit("/", 1)[-1])
    return arcname, data


def can_get(user, job: BundleJob) -> bool:
    """Whoever asked for it, and anyone else allowed to download that bundle."""
    if user is None or not user.is_authenticated:
        return False
    if user.id == job.requested_by_id:
        return True
    try:
        bundle_builder(user, job.organisation, job.stage, job.campaign_id)
    except DomainError:
        return False
    return True


def open_download(user, job: BundleJob) -> Path:
    if not can_get(user, job):
        raise PermissionDenied("您无权下载该材料包")
    if job.status != JobStatus.DONE or not job.file_path or not Path(job.file_path).exists():
        raise NotFound("材料包尚未生成完毕，或已超过保存期限被删除")
    audit.record(user, "document_downloaded", object_type="organisation", object_id=job.organisation_id,
                 campaign_id=job.campaign_id, data={"bundle": job.stage, "file": job.filename, "job": job.id})
    return Path(job.file_path)


def build(job_id: int) -> None:
    """The job: render every document into the ZIP, counting progress; a failure is recorded on the job."""
    job = db.session.get(BundleJob, job_id)
    if job is None or job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
        return  # already built, failed for good or expired: running it again changes nothing
    user = db.session.get(User, job.requested_by_id)
    part = None
    try:
        _campaign, make = bundle_builder(user, job.organisation, job.stage, job.campaign_id)
        bundle = make()
        job.status, job.done, job.total = JobStatus.RUNNING, 0, len(bundle.entries)
        job.filename, fmt = _filename(bundle.filename, job.fmt), job.fmt
        db.session.commit()
        final = bundle_dir() / f"{job_id}-{secrets.token_hex(8)}.zip"
        part = final.with_suffix(".part")
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for arcname, render in bundle.entries:
                zf.writestr(*_as_format(arcname, render(), fmt))
                db.session.execute(sa.update(BundleJob).where(BundleJob.id == job_id)
                                   .values(done=BundleJob.done + 1).execution_options(synchronize_session=False))
                db.session.commit()  # the page reads the progress as it grows
        os.replace(part, final)
        job = db.session.get(BundleJob, job_id)
        hours = float(current_app.config.get("BUNDLE_KEEP_HOURS", 24))
        job.status, job.file_path = JobStatus.DONE, str(final)
        job.finished_at = clock.now()
        job.expires_at = job.finished_at + dt.timedelta(hours=hours)
        db.session.commit()
    except Exception as exc:  # noqa: BLE001 — shown to whoever asked and to the admin
        db.session.rollback()
        if part is not None and part.exists():
            part.unlink()
        job = db.session.get(BundleJob, job_id)
        job.status, job.error, job.finished_at = JobStatus.FAILED, f"{type(exc).__name__}: {exc}"[:2000], clock.now()
        db.session.commit()


def expire() -> int:
    """Remove the files of bundles kept past their time (a periodic job)."""
    n = 0
    for job in db.session.scalars(sa.select(BundleJob).where(BundleJob.status == JobStatus.DONE,
                                                             BundleJob.expires_at < clock.now())).all():
        if job.file_path and Path(job.file_path).exists():
            Path(job.file_path).unlink()
        job.status, job.file_path = JobStatus.EXPIRED, None
        n += 1
    db.session.commit()
    return n


register_task("bundle", build, name="build_bundle", retries=1, retry_delay=30)
register_task("expire_bundles", expire, name="expire_bundles", schedule="JOBS_EXPIRE_SCHEDULE")
