"""Loading one record for a caller: 404 when missing, 403 when not the caller's to see (pages and API alike)."""
from __future__ import annotations

from nominate.core.db import MAX_ID
from nominate.core.errors import NotFound, PermissionDenied
from nominate.extensions import db


def load_for(user, model, ident, *, can=None, what="记录"):
    """Load ``model`` row ``ident`` for ``user``: 404 when missing, 403 when ``can(user, row)`` refuses."""
    in_range = isinstance(ident, int) and 0 < ident <= MAX_ID  # a guessed huge id is just missing
    row = db.session.get(model, ident) if in_range else None
    if row is None:
        raise NotFound(f"{what}（编号 {ident}）不存在")
    if can is not None and not can(user, row):
        raise PermissionDenied(f"您无权访问该{what}")
    return row
