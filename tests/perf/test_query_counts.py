"""SQL statements per page do not grow with the data (no N+1): each main page is counted at two sizes."""
from __future__ import annotations

import sqlalchemy as sa

from nominate.accounts.models import User
from nominate.accounts.operations import issue_token
from benchmarks.national import PREFETCHED, Sizes, generate_national, page_statement_counts
from nominate.nominations.models import Nomination
from tests.conftest import _clear

SMALL = Sizes(provinces=2, per_city=4, updates_per_nomination=1)
LARGE = Sizes(provinces=3, per_city=9, updates_per_nomination=5)


def _counts(client, db, sizes) -> tuple[dict[str, int], int]:
    generate_national(seed=1, sizes=sizes)
    office = db.session.scalar(sa.select(User).filter_by(username="shanxi-province_office"))
    token = issue_token(None, office, "perf")
    nominations = db.session.scalar(sa.select(sa.func.count()).select_from(Nomination))
    db.session.commit()
    return page_statement_counts(client, token), dict(PREFETCHED), nominations


#: the statements of a list's readiness prefetch, when some row needs it (its 公示 periods with their objections)
PREFETCH_STATEMENTS = 1


def test_statements_per_page_do_not_grow_with_the_data(app, client, db):
    small, small_prefetch, n_small = _counts(client, db, SMALL)
    _clear(app)
    large, large_prefetch, n_large = _counts(client, db, LARGE)
    assert n_large > 2 * n_small
    grown = {page: (small[page], large[page]) for page in small if large[page] != small[page]}
    assert not grown, f"statements per page (small → large data): {grown}"
    # what a page reads only when some rows need it is counted apart, and is a fixed number of statements too
    over = {page: n for page, n in {**small_prefetch, **large_prefetch}.items() if n not in (0, PREFETCH_STATEMENTS)}
    assert not over, f"prefetch statements per page: {over}"
    assert any(large_prefetch.values())  # the large data set has rows that need it: the check above is not empty


def test_healthz_is_public_and_runs_no_sql(client, db):
    from nominate.core.db import StatementCounter

    with StatementCounter(db.engine) as counter:
        resp = client.get("/healthz")
    assert resp.status_code == 200 and resp.get_data(as_text=True) == "ok\n"
    assert counter.count == 0
