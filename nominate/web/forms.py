"""Putting a refusal from an operation next to the form field it names."""
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
