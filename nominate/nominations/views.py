"""Nomination pages: list, create, edit, the nomination page with its actions and history."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import lazyload, load_only

from nominate.caching import cached_page

from nominate.core.loading import load_for
from nominate.core.uploads import Upload
from nominate.core.db import MAX_ID, unit_of_work
from nominate.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from nominate.extensions import db
from nominate.nominations import operations, permissions
from nominate.nominations.enums import NominationKind, NominationState
from nominate.nominations.forms import (PhotoForm, form_values, hints_for, model_values, nomination_form,
                                        sections_for)
from nominate.nominations.models import Nomination
from nominate.nominations.queries import history, page_with_total, visible_nominations  # noqa: F401  (history: re-exported)
from nominate.core.forms import apply_errors
from nominate.campaigns.queries import current_campaign, nominating_orgs
from nominate.nominations.page import eligibility, eligibility_notes
from nominate.workflow.engine import fire_event

bp = Blueprint("nominations", __name__, url_prefix="/nominations", template_folder="templates")
PER_PAGE = 50
#: what nominations/index.html shows of a row (name, kind, owner, level or 身份证号, phone, rank, state)
LISTED = (Nomination.kind, Nomination.state, Nomination.campaign_id, Nomination.owner_org_id, Nomination.window_name,
          Nomination.person_name, Nomination.window_level, Nomination.id_number, Nomination.leader_phone,
          Nomination.phone, Nomination.rank, Nomination.version)


def _load(nomination_id, can=permissions.can_view) -> Nomination:
    return load_for(current_user, Nomination, nomination_id, can=can, what="推荐对象")


@bp.route("/")
@login_required
@cached_page
def index():
    campaign = current_campaign(current_user)
    filters = {"campaign_id": campaign.id if campaign else None, "kind": request.args.get("kind") or None,
               "state": request.args.get("state") or None, "q": (request.args.get("q") or "").strip()[:40] or None,
               "owner_org_id": _id_arg("org")}
    if filters["kind"] not in (None, *NominationKind._value2member_map_):
        filters["kind"] = None
    if filters["state"] not in (None, *NominationState._value2member_map_):
        filters["state"] = None
    page = min(max(request.args.get("page", 1, type=int), 1), 100000)
    # the rows' campaign is the page's (in the session already): not joined to every row, whose 4 KB config the
    # driver would parse once per row; of each row only the columns the table shows (not its deeds' long texts)
    # the total counted in the rows' own statement (a window count, taken before the limit; a separate count only
    # for a page past the end); no photo (the table does not show one)
    q = visible_nominations(current_user, filters, with_photo=False).options(lazyload(Nomination.campaign), load_only(*LISTED)) \
        .order_by(None).order_by(Nomination.owner_org_id, Nomination.kind, Nomination.rank, Nomination.id)
    rows, total = page_with_total(q, page, PER_PAGE)
    orgs = []
    if current_user.role.value in ("province_office", "admin", "ministry") and campaign:
        orgs = nominating_orgs(campaign)
    # each row's link is this prefix and its id (url_for once, not once per row)
    show_prefix = url_for("nominations.show", nomination_id=1).removesuffix("1")
    return render_template("nominations/index.html", rows=rows, total=total, page=page, per_page=PER_PAGE,
                           show_prefix=show_prefix,
                           filters=filters, states=NominationState, orgs=orgs, campaign=campaign,
                           can_create=bool(campaign and permissions.can_create_in(current_user, campaign)))


def _id_arg(name) -> int | None:
    value = request.args.get(name, type=int)
    return value if value and 0 < value <= MAX_ID else None


@bp.route("/new/<kind>", methods=["GET", "POST"])
@login_required
def new(kind):
    campaign = current_campaign(current_user)
    if kind not in NominationKind._value2member_map_:
        raise NotFound("推荐类别不存在")
    if campaign is None or not permissions.can_create_in(current_user, campaign):
        raise PermissionDenied("只有本省的市级人社部门或省直单位可以新增推荐对象")
    form = nomination_form(kind, campaign)
    if form.validate_on_submit():
        try:
            with unit_of_work():
                nom = operations.create_nomination(campaign, current_user, kind, form_values(form))
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            flash(f"已保存推荐对象“{nom.name}”（草稿）", "success")
            return _after_save(nom)
    return render_template("nominations/form.html", form=form, sections=sections_for(form, campaign), kind=kind,
                           kind_label=NominationKind.label_of(kind), nomination=None, campaign=campaign,
                           hints=hints_for(campaign), notes={})


@bp.route("/<int:nomination_id>/edit", methods=["GET", "POST"])
@login_required
def edit(nomination_id):
    nom = _load(nomination_id)
    if not permissions.can_edit(current_user, nom):
        raise PermissionDenied(f"推荐对象当前状态为“{nom.state_label}”，您不能修改")
    form = nomination_form(nom.kind.value, nom.campaign, data=None if request.method == "POST" else model_values(nom))
    if form.validate_on_submit():
        try:
            with unit_of_work():
                operations.update_nomination(nom, current_user, form_values(form))
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            flash("已保存修改", "success")
            return _after_save(nom)
    return render_template("nominations/form.html", form=form, sections=sections_for(form, nom.campaign),
                           kind=nom.kind.value, kind_label=nom.kind_label, nomination=nom, campaign=nom.campaign,
                           hints=hints_for(nom.campaign), notes=eligibility_notes(nom))


def _after_save(nom):
    """Saved: to the page, or back to the form when a rule of the campaign is not met (each beside its field)."""
    problems = eligibility(nom)
    if problems:
        hard = sum(1 for p in problems if p.hard)
        flash(f"已保存。有 {len(problems)} 项推荐条件尚未满足（见各项旁的提示）："
              + ("不符合条件的不能开始本单位公示" if hard else "须填写推荐说明后方可开始本单位公示"), "error")
        return redirect(url_for("nominations.edit", nomination_id=nom.id))
    return redirect(url_for("nominations.show", nomination_id=nom.id))


@bp.route("/<int:nomination_id>/delete", methods=["GET", "POST"])
@login_required
def delete(nomination_id):
    """Delete an unsubmitted draft: a confirmation page first (works without JavaScript), then the deletion."""
    nom = _load(nomination_id)
    if request.method == "GET":
        if not permissions.is_owner(current_user, nom) or permissions.is_nominee(current_user, nom):
            raise PermissionDenied("只有推荐单位可以删除本单位的草稿")
        if not permissions.can_delete(current_user, nom):
            raise ValidationFailed("not_deletable", f"推荐对象当前状态为“{nom.state_label}”：只有尚未开始公示的草稿可以删除，"
                                                    "已开始办理的推荐对象可“撤回”", "state")
        return render_template("nominations/delete.html", nom=nom)
    name = nom.name
    with unit_of_work():
        operations.delete_draft(nom, current_user, request.form.get("reason"))
    flash(f"草稿“{name}”已删除", "success")
    return redirect(url_for("nominations.index"))


@bp.route("/<int:nomination_id>")
@login_required
def show(nomination_id):
    from nominate.nominations.page import nomination_page

    nom = _load(nomination_id)
    return render_template("nominations/show.html", **nomination_page(current_user, nom))


@bp.route("/<int:nomination_id>/events/<event>", methods=["POST"])
@login_required
def fire(nomination_id, event):
    """Fire one workflow event from the nomination page; a refusal comes back as a message."""
    nom = _load(nomination_id)
    params = {"start_date": request.form["start_date"]} if request.form.get("start_date") else {}
    if (request.form.get("backdate_reason") or "").strip():
        params["backdate_reason"] = request.form["backdate_reason"].strip()
    notice = request.files.get("notice")
    if notice is not None and notice.filename:
        params["notice"] = Upload(notice.filename, notice.read())
    with unit_of_work():
        fire_event(nom, event, current_user, comment=(request.form.get("comment") or "").strip() or None,
                   params=params)
    flash(f"已办理：{nom.campaign and _event_label(nom, event)}。当前状态：{nom.state_label}", "success")
    return redirect(url_for("nominations.show", nomination_id=nom.id))


def _event_label(nom, event):
    t = nom.workflow.transitions.get(event)
    return t.label if t else event


@bp.route("/<int:nomination_id>/photo", methods=["POST"])
@login_required
def upload_photo(nomination_id):
    nom = _load(nomination_id, can=permissions.can_edit)
    form = PhotoForm()
    if not form.validate_on_submit() or not form.photo.data:
        raise DomainError("photo_missing", "请选择要上传的照片文件", "photo")
    with unit_of_work():
        operations.upload_photo(nom, current_user, form.photo.data.read(),
                                current_app.config["UPLOAD_MAX_BYTES"])
    flash("证件照已上传", "success")
    return redirect(url_for("nominations.show", nomination_id=nom.id))


@bp.route("/<int:nomination_id>/photo.jpg")
@login_required
def photo(nomination_id):
    nom = _load(nomination_id)
    if nom.photo is None:
        raise NotFound("尚未上传证件照")
    return Response(nom.photo.content, mimetype=nom.photo.mime,
                    headers={"Cache-Control": "private, max-age=60", "X-Content-Type-Options": "nosniff"})


@bp.route("/<int:nomination_id>/formal", methods=["POST"])
@login_required
def submit_formal(nomination_id):
    nom = _load(nomination_id)
    with unit_of_work():
        operations.submit_formal_materials(nom, current_user)
    flash("正式推荐材料已报送", "success")
    return redirect(url_for("nominations.show", nomination_id=nom.id))
