"""审计查询: the admin's and the 纪检监察 signers' search over the audit trail, and its .xlsx export.

The filters travel in the POST body, never in the URL: a 身份证号 typed in must not land in an access log
or the browser history.
"""
from __future__ import annotations

import io

from flask import Blueprint, current_app, render_template, request, send_file
from flask_login import current_user, login_required

from nominate.accounts.models import Role
from nominate.accountability import filters as audit_filters
from nominate.accountability.export import action_choices, export_events, rows
from nominate.accountability.queries import can_search, count, known_actions, search_events
from nominate.campaigns.models import Campaign
from nominate.core.db import unit_of_work
from nominate.core.errors import PermissionDenied, ValidationFailed
from nominate.extensions import db
from nominate.organisations.models import Organisation

bp = Blueprint("audit", __name__, url_prefix="/audit", template_folder="templates")
PER_PAGE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.before_request
@login_required
def _reviewers_only():
    if not can_search(current_user):
        raise PermissionDenied("只有系统管理员和纪检监察部门可以查询审计记录")


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/", methods=["GET", "POST"])
def search():
    """The form, and the matching rows newest first (GET: the newest rows, unfiltered)."""
    raw = {k: request.form.get(k, "") for k in audit_filters.LABELS} if request.method == "POST" else {}
    error, filters = None, {}
    try:
        filters = audit_filters.from_query(raw)
    except ValidationFailed as exc:
        error = exc
    page = min(max(request.form.get("page", 1, type=int) or 1, 1), 100000) if request.method == "POST" else 1
    events, total = [], 0
    if error is None:
        q = search_events(current_user, filters)
        total = count(q)
        events = list(rows(db.session.scalars(q.offset((page - 1) * PER_PAGE).limit(PER_PAGE)).all()))
    page_html = render_template(
        "audit/search.html", raw=raw, error=error, events=events, total=total, page=page, per_page=PER_PAGE,
        actions=action_choices(known_actions()), campaigns=db.session.scalars(db.select(Campaign).order_by(Campaign.year.desc())).all(),
        organisations=db.session.scalars(db.select(Organisation).order_by(Organisation.kind, Organisation.sort_order,
                                                                          Organisation.id)).all(),
        min_days=current_app.config["AUDIT_RETENTION_MIN_DAYS"], is_admin=current_user.role == Role.ADMIN)
    return _no_store(current_app.make_response((page_html, 422 if error else 200)))


@bp.route("/export", methods=["POST"])
def export():
    """The rows matching the posted filters as .xlsx (audited)."""
    filters = audit_filters.from_query({k: request.form.get(k, "") for k in audit_filters.LABELS})
    with unit_of_work():
        content, _ = export_events(current_user, filters, max_rows=current_app.config["AUDIT_EXPORT_MAX_ROWS"])
    response = send_file(io.BytesIO(content), mimetype=XLSX, as_attachment=True, download_name="审计记录.xlsx")
    return _no_store(response)
