"""The provincial office's pages (batches by city, the 差额 selection board), the campaign timeline,
and the admin's campaign files."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from nominate.caching import cached_page
from sqlalchemy.orm import selectinload

from nominate.accounts.models import Role
from nominate.core.loading import load_for
from nominate.campaigns import operations
from nominate.campaigns.models import Campaign
from nominate.core import clock
from nominate.core.db import row_id, unit_of_work
from nominate.core.errors import PermissionDenied, ValidationFailed
from nominate.documents.views import available_documents
from nominate.extensions import db
from nominate.organisations.models import Organisation
from nominate.core import charts
from nominate.workflow.machine import get_workflow
from nominate.campaigns.board import batch_rows, board_data
from nominate.campaigns.queries import current_campaign, nominating_orgs

bp = Blueprint("campaigns", __name__, template_folder="templates")


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
    for row in rows:
        b = row["batch"]
        row["bundles"] = [(label, url) for label, url in (available_documents(current_user, batch=b) if b else [])
                          if "ZIP" in label]
    wf = get_workflow(campaign.workflow)
    return render_template("campaigns/batches.html", campaign=campaign, rows=rows, orgs=orgs,
                           columns=[label for label, _ in wf.overview],
                           province_documents=available_documents(current_user, org=campaign.province))


@bp.route("/province/extensions", methods=["POST"])
@login_required
def grant_extension():
    campaign = _office_campaign()
    org = load_for(current_user, Organisation, request.form.get("organisation_id", type=row_id) or 0, what="单位")
    with unit_of_work():
        operations.grant_extension(campaign, current_user, org, request.form.get("deadline_key", ""),
                                   request.form.get("until", ""), request.form.get("reason", ""))
    flash(f"已为{org.short_name}登记延期", "success")
    return redirect(url_for("campaigns.batches"))


@bp.route("/province/deadlines", methods=["POST"])
@login_required
def set_deadline():
    campaign = _office_campaign()
    with unit_of_work():
        operations.set_deadline(campaign, current_user, request.form.get("key", ""), request.form.get("due", ""))
    flash("截止日期已更新", "success")
    return redirect(url_for("campaigns.batches"))


@bp.route("/campaigns/select", methods=["POST"])
@login_required
def select():
    """Switch the campaign the pages show (the Ministry and admin see every province's)."""
    from flask import session

    from nominate.campaigns.queries import SESSION_KEY, visible_campaigns

    chosen = request.form.get("campaign_id", type=row_id)
    campaign = next((c for c in visible_campaigns(current_user) if c.id == chosen), None)
    if campaign is None:
        raise ValidationFailed("campaign_invalid", "请选择您可以查看的评选活动", "campaign_id")
    session[SESSION_KEY] = campaign.id
    flash(f"已切换到：{campaign.province.short_name} {campaign.title}（{campaign.period_label}）", "info")
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("web.home"))


@bp.route("/province/board")
@login_required
@cached_page
def board():
    campaign = _office_campaign()
    sort = request.args.get("sort") if request.args.get("sort") in ("rank", "honours") else "rank"
    return render_template("campaigns/board.html", campaign=campaign,
                           **board_page(current_user, campaign, sort=sort,
                                        honoured_only=request.args.get("honoured") == "1"))


def board_page(user, campaign, *, sort: str, honoured_only: bool) -> dict:
    """The board's data (campaigns.board) with its distributions drawn as charts."""
    data = board_data(user, campaign, sort=sort, honoured_only=honoured_only)
    data["charts"] = [charts.bar_chart(items, title=title) for title, items in data.pop("distributions")]
    return data


@bp.route("/timeline")
@login_required
@cached_page
def timeline():
    """The campaign timeline: deadlines, every publicity window the user may see, today."""
    from nominate.nominations.queries import visible_nominations
    from nominate.publicity.models import PublicityEntry, PublicityPeriod

    campaign = current_campaign(current_user)
    if campaign is None:
        return render_template("campaigns/timeline.html", campaign=None, chart=None, periods=[])
    rows = [{"label": d.label, "start": None, "end": d.due_date, "kind": "deadline"} for d in campaign.deadlines]
    visible = visible_nominations(current_user, {"campaign_id": campaign.id}).order_by(None).subquery()
    periods = db.session.scalars(db.select(PublicityPeriod).join(PublicityEntry).options(
        selectinload(PublicityPeriod.entries).selectinload(PublicityEntry.nomination)).where(
        PublicityPeriod.campaign_id == campaign.id, PublicityEntry.nomination_id.in_(db.select(visible.c.id)))
        .distinct().order_by(PublicityPeriod.start_date, PublicityPeriod.id)).all()
    groups: dict = {}
    for p in periods:  # one row per (level, start, end): the 25 unit publicities of one week are one bar
        groups.setdefault((p.level, p.start_date, p.end_date), []).extend(e.nomination.name for e in p.entries)
    for (level, start, end), names in list(groups.items())[:40]:
        who = names[0] if len(names) == 1 else f"{names[0][:8]}等{len(names)}个"
        rows.append({"label": f"{level.label}：{who}", "start": start, "end": end, "kind": "period",
                     "level": level.value})
    chart = charts.timeline_chart(rows, today=clock.today(), title=f"{campaign.title}日程")
    return render_template("campaigns/timeline.html", campaign=campaign, chart=chart, periods=periods)


@bp.route("/admin/campaigns", methods=["GET", "POST"])
@login_required
def admin_index():
    from nominate.campaigns.loader import load_campaign
    from nominate.workflow.machine import workflows_dir

    if current_user.role != Role.ADMIN:
        raise PermissionDenied("只有系统管理员可以管理评选活动")
    files = sorted(p.name for p in (workflows_dir() / "campaigns").glob("*.yaml"))
    if request.method == "POST":
        name = request.form.get("file", "")
        if name not in files:
            raise ValidationFailed("file_invalid", "请选择 workflows/campaigns/ 中的评选活动文件", "file")
        with unit_of_work():
            c = load_campaign(workflows_dir() / "campaigns" / name, actor=current_user)
        flash(f"已加载评选活动：{c.title}（{c.period_label}）", "success")
        return redirect(url_for("campaigns.admin_index"))
    campaigns = db.session.scalars(db.select(Campaign).order_by(Campaign.year.desc())).all()
    return render_template("campaigns/admin.html", campaigns=campaigns, files=files)
