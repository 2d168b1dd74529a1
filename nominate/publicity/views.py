"""公示 pages: the office's provincial/national publicity periods, objections and their investigation."""
from __future__ import annotations

import io

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, lazyload, selectinload

from nominate.accounts.models import Role
from nominate.core.loading import load_for
from nominate.core.db import row_ids, unit_of_work
from nominate.core.errors import NotFound, PermissionDenied
from nominate.extensions import db
from nominate.nominations import permissions
from nominate.nominations.models import Nomination
from nominate.publicity import operations
from nominate.publicity.queries import current_periods
from nominate.publicity.permissions import can_handle_objections, can_resolve_objection, can_run, can_see_objector
from nominate.publicity.models import Objection, PublicityEntry, PublicityLevel, PublicityPeriod
from nominate.campaigns.queries import current_campaign
from nominate.workflow.machine import get_workflow
from nominate.core.db import reading
from nominate.workflow.engine import allowed_events
from nominate.workflow.readiness import check_event

bp = Blueprint("publicity", __name__, url_prefix="/publicity", template_folder="templates")

bp.add_app_template_global(can_resolve_objection)

PUBLICITY_LEVELS = (("unit", "本单位公示"), ("province", "省级公示"), ("national", "全国公示"))


@bp.app_template_global()
def publicity_sections(user, nom) -> list[dict]:
    """The nomination page's 公示 sections: each period of the nominee, its objections, what the user may do."""
    out = []
    periods = current_periods([nom.id])  # the three levels in one query (and their objections in one more)
    for level, label in PUBLICITY_LEVELS:
        period = periods.get((nom.id, level))
        if period is None:
            continue
        objections = [o for o in period.objections if o.nomination_id == nom.id]
        out.append({"level": level, "label": label, "period": period, "objections": objections,
                    "see_objector": can_see_objector(user, period),
                    "can_handle": can_handle_objections(user, period, nom),
                    "running": nom.workflow.publicity_level(nom.state.value) == level})
    return out


def _require_runner():
    if current_user.role not in (Role.PROVINCE_OFFICE, Role.MINISTRY):
        raise PermissionDenied("只有省推荐评选办（或人社部）组织省级、全国公示")


@bp.route("/")
@login_required
def index():
    """Periods of the campaign, and who can be put into a new provincial or national publicity."""
    _require_runner()
    user = current_user._get_current_object()  # the rows' checks read it hundreds of times: not through the proxy
    campaign = current_campaign(user)
    periods = db.session.scalars(db.select(PublicityPeriod).where(
        PublicityPeriod.campaign_id == campaign.id, PublicityPeriod.level != PublicityLevel.UNIT)
        .order_by(PublicityPeriod.start_date.desc(), PublicityPeriod.id.desc())
        # each period's entries with their nominees in one statement (a nominee row per entry: joined)
        .options(selectinload(PublicityPeriod.entries).joinedload(PublicityEntry.nomination)
                 .lazyload(Nomination.campaign),  # the page's campaign, in the session: not joined to every row
                 selectinload(PublicityPeriod.objections))).all() if campaign else []
    ready = {"province": [], "national": []}
    if campaign:
        starts = get_workflow(campaign.workflow).listing_starts()  # level → the event that lists a nominee
        candidates = db.session.scalars(db.select(Nomination).where(
            Nomination.campaign_id == campaign.id,
            Nomination.state.in_(sorted({s for t in starts.values() for s in t.sources})))
            .order_by(Nomination.owner_org_id, Nomination.kind, Nomination.rank)
            .options(joinedload(Nomination.photo),  # the guards read them (the photo without its bytes): a few
                     joinedload(Nomination.opinions),  # rows each, joined (a statement less each)
                     lazyload(Nomination.campaign))).unique().all()  # the page's campaign: its config not parsed per row
        with reading():  # every blocker of each nominee, without a row lock (the to-do list's check)
            for nom in candidates:
                for level, t in starts.items():
                    if any(a.event == t.event for a in allowed_events(user, nom)):
                        ready[level].append((nom, check_event(nom, t, user)))
    return render_template("publicity/index.html", periods=periods, ready=ready, campaign=campaign,
                           working_days=campaign.rules.publicity_working_days if campaign else None)


@bp.route("/start/<level>", methods=["POST"])
@login_required
def start(level):
    """Start one provincial or national publicity listing the ticked nominees (all or nothing)."""
    _require_runner()
    ids = row_ids(request.form.getlist("nomination_id"))
    noms = [load_for(current_user, Nomination, i, can=permissions.can_view, what="推荐对象") for i in ids]
    with unit_of_work():
        period = operations.start_publicity(noms, level, current_user, request.form.get("start_date") or None)
    flash(f"已开始{period.level.label}：{period.period_text}，共 {len(noms)} 个推荐对象", "success")
    return redirect(url_for("publicity.index"))


@bp.route("/periods/<int:period_id>/finish", methods=["POST"])
@login_required
def finish(period_id):
    _require_runner()
    period = load_for(current_user, PublicityPeriod, period_id, what="公示", can=can_run)
    with unit_of_work():
        done, held = operations.finish_publicity(period, current_user)
    flash(f"公示已结束，{len(done)} 个推荐对象进入下一环节", "success")
    if held:
        flash("、".join(n.name for n in held) + "：异议尚在调查，登记调查结论后再结束其公示", "warning")
    return redirect(url_for("publicity.index"))


@bp.route("/periods/<int:period_id>/notice")
@login_required
def notice(period_id):
    """The scanned publicity notice of a publicity recorded after it started: whoever may see a nominee it lists."""
    period = load_for(current_user, PublicityPeriod, period_id, what="公示",
                      can=lambda u, p: any(permissions.can_view(u, e.nomination) for e in p.entries))
    if period.notice is None:
        raise NotFound("该公示没有上传公示通知扫描件")
    n = period.notice
    response = send_file(io.BytesIO(n.content), mimetype=n.mime, download_name=n.filename, as_attachment=True)
    response.headers["Cache-Control"] = "private, max-age=60"
    return response


@bp.route("/nominations/<int:nomination_id>/objections", methods=["POST"])
@login_required
def object(nomination_id):
    """Record an objection against a nominee in its running publicity."""
    nom = load_for(current_user, Nomination, nomination_id, can=permissions.can_view, what="推荐对象")
    with unit_of_work():
        operations.record_objection(nom, current_user, content=request.form.get("content", ""),
                                    received_on=request.form.get("received_on") or None,
                                    objector_name=(request.form.get("objector_name") or "").strip()[:80] or None,
                                    objector_contact=(request.form.get("objector_contact") or "").strip()[:120] or None)
    flash("异议已登记；调查结论登记前，公示不能结束", "warning")
    return redirect(url_for("nominations.show", nomination_id=nom.id))


@bp.route("/objections/<int:objection_id>/resolve", methods=["POST"])
@login_required
def resolve(objection_id):
    obj = load_for(current_user, Objection, objection_id, what="异议",
                   can=lambda u, o: permissions.can_view(u, o.nomination))
    with unit_of_work():
        operations.resolve_objection(obj, current_user, outcome=request.form.get("outcome", ""),
                                     investigation=request.form.get("investigation", ""))
    flash("调查结论已登记" + ("，已取消推荐资格" if obj.status.value == "upheld" else "，公示继续"), "success")
    return redirect(url_for("nominations.show", nomination_id=obj.nomination_id))
