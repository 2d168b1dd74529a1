"""The register pages: list, hand entry, detail with evidence and links, a nomination's honours, import."""
from __future__ import annotations

import io

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from nominate.core.loading import load_for

from nominate.core.db import unit_of_work
from nominate.core.errors import DomainError, NotFound, PermissionDenied
from nominate.extensions import db
from nominate.honours import importer, operations, permissions
from nominate.honours.compose import honour_lines_for, remarks_for
from nominate.honours.forms import EvidenceForm, HonourForm, ImportForm
from nominate.honours.models import HolderKind, Honour, HonourKind, HonourLevel, LinkStatus
from nominate.honours.queries import (honours_for, link_rows_by_nomination, nominations_for_honour, page_of,
                                      subtree_ids, visible_honours)
from nominate.nominations import permissions as nperm
from nominate.nominations.models import Nomination
from nominate.organisations.models import Organisation
from nominate.core.forms import apply_errors

bp = Blueprint("honours", __name__, url_prefix="/honours", template_folder="templates")


@bp.app_template_global()
def nomination_honours(user, nom) -> tuple[list, str | None]:
    """The nomination page's honours: the nominee's, and the link to check them when ``user`` may use the register."""
    return honours_for(nom), (url_for("honours.nomination", nomination_id=nom.id) if permissions.can_use_register(user) else None)
PER_PAGE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.before_request
@login_required
def _register_users_only():
    if not permissions.can_use_register(current_user):
        raise PermissionDenied("您无权使用荣誉库")


def _load(model, ident, can, what: str):
    """The row (404 when missing), if the current user may see it (403 otherwise)."""
    return load_for(current_user, model, ident, can=can, what=what)


def _honour(honour_id) -> Honour:
    return _load(Honour, honour_id, permissions.can_view, "荣誉记录")


def _nomination(nomination_id) -> Nomination:
    return _load(Nomination, nomination_id, nperm.can_view, "推荐对象")


def _organisations():
    scope = permissions.scope_of(current_user)
    q = db.select(Organisation).order_by(Organisation.kind, Organisation.sort_order, Organisation.id)
    if scope is not None:
        q = q.where(Organisation.id.in_(subtree_ids(scope)))
    return db.session.scalars(q).all()


def _upload(storage) -> tuple[str, bytes] | None:
    if storage is None or not getattr(storage, "filename", ""):
        return None
    return storage.filename, storage.read()


@bp.route("/")
def index():
    args = {k: request.args.get(k, "").strip() for k in ("q", "level", "kind", "holder_kind", "year")}
    if args["year"] and not (args["year"].isdigit() and len(args["year"]) <= 4):  # a year, not 5,000 digits
        args["year"] = ""
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), 100000)
    q = visible_honours(current_user, {k: (int(v) if k == "year" else v) for k, v in args.items() if v})
    honours, total = page_of(q, page, PER_PAGE)
    return render_template("honours/index.html", honours=honours, total=total, page=page, per_page=PER_PAGE,
                           args=args, levels=HonourLevel, kinds=HonourKind, holder_kinds=HolderKind)


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = HonourForm()
    form.organisation.choices = [(str(o.id), o.name) for o in _organisations()]
    if form.validate_on_submit():
        try:
            with unit_of_work():
                honour = operations.create_honour(current_user, form.values(), _upload(form.evidence.data),
                                                  current_app.config["UPLOAD_MAX_BYTES"])
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            flash(f"已录入：{honour.statement}", "success")
            return redirect(url_for("honours.show", honour_id=honour.id))
    return render_template("honours/new.html", form=form)


@bp.route("/<int:honour_id>")
def show(honour_id):
    honour = _honour(honour_id)
    rows = [(nom, status) for nom, status in nominations_for_honour(honour) if nperm.can_view(current_user, nom)]
    return render_template("honours/show.html", honour=honour, rows=rows, evidence_form=EvidenceForm(),
                           can_delete=permissions.can_delete(current_user, honour),
                           can_decide=lambda nom: permissions.can_decide_link(current_user, nom))


@bp.route("/<int:honour_id>/evidence")
def evidence(honour_id):
    honour = _honour(honour_id)
    if honour.evidence is None:
        raise NotFound("该荣誉尚未上传证明材料")
    ev = honour.evidence
    return send_file(io.BytesIO(ev.content), mimetype=ev.mime, download_name=ev.filename, as_attachment=True)


@bp.route("/<int:honour_id>/evidence", methods=["POST"])
def upload_evidence(honour_id):
    honour = _honour(honour_id)
    form = EvidenceForm()
    upload = _upload(form.evidence.data)
    if upload is None:
        flash("请选择证明材料文件", "error")
    else:
        with unit_of_work():
            operations.attach_evidence(honour, current_user, *upload, current_app.config["UPLOAD_MAX_BYTES"])
        flash("证明材料已上传", "success")
    return redirect(url_for("honours.show", honour_id=honour.id))


@bp.route("/<int:honour_id>/delete", methods=["POST"])
def delete(honour_id):
    honour = _honour(honour_id)
    with unit_of_work():
        operations.delete_honour(honour, current_user)
    flash("荣誉记录已删除", "success")
    return redirect(url_for("honours.index"))


@bp.route("/<int:honour_id>/links/<int:nomination_id>", methods=["POST"])
def decide_link(honour_id, nomination_id):
    honour = _load(Honour, honour_id, None, "荣誉记录")  # decide_link asks whether it may be linked
    nom = _nomination(nomination_id)
    with unit_of_work():
        link = operations.decide_link(honour, nom, current_user, request.form.get("status", ""))
    flash(f"{nom.name}：{honour.statement}（{link.status.label}）", "success")
    from nominate.accounts.auth import safe_next

    return redirect(safe_next(request.form.get("next")) or url_for("honours.nomination", nomination_id=nom.id))


@bp.route("/nomination/<int:nomination_id>")
def nomination(nomination_id):
    nom = _nomination(nomination_id)
    rows = link_rows_by_nomination([nom.id])[nom.id]
    return render_template("honours/nomination.html", nom=nom, rows=rows, remarks=remarks_for(nom),
                           lines=honour_lines_for(nom), can_decide=permissions.can_decide_link(current_user, nom),
                           LinkStatus=LinkStatus)


@bp.route("/import", methods=["GET", "POST"])
def import_sheet():
    form = ImportForm()
    if form.validate_on_submit():
        upload = _upload(form.file.data)
        if upload is None:
            form.file.errors.append("请选择 .xlsx 或 .csv 文件")
        else:
            try:
                with unit_of_work():
                    token, _ = importer.preview_import(current_user, *upload)
            except DomainError as exc:
                apply_errors(form, exc)
            else:
                return redirect(url_for("honours.import_preview", token=token))
    return render_template("honours/import.html", form=form, columns=importer.COLUMNS)


@bp.route("/import/<token>")
def import_preview(token):
    checks = importer.preview_stash(current_user, token)
    return render_template("honours/preview.html", token=token, checks=checks, columns=importer.COLUMNS,
                           bad=sum(1 for c in checks if not c.ok))


@bp.route("/import/<token>/commit", methods=["POST"])
def import_commit(token):
    try:
        with unit_of_work():
            honours = importer.commit_import(current_user, token)
    except DomainError as exc:
        flash(exc.message, "error")
        return redirect(url_for("honours.import_preview", token=token))
    flash(f"已导入 {len(honours)} 项荣誉", "success")
    return redirect(url_for("honours.index"))


@bp.route("/import/template.<fmt>")
def import_template(fmt):
    if fmt not in ("xlsx", "csv"):
        raise NotFound("模板格式须为 xlsx 或 csv")
    content = importer.template_xlsx() if fmt == "xlsx" else importer.template_csv()
    return send_file(io.BytesIO(content), mimetype=XLSX if fmt == "xlsx" else "text/csv",
                     download_name=f"荣誉导入模板.{fmt}", as_attachment=True)
