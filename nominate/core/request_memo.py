"""Values looked up once per request (the campaigns a user sees, a workflow, the API caller).

Kept on the request object, not on ``flask.g``: ``g`` belongs to the application context, which a test
(or a CLI command) may keep open across several requests, and a memo must never outlive its request.
"""
from __future__ import annotations

from flask import has_request_context, request


def memo(name: str) -> dict | None:
    """The request's memo dict ``name`` (created on first use), or None outside a request."""
    if not has_request_context():
        return None
    store = request.environ.setdefault("nominate.memo", {})
    return store.setdefault(name, {})
