"""Form helpers every page may use: the cleaning form (CleanForm), a refusal put next to the field it names, choices for a select."""
from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.csrf.core import CSRFTokenField

from nominate.core.cleaning import clean_text
from nominate.core.errors import DomainError, MultipleErrors, ValidationFailed

#: form fields NFKC-normalised on the way in (full-width digits become ASCII); other text is only trimmed
IDENTIFIER_FIELDS = {"id_number", "phone", "leader_phone", "staff_count", "year", "username", "day",
                     "birth_date", "work_start", "system_start", "window_start", "clean_record_attested_on",
                     "signed_on", "start_date", "received_on", "due", "until"}


def _cleaner(name: str, label: str | None):
    def clean(value):
        try:
            return clean_text(value, name, label, identifier=name in IDENTIFIER_FIELDS)
        except ValidationFailed as exc:  # WTForms shows a filter's ValueError as the field's error
            raise ValueError(exc.message) from None
    return clean


class CleanForm(FlaskForm):
    """A form whose text fields pass the one cleaning step (nominate.core.cleaning) as a WTForms filter."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            cls = unbound_field.field_class
            if issubclass(cls, StringField) and not issubclass(cls, (PasswordField, CSRFTokenField)):
                name = options.get("name") or ""
                label = unbound_field.args[0] if unbound_field.args else unbound_field.kwargs.get("label")
                filters = tuple(unbound_field.kwargs.get("filters", ())) + (_cleaner(name, label),)
                return unbound_field.bind(form=form, filters=filters, **options)
            return super().bind_field(form, unbound_field, options)


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
