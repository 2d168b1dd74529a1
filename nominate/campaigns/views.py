"""Choosing the campaign the pages show, and the admin's campaign files. The office's overview pages
(batches by city, the selection board, the timeline) are in nominate/office/."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from nominate.accounts.models import Role
from nominate.campaigns.models import Campaign
from nominate.core.db import row_id, unit_of_work
from nominate.core.errors import PermissionDenied, ValidationFailed
from nominate.extensions import db

bp = Blueprint("campaigns", __name__, template_folder="templates")


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
