"""SQL statements per page do not grow with the data (no N+1): each main page is counted at two sizes."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from nominate.accounts.models import User
from nominate.accounts.operations import issue_token
from nominate.campaigns.models import Campaign
from nominate.demo.national import Sizes, generate_national
from nominate.nominations.models import Nomination

SMALL = Sizes(provinces=2, per_city=4, updates_per_nomination=1)
LARGE = Sizes(provinces=3, per_city=9, updates_per_nomination=5)


class StatementCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def _count(self, *_args):
        self.count += 1

    def __enter__(self):
        self.count = 0
        sa.event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self._count)


def _page_counts(app, client, db, sizes) -> dict[str, int]:
    generate_national(seed=1, sizes=sizes)
    db.session.commit()

    def user(username):
        return db.session.scalar(sa.select(User).filter_by(username=username))

    office, city = user("shanxi-province_office"), user("taiyuan-city_bureau")
    token = issue_token(None, office, "perf")
    # an individual with the whole trail: publicities, opinions, dozens of audit rows
    nom = db.session.scalars(sa.select(Nomination).join(Nomination.campaign).where(
        Campaign.province_id == office.organisation_id, Nomination.state == "awarded")
        .order_by(Nomination.kind, Nomination.id)).first()
    campaign_id, office, city, nom_id = nom.campaign_id, office.id, city.id, nom.id
    db.session.commit()
    pages = {
        "board": (office, "/province/board"),
        "board by honours": (office, "/province/board?sort=honours"),
        "province batches": (office, "/province/batches"),
        "home (office)": (office, "/"),
        "home (city)": (city, "/"),
        "city dashboard": (city, "/batches/"),
        "nomination page": (office, f"/nominations/{nom_id}"),
        "nomination list": (office, "/nominations/"),
        "nomination list (city)": (city, "/nominations/"),
        "API list": (None, f"/api/v1/nominations?campaign_id={campaign_id}&kind=window&per_page=100"),
        "API list by state": (None, f"/api/v1/nominations?campaign_id={campaign_id}&state=city_review"),
    }
    counts = {}
    for name, (who, url) in pages.items():
        db.session.remove()
        headers = {}
        if who is None:
            headers["Authorization"] = f"Bearer {token}"
        else:
            with client.session_transaction() as s:
                s["_user_id"] = str(who)
                s["_fresh"] = True
        from flask import g

        g.pop("_login_user", None)
        with StatementCounter(db.engine) as counter:
            resp = client.get(url, headers=headers)
        assert resp.status_code == 200, (name, resp.status_code)
        counts[name] = counter.count
    return counts


@pytest.fixture()
def clear(app):
    from tests.conftest import _clear

    return lambda: _clear(app)


def test_statements_per_page_do_not_grow_with_the_data(app, client, db, clear):
    small = _page_counts(app, client, db, SMALL)
    n_small = db.session.scalar(sa.select(sa.func.count()).select_from(Nomination))
    db.session.commit()
    clear()
    large = _page_counts(app, client, db, LARGE)
    n_large = db.session.scalar(sa.select(sa.func.count()).select_from(Nomination))
    assert n_large > 2 * n_small
    grown = {page: (small[page], large[page]) for page in small if large[page] != small[page]}
    assert not grown, f"statements per page (small → large data): {grown}"
