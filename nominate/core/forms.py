"""Form helpers every page may use: a refusal put next to the field it names, choices for a select."""
from __future__ import annotations

from flask import flash

from nominate.core.errors import DomainError, MultipleErrors


def apply_errors(form, exc: DomainError) -> None:
    """Attach each error to its field (by name); errors without a known field are flashed."""
    errors = exc.errors if isinstance(exc, MultipleErrors) else [exc]
    for err in errors:
        field = getattr(form, err.field, None) if err.field else None
        if field is not None and hasattr(field, "errors"):
            if isinstance(field.errors, tuple):
                field.errors = list(field.errors)
            field.errors.append(err.message)
        else:
            flash(err.message, "error")


def select_choices(pairs, blank: str | None = None) -> list:
    """(value, label) pairs as WTForms SelectChoice objects, with an optional empty first choice."""
    from wtforms.fields.choices import SelectChoice

    out = [SelectChoice("", blank)] if blank is not None else []
    return out + [SelectChoice(str(v), text) for v, text in pairs]
