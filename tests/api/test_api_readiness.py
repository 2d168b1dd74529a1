"""The API tells a client the same truth as the page: allowed_events are the events that pass today; the others
the user may fire are blocked_events, each with its blockers in words and who must act (issue 14)."""
from tests.api.test_api import auth


def test_an_event_whose_guard_fails_today_is_blocked_with_its_words(client, f, db, clock):
    city = f.city()
    token = f.token(city)
    nom = f.window()
    r = client.post(f"/api/v1/nominations/{nom.id}/events", headers=auth(token),
                    json={"event": "start_unit_publicity", "start_date": "2021-08-02"})
    assert r.status_code == 200, r.get_json()
    clock.set("2021-08-03")  # the five working days run to 8月6日
    body = client.get(f"/api/v1/nominations/{nom.id}", headers=auth(token)).get_json()
    assert "finish_unit_publicity" not in body["allowed_events"]
    assert "withdraw" in body["allowed_events"]
    blocked = {b["event"]: b for b in body["blocked_events"]}
    assert blocked["finish_unit_publicity"]["label"] == "本单位公示结束"
    assert blocked["finish_unit_publicity"]["blockers"] == ["公示期至8月6日"]
    events = client.get(f"/api/v1/nominations/{nom.id}/events", headers=auth(token)).get_json()
    assert "finish_unit_publicity" not in {e["event"] for e in events}
    # the page says the same
    r = client.post(f"/api/v1/nominations/{nom.id}/events", headers=auth(token), json={"event": "finish_unit_publicity"})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "publicity_not_elapsed"

    clock.set("2021-08-09")  # the period is over: the same event is now offered
    body = client.get(f"/api/v1/nominations/{nom.id}", headers=auth(token)).get_json()
    assert "finish_unit_publicity" in body["allowed_events"], body["blocked_events"]
    assert "finish_unit_publicity" not in {b["event"] for b in body["blocked_events"]}
    events = client.get(f"/api/v1/nominations/{nom.id}/events", headers=auth(token)).get_json()
    assert "finish_unit_publicity" in {e["event"] for e in events}
