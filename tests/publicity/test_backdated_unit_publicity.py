"""A unit publicity recorded after it started (issue 14, defect 8): a start before today needs a reason and the
scanned publicity notice (PDF/JPG/PNG, size-limited, read from its bytes), both shown to the province on its
review; a start before the campaign opened is refused."""
from __future__ import annotations

import base64
import io

from PIL import Image

from nominate.audit.models import AuditEvent
from nominate.core.uploads import Upload
from nominate.publicity.models import PublicityNotice
from nominate.publicity.queries import current_period
from nominate.workflow.engine import fire_event
from tests.factories import refused

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (60, 80), (255, 255, 255)).save(buf, "PNG")
    return buf.getvalue()


def test_a_start_before_today_needs_a_reason_and_the_notice(f, db, clock):
    nom = f.window()
    clock.set("2021-08-10")
    err = refused(db, lambda: fire_event(nom, "start_unit_publicity", f.city(), params={"start_date": "2021-08-02"}),
                  "backdate_reason_required")
    assert err.field == "backdate_reason" and "2021年08月02日" in err.message
    refused(db, lambda: fire_event(nom, "start_unit_publicity", f.city(),
                                   params={"start_date": "2021-08-02", "backdate_reason": "已张贴，补登记"}),
            "backdate_notice_required")


def test_a_start_before_the_campaign_opened_is_refused(f, db, clock):
    nom = f.window()
    clock.set("2021-08-10")
    err = refused(db, lambda: fire_event(nom, "start_unit_publicity", f.city(), params={
        "start_date": "2021-06-01", "backdate_reason": "补登", "notice": Upload("通知.pdf", PDF)}),
        "start_before_campaign")
    assert "2021年07月20日" in err.message and err.field == "start_date"


def test_the_notice_must_really_be_a_pdf_jpg_or_png_within_the_limit(f, db, clock, app):
    nom = f.window()
    clock.set("2021-08-10")
    params = {"start_date": "2021-08-02", "backdate_reason": "补登"}
    for content, code in ((b"MZ\x90\x00 not a scan", "notice_format"), (b"\x89PNG\r\n\x1a\n" + b"0" * 50, "notice_format"),
                          (b"%PDF-1.4 truncated", "notice_unreadable"),
                          (PDF + b"x" * (app.config["UPLOAD_MAX_BYTES"] + 1), "notice_too_large")):
        refused(db, lambda: fire_event(nom, "start_unit_publicity", f.city(),
                                       params={**params, "notice": Upload("公示通知.pdf", content)}), code)


def test_today_or_later_needs_neither(f, db, clock):
    nom = f.window()
    clock.set("2021-08-02")
    fire_event(nom, "start_unit_publicity", f.city(), params={"start_date": "2021-08-02"})
    db.session.commit()
    assert current_period(nom, "unit").backdate_reason is None and current_period(nom, "unit").notice is None


def test_backdated_start_from_the_page_is_stored_and_shown_to_the_province(f, walk, db, clock, login):
    nom = f.window(window_level="township")
    clock.set("2021-08-04")
    page = login(f.city())
    r = page.post(f"/nominations/{nom.id}/events/start_unit_publicity", data={
        "start_date": "2021-08-02", "backdate_reason": "8月2日已在服务大厅张贴公示，现补登记",
        "notice": (io.BytesIO(_png()), "公示通知.png")}, content_type="multipart/form-data")
    assert r.status_code == 302, r.get_data(as_text=True)
    db.session.expire_all()
    period = current_period(nom, "unit")
    assert period.start_date.isoformat() == "2021-08-02" and period.backdate_reason.startswith("8月2日已在")
    assert period.notice.mime == "image/png" and period.notice.filename == "公示通知.png"
    row = db.session.scalars(db.select(AuditEvent).filter_by(action="start_unit_publicity", nomination_id=nom.id)).one()
    assert "公示通知.png" in row.data["notice"] and "补登记" in row.data["backdate_reason"]

    walk.to(nom, "city_recommended")
    other = walk.to(f.window(window_level="city", window_name="市级大厅"), "city_recommended")
    from nominate.batches import operations as bops

    bops.set_batch_report(other.batch, f.city(), report_text="报告")
    bops.submit_city_batch(other.batch, f.city())
    db.session.commit()
    html = login(f.office).get(f"/nominations/{nom.id}").get_data(as_text=True)
    assert "补登" in html and "8月2日已在服务大厅张贴公示，现补登记" in html
    link = f"/publicity/periods/{period.id}/notice"
    assert link in html
    r = login(f.office).get(link)
    assert r.status_code == 200 and r.mimetype == "image/png" and r.data == _png()
    assert login(f.city("datong")).get(link).status_code == 403


def test_backdated_start_from_the_page_without_the_notice_is_refused_with_the_field(f, db, clock, login):
    nom = f.window()
    clock.set("2021-08-04")
    r = login(f.city()).post(f"/nominations/{nom.id}/events/start_unit_publicity",
                             data={"start_date": "2021-08-02", "backdate_reason": "补登"})
    assert r.status_code in (409, 422) and "公示通知扫描件" in r.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(PublicityNotice.id))) == 0


def test_backdated_start_in_the_api(f, db, clock, client):
    nom = f.window()
    clock.set("2021-08-04")
    token = f.token(f.city())
    auth = {"Authorization": f"Bearer {token}"}
    r = client.post(f"/api/v1/nominations/{nom.id}/events", headers=auth,
                    json={"event": "start_unit_publicity", "start_date": "2021-08-02"})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "backdate_reason_required"
    r = client.post(f"/api/v1/nominations/{nom.id}/events", headers=auth,
                    json={"event": "start_unit_publicity", "start_date": "2021-08-02", "backdate_reason": "补登",
                          "notice_base64": "***"})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "notice_base64"
    r = client.post(f"/api/v1/nominations/{nom.id}/events", headers=auth,
                    json={"event": "start_unit_publicity", "start_date": "2021-08-02", "backdate_reason": "补登",
                          "notice_filename": "通知.pdf", "notice_base64": base64.b64encode(PDF).decode()})
    assert r.status_code == 200, r.get_json()
    period = current_period(nom, "unit")
    got = client.get(f"/api/v1/publicity-periods/{period.id}", headers={"Authorization": f"Bearer {f.token(f.office)}"})
    assert got.get_json()["backdate_reason"] == "补登"
    assert got.get_json()["notice"] == {"filename": "通知.pdf", "mime": "application/pdf", "size": len(PDF)}


def test_the_scanned_notice_goes_with_the_personal_data_at_retention(f, walk, db, clock):
    from nominate.retention.operations import anonymise_campaign, plan

    nom = f.individual()
    clock.set("2021-08-04")
    fire_event(nom, "start_unit_publicity", f.city(), params={
        "start_date": "2021-08-02", "backdate_reason": "补登", "notice": Upload("公示通知.png", _png())})
    db.session.commit()
    clock.set("2030-01-01")
    assert plan(nom.campaign).counts["publicity_notices"] == 1
    anonymise_campaign(nom.campaign)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(PublicityNotice.id))) == 0
    assert current_period(nom, "unit").backdate_reason == "补登"  # the reason stays: no personal data
