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


def _reads_periods(engine, call):
    """The response body of ``call`` and how many of its statements read publicity periods."""
    from tests.perf.test_list_queries import StatementLog

    with StatementLog(engine) as log:
        body = call()
    return body, sum(1 for s in log.statements if "FROM publicity_entries" in " ".join(s.split()))


def test_the_list_reads_periods_only_for_rows_whose_checks_need_them(client, f, db, clock):
    """The list's readiness prefetch reads 公示 periods (and objections) only for the rows with an event the caller
    may fire whose guards read a period; the blockers of those rows come from it, the same as the single view's."""
    city = f.city()
    token = f.token(city)
    waiting, draft = f.window(), f.window()
    r = client.post(f"/api/v1/nominations/{waiting.id}/events", headers=auth(token),
                    json={"event": "start_unit_publicity", "start_date": "2021-08-02"})
    assert r.status_code == 200, r.get_json()
    clock.set("2021-08-03")
    db.session.commit()

    body, reads = _reads_periods(db.engine, lambda: client.get("/api/v1/nominations?state=draft",
                                                              headers=auth(token)).get_json())
    assert [i["id"] for i in body["items"]] == [draft.id]
    assert reads == 0  # no event of a draft reads a period: nothing to prefetch

    body, reads = _reads_periods(db.engine, lambda: client.get("/api/v1/nominations", headers=auth(token)).get_json())
    items = {i["id"]: i for i in body["items"]}
    assert set(items) == {waiting.id, draft.id}
    assert reads == 1  # the one row in 公示, in one statement
    blocked = {b["event"]: b for b in items[waiting.id]["blocked_events"]}
    assert blocked["finish_unit_publicity"]["blockers"] == ["公示期至8月6日"]
    single = client.get(f"/api/v1/nominations/{waiting.id}", headers=auth(token)).get_json()
    assert items[waiting.id]["blocked_events"] == single["blocked_events"]
    assert items[waiting.id]["allowed_events"] == single["allowed_events"]

    clock.set("2021-08-09")  # the period is over: the list offers the event, as the single view does
    body = client.get("/api/v1/nominations", headers=auth(token)).get_json()
    item = next(i for i in body["items"] if i["id"] == waiting.id)
    assert "finish_unit_publicity" in item["allowed_events"]

    # the office may not end a unit's 公示: its list reads no period for that row either
    body, reads = _reads_periods(db.engine, lambda: client.get("/api/v1/nominations",
                                                              headers=auth(f.token(f.office))).get_json())
    assert reads == 0
