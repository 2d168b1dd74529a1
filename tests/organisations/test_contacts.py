"""Each city keeps its own contacts (附件7, table footers): checked field by field, audited, its own only."""
from __future__ import annotations

import pytest
from flask import g

from nominate.audit.models import AuditEvent
from nominate.core.errors import MultipleErrors, PermissionDenied
from nominate.organisations import operations
from tests.signin import sign_in

GOOD = {"leader_name": "李建国", "leader_position": "太原市人力资源和社会保障局副局长", "leader_phone": "0351-4224401",
        "leader_mobile": "13903510001", "contact_name": "刘芳", "contact_position": "人事科科长",
        "contact_phone": "0351-4224412", "contact_mobile": "13903510002", "fax": "0351-4224413",
        "email": "tyrsj@ty.gov.cn", "address": "山西省太原市杏花岭区府西街69号", "postcode": "030002"}


def _login(client, user):
    sign_in(client, user)


def test_city_saves_its_contacts_and_an_audit_row_names_the_fields(f, db):
    city = f.city("taiyuan")
    operations.update_contacts(city, city.organisation, GOOD)
    db.session.commit()
    org = f.org("taiyuan")
    assert (org.leader_name, org.leader_mobile, org.email, org.postcode) == ("李建国", "13903510001",
                                                                              "tyrsj@ty.gov.cn", "030002")
    assert operations.missing_contacts(org) == []
    row = db.session.scalars(db.select(AuditEvent).filter_by(action="organisation_contacts_updated")).one()
    assert "leader_mobile" in row.data["fields"] and "13903510001" not in str(row.data)


def test_bad_contacts_name_every_field_and_write_nothing(f, db):
    city = f.city("taiyuan")
    bad = {**GOOD, "leader_mobile": "1234", "email": "not-an-address", "postcode": "03000", "contact_name": ""}
    with pytest.raises(MultipleErrors) as caught:
        operations.update_contacts(city, city.organisation, bad)
    messages = {e.field: e.message for e in caught.value.errors}
    assert set(messages) == {"leader_mobile", "email", "postcode", "contact_name"}
    assert "分管领导手机格式不正确" in messages["leader_mobile"] and "6位数字" in messages["postcode"]
    assert messages["contact_name"] == "联系人姓名不能为空"
    db.session.rollback()
    assert f.org("taiyuan").leader_name is None


def test_a_city_cannot_keep_another_citys_contacts_nor_a_signer_its_own(f, db):
    with pytest.raises(PermissionDenied):
        operations.update_contacts(f.city("taiyuan"), f.org("datong"), GOOD)
    signer = f.user("signer_discipline", "taiyuan")
    with pytest.raises(PermissionDenied):
        operations.update_contacts(signer, f.org("taiyuan"), GOOD)


def test_contacts_page_shows_missing_fields_then_saves(client, f, db):
    city = f.city("datong")
    _login(client, city)
    page = client.get("/organisation/contacts").get_data(as_text=True)
    assert "尚未填写：分管领导姓名" in page
    r = client.post("/organisation/contacts", data={**GOOD, "postcode": "abc"})
    assert r.status_code == 422 and "邮政编码格式不正确" in r.get_data(as_text=True)
    assert f.org("datong").leader_name is None
    r = client.post("/organisation/contacts", data=GOOD)
    assert r.status_code == 302
    assert f.org("datong").contact_mobile == "13903510002"


def test_a_windows_postcode_and_its_approval_form_title_are_fields_of_their_own(f, db):
    from nominate.documents.context import window_dict
    from nominate.nominations.operations import update_nomination

    window = f.window(leader_title="主任", postcode="030006")
    facts = window_dict(window)
    assert (facts["postcode"], facts["leader_position"], facts["leader_unit_position"]) == (
        "030006", "主任", window.leader_position)
    with pytest.raises(MultipleErrors) as caught:
        update_nomination(window, f.city("taiyuan"), {"postcode": "3000"})
    assert [(e.field, e.code) for e in caught.value.errors] == [("postcode", "postcode_format")]
