"""本单位联系信息: a city, 省直 unit or the provincial office keeps the contacts its documents print."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from nominate.core.db import unit_of_work
from nominate.core.errors import DomainError, MultipleErrors, PermissionDenied
from nominate.organisations import operations
from nominate.organisations.permissions import can_edit_contacts

bp = Blueprint("organisations", __name__, url_prefix="/organisation", template_folder="templates")


@bp.route("/contacts", methods=["GET", "POST"])
@login_required
def contacts():
    org = current_user.organisation
    if not can_edit_contacts(current_user, org):
        raise PermissionDenied("只有市级人社部门、省直单位和省推荐评选办可以维护本单位联系信息")
    values = {name: getattr(org, name) or "" for name, *_ in operations.CONTACT_FIELDS}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = {name: request.form.get(name, "") for name, *_ in operations.CONTACT_FIELDS}
        try:
            with unit_of_work():
                operations.update_contacts(current_user, org, values)
        except PermissionDenied:
            raise
        except DomainError as exc:
            for err in exc.errors if isinstance(exc, MultipleErrors) else [exc]:
                errors.setdefault(err.field or "", []).append(err.message)
        else:
            flash("联系信息已保存：附件7、汇总表和推荐工作报告将使用这些信息", "info")
            return redirect(url_for("organisations.contacts"))
    return render_template("organisations/contacts.html", org=org, fields=operations.CONTACT_FIELDS,
                           values=values, errors=errors, missing=operations.missing_contacts(org)), \
        (422 if errors else 200)
