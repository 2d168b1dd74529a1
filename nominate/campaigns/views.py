"""The provincial office's pages (batches by city, the 差额 selection board), the campaign timeline,
and the admin's campaign files."""
from __future__ import annotations

from collections import Counter

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from nominate.accounts.models import Role
from nominate.api.helpers import load_for
from nominate.batches.models import CityBatch
from nominate.campaigns import operations
from nominate.campaigns.models import Campaign, DeadlineExtension
from nominate.core import clock
from nominate.core.db import row_id, unit_of_work
from nominate.core.errors import PermissionDenied, ValidationFailed
from nominate.documents.views import available_documents
from nominate.extensions import db
from nominate.nominations.enums import NominationKind
from nominate.nominations.models import Nomination
from nominate.organisations.models import Organisation, OrgKind
from nominate.web import charts
from nominate.workflow.machine import get_workflow
from nominate.campaigns.queries import current_campaign, nominating_orgs
from nominate.workflow.engine import allowed_events

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
def batches():
    """Every city's batch: status, submission time, lateness and extensions."""
    campaign = _office_campaign()
    orgs = nominating_orgs(campaign)
    batches = {b.organisation_id: b for b in db.session.scalars(
        db.select(CityBatch).filter_by(campaign_id=campaign.id))}
    extensions = {(e.organisation_id, e.deadline_key): e for e in db.session.scalars(
        db.select(DeadlineExtension).filter_by(campaign_id=campaign.id))}
    counts = Counter()
    for org_id, state in db.session.execute(db.select(Nomination.owner_org_id, Nomination.state).where(
            Nomination.campaign_id == campaign.id)):
        counts[(org_id, state.value)] += 1
    due = campaign.deadline("preliminary_materials")
    wf = get_workflow(campaign.workflow)
    rows = []
    for org in orgs:
        b = batches.get(org.id)
        ext = extensions.get((org.id, "preliminary_materials"))
        limit = ext.until if ext else (due.due_date if due else None)
        submitted = b.submitted_at.astimezone(clock.SHANGHAI).date() if b and b.submitted_at else None
        # 省直 units self-declare (宁缺毋滥): not submitting is a choice, never "late"
        self_declaring = org.kind == OrgKind.PROVINCIAL_UNIT
        late = not self_declaring and limit is not None and ((submitted or clock.today()) > limit)
        rows.append({"org": org, "batch": b, "extension": ext, "late": late, "submitted_on": submitted,
                     "self_declaring": self_declaring,
                     "columns": [sum(counts.get((org.id, s), 0) for s in states) for _, states in wf.overview],
                     "bundles": [(label, url) for label, url in (available_documents(current_user, batch=b) if b else []) if "ZIP" in label]})
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


def honour_weight(honours) -> tuple:
    """Sort key for 按荣誉排序: more national, then provincial, … honours first."""
    from nominate.honours.models import LEVEL_ORDER

    counts = [0] * len(LEVEL_ORDER)
    for h in honours:
        counts[LEVEL_ORDER[h.level]] += 1
    return tuple(-c for c in counts)


def board_data(user, campaign, *, sort: str = "rank", honoured_only: bool = False) -> dict:
    """The 差额 selection board: every recommended nominee by city and rank, totals and distributions;
    sortable and filterable by the nominees' honours."""
    from nominate.honours.queries import honours_by_nomination

    noms = db.session.scalars(db.select(Nomination).where(
        Nomination.campaign_id == campaign.id, Nomination.recommended_at.is_not(None))
        .order_by(Nomination.rank, Nomination.id)).all()
    order = {org.id: i for i, org in enumerate(nominating_orgs(campaign))}
    noms.sort(key=lambda n: (order.get(n.owner_org_id, 999), n.rank or 99, n.id))
    honours = honours_by_nomination(noms)
    rows = []
    for n in noms:
        events = [t for t in allowed_events(user, n) if t.board]  # the file's ``board:`` events, in its order
        rows.append({"nom": n, "events": events, "honours": honours.get(n.id, [])})
    if honoured_only:
        rows = [r for r in rows if r["honours"]]
    if sort == "honours":
        rows.sort(key=lambda r: honour_weight(r["honours"]))  # stable: ties keep city and rank order
    selected = [n for n in noms if n.selected_at is not None]
    quota = campaign.rules.province_quota
    rules = campaign.rules

    def dist(items, key):
        c = Counter(key(n) or "未填" for n in items)
        return sorted(c.items(), key=lambda kv: -kv[1])

    windows = [n for n in selected if n.kind == NominationKind.WINDOW]
    people = [n for n in selected if n.kind == NominationKind.INDIVIDUAL]
    grassroots = sum(1 for n in windows if rules.is_grassroots(n.window_level and n.window_level.value))
    city_counts = Counter(n.owner_org.short_name for n in selected)
    charts_ = [
        charts.bar_chart([(o.short_name, city_counts.get(o.short_name, 0)) for o in nominating_orgs(campaign)],
                         title="已确定对象的地区分布"),
        charts.bar_chart(dist(windows, lambda n: n.window_category and n.window_category.label), title="窗口类别"),
        charts.bar_chart(dist(windows, lambda n: n.window_level and n.window_level.label), title="窗口级别"),
        charts.bar_chart(dist(people, lambda n: n.gender and n.gender.label), title="先进个人：性别"),
        charts.bar_chart(dist(people, lambda n: n.ethnicity), title="先进个人：民族"),
        charts.bar_chart(dist(people, lambda n: n.political_status), title="先进个人：政治面貌"),
    ]
    return {"rows": rows, "sort": sort, "honoured_only": honoured_only, "selected_windows": len(windows), "selected_people": len(people),
            "quota": quota, "grassroots": grassroots, "charts": charts_,
            "candidates": {"window": sum(1 for n in noms if n.kind == NominationKind.WINDOW),
                           "individual": sum(1 for n in noms if n.kind == NominationKind.INDIVIDUAL)}}


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
def board():
    campaign = _office_campaign()
    sort = request.args.get("sort") if request.args.get("sort") in ("rank", "honours") else "rank"
    return render_template("campaigns/board.html", campaign=campaign,
                           **board_data(current_user, campaign, sort=sort,
                                        honoured_only=request.args.get("honoured") == "1"))


@bp.route("/timeline")
@login_required
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
