"""The register in the JSON API: documented in OpenAPI, bearer tokens, errors in one shape."""
from nominate.core.masking import mask_id
from tests.factories import individual_data
from tests.honours.helpers import person_honour

ID = individual_data()["id_number"]


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def body(**over):
    data = {"holder_kind": "person", "person_name": "张晓梅", "id_number": ID, "title": "全省人社“知识通”",
            "level": "province", "kind": "competition_title", "year": 2020, "competition": "全省人社窗口单位业务技能练兵比武"}
    data.update(over)
    return data


def test_openapi_documents_the_register(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/honours", "/api/v1/honours/{honour_id}", "/api/v1/honours/{honour_id}/links",
                 "/api/v1/nominations/{nomination_id}/honours"):
        assert path in spec["paths"]
    assert {"get", "post"} <= set(spec["paths"]["/api/v1/honours"])
    for name in ("Honour", "HonourCreate", "LinkDecision", "NominationHonours"):
        for prop, schema in spec["components"]["schemas"][name]["properties"].items():
            assert schema.get("title") or "$ref" in schema or "allOf" in schema, f"{name}.{prop}"


def test_create_list_read_and_link_with_a_token(client, f, db):
    nom = f.individual()
    token = f.token(f.city())
    org = f.org("taiyuan").id
    r = client.post("/api/v1/honours", json=body(organisation_id=org), headers=auth(token))
    assert r.status_code == 201, r.get_json()
    created = r.get_json()
    assert created["id_number"] == mask_id(ID) != ID
    assert created["statement"] == "2020年在全省人社窗口单位业务技能练兵比武中获全省人社“知识通”称号"

    listed = client.get("/api/v1/honours?level=province", headers=auth(token)).get_json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == created["id"]
    assert client.get(f"/api/v1/honours/{created['id']}", headers=auth(token)).status_code == 200

    mine = client.get(f"/api/v1/nominations/{nom.id}/honours", headers=auth(token)).get_json()
    assert [(link["honour"]["id"], link["status"]) for link in mine["links"]] == [(created["id"], "auto")]
    assert mine["remarks"] == created["statement"]

    r = client.post(f"/api/v1/honours/{created['id']}/links", json={"nomination_id": nom.id, "status": "unlinked"},
                    headers=auth(token))
    assert r.status_code == 200 and r.get_json()["status"] == "unlinked"
    mine = client.get(f"/api/v1/nominations/{nom.id}/honours", headers=auth(token)).get_json()
    assert mine["remarks"] == "" and mine["links"][0]["status"] == "unlinked"


def test_errors_name_the_field(client, f):
    token = f.token(f.city())
    r = client.post("/api/v1/honours", json=body(organisation_id=f.org("taiyuan").id, id_number="1401"),
                    headers=auth(token))
    assert r.status_code == 422
    assert r.get_json()["error"] == {"code": "id_number_length", "message": "身份证号应为18位（当前4位）",
                                     "field": "id_number", "details": r.get_json()["error"]["details"]}
    r = client.post("/api/v1/honours", json=body(organisation_id=f.org("datong").id), headers=auth(token))
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "organisation"
    r = client.post("/api/v1/honours", json=body(organisation_id=f.org("taiyuan").id, level="区级"), headers=auth(token))
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "level"


def test_other_city_and_signers_are_refused(client, f, db):
    honour = person_honour(f.office, ID)
    other = f.token(f.city("datong"))
    assert client.get(f"/api/v1/honours/{honour.id}", headers=auth(other)).status_code == 403
    assert client.get("/api/v1/honours", headers=auth(other)).get_json()["total"] == 0
    assert client.get("/api/v1/honours/99999", headers=auth(other)).status_code == 404
    signer = f.token(f.user("signer_discipline", "taiyuan"))
    r = client.get("/api/v1/honours", headers=auth(signer))
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "forbidden"
    nom = f.individual()
    r = client.post(f"/api/v1/honours/{honour.id}/links", json={"nomination_id": nom.id, "status": "unlinked"},
                    headers=auth(other))
    assert r.status_code == 403
    r = client.delete(f"/api/v1/honours/{honour.id}", headers=auth(f.token(f.city())))
    assert r.status_code == 403
    r = client.delete(f"/api/v1/honours/{honour.id}", headers=auth(f.token(f.office)))
    assert r.status_code == 204


def test_ids_beyond_an_integer_column_are_input_errors_not_500(client, f):
    """Found by schemathesis on PostgreSQL: organisation_id 2**31 reached the database."""
    headers = auth(f.token(f.office))
    r = client.post("/api/v1/honours", json=body(organisation_id=2**31), headers=headers)
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "organisation_id"
    r = client.get(f"/api/v1/honours?organisation_id={2**31}", headers=headers)
    assert r.status_code == 422
    r = client.post("/api/v1/honours/1/links", json={"nomination_id": 2**31, "status": "confirmed"}, headers=headers)
    assert r.status_code in (404, 422)
