"""The shared web layer: layout, navigation, template helpers, the home page with its to-do list."""
from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from nominate.campaigns.queries import current_campaign, visible_campaigns
from nominate.core import clock
from nominate.core.errors import DomainError
from nominate.core.masking import mask_id, mask_phone
from nominate.core.urls import id_link, kept_url
from nominate.nominations.validation import count_chars
from nominate.web import todo
from nominate.web.nav import nav_items
from nominate.workdays.calendar import publicity_end

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/web")


def cn_date(value) -> str:
    """2021年9月7日 (the way the notices write dates); a stored time is first turned into its Shanghai day."""
    day = clock.local_day(value)
    if not day:
        return ""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_datetime(value) -> str:
    if not value:
        return ""
    local = clock.local_time(value)
    return f"{cn_date(local)} {local:%H:%M}"


@bp.app_template_filter("cn_date")
def _cn_date(value):
    return cn_date(value)


@bp.app_template_filter("cn_datetime")
def _cn_datetime(value):
    return cn_datetime(value)


@bp.app_template_filter("char_count")
def _char_count(text):
    """Characters as the deed limits count them (white space not counted)."""
    return count_chars(text)


@bp.app_template_filter("mask_id")
def _mask_id(value):
    return mask_id(value)


@bp.app_template_filter("mask_phone")
def _mask_phone(value):
    return mask_phone(value)


@bp.app_context_processor
def _globals():
    return {"nav_items": nav_items, "today": clock.today, "campaign_choice": campaign_choice,
            "footer_notice": footer_notice, "id_link": id_link, "kept_url": kept_url}


def footer_notice() -> str:
    """The notice the current campaign follows (its file's ``notice``), for the page footer."""
    campaign = current_campaign(current_user) if current_user.is_authenticated else None
    return (campaign.config.get("notice") or campaign.title) if campaign else ""


def campaign_choice():
    """(campaigns, current) for the switcher in the top bar, when the user sees more than one."""
    campaigns = visible_campaigns(current_user)
    return (campaigns, current_campaign(current_user)) if len(campaigns) > 1 else ([], None)


@bp.route("/")
def home():
    """Each role's landing page: what waits on this user, with deadlines and days left."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    # the user itself, not the proxy: the checks ask its role and organisation hundreds of times
    return render_template("web/home.html", board=todo.board_for(current_user._get_current_object()))


@bp.route("/healthz")
def healthz():
    """Liveness probe, public and without database work: the floor the load benchmark compares pages with."""
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.route("/workdays/end")
@login_required
def workdays_end():
    """The end of a publicity period for the date pickers (session-authenticated twin of the API)."""
    try:
        import datetime as dt

        start = dt.date.fromisoformat(request.args.get("start", ""))
        days = int(request.args.get("days", "5"))
        if not 1 <= days <= 60:
            raise ValueError
    except ValueError:
        return jsonify({"error": {"code": "invalid_input", "message": "日期格式应为 YYYY-MM-DD，天数 1–60",
                                  "field": "start"}}), 422
    try:
        end = publicity_end(start, days)
    except DomainError as exc:
        return jsonify({"error": exc.to_dict()}), 422
    return jsonify({"start": start.isoformat(), "end": end.isoformat(),
                    "period": f"{cn_date(start)}至{end.month}月{end.day}日" if end.year == start.year
                    else f"{cn_date(start)}至{cn_date(end)}"})
