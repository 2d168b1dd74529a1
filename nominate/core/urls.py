"""Links from many rows to one endpoint: ``url_for`` once, each row's id put in (a list's rows no longer pay
for building the same route again and again)."""
from __future__ import annotations

import functools
from collections.abc import Callable

from flask import has_request_context, request, url_for

_MARK = 987654321  # an id no row has: where the row's id goes in the built link


def id_link(endpoint: str, key: str, **values) -> Callable[[int], str]:
    """``id → url_for(endpoint, key=id, **values)``, built with one ``url_for`` call."""
    prefix, mark, suffix = url_for(endpoint, **values, **{key: _MARK}).partition(str(_MARK))
    if not mark:
        raise ValueError(f"{endpoint}: the link does not hold {key}")
    return lambda ident: f"{prefix}{int(ident)}{suffix}"


def kept_url(endpoint: str, **values) -> str:
    """``url_for(endpoint, **values)`` for a link many pages show with the same values (a document's download),
    built once per process: a link within the site depends only on the route map, which never changes while the
    app runs, and on the app's root, which is part of the key."""
    if not has_request_context():  # outside a request (a mail, a job) url_for decides as it always does
        return url_for(endpoint, **values)
    return _kept(request.script_root, endpoint, tuple(sorted(values.items())))


@functools.lru_cache(maxsize=8192)
def _kept(_root: str, endpoint: str, values: tuple) -> str:
    return url_for(endpoint, **dict(values))
