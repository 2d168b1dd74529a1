"""The API list builds its rows as plain dicts (nominations.schemas.list_item, for speed): each row is exactly what
the documented schema (NominationListItemSchema) gives, for every role that sees it, in every kind of state."""
from flask import g

from nominate.nominations.models import Nomination
from nominate.nominations.schemas import NominationListItemSchema, NominationPageSchema, list_item
from tests.api.test_api import auth
from tests.factories import make_id_number


def _nominations(f, walk, db):
    window = f.window(staff_count=12, postcode="030001")
    walk.to(window, "city_recommended")
    person = f.individual()
    f.photo(person)
    walk.to(person, "province_publicity")
    f.individual("datong", person_name="大同人", id_number=make_id_number("19820101", 51),
                 system_start=f.date("2019-03-01"))  # a draft with an unmet rule: its eligibility problem is listed
    f.window("datong", window_name="大同窗口", address=None, leader_phone=None)
    db.session.commit()
    return db.session.scalars(db.select(Nomination).order_by(Nomination.id)).all()


def test_each_list_row_is_exactly_the_schemas_dump(app, f, walk, db, client):
    noms = _nominations(f, walk, db)
    users = [f.office, f.city(), f.city("datong"), f.user("signer_police", "shanxi"), f.ministry]
    schema = NominationListItemSchema()
    compared = 0
    for user in users:
        with app.test_request_context():
            g.user = user
            for nom in noms:
                assert list_item(nom, user) == schema.dump(nom), (user.role, nom.id)
                compared += 1
            page = {"items": noms, "total": len(noms), "page": 1, "per_page": 50}
            expected = {"items": [schema.dump(n) for n in noms], "total": len(noms), "page": 1, "per_page": 50}
            assert NominationPageSchema().dump(page) == expected
    assert compared == len(users) * len(noms) >= 20
    assert any(schema.dump(n)["eligibility"] for n in noms)
    assert any(schema.dump(n)["has_photo"] for n in noms)


def test_the_api_list_answers_the_schemas_json(app, f, walk, db, client):
    noms = _nominations(f, walk, db)
    token = f.token(f.office)
    body = client.get("/api/v1/nominations?per_page=100", headers=auth(token)).get_json()
    with app.test_request_context():
        g.user = f.office
        schema = NominationListItemSchema()
        by_id = {n.id: n for n in noms}
        assert body["items"] and all(item == schema.dump(by_id[item["id"]]) for item in body["items"])
    assert any(item["allowed_events"] for item in body["items"])


def test_the_openapi_document_still_describes_the_list_rows(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    item = spec["components"]["schemas"]["NominationListItem"]["properties"]
    for name in ("id", "state", "owner_org", "allowed_events", "blocked_events", "eligibility", "id_number", "has_photo"):
        assert name in item
