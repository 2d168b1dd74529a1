"""The office's pages over several areas: every city's batch (各市报送, with extensions and deadlines), the
差额 selection board, and the campaign timeline (deadlines and publicity windows). They read batches,
nominations, honours and publicity, so they sit above those areas, not in campaigns."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import lazyload

from nominate.caching import cached_page
from nominate.accounts.models import Role
from nominate.campaigns import operations
from nominate.campaigns.models import Campaign
from nominate.campaigns.queries import current_campaign, nominating_orgs
from nominate.core import charts, clock
from nominate.core.db import row_id, unit_of_work
from nominate.core.errors import PermissionDenied, ValidationFailed
from nominate.core.loading import load_for
from nominate.extensions import db
from nominate.nominations.models import Nomination, nominee_name
from nominate.nominations.queries import visible_nominations
from nominate.office.board import batch_rows, board_data
from nominate.organisations.models import Organisation
from nominate.publicity.models import PublicityEntry, PublicityPeriod
from nominate.workflow.machine import get_workflow

bp = Blueprint("office", __name__, template_folder="templates")


def _office_campaign() -> Campaign:
    if current_user.role != Role.PROVINCE_OFFICE:
        raise PermissionDenied("本页面供省推荐评选办使用")
    campaign = current_campaign(current_user)
    if campaign is None:
        raise ValidationFailed("campaign_missing", "本省尚无评选活动", "campaign")
    return campaign


@bp.route("/province/batches")
@login_required
@cached_page
def batches():
    """Every city's batch: status, submission time, lateness and extensions."""
    campaign = _office_campaign()
    orgs = nominating_orgs(campaign)
    rows = batch_rows(campaign, orgs)
    wf = get_workflow(campaign.workflow)
    return render_template("office/batches.html", campaign=campaign, rows=rows, orgs=orgs,
                           columns=[label for label, _ in wf.overview])


@bp.route("/province/extensions", methods=["POST"])
@login_required
def grant_extension():
    campaign = _office_campaign()
    org = load_for(current_user, Organisation, request.form.get("organisation_id", type=row_id) or 0, what="单位")
    with unit_of_work():
        operations.grant_extension(campaign, current_user, org, request.form.get("deadline_key", ""),
                                   request.form.get("until", ""), request.form.get("reason", ""))
    flash(f"已为{org.short_name}登记延期", "success")
    return redirect(url_for("office.batches"))


@bp.route("/province/deadlines", methods=["POST"])
@login_required
def set_deadline():
    campaign = _office_campaign()
    with unit_of_work():
        operations.set_deadline(campaign, current_user, request.form.get("key", ""), request.form.get("due", ""))
    flash("截止日期已更新", "success")
    return redirect(url_for("office.batches"))


@bp.route("/province/board")
@login_required
@cached_page
def board():
    campaign = _office_campaign()
    sort = request.args.get("sort") if request.args.get("sort") in ("rank", "honours") else "rank"
    return render_template("office/board.html", campaign=campaign,
                           **board_page(current_user._get_current_object(), campaign, sort=sort,
                                        honoured_only=request.args.get("honoured") == "1"))


def board_page(user, campaign, *, sort: str, honoured_only: bool) -> dict:
    """The board's data (office.board) with its distributions drawn as charts."""
    data = board_data(user, campaign, sort=sort, honoured_only=honoured_only)
    data["charts"] = [charts.bar_chart(items, title=title) for title, items in data.pop("distributions")]
    return data


@bp.route("/timeline")
@login_required
@cached_page
def timeline():
    """The campaign timeline: deadlines, every publicity window the user may see, today."""
    campaign = current_campaign(current_user)
    if campaign is None:
        return render_template("office/timeline.html", campaign=None, chart=None, periods=[])
    rows = [{"label": d.label, "start": None, "end": d.due_date, "kind": "deadline"} for d in campaign.deadlines]
    visible = visible_nominations(current_user, {"campaign_id": campaign.id}).order_by(None).with_only_columns(
        Nomination.id)
    periods = db.session.scalars(db.select(PublicityPeriod).join(PublicityEntry).options(
        lazyload(PublicityPeriod.organisation)).where(
        PublicityPeriod.campaign_id == campaign.id, PublicityEntry.nomination_id.in_(visible))
        .distinct().order_by(PublicityPeriod.start_date, PublicityPeriod.id)).all()
    # every nominee each period lists, by name (three columns, not whole rows)
    listed: dict[int, list[str]] = {p.id: [] for p in periods}
    for period_id, kind, window_name, person_name in db.session.execute(
            db.select(PublicityEntry.period_id, Nomination.kind, Nomination.window_name, Nomination.person_name)
            .join(Nomination, PublicityEntry.nomination_id == Nomination.id)
            .where(PublicityEntry.period_id.in_(list(listed))).order_by(PublicityEntry.id)) if listed else ():
        listed[period_id].append(nominee_name(kind, window_name, person_name))
    groups: dict = {}
    for p in periods:  # one row per (level, start, end): the 25 unit publicities of one week are one bar
        groups.setdefault((p.level, p.start_date, p.end_date), []).extend(listed[p.id])
    for (level, start, end), names in list(groups.items())[:40]:
        # the first name shortened to the room the count leaves ("…等31个"), every name on hover
        prefix, count = f"{level.label}：", (f"等{len(names)}个" if len(names) > 1 else "")
        first = charts.fit(names[0], charts.TIMELINE_LABEL_ROOM - charts.text_width(prefix + count))
        more = "、".join(names[:12]) + (f"等{len(names)}个" if len(names) > 12 else "")
        rows.append({"label": prefix + first + count, "full": prefix + more, "start": start, "end": end,
                     "kind": "period", "level": level.value})
    chart = charts.timeline_chart(rows, today=clock.today(), title=f"{campaign.title}日程")
    return render_template("office/timeline.html", campaign=campaign, chart=chart, periods=periods, listed=listed)
