"""Moved to nominate.core.forms (every area's pages use them); kept importable for code written against web.forms."""
from nominate.core.forms import IDENTIFIER_FIELDS, CleanForm, apply_errors, select_choices  # noqa: F401
