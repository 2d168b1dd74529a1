"""Lists say whether a photo exists without loading its bytes; only the photo route (and documents) read them."""
from __future__ import annotations

from sqlalchemy import event
from tests.signin import sign_in


class StatementLog:
    """The SQL text of every statement ``engine`` executes inside the block."""

    def __init__(self, engine):
        self.engine, self.statements = engine, []

    def _log(self, conn, cursor, statement, *args):
        self.statements.append(statement)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._log)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._log)


def _selects_photo_bytes(sql: str) -> bool:
    return "nomination_photos.content" in " ".join(sql.split()).lower()


def test_no_list_query_selects_image_bytes(app, db, f, walk, client):
    from flask import g

    def login(user_id):
        from nominate.accounts.models import User

        return sign_in(client, db.session.get(User, user_id))

    def with_photo(nom, state):
        f.photo(nom)  # while the owner may still edit
        return walk.to(nom, state)

    from tests.factories import make_id_number

    people = [with_photo(f.individual(id_number=make_id_number(seq=seq)), "city_review") for seq in (201, 202)]
    with_photo(f.individual(city="datong", id_number=make_id_number(seq=203)), "province_review")
    office_token = f.token(f.office)
    office, city, first, campaign_id = f.office.id, f.city().id, people[0].id, f.campaign.id
    pages = [(office, "/nominations/"), (city, "/nominations/"), (office, "/province/board"),
             (city, "/batches/"), (office, "/"), (office, f"/nominations/{first}")]
    for user, url in pages:
        client = login(user)
        db.session.remove()
        with StatementLog(db.engine) as log:
            resp = client.get(url)
        assert resp.status_code == 200, url
        if url == "/nominations/":  # the table shows no photo: it reads none at all
            assert not any("nomination_photos" in s for s in log.statements), url
        assert not [s for s in log.statements if _selects_photo_bytes(s)], f"{url} loads photo bytes"
    db.session.remove()
    with StatementLog(db.engine) as log:
        resp = app.test_client().get(f"/api/v1/nominations?campaign_id={campaign_id}",
                                     headers={"Authorization": f"Bearer {office_token}"})
    assert resp.status_code == 200
    rows = resp.get_json()["items"] if isinstance(resp.get_json(), dict) else resp.get_json()
    assert sum(1 for r in rows if r.get("has_photo")) == 3  # the list still knows which nominees have one
    assert any("nomination_photos" in s for s in log.statements)  # (so the check below is not empty)
    assert not [s for s in log.statements if _selects_photo_bytes(s)], "API list loads photo bytes"

    # the photo route still serves the bytes
    client = login(city)
    db.session.remove()
    with StatementLog(db.engine) as log:
        resp = client.get(f"/nominations/{first}/photo.jpg")
    assert resp.status_code == 200 and resp.data[:2] == b"\xff\xd8"
    assert any(_selects_photo_bytes(s) for s in log.statements)
