"""消息中心: a user's notices and channel choices; the admin's view of the outbox and failed jobs."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from nominate.core.loading import load_for
from nominate.core.db import unit_of_work
from nominate.core.errors import DomainError, PermissionDenied
from nominate.core.masking import mask_phone
from nominate.extensions import db
from nominate.notifications import operations, queries
from nominate.notifications.forms import ContactForm
from nominate.notifications.models import Delivery, Notification, UserContact
from nominate.notifications.notices import templates
from nominate.notifications.permissions import can_oversee_jobs, can_read
from nominate.core.forms import apply_errors

bp = Blueprint("notifications", __name__, url_prefix="/notifications", template_folder="templates")


@bp.app_context_processor
def _unread():
    """``unread_notifications()`` for the top bar: the user's own count, computed on each page."""
    return {"unread_notifications": lambda: queries.unread_count(current_user)}


@bp.app_template_filter("mask_contact")
def mask_contact(value: str | None) -> str:
    """An e-mail as z***@example.gov.cn, a mobile as 139****1234."""
    if value and "@" in value:
        name, _, domain = value.partition("@")
        return f"{name[:1]}***@{domain}"
    return mask_phone(value)


@bp.route("/")
@login_required
def index():
    unread_only = request.args.get("unread") == "1"
    return render_template("notifications/index.html", notes=queries.for_user(current_user, unread_only=unread_only),
                           unread_only=unread_only)


@bp.route("/<int:notification_id>/read", methods=["POST"])
@login_required
def mark_read(notification_id):
    """Mark one notice read and go to the page where its action is done."""
    note = load_for(current_user, Notification, notification_id, can=can_read, what="消息")
    with unit_of_work():
        operations.mark_read(current_user, [note])
    target = note.link if request.form.get("go") and note.link else url_for("notifications.index")
    return redirect(target)


@bp.route("/read-all", methods=["POST"])
@login_required
def mark_all_read():
    with unit_of_work():
        n = operations.mark_all_read(current_user)
    flash(f"已将 {n} 条消息标记为已读", "success")
    return redirect(url_for("notifications.index"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """The user's own e-mail and mobile (shown masked once saved) and channel choices."""
    contact = db.session.get(UserContact, current_user.id)
    form = ContactForm()
    if request.method == "GET" and contact is not None:
        form.email.data, form.email_enabled.data = contact.email, contact.email_enabled
        form.sms_enabled.data = contact.sms_enabled
    if form.validate_on_submit():
        mobile = form.mobile.data
        if not (mobile or "").strip() and contact is not None:
            mobile = contact.mobile  # left blank: keep the saved number (it is never shown in full)
        try:
            with unit_of_work():
                operations.save_contact(current_user, current_user, email=form.email.data, mobile=mobile,
                                        email_enabled=form.email_enabled.data, sms_enabled=form.sms_enabled.data)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            flash("通知方式已保存", "success")
            return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form, contact=contact,
                           masked_mobile=mask_phone(contact.mobile) if contact else "")


@bp.route("/admin")
@login_required
def jobs():
    """The admin: the outbox (failed deliveries with their error), the notice and SMS templates; the failed
    bundles come from jobs' template global ``failed_bundles``."""
    if not can_oversee_jobs(current_user):
        raise PermissionDenied("只有系统管理员可以查看后台任务")
    from nominate.audit.models import AuditEvent

    failed_jobs = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "job_failed")
                                     .order_by(AuditEvent.id.desc()).limit(50)).all()
    return render_template("notifications/jobs.html", deliveries=queries.troubled_deliveries(),
                           counts=queries.outbox_counts(), notices=templates(), failed_jobs=failed_jobs)


@bp.route("/admin/deliveries/<int:delivery_id>/retry", methods=["POST"])
@login_required
def retry(delivery_id):
    delivery = load_for(current_user, Delivery, delivery_id, can=lambda u, d: can_oversee_jobs(u), what="投递记录")
    with unit_of_work():
        operations.retry_delivery(current_user, delivery)
    flash("已重新排队发送", "success")
    return redirect(url_for("notifications.jobs"))
