"""Issue 14, defect 5: eligibility is checked when the record is saved, every rule at once, each message beside its
field (form) or per field (API); hard rules block the unit publicity, a soft one needs the 推荐说明; the words are
the campaign file's (副厅局级及以上)."""
import re

from tests.factories import individual_data, window_data


def _auth(f, user):
    return {"Authorization": f"Bearer {f.token(user)}"}


def _field_block(html: str, name: str) -> str:
    """The form's block of one field: from its input/select/textarea to the next field's label."""
    start = html.index(f'id="{name}"')
    end = html.find('<label', start)
    return html[start:end if end != -1 else None]


def test_the_form_shows_every_unmet_rule_beside_its_field_after_saving(login, f, db):
    client = login(f.city())
    data = individual_data(admin_rank="副处级", system_start="2019-09-01", window_start="2019-09-01")
    r = client.post("/nominations/new/individual", data=data)
    assert r.status_code == 302 and "/edit" in r.headers["Location"]  # saved, back to the form with the rules
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "有 2 项推荐条件尚未满足" in html
    years = _field_block(html, "system_start")
    assert "须在人社系统工作3年（含）以上" in years and "不满3年" in years
    justification = _field_block(html, "rank_justification")
    assert "须填写推荐说明" in justification and "副处级" in justification


def test_the_forbidden_rank_says_ji_yi_shang_from_the_campaign_file(login, f, db):
    client = login(f.city())
    r = client.post("/nominations/new/window", data=window_data(admin_rank="副厅局级"))
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    block = _field_block(html, "admin_rank")
    assert "不评选副厅局级及以上单位、个人" in block
    assert not re.search(r"副厅局级以上", html)  # never the ambiguous wording


def test_a_complete_eligible_save_goes_to_the_page(login, f, db):
    client = login(f.city())
    r = client.post("/nominations/new/individual", data=individual_data())
    assert r.status_code == 302 and "/edit" not in r.headers["Location"]


def test_the_api_returns_every_unmet_rule_by_field_with_the_record(client, f, db):
    h = _auth(f, f.city())
    body = dict(individual_data(admin_rank="副处级", system_start="2019-09-01", window_start="2019-09-01"),
                campaign_id=f.campaign.id, kind="individual")
    r = client.post("/api/v1/nominations", json=body, headers=h)
    assert r.status_code == 201, r.get_json()
    rules = {p["field"]: p for p in r.get_json()["eligibility"]}
    assert rules["system_start"]["rule"] == "hard" and rules["system_start"]["code"] == "system_years_short"
    assert rules["rank_justification"]["rule"] == "soft"
    # the publicity start is refused with all of them at once, each naming its field
    nid = r.get_json()["id"]
    r = client.post(f"/api/v1/nominations/{nid}/events", json={"event": "start_unit_publicity"}, headers=h)
    assert r.status_code == 409
    err = r.get_json()["error"]
    assert {d["field"] for d in err["details"]} == {"system_start", "rank_justification"}
    assert "不满3年" in err["message"] and "须填写推荐说明" in err["message"]


def test_writing_the_justification_clears_the_soft_rule_and_the_publicity_starts(client, f, db):
    h = _auth(f, f.city())
    nom = f.individual(admin_rank="副处级")
    r = client.patch(f"/api/v1/nominations/{nom.id}", json={}, headers=h)
    assert [p["code"] for p in r.get_json()["eligibility"]] == ["rank_needs_justification"]
    r = client.patch(f"/api/v1/nominations/{nom.id}", json={"rank_justification": "长期在窗口一线，经局党组研究同意推荐"},
                     headers=h)
    assert r.get_json()["eligibility"] == []
    r = client.post(f"/api/v1/nominations/{nom.id}/events",
                    json={"event": "start_unit_publicity", "start_date": "2021-08-02"}, headers=h)
    assert r.status_code == 200, r.get_json()


def test_the_guard_and_the_form_use_the_one_rule(f, db):
    """The campaign file's words reach the guard's refusal too (no second copy of the rule)."""
    from nominate.core.errors import GuardRefused
    from nominate.workflow.engine import fire_event

    nom = f.window(admin_rank="正厅局级", window_name="省级大厅")
    try:
        fire_event(nom, "start_unit_publicity", f.city())
    except GuardRefused as exc:
        assert exc.code == "rank_forbidden" and "不评选副厅局级及以上单位、个人" in exc.message
        assert exc.details == [{"code": "rank_forbidden", "field": "admin_rank", "rule": "hard",
                                "message": exc.message}]
    else:
        raise AssertionError("a forbidden rank must block the unit publicity")
