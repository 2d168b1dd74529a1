"""Links from many rows to one endpoint: ``url_for`` once, each row's id put in (a list's rows no longer pay
for building the same route again and again)."""
from __future__ import annotations

from collections.abc import Callable

from flask import url_for

_MARK = 987654321  # an id no row has: where the row's id goes in the built link


def id_link(endpoint: str, key: str, **values) -> Callable[[int], str]:
    """``id → url_for(endpoint, key=id, **values)``, built with one ``url_for`` call."""
    prefix, mark, suffix = url_for(endpoint, **values, **{key: _MARK}).partition(str(_MARK))
    if not mark:
        raise ValueError(f"{endpoint}: the link does not hold {key}")
    return lambda ident: f"{prefix}{int(ident)}{suffix}"
