"""The boundary: every request's input passes the one cleaning step (nominate.core.cleaning) before a view
or the API reads it. Query strings, form fields and JSON bodies are refused, with the field
named, when they hold control characters (NUL included), zero-width or bidi marks, nest deeper than the
limit or carry integers no field can hold. Nothing reaches the database or the log in that case."""
from __future__ import annotations

from flask import render_template, request

from nominate.accountability.filters import LABELS as AUDIT_LABELS
from nominate.core.api import API_PREFIX, error_response
from nominate.core.cleaning import check_input_value, safe_json_loads
from nominate.core.errors import ValidationFailed
from nominate.honours.operations import LABELS as HONOUR_LABELS
from nominate.nominations import fields as F


#: fields that are in no area's registry of labels
COMMON_LABELS = {"q": "搜索关键字", "comment": "意见或说明", "username": "用户名", "password": "密码", "next": "跳转地址",
                 "content": "异议内容", "investigation": "调查情况", "text": "内容", "signer_name": "签字人",
                 "objector_name": "异议人", "objector_contact": "异议人联系方式", "reason": "理由", "note": "说明"}


def _label(field: str | None) -> str | None:
    """The Chinese label of a known field, so the message names it as the form does."""
    if not field:
        return None
    base = field.split(".")[0].split("[")[0]
    if base in F.BY_NAME:
        return F.BY_NAME[base].label
    return HONOUR_LABELS.get(base) or AUDIT_LABELS.get(base) or COMMON_LABELS.get(base)


#: query arguments with their own, friendlier check: a bad ``next=`` after login is dropped for "/"
#: (accounts.views), so a user following an odd link still logs in
OWN_CHECK = {"next"}


def check_request() -> None:
    """Raise ValidationFailed for the first bad value of the request (args, path, form, JSON body)."""
    body = request.want_form_data_parsed  # no Content-Type: werkzeug reads no body (form, files, JSON all empty)
    sources = ((request.args, True), (request.form, False)) if body else ((request.args, True),)
    for source, single_line in sources:
        for key in source:
            check_input_value(key, key, single_line=True)
            if source is request.args and key in OWN_CHECK:
                continue
            for value in source.getlist(key):
                check_input_value(value, key, single_line=single_line)
    # Path segments are left to the view: who may call a route is asked before what its path says (a
    # refusal is a 403 and recorded), and each view reads its own segments (a form name, a date) as data.
    if not body:
        return
    if request.files:
        for key in request.files:
            check_input_value(key, key)
    if request.mimetype and (request.mimetype == "application/json" or request.mimetype.endswith("+json")):
        raw = request.get_data(cache=True, as_text=True)
        if raw.strip():
            check_input_value(safe_json_loads(raw), "")


def init_input(app) -> None:
    @app.before_request
    def refuse_bad_input():
        try:
            check_request()
        except ValidationFailed as exc:
            label = _label(exc.field)
            message = exc.message
            if label and exc.field and f"“{exc.field}”" in message:
                message = message.replace(f"“{exc.field}”", f"“{label}”（{exc.field}）", 1)
            if request.path.startswith(API_PREFIX):
                return error_response(422, exc.code, message, exc.field)
            refusal = ValidationFailed(exc.code, message, exc.field)
            return render_template("error.html", error=refusal), refusal.status
        return None
