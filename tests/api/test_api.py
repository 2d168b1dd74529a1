"""The JSON API: bearer tokens, CRUD, events, history, errors in one shape, the OpenAPI document."""
import pytest

from tests.factories import individual_data, window_data


def auth(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture()
def city_token(f):
    return f.token(f.city())


@pytest.fixture()
def office_token(f):
    return f.token(f.office)


def test_openapi_lists_every_endpoint_with_chinese_titles(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    paths = set(spec["paths"])
    for p in ["/api/v1/campaigns", "/api/v1/organisations", "/api/v1/nominations", "/api/v1/nominations/{nomination_id}",
              "/api/v1/nominations/{nomination_id}/events", "/api/v1/nominations/{nomination_id}/history",
              "/api/v1/batches", "/api/v1/batches/{batch_id}/submit", "/api/v1/publicity-periods", "/api/v1/objections",
              "/api/v1/opinions/{opinion_id}/sign", "/api/v1/workdays/end"]:
        assert p in paths
    for name, schema in spec["components"]["schemas"].items():
        for prop, body in schema.get("properties", {}).items():
            assert body.get("title") or "$ref" in body or "allOf" in body, f"{name}.{prop} has no title"
    props = spec["components"]["schemas"]["NominationCreate"]["properties"]
    assert props["id_number"]["title"] == "身份证号" and props["main_deeds"]["title"] == "主要事迹"
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_missing_or_bad_token_is_401_json(client, f):
    for headers in ({}, auth("nope"), {"Authorization": "Basic abc"}):
        r = client.get("/api/v1/nominations", headers=headers)
        assert r.status_code == 401
        assert r.get_json()["error"]["code"] == "unauthorized"


def test_revoked_token_is_refused(client, f, db):
    from nominate.accounts.models import ApiToken
    from nominate.accounts.operations import revoke_token

    token = f.token(f.city())
    assert client.get("/api/v1/nominations", headers=auth(token)).status_code == 200
    revoke_token(None, db.session.scalars(db.select(ApiToken)).one())
    db.session.commit()
    assert client.get("/api/v1/nominations", headers=auth(token)).status_code == 401


def test_workdays_end(client, city_token):
    r = client.get("/api/v1/workdays/end?start=2025-09-29&days=5", headers=auth(city_token))
    assert r.status_code == 200 and r.get_json() == {"end": "2025-10-11"}
    r = client.get("/api/v1/workdays/end?start=2027-09-29&days=5", headers=auth(city_token))
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "calendar_year_uncovered"
    r = client.get("/api/v1/workdays/end?start=yesterday&days=5", headers=auth(city_token))
    body = r.get_json()["error"]
    assert r.status_code == 422 and body["field"] == "start" and body["code"] == "invalid_input"


def test_create_read_update_list(client, f, city_token):
    r = client.post("/api/v1/nominations", headers=auth(city_token),
                    json={"campaign_id": f.campaign.id, "kind": "individual", **individual_data()})
    assert r.status_code == 201, r.get_json()
    nom = r.get_json()
    assert nom["state"] == "draft" and nom["state_label"] == "草稿" and nom["gender"] == "female"
    assert nom["id_number"] == individual_data()["id_number"]  # the owner sees it in full
    assert set(nom["allowed_events"]) == {"start_unit_publicity", "withdraw"}
    r = client.patch(f"/api/v1/nominations/{nom['id']}", headers=auth(city_token), json={"position": "窗口负责人"})
    assert r.status_code == 200 and r.get_json()["position"] == "窗口负责人"
    r = client.get(f"/api/v1/nominations?campaign_id={f.campaign.id}&kind=individual&state=draft",
                   headers=auth(city_token))
    page = r.get_json()
    assert page["total"] == 1 and page["items"][0]["id_number"].startswith("140105")
    assert "*" in page["items"][0]["id_number"] and "*" in page["items"][0]["phone"]  # masked in lists
    past = client.get(f"/api/v1/nominations?campaign_id={f.campaign.id}&kind=individual&state=draft&page=3",
                      headers=auth(city_token)).get_json()
    assert past["items"] == [] and past["total"] == 1 and past["page"] == 3  # the total past the last page too


def test_field_errors_name_the_field(client, f, city_token):
    r = client.post("/api/v1/nominations", headers=auth(city_token),
                    json={"campaign_id": f.campaign.id, "kind": "individual",
                          **individual_data(id_number="140105198503121230")})
    err = r.get_json()["error"]
    assert r.status_code == 422 and err["field"] == "id_number" and err["message"] == "身份证号校验位错误"
    r = client.post("/api/v1/nominations", headers=auth(city_token), json={"campaign_id": f.campaign.id})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "kind"
    r = client.post("/api/v1/nominations", headers=auth(city_token), data="not json",
                    content_type="application/json")
    assert r.status_code in (400, 422) and "error" in r.get_json()


def test_other_city_gets_403_and_unknown_404(client, f, db):
    nom = f.window()
    other = f.token(f.city("datong"))
    r = client.get(f"/api/v1/nominations/{nom.id}", headers=auth(other))
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "forbidden"
    r = client.patch(f"/api/v1/nominations/{nom.id}", headers=auth(other), json={"window_name": "x"})
    assert r.status_code == 403
    assert client.get("/api/v1/nominations/99999", headers=auth(other)).status_code == 404
    assert client.get(f"/api/v1/nominations?owner_org_id={nom.owner_org_id}", headers=auth(other)).get_json()["total"] == 0


def test_fire_events_and_history(client, f, city_token, db):
    nom = f.window()
    r = client.get(f"/api/v1/nominations/{nom.id}/events", headers=auth(city_token))
    assert {e["event"] for e in r.get_json()} == {"start_unit_publicity", "withdraw"}
    r = client.post(f"/api/v1/nominations/{nom.id}/events", headers=auth(city_token),
                    json={"event": "start_unit_publicity", "start_date": "2021-08-02"})
    assert r.status_code == 200 and r.get_json()["state"] == "unit_publicity"
    r = client.post(f"/api/v1/nominations/{nom.id}/events", headers=auth(city_token),
                    json={"event": "finish_unit_publicity"})
    err = r.get_json()["error"]
    assert r.status_code == 409 and err["code"] == "publicity_not_elapsed" and "8月6日" in err["message"]
    r = client.post(f"/api/v1/nominations/{nom.id}/events", headers=auth(city_token), json={"event": "select"})
    assert r.status_code == 409 and r.get_json()["error"]["details"]["allowed_events"] == ["finish_unit_publicity", "withdraw"]
    hist = client.get(f"/api/v1/nominations/{nom.id}/history", headers=auth(city_token)).get_json()
    assert [h["action"] for h in hist] == ["create", "start_unit_publicity"]
    assert hist[1]["data"]["publicity"]["end"] == "2021-08-06"


def test_batch_publicity_objection_and_opinion_flow(client, f, walk, db, clock):
    nom = walk.to(f.individual(), "city_recommended")
    city = f.token(f.city())
    office = f.token(f.office)
    batch_id = nom.batch_id
    r = client.post(f"/api/v1/batches/{batch_id}/submit", headers=auth(city))
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "report_missing"
    assert client.put(f"/api/v1/batches/{batch_id}/report", headers=auth(city),
                      json={"report_text": "初审推荐工作报告"}).status_code == 200
    r = client.post(f"/api/v1/batches/{batch_id}/submit", headers=auth(city))
    assert r.status_code == 200 and r.get_json()["state"] == "submitted"
    assert client.get(f"/api/v1/batches/{batch_id}", headers=auth(f.token(f.city("datong")))).status_code == 403
    db.session.refresh(nom)
    walk.to(nom, "formal_materials")
    opinions = client.get(f"/api/v1/nominations/{nom.id}/opinions", headers=auth(office)).get_json()
    assert {o["slot"] for o in opinions} == {"discipline", "personnel"}
    r = client.post("/api/v1/opinions/police-requests", headers=auth(office), json={"nomination_ids": [nom.id]})
    assert r.status_code == 201
    police = f.token(f.user("signer_police", "shanxi"))
    pid = r.get_json()[0]["id"]
    r = client.post(f"/api/v1/opinions/{pid}/sign", headers=auth(police),
                    json={"verdict": "disagree", "text": "", "signer_name": "孙警"})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "text"
    disc = next(o for o in opinions if o["slot"] == "discipline")
    r = client.post(f"/api/v1/opinions/{disc['id']}/sign", headers=auth(police),
                    json={"verdict": "agree", "signer_name": "孙警"})
    assert r.status_code == 403  # not their row
    walk.to(nom, "province_publicity")
    r = client.post("/api/v1/objections", headers=auth(office),
                    json={"nomination_id": nom.id, "content": "反映问题", "objector_name": "举报人甲",
                          "objector_contact": "13900001111"})
    assert r.status_code == 201 and r.get_json()["objector_name"] == "举报人甲"
    periods = client.get("/api/v1/publicity-periods", headers=auth(city)).get_json()
    prov = next(p for p in periods if p["level"] == "province")
    assert prov["objections"][0]["objector_name"] is None  # never shown to the nominating city
    assert prov["objections"][0]["objector_contact"] is None
    clock.set("2021-09-30")
    r = client.post(f"/api/v1/publicity-periods/{prov['id']}/finish", headers=auth(office))
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "objection_open"
    oid = prov["objections"][0]["id"]
    r = client.post(f"/api/v1/objections/{oid}/resolve", headers=auth(office),
                    json={"outcome": "cleared", "investigation": "经核查不属实"})
    assert r.status_code == 200
    r = client.post(f"/api/v1/publicity-periods/{prov['id']}/finish", headers=auth(office))
    assert r.status_code == 200 and r.get_json()["status"] == "closed"
    r = client.post(f"/api/v1/publicity-periods/{prov['id']}/finish", headers=auth(office))
    assert r.status_code == 200  # closing twice is harmless


def test_signer_sees_only_their_jurisdiction(client, f, walk, db):
    a = walk.to(f.individual(), "formal_materials")
    from tests.factories import make_id_number

    b = walk.to(f.individual("datong", person_name="大同人", id_number=make_id_number("19820101", 51)),
                "formal_materials")
    signer = f.token(f.user("signer_discipline", "taiyuan"))
    items = client.get("/api/v1/nominations", headers=auth(signer)).get_json()["items"]
    assert [i["id"] for i in items] == [a.id]
    assert client.get(f"/api/v1/nominations/{b.id}", headers=auth(signer)).status_code == 403
    detail = client.get(f"/api/v1/nominations/{a.id}", headers=auth(signer)).get_json()
    assert "*" in detail["id_number"]  # signers never see the full number


def test_campaigns_and_organisations(client, f, city_token):
    r = client.get("/api/v1/campaigns", headers=auth(city_token))
    c = r.get_json()[0]
    assert c["key"] == "shanxi-2021" and c["quotas"]["province"] == {"window": 12, "individual": 5}
    assert {d["key"] for d in c["deadlines"]} == {"contact_form", "preliminary_materials", "formal_materials"}
    orgs = client.get("/api/v1/organisations", headers=auth(city_token)).get_json()
    assert {"太原市", "吕梁市", "省直"} <= {o["short_name"] for o in orgs}
