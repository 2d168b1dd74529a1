"""Drafts (issue 14, defect 7): an empty 保存 creates nothing; an unsubmitted draft can be deleted by its owner
(confirmation page, one audited transaction), on the page and in the API."""
from __future__ import annotations

from nominate.audit.models import AuditEvent
from nominate.nominations import operations as nops
from nominate.nominations.models import Nomination
from tests.factories import individual_data, refused


def _count(db):
    return db.session.scalar(db.select(db.func.count(Nomination.id)))


def test_an_empty_save_creates_no_draft(f, db):
    err = refused(db, lambda: nops.create_nomination(f.campaign, f.city(), "window", {"window_name": "", "address": " "}),
                  "draft_empty")
    assert err.field == "window_name" and "窗口名称" in err.message


def test_an_empty_save_on_the_page_stays_on_the_form_with_the_message(f, db, login):
    before = _count(db)
    r = login(f.city()).post("/nominations/new/individual", data={"person_name": "", "ethnicity": ""})
    assert r.status_code == 200 and "未填写任何内容" in r.get_data(as_text=True)
    assert _count(db) == before
    assert "（未命名）" not in login(f.city()).get("/nominations/").get_data(as_text=True)


def test_an_empty_save_in_the_api_is_refused(f, db, client):
    before = _count(db)
    token = f.token(f.city())
    r = client.post("/api/v1/nominations", json={"campaign_id": f.campaign.id, "kind": "window"},
                    headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "draft_empty"
    assert _count(db) == before


def test_owner_deletes_a_draft_after_confirming_and_it_is_listed_nowhere(f, db, login):
    nom = f.individual(person_name="王草稿")
    page = login(f.city())
    html = page.get(f"/nominations/{nom.id}").get_data(as_text=True)
    assert f"/nominations/{nom.id}/delete" in html
    confirm = page.get(f"/nominations/{nom.id}/delete").get_data(as_text=True)
    assert "确定要删除" in confirm and "王草稿" in confirm
    r = page.post(f"/nominations/{nom.id}/delete", data={"reason": "重复录入"}, follow_redirects=True)
    assert "草稿“王草稿”已删除" in r.get_data(as_text=True)
    db.session.expire_all()
    assert nom.deleted_at is not None and nom.id_number is None
    assert "王草稿" not in page.get("/nominations/").get_data(as_text=True)
    assert "王草稿" not in page.get("/batches/").get_data(as_text=True)
    assert page.get(f"/nominations/{nom.id}").status_code in (403, 404)
    row = db.session.scalars(db.select(AuditEvent).filter_by(action="draft_deleted", nomination_id=nom.id)).one()
    assert row.comment == "重复录入" and row.data["name"] == "王草稿"
    # the person may be entered again
    again = nops.create_nomination(f.campaign, f.city(), "individual", individual_data(person_name="王草稿"))
    db.session.commit()
    assert again.id != nom.id


def test_delete_in_the_api(f, db, client):
    nom = f.window(window_name="草稿窗口")
    token = f.token(f.city())
    r = client.delete(f"/api/v1/nominations/{nom.id}", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 204
    listed = client.get("/api/v1/nominations", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert nom.id not in [n["id"] for n in listed["items"]]
    r = client.delete(f"/api/v1/nominations/{nom.id}", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code in (403, 404, 422)


def test_only_an_unsubmitted_draft_of_ones_own_can_be_deleted(f, walk, db, login):
    nom = walk.to(f.window(), "unit_publicity")
    err = refused(db, lambda: nops.delete_draft(nom, f.city()), "not_deletable")
    assert "撤回" in err.message
    assert f"/nominations/{nom.id}/delete" not in login(f.city()).get(f"/nominations/{nom.id}").get_data(as_text=True)
    draft = f.window(window_name="另一草稿")
    refused(db, lambda: nops.delete_draft(draft, f.city("datong")), "forbidden")
    refused(db, lambda: nops.delete_draft(draft, f.office), "forbidden")


def test_the_confirmation_page_says_why_a_started_nomination_cannot_be_deleted(f, walk, db, login):
    nom = walk.to(f.window(), "unit_publicity")
    r = login(f.city()).get(f"/nominations/{nom.id}/delete")
    assert r.status_code == 422 and "撤回" in r.get_data(as_text=True)
    assert login(f.office).get(f"/nominations/{nom.id}/delete").status_code == 403
