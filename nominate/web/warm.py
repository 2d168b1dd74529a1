"""Warm pages answered before the user is loaded (issue 18).

A signed-in GET of a page the page cache holds costs, the usual way, the ORM user, its organisation and its
session record built from one statement, Flask-Login's loading, the two-factor gate and the view's decorators, and
then only a cache lookup. Here, ahead of the two-factor gate, such a request is answered from one Core statement
instead (``accounts.auth.warm_viewer``: the session's validity by the same rule as ``load_user``, the data
version and the unread count), so every answer is still checked against the database, as every other request is.

It answers only when the usual way would give the same response from the cache: the endpoint's view is exactly
``login_required(cached_page(view))`` (``tests/web/test_warm.py`` holds every such view to that), no blueprint
hook runs for it, the session is valid with nothing to write (idle time-out, activity to note) or to refuse, the
second factor is not owed, and the viewer's scope is known without another statement (a nominee's own
nominations are not: a nominee goes the usual way). In every other case it returns None and the request goes the
usual way.
"""
from __future__ import annotations

from flask import current_app, request
from flask_login import login_required

from nominate.accounts import factors
from nominate.accounts.auth import warm_viewer
from nominate.caching import cached_page, page_cache_serves, stored_page
from nominate.web.gate import GATE_NAME
from nominate.web.page_parts import VIEWER_KEY, viewer_scope


_EXTENSION = "nominate.warm_endpoints"


def warm_endpoints(app) -> frozenset[str]:
    """The endpoints whose view is exactly ``login_required(cached_page(view))``: for them the usual way checks
    nothing before the cache lookup that ``answer_warm_page`` does not check too."""
    login_wrapper = login_required(lambda: None).__code__
    cache_wrapper = cached_page(lambda: None).__code__
    return frozenset(endpoint for endpoint, view in app.view_functions.items()
                     if getattr(view, "__code__", None) is login_wrapper
                     and getattr(getattr(view, "__wrapped__", None), "__code__", None) is cache_wrapper)


def _eligible() -> bool:
    if request.method != "GET" or request.endpoint not in current_app.extensions[_EXTENSION]:
        return False
    return not any(current_app.before_request_funcs.get(bp) for bp in request.blueprints)


def answer_warm_page():
    """The cached page for this request, or None (the request goes on the usual way)."""
    if not _eligible() or not page_cache_serves():
        return None  # decided before the read: with the cache off, or a message to show, nothing is read here
    viewer = warm_viewer()
    if viewer is None or viewer.person_key or factors.owes_second_factor(viewer):
        return None
    scope = viewer_scope(viewer)
    if scope is None:
        return None
    request.environ[VIEWER_KEY] = viewer
    response = stored_page(scope)
    if response is None:
        request.environ.pop(VIEWER_KEY, None)
    return response


def init_warm(app) -> None:
    """Place ``answer_warm_page`` just before the two-factor gate (which would load the user): after the hooks every
    request passes first (request id, CSRF, rate limits, the API's token), before the gate and what follows it. Of
    those, the input check never sees a warm answer's request to refuse: a page is stored only after the usual way
    answered 200 to the very same path and query, so a query the check refuses is never found in the cache; and the
    in-process job worker's start waits for the next request answered the usual way. Call it once every hook is
    registered."""
    app.extensions[_EXTENSION] = warm_endpoints(app)
    funcs = app.before_request_funcs.setdefault(None, [])
    gates = [i for i, f in enumerate(funcs) if f.__name__ == GATE_NAME]
    if len(gates) != 1:
        raise RuntimeError("the two-factor gate must be registered once before the warm-page hook")
    funcs.insert(gates[0], answer_warm_page)
