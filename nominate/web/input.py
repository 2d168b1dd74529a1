"""The boundary: every request's input passes the one cleaning step (nominate.core.cleaning) before a view
or the API reads it. Query strings, form fields, path segments and JSON bodies are refused, with the field
named, when they hold control characters (NUL included), zero-width or bidi marks, nest deeper than the
limit or carry integers no field can hold. Nothing reaches the database or the log in that case."""
from __future__ import annotations

from flask import render_template, request

from nominate.core.cleaning import check_input_value, safe_json_loads
from nominate.core.errors import ValidationFailed


def _label(field: str | None) -> str | None:
    """The Chinese label of a known field, so the message names it as the form does."""
    if not field:
        return None
    from nominate.honours.operations import LABELS as HONOUR_LABELS
    from nominate.nominations import fields as F

    base = field.split(".")[0].split("[")[0]
    return F.BY_NAME[base].label if base in F.BY_NAME else HONOUR_LABELS.get(base)


def check_request() -> None:
    """Raise ValidationFailed for the first bad value of the request (args, path, form, JSON body)."""
    for source, single_line in ((request.args, True), (request.form, False)):
        for key in source:
            check_input_value(key, key, single_line=True)
            for value in source.getlist(key):
                check_input_value(value, key, single_line=single_line)
    for key, value in (request.view_args or {}).items():
        if isinstance(value, str):  # an <int:…> too large for a row id is "no such row" (404), not bad input
            check_input_value(value, key, single_line=True)
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
            from nominate.api import API_PREFIX, error_response

            if request.path.startswith(API_PREFIX):
                return error_response(422, exc.code, message, exc.field)
            refusal = ValidationFailed(exc.code, message, exc.field)
            return render_template("error.html", error=refusal), 400
        return None
