"""征求意见: the signers' inbox and their one row; the office's overview and the police requests."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from nominate.accounts.models import Role
from nominate.core.loading import load_for
from nominate.core.db import row_ids, unit_of_work
from nominate.core.errors import DomainError, PermissionDenied
from nominate.extensions import db
from nominate.nominations import permissions
from nominate.nominations.enums import NominationKind
from nominate.workflow.machine import get_workflow
from nominate.nominations.models import Nomination
from nominate.opinions import operations
from nominate.opinions.forms import SignForm
from nominate.opinions.models import Opinion
from nominate.opinions.queries import corrections_of, correction_refusal, rows_for
from nominate.core.forms import apply_errors
from nominate.campaigns.queries import current_campaign

bp = Blueprint("opinions", __name__, url_prefix="/opinions", template_folder="templates")


@bp.route("/")
@login_required
def inbox():
    """A signer's rows: waiting ones first, then those already signed."""
    if current_user.role not in permissions.SIGNER_SLOT:
        raise PermissionDenied("只有纪检监察、组织人事、省级公安部门签署意见")
    return render_template("opinions/inbox.html", rows=rows_for(current_user), can_sign=permissions.can_sign_now)


@bp.route("/<int:opinion_id>/sign", methods=["GET", "POST"])
@login_required
def sign(opinion_id):
    """A row to sign; once signed, a read-only view of it, with a correction (re-sign with a reason) while allowed."""
    opinion = load_for(current_user, Opinion, opinion_id, can=permissions.can_sign, what="意见栏")
    signed = opinion.status.value == "signed"
    refusal = correction_refusal(opinion) if signed else None
    form = SignForm()
    if request.method == "GET":
        form.signed_on.data = ""
        if signed:
            form.verdict.data, form.text.data, form.signer_name.data = (opinion.verdict.value, opinion.text,
                                                                       opinion.signer_name)
    if form.validate_on_submit():
        try:
            with unit_of_work():
                if signed:
                    operations.correct_opinion(opinion, current_user, verdict=form.verdict.data, text=form.text.data,
                                               signer_name=form.signer_name.data, reason=form.reason.data,
                                               signed_on=form.signed_on.data or None)
                else:
                    operations.sign_opinion(opinion, current_user, verdict=form.verdict.data, text=form.text.data,
                                            signer_name=form.signer_name.data, signed_on=form.signed_on.data or None)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            flash(f"已{'更正' if signed else '签署'} {opinion.nomination.person_name} 的{opinion.slot_label}", "success")
            return redirect(url_for("opinions.inbox"))
    return render_template("opinions/sign.html", opinion=opinion, nom=opinion.nomination, form=form, signed=signed,
                           correction_refusal=refusal,
                           corrections=corrections_of(opinion) if signed else [])


@bp.route("/overview")
@login_required
def overview():
    """The office: every individual in formal materials with the state of their three rows."""
    if current_user.role != Role.PROVINCE_OFFICE:
        raise PermissionDenied("只有省推荐评选办可以查看征求意见汇总")
    campaign = current_campaign(current_user)
    noms = db.session.scalars(db.select(Nomination).where(
        Nomination.campaign_id == campaign.id, Nomination.kind == NominationKind.INDIVIDUAL,
        Nomination.state.in_(sorted(get_workflow(campaign.workflow).tagged("opinions_open")))).order_by(Nomination.owner_org_id)).all() if campaign else []
    return render_template("opinions/overview.html", noms=noms)


@bp.route("/police-requests", methods=["POST"])
@login_required
def request_police():
    ids = row_ids(request.form.getlist("nomination_id"))
    noms = [load_for(current_user, Nomination, i, can=permissions.can_view, what="推荐对象") for i in ids]
    with unit_of_work():
        created = operations.request_police_opinions(noms, current_user)
    flash(f"已向省级公安部门征求 {len(created)} 人的意见", "success")
    return redirect(url_for("opinions.overview"))
