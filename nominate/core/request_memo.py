"""Values looked up once per request (the campaigns a user sees, a workflow, the API caller).

Kept on the request object, not on ``flask.g``: ``g`` belongs to the application context, which a test
(or a CLI command) may keep open across several requests, and a memo must never outlive its request.
"""
from __future__ import annotations

from flask.globals import _cv_request  # the request context itself: asked thousands of times by a list's rows


def memo(name: str) -> dict | None:
    """The request's memo dict ``name`` (created on first use), or None outside a request."""
    ctx = _cv_request.get(None)
    if ctx is None:
        return None
    environ = ctx.request.environ
    store = environ.get("nominate.memo")
    if store is None:
        store = environ["nominate.memo"] = {}
    found = store.get(name)
    if found is None:
        found = store[name] = {}
    return found
