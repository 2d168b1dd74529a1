"""The register pages: who sees what, hand entry, the import round trip, link buttons."""
import io

import pytest
from openpyxl import Workbook

from nominate.honours import importer
from nominate.honours.models import Honour, LinkStatus
from tests.factories import individual_data
from tests.honours.helpers import person_honour
from tests.signin import sign_in

ID = individual_data()["id_number"]



def form(**over):
    data = {"holder_kind": "person", "person_name": "张晓梅", "id_number": ID, "unit_name": "", "title": "全省人社“知识通”",
            "level": "province", "kind": "competition_title", "competition": "", "year": "2020", "rank": "",
            "issuing_body": "山西省人力资源和社会保障厅", "document_number": ""}
    data.update(over)
    return data


def test_signer_and_ministry_get_403_and_no_nav_entry(f, login, app):
    from flask_login import login_user

    from nominate.web.nav import nav_items

    for user in (f.user("signer_discipline", "taiyuan"), f.ministry):
        client = login(user)
        assert client.get("/honours/").status_code == 403
        assert client.get("/honours/new").status_code == 403
        assert client.get("/honours/import/template.csv").status_code == 403
    for user, shown in ((f.user("signer_police", "shanxi"), False), (f.office, True), (f.city(), True)):
        with app.test_request_context("/honours/"):
            login_user(user)
            assert ("荣誉库" in [item.label for item in nav_items()]) is shown


def test_anonymous_is_sent_to_login(client, f):
    r = client.get("/honours/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_city_enters_by_hand_and_the_list_masks_the_id_number(f, db, login):
    nom = f.individual()
    client = login(f.city())
    page = client.get("/honours/new").get_data(as_text=True)
    assert "大同市" not in page and "太原市人力资源和社会保障局" in page  # only its own subtree to choose from
    r = client.post("/honours/new", data=form(organisation=str(f.org("taiyuan").id)))
    assert r.status_code == 302
    honour = db.session.scalars(db.select(Honour)).one()
    listing = client.get("/honours/").get_data(as_text=True)
    assert ID not in listing and ID[:6] in listing and honour.statement in listing
    assert ID not in client.get(f"/honours/{honour.id}").get_data(as_text=True)
    detail = client.get(f"/honours/nomination/{nom.id}").get_data(as_text=True)
    assert "2020年获全省人社“知识通”称号" in detail and "自动关联" in detail


def test_bad_hand_entry_shows_the_message_next_to_the_field(f, db, login):
    client = login(f.city())
    r = client.post("/honours/new", data=form(organisation=str(f.org("taiyuan").id), id_number="140105198503121240"))
    assert r.status_code == 200 and "身份证号校验位错误" in r.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Honour.id))) == 0


def test_evidence_upload_and_download(f, db, login):
    honour = person_honour(f.office, ID)
    client = login(f.city())
    pdf = b"%PDF-1.4\n% certificate\n"
    r = client.post(f"/honours/{honour.id}/evidence", data={"evidence": (io.BytesIO(pdf), "证书.pdf")},
                    content_type="multipart/form-data")
    assert r.status_code == 302
    got = client.get(f"/honours/{honour.id}/evidence")
    assert got.data == pdf and got.mimetype == "application/pdf"
    r = client.post(f"/honours/{honour.id}/evidence", data={"evidence": (io.BytesIO(b"MZ..."), "a.exe")},
                    content_type="multipart/form-data", headers={"Referer": f"/honours/{honour.id}"})
    assert r.status_code == 302
    assert db.session.get(Honour, honour.id).evidence.content == pdf


def test_another_city_cannot_see_or_touch_an_honour_by_id(f, db, login):
    honour = person_honour(f.office, ID)
    nom = f.individual()
    client = login(f.city("datong"))
    assert client.get(f"/honours/{honour.id}").status_code == 403
    assert client.get(f"/honours/{honour.id}/evidence").status_code == 403
    assert client.post(f"/honours/{honour.id}/evidence").status_code == 403
    assert client.post(f"/honours/{honour.id}/delete").status_code == 403
    assert client.post(f"/honours/{honour.id}/links/{nom.id}", data={"status": "unlinked"}).status_code == 403
    assert client.get(f"/honours/nomination/{nom.id}").status_code == 403
    assert client.get("/honours/99999").status_code == 404
    assert honour.statement not in client.get("/honours/").get_data(as_text=True)


def test_owner_unlinks_and_confirms_from_the_nomination_page(f, db, login):
    nom = f.individual()
    honour = person_honour(f.office, ID)
    client = login(f.city())
    r = client.post(f"/honours/{honour.id}/links/{nom.id}", data={"status": "unlinked"})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/honours/nomination/{nom.id}")
    assert honour.links[0].status == LinkStatus.UNLINKED
    assert "已解除" in client.get(f"/honours/nomination/{nom.id}").get_data(as_text=True)
    client.post(f"/honours/{honour.id}/links/{nom.id}", data={"status": "confirmed"})
    db.session.refresh(honour.links[0])
    assert honour.links[0].status == LinkStatus.CONFIRMED


def test_import_round_trip_through_the_pages(f, db, login):
    client = login(f.office)
    assert client.get("/honours/import/template.xlsx").status_code == 200
    assert client.get("/honours/import/template.csv").data.decode("utf-8-sig").startswith("持有人类别")
    wb = Workbook()
    wb.active.append([h for _, h in importer.COLUMNS])
    good = ["个人", "张晓梅", ID, "", "太原市", "全省人社“知识通”", "省级", "练兵比武称号", "", 2020, "", "", ""]
    wb.active.append(good)
    wb.active.append(["个人", "李四", "123", "", "太原市", "x", "省级", "称号", "", 2020, "", "", ""])
    buf = io.BytesIO()
    wb.save(buf)
    r = client.post("/honours/import", data={"file": (io.BytesIO(buf.getvalue()), "h.xlsx")},
                    content_type="multipart/form-data")
    assert r.status_code == 302
    preview = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "1 行有问题" in preview and "身份证号应为18位（当前3位）" in preview and ID not in preview
    assert "确认导入" not in preview
    token = r.headers["Location"].rstrip("/").split("/")[-1]
    r = client.post(f"/honours/import/{token}/commit")
    assert r.status_code == 302 and db.session.scalar(db.select(db.func.count(Honour.id))) == 0

    wb.active.delete_rows(3)
    buf = io.BytesIO()
    wb.save(buf)
    r = client.post("/honours/import", data={"file": (io.BytesIO(buf.getvalue()), "h.xlsx")},
                    content_type="multipart/form-data")
    assert "确认导入" in client.get(r.headers["Location"]).get_data(as_text=True)
    token = r.headers["Location"].rstrip("/").split("/")[-1]
    r = client.post(f"/honours/import/{token}/commit")
    assert r.status_code == 302 and db.session.scalar(db.select(db.func.count(Honour.id))) == 1


def test_partial_renders_a_list_of_honours(f, db, app):
    from flask import render_template_string

    from nominate.honours.queries import honours_for

    nom = f.individual()
    person_honour(f.office, ID)
    html = render_template_string('{% include "honours/_list.html" %}', honours=honours_for(nom))
    assert "2020年获全省人社“知识通”称号" in html and "省级" in html
    assert "暂无" in render_template_string('{% include "honours/_list.html" %}', honours=[])


def test_a_bad_link_decision_is_an_input_error_not_500(f, db, client):
    from tests.honours.helpers import person_honour

    nom = f.individual()
    honour = person_honour(f.office, nom.id_number)
    sign_in(client, f.office)
    r = client.post(f"/honours/{honour.id}/links/{nom.id}", data={"status": "bogus"},
                    headers={"Referer": f"/honours/{honour.id}"})
    assert r.status_code in (302, 422)
    assert r.status_code != 500


def test_a_year_filter_of_thousands_of_digits_is_no_filter_not_a_500(f, login):
    """Python refuses int() of more than 4,300 digits: the year filter takes a year, anything else is ignored."""
    client = login(f.city())
    for year in ("9" * 5000, "２０２０" * 1200, "2020"):
        r = client.get("/honours/", query_string={"year": year})
        assert r.status_code == 200, year[:10]
