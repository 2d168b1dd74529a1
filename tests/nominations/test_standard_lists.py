"""Issue 14, defect 6: 民族 (GB/T 3304), 政治面貌 (GB/T 4762) and 学历 (GB/T 4658) from fixed lists in a data file:
selects in the form, short forms mapped by the API, anything else refused naming the field and the list, the board
counting by code."""
import pytest

from nominate.nominations.operations import update_nomination
from tests.factories import individual_data, make_id_number


def _auth(f, user):
    return {"Authorization": f"Bearer {f.token(user)}"}


def test_the_lists_come_from_the_data_file_with_the_standards_codes():
    from nominate.nominations import standards

    lists = standards.lists()
    eth = lists["ethnicity"]
    assert len([i for i in eth.items if int(i.code) <= 56]) == 56
    assert eth.code_of("汉族") == "01" and eth.code_of("汉") == "01" and eth.code_of("基诺族") == "56"
    assert lists["political_status"].canonical("党员") == "中共党员"
    assert lists["political_status"].code_of("中国共产党党员") == "01"
    assert lists["education"].canonical("本科") == "大学本科"
    assert standards.DATA_FILE.suffix == ".yaml"


@pytest.mark.parametrize("given, stored", [
    ({"ethnicity": "汉", "political_status": "党员", "education": "本科"},
     {"ethnicity": "汉族", "political_status": "中共党员", "education": "大学本科", "degree": None}),
    ({"ethnicity": "回", "political_status": "团员", "education": "大专"},
     {"ethnicity": "回族", "political_status": "共青团员", "education": "大学专科", "degree": None}),
    ({"education": "大学本科 管理学学士"}, {"education": "大学本科", "degree": "管理学学士"}),
])
def test_the_api_maps_short_forms_to_the_standard_names(client, f, db, given, stored):
    body = dict(individual_data(**given), campaign_id=f.campaign.id, kind="individual")
    r = client.post("/api/v1/nominations", json=body, headers=_auth(f, f.city()))
    assert r.status_code == 201, r.get_json()
    for key, value in stored.items():
        assert r.get_json()[key] == value


def test_an_unknown_value_is_refused_naming_the_field_and_the_list(client, f, db):
    body = dict(individual_data(ethnicity="火星族", political_status="积极分子"), campaign_id=f.campaign.id,
                kind="individual")
    r = client.post("/api/v1/nominations", json=body, headers=_auth(f, f.city()))
    assert r.status_code == 422
    err = r.get_json()["error"]
    by_field = {d["field"]: d for d in err["details"]}
    assert "民族须为GB/T 3304" in by_field["ethnicity"]["message"] and "汉族、蒙古族、回族" in by_field["ethnicity"]["message"]
    assert "政治面貌须为GB/T 4762" in by_field["political_status"]["message"]
    assert "中共党员" in by_field["political_status"]["message"]


def test_the_form_offers_selects_of_the_lists(login, f):
    html = login(f.city()).get("/nominations/new/individual").get_data(as_text=True)
    for name, option in (("ethnicity", "汉族"), ("political_status", "中共党员"), ("education", "大学本科")):
        select = html[html.index(f'id="{name}" name="{name}"') - 60:]
        select = select[:select.index("</select>")]
        assert select.lstrip().startswith("<select") or "<select" in select[:80], name
        assert f'<option value="{option}">{option}</option>' in select, name
    assert 'id="degree"' in html


def test_a_stored_value_outside_the_list_is_shown_not_blanked(login, f, db):
    nom = f.individual()
    db.session.execute(db.update(type(nom)).where(type(nom).id == nom.id).values(ethnicity="穿青人"))
    db.session.commit()
    html = login(f.city()).get(f"/nominations/{nom.id}/edit").get_data(as_text=True)
    assert '<option selected value="穿青人">穿青人（不在GB/T 3304' in html


def test_the_board_counts_by_code(f, db, walk):
    """"汉" stored before the lists and "汉族" are one bar of 2, not two bars of 1."""
    from nominate.office.board import board_data

    a = walk.to(f.individual(), "province_selected")
    b = walk.to(f.individual("datong", id_number=make_id_number("19850312", 131), person_name="李四"), "province_selected")
    db.session.execute(db.update(type(b)).where(type(b).id == b.id).values(ethnicity="汉", political_status="党员"))
    db.session.commit()
    dist = dict(board_data(f.office, f.campaign)["distributions"])
    assert dist["先进个人：民族"] == [("汉族", 2)]
    assert dist["先进个人：政治面貌"] == [("中共党员", 2)]
    assert a.id != b.id


def test_the_form_saves_a_selected_entry_and_a_degree(f, db):
    nom = f.individual()
    update_nomination(nom, f.city(), {"ethnicity": "蒙古族", "education": "硕士研究生", "degree": "法学硕士"})
    assert (nom.ethnicity, nom.education, nom.degree, nom.education_degree) == (
        "蒙古族", "硕士研究生", "法学硕士", "硕士研究生 法学硕士")
