"""Bundles built in the background: ask, watch the progress (documents done / total), download when ready."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from nominate.core.loading import load_for
from nominate.core.db import row_id, unit_of_work
from nominate.core.errors import ValidationFailed
from nominate.core import pdf
from nominate.documents.bundle import STAGE_LABELS
from nominate.documents.operations import bundle_builder
from nominate.jobs import operations
from nominate.extensions import db
from nominate.jobs.models import BundleJob, JobStatus
from nominate.core.queue import enqueue
from nominate.organisations.models import Organisation

bp = Blueprint("jobs", __name__, url_prefix="/jobs", template_folder="templates")


@bp.app_template_global()
def failed_bundles() -> list[BundleJob]:
    """The bundles that failed for good, newest first: a section of the admin's 后台任务 page (notifications)."""
    return db.session.scalars(db.select(BundleJob).where(BundleJob.status == JobStatus.FAILED)
                              .order_by(BundleJob.id.desc()).limit(100)).all()


def _org_and_stage(values):
    org_id = values.get("org_id", type=int)
    if not org_id:
        raise ValidationFailed("org_required", "请选择单位", "org_id")
    org = load_for(current_user, Organisation, org_id, what="单位")
    stage = values.get("stage", "preliminary")
    return org, stage, row_id(values.get("campaign_id") or "")  # a number no column holds is "none given"


@bp.route("/bundles/new")
@login_required
def new_bundle():
    """Confirm: which bundle, how many documents; the button starts the job."""
    org, stage, campaign_id = _org_and_stage(request.args)
    _campaign, build = bundle_builder(current_user, org, stage, campaign_id)
    return render_template("jobs/new_bundle.html", org=org, stage=stage, stage_label=STAGE_LABELS[stage],
                           documents=len(build().entries), campaign_id=campaign_id, pdf_available=pdf.available())


@bp.route("/bundles", methods=["POST"])
@login_required
def create_bundle():
    org, stage, campaign_id = _org_and_stage(request.form)
    with unit_of_work():
        job = operations.request_bundle(current_user, org, stage, campaign_id, request.form.get("fmt", "docx"))
    enqueue("bundle", job.id)
    return redirect(url_for("jobs.show_bundle", job_id=job.id))


@bp.route("/bundles/<int:job_id>")
@login_required
def show_bundle(job_id):
    """The progress bar; the page refreshes itself until the bundle is ready (no JavaScript needed)."""
    job = load_for(current_user, BundleJob, job_id, can=operations.can_get, what="材料包任务")
    return render_template("jobs/bundle.html", job=job, stage_label=STAGE_LABELS.get(job.stage, job.stage))


@bp.route("/bundles/<int:job_id>/download")
@login_required
def download_bundle(job_id):
    job = load_for(current_user, BundleJob, job_id, can=operations.can_get, what="材料包任务")
    with unit_of_work():
        path = operations.open_download(current_user, job)
    response = send_file(path, mimetype="application/zip", as_attachment=True, download_name=job.filename)
    response.headers["Cache-Control"] = "no-store"
    return response
