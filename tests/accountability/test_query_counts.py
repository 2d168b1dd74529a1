"""The audit pages run the same number of SQL statements whatever the size of the trail (no N+1)."""
from __future__ import annotations

import sqlalchemy as sa

from nominate.accounts.models import User
from nominate.audit.models import AuditEvent
from nominate.core.db import StatementCounter
from benchmarks.national import Sizes, generate_national
from nominate.nominations.queries import visible_nominations
from tests.conftest import _clear

SMALL = Sizes(provinces=2, per_city=4, updates_per_nomination=1)
LARGE = Sizes(provinces=3, per_city=9, updates_per_nomination=5)
CALLS = {
    "admin page": ("mohrss-admin", "get", "/audit/", None),
    "admin search": ("mohrss-admin", "post", "/audit/", {"action": "update"}),
    "signer page": ("signer", "get", "/audit/", None),
    "signer export": ("signer", "post", "/audit/export", {}),
}


def _counts(app, client, db, login, sizes):
    generate_national(seed=1, sizes=sizes)
    db.session.commit()
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    out = {}
    signer = max(db.session.scalars(sa.select(User).filter_by(role="signer_discipline")),
                 key=lambda u: len(db.session.scalars(visible_nominations(u)).all()))
    for name, (username, method, url, data) in CALLS.items():
        user = signer if username == "signer" else db.session.scalar(sa.select(User).filter_by(username=username))
        login(user)
        with StatementCounter(db.engine) as counter:
            resp = getattr(client, method)(url, data=data)
        assert resp.status_code == 200, (name, resp.status_code)
        if url.endswith("export"):  # rows of the jurisdiction were written, not an empty sheet
            import io

            from openpyxl import load_workbook

            assert load_workbook(io.BytesIO(resp.data)).active.max_row > 3
        out[name] = counter.count
    return out, rows


def test_audit_pages_statements_do_not_grow_with_the_trail(app, client, db, login):
    small, rows_small = _counts(app, client, db, login, SMALL)
    _clear(app)
    large, rows_large = _counts(app, client, db, login, LARGE)
    assert rows_large > 3 * rows_small
    assert small == large, f"statements (small → large): {small} → {large}"
