"""The city's (or 省直 unit's) own page: quota meters, deadlines, its batch with rank order and report."""
from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import lazyload, load_only

from nominate.caching import cached_page

from nominate.accounts.models import NOMINATING_ROLES
from nominate.core.loading import load_for
from nominate.batches import operations
from nominate.batches.models import CityBatch
from nominate.batches.permissions import can_view_batch, holds_own_nomination
from nominate.batches.queries import dashboard_batch, latest_changes, quota_usage
from nominate.core.db import row_id, row_ids, unit_of_work
from nominate.core.errors import PermissionDenied, ValidationFailed
from nominate.extensions import db
from nominate.nominations.forms import rule_words
from nominate.nominations.models import Nomination
from nominate.nominations.queries import visible_nominations
from nominate.campaigns.queries import current_campaign, deadlines_for

bp = Blueprint("batches", __name__, url_prefix="/batches", template_folder="templates")


@bp.route("/")
@login_required
@cached_page
def dashboard():
    if current_user.role not in NOMINATING_ROLES:
        raise PermissionDenied("本页面供市级人社部门和省直单位使用")
    campaign = current_campaign(current_user)
    if campaign is None:
        return render_template("batches/dashboard.html", campaign=None)
    # a GET writes nothing: the batch is made by the first recommendation (workflow effect), not by a visit
    batch = dashboard_batch(campaign.id, current_user.organisation_id)
    if batch is not None and holds_own_nomination(current_user, batch):
        raise PermissionDenied("您本人是本单位的推荐对象，不能经办本单位的推荐批次，请由其他工作人员办理")
    # the list by state shows a name, a kind and a state: those columns, not whole rows joined to their campaign
    # (their ids as one column: no subquery of every column built per request)
    visible = visible_nominations(current_user, {"campaign_id": campaign.id}).with_only_columns(
        Nomination.id).order_by(None)
    noms = db.session.scalars(db.select(Nomination).options(
        load_only(Nomination.kind, Nomination.state, Nomination.window_name, Nomination.person_name),
        lazyload(Nomination.campaign), lazyload(Nomination.owner_org))
        .where(Nomination.id.in_(visible)).order_by(Nomination.id)).all()
    by_state = defaultdict(list)
    for n in noms:
        by_state[n.state_label].append(n)
    ranked = sorted((n for n in batch.nominations if n.rank is not None), key=lambda n: n.rank) if batch else []
    moves = operations.rank_moves(batch, ranked) if batch else {}
    pending = operations.pending_submission(batch) if batch else []
    return render_template("batches/dashboard.html", campaign=campaign, batch=batch, words=rule_words(campaign),
                           usage=quota_usage(campaign, current_user.organisation),
                           deadlines=deadlines_for(current_user, campaign), by_state=dict(by_state), ranked=ranked,
                           moves=moves, can_reorder=any(up or down for up, down in moves.values()),
                           ranks_open=batch is not None and operations.ranks_are_open(batch),
                           report_open=batch is not None and operations.report_is_open(batch),
                           pending=pending, submission_blockers=operations.submission_blockers(batch, current_user)
                           if pending else [])


@bp.route("/<int:batch_id>")
@login_required
def show(batch_id):
    """A batch as submitted: each submission, and what the last one changed from the one before."""
    batch = _batch(batch_id)
    ranked = sorted((n for n in batch.nominations if n.rank is not None), key=lambda n: n.rank)
    return render_template("batches/show.html", batch=batch, ranked=ranked, snapshots=batch.snapshots,
                           changes=latest_changes(batch))



def _batch(batch_id) -> CityBatch:
    return load_for(current_user, CityBatch, batch_id, can=can_view_batch, what="推荐批次")


@bp.route("/<int:batch_id>/report", methods=["POST"])
@login_required
def save_report(batch_id):
    batch = _batch(batch_id)
    field = request.form.get("which", "report_text")
    if field not in ("report_text", "formal_report_text"):
        raise ValidationFailed("field_invalid", "未知的报告类别", "which")
    with unit_of_work():
        operations.set_batch_report(batch, current_user, **{field: request.form.get("text", "")})
    flash("推荐工作报告已保存", "success")
    return redirect(url_for("batches.dashboard") + "#report")


@bp.route("/<int:batch_id>/order", methods=["POST"])
@login_required
def reorder(batch_id):
    batch = _batch(batch_id)
    ids = row_ids(request.form.getlist("order"))
    move = request.form.get("move")
    if move:  # the no-JavaScript up/down buttons: "<id>:up" or "<id>:down"
        nid, _, direction = move.partition(":")
        if row_id(nid) in ids:
            i = ids.index(row_id(nid))
            j = i - 1 if direction == "up" else i + 1
            if 0 <= j < len(ids):
                ids[i], ids[j] = ids[j], ids[i]
    with unit_of_work():
        operations.reorder_batch(batch, current_user, ids)
    flash("推荐顺序已保存", "success")
    return redirect(url_for("batches.dashboard") + "#rank")


@bp.route("/<int:batch_id>/submit", methods=["POST"])
@login_required
def submit(batch_id):
    batch = _batch(batch_id)
    with unit_of_work():
        sent = operations.submit_city_batch(batch, current_user)
    flash(f"已报送初审材料：{len(sent)} 个推荐对象", "success")
    return redirect(url_for("batches.dashboard"))
