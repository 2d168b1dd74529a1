"""Downloads over the web and the API: who gets which table, the audit row, the streamed bundle."""
from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

import docx
import pytest

from nominate.audit.models import AuditEvent
from nominate.documents import bundle as bundles
from nominate.core import pdf
from nominate.documents.views import available_documents
from tests.factories import make_id_number
from tests.signin import sign_in, signed_in_session, use_session


@pytest.fixture()
def world(f, walk):
    """太原 and 大同 each with a recommended window and individual in their batch."""
    noms = {}
    for code in ("taiyuan", "datong"):
        w = f.window(code, window_name=f"{code}窗口")
        p = f.individual(code, id_number=make_id_number("19850312", 124 if code == "taiyuan" else 126))
        walk.to(w, "city_recommended")
        walk.to(p, "city_recommended")
        noms[code] = (w, p)
    return noms


def login(client, user):
    sign_in(client, user)


def downloads(db):
    return db.session.scalars(db.select(AuditEvent).filter_by(action="document_downloaded")).all()


def test_city_downloads_its_own_summary_with_a_utf8_name_and_an_audit_row(client, f, world, db):
    login(client, f.city("taiyuan"))
    batch = world["taiyuan"][0].batch
    r = client.get(f"/documents/batches/{batch.id}/window_summary")
    assert r.status_code == 200
    assert r.mimetype.endswith("wordprocessingml.document")
    name = "附件5 优质服务窗口推荐对象汇总表（太原市）.docx"
    assert f"filename*=UTF-8''{quote(name)}" in r.headers["Content-Disposition"]
    assert r.headers["Cache-Control"] == "no-store"
    table = docx.Document(io.BytesIO(r.data)).tables[0]
    assert table.rows[2].cells[1].text == "taiyuan窗口"
    [event] = downloads(db)
    assert event.object_type == "batch" and event.object_id == batch.id and event.data["form"] == "window_summary"


def test_city_is_refused_another_citys_batch_nomination_and_the_province_bundle(client, f, world, db):
    login(client, f.city("taiyuan"))
    datong_window, datong_person = world["datong"]
    assert client.get(f"/documents/batches/{datong_window.batch.id}/window_summary").status_code == 403
    assert client.get(f"/documents/nominations/{datong_person.id}/individual_approval").status_code == 403
    assert client.get(f"/documents/bundles/{f.org('datong').id}/preliminary").status_code == 403
    assert client.get(f"/documents/bundles/{f.org('shanxi').id}/preliminary").status_code == 403
    assert client.get(f"/documents/campaigns/{f.campaign.id}/window_summary").status_code == 403
    assert downloads(db) == []


def test_signer_is_refused_the_individual_summary(client, f, world):
    login(client, f.user("signer_discipline", "taiyuan"))
    batch = world["taiyuan"][1].batch
    assert client.get(f"/documents/batches/{batch.id}/individual_summary").status_code == 403
    assert client.get(f"/documents/batches/{batch.id}/individual_summary_xlsx").status_code == 403


def test_office_downloads_city_and_province_bundles(client, f, world, db):
    login(client, f.office)
    r = client.get(f"/documents/bundles/{f.org('taiyuan').id}/preliminary")
    assert r.status_code == 200 and r.is_streamed
    names = zipfile.ZipFile(io.BytesIO(r.get_data())).namelist()
    assert "太原市/附件6 优质服务先进个人推荐对象汇总表.docx" in names
    assert "filename*=UTF-8''" in r.headers["Content-Disposition"]
    r = client.get(f"/documents/bundles/{f.org('shanxi').id}/preliminary")
    assert r.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(r.get_data())).namelist()[:2] == ["山西省/00 目录.docx",
                                                                         "山西省/初审推荐工作报告.docx"]
    r = client.get(f"/documents/batches/{world['datong'][1].batch.id}/individual_summary")
    assert r.status_code == 200
    assert len(downloads(db)) == 3


def test_unknown_form_or_wrong_kind_is_404(client, f, world):
    login(client, f.city("taiyuan"))
    window, person = world["taiyuan"]
    assert client.get(f"/documents/nominations/{window.id}/individual_approval").status_code == 404
    assert client.get(f"/documents/nominations/{person.id}/no_such_form").status_code == 404
    assert client.get(f"/documents/batches/{window.batch.id}/window_summary?stage=later").status_code == 404


def test_pdf_without_libreoffice_is_a_clear_503_and_its_links_are_hidden(client, f, world, monkeypatch):
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    user = f.city("taiyuan")
    login(client, user)
    window = world["taiyuan"][0]
    r = client.get(f"/documents/nominations/{window.id}/window_approval?format=pdf")
    assert r.status_code == 503
    assert "LibreOffice" in r.get_data(as_text=True)
    with client.application.test_request_context():
        links = available_documents(user, nomination=window)
    assert links and not any("PDF" in label for label, _ in links)


def test_available_documents_lists_only_what_the_user_may_download(client, f, world):
    window, person = world["taiyuan"]
    with client.application.test_request_context():
        city = dict(available_documents(f.city("taiyuan"), batch=window.batch))
        signer = available_documents(f.user("signer_discipline", "taiyuan"), batch=window.batch)
        office = dict(available_documents(f.office, org=f.org("shanxi")))
    assert any(label.startswith("附件6") for label in city)
    assert any("ZIP" in label for label in city)
    assert signer == []
    assert any("山西省正式推荐材料" in label for label in office)
    login(client, f.city("taiyuan"))
    for label, url in city.items():
        if "PDF" not in label:
            assert client.get(url).status_code == 200, label


def test_bundle_stream_yields_before_the_documents_are_all_rendered(f, world):
    batch = world["taiyuan"][0].batch
    made = bundles.batch_bundle(batch, "preliminary")
    rendered = []
    made.entries = [(name, (lambda render=render, name=name: rendered.append(name) or render()))
                    for name, render in made.entries]
    stream = made.stream()
    first = next(stream)
    assert first and len(rendered) <= 1
    rest = b"".join(stream)
    assert len(rendered) == len(made.entries) == 8  # 目录, report, 附件5/6 ×2, 主要事迹, 简要事迹
    assert len(zipfile.ZipFile(io.BytesIO(first + rest)).namelist()) == 8


def test_api_downloads_with_bearer_token_and_refuses_in_the_error_shape(client, f, world):
    token = f.token(f.city("taiyuan"))
    headers = {"Authorization": f"Bearer {token}"}
    window = world["taiyuan"][0]
    r = client.get(f"/api/v1/batches/{window.batch.id}/documents/individual_summary_xlsx", headers=headers)
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    r = client.get(f"/api/v1/nominations/{window.id}/documents/window_approval", headers=headers)
    assert r.status_code == 200
    r = client.get(f"/api/v1/batches/{world['datong'][0].batch.id}/documents/window_summary", headers=headers)
    assert r.status_code == 403
    assert set(r.get_json()["error"]) >= {"code", "message", "field"}
    r = client.get(f"/api/v1/batches/{window.batch.id}/documents/window_summary?format=gif", headers=headers)
    assert r.status_code == 422
    assert client.get(f"/api/v1/batches/{window.batch.id}/documents/window_summary").status_code == 401


def test_bundle_streams_after_the_requests_session_is_gone(app, f, world):
    """As under a real server: the ZIP is iterated after the view returned and its session was removed.

    The request runs in a thread with no app context of the test's, so the request's own context
    (and database session) is torn down before the stream is read."""
    import threading

    saved, province_id = signed_in_session(app, f.office), f.org("shanxi").id
    batch_org_id = world["taiyuan"][0].owner_org_id
    f.db.session.remove()  # end the test's own transaction: on SQLite it holds the write lock
    out = {}

    def run():
        client = use_session(app.test_client(), saved)
        for key, org_id in (("province", province_id), ("city", batch_org_id)):
            r = client.get(f"/documents/bundles/{org_id}/preliminary")
            out[key] = (r.status_code, r.get_data())

    t = threading.Thread(target=run)
    t.start()
    t.join(60)
    for key in ("province", "city"):
        status, body = out[key]
        assert status == 200
        assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None


def test_guessed_huge_ids_are_404_not_500(client, f, world):
    login(client, f.office)
    huge = 10**20
    for url in (f"/documents/nominations/{huge}/window_approval", f"/documents/batches/{huge}/window_summary",
                f"/documents/bundles/{huge}/preliminary"):
        assert client.get(url).status_code == 404, url


def test_a_streaming_bundle_does_not_hold_the_database_between_documents(f, world):
    """Between two documents of a streaming bundle another connection can write (on SQLite every
    transaction takes the write lock, so a held one would make it wait and fail)."""
    import sqlalchemy as sa

    from nominate.core.db import end_read
    from nominate.documents import operations as dops
    from nominate.extensions import db as _db

    download = dops.download_bundle(f.office, f.org("taiyuan"), "preliminary")
    made = download.build()
    writes = []

    def write_from_elsewhere():
        other = sa.create_engine(_db.engine.url, connect_args={"timeout": 1} if _db.engine.dialect.name == "sqlite"
                                 else {"options": "-c lock_timeout=1000"})
        with other.begin() as conn:
            conn.execute(sa.text("UPDATE organisations SET fax = '0351-1' WHERE code = 'taiyuan'"))
        other.dispose()
        writes.append(True)

    (name0, render0), (name1, render1) = made.entries[:2]
    made.entries[1] = (name1, lambda: write_from_elsewhere() or render1())
    assert b"".join(made.stream(after_each=end_read))
    assert writes == [True]


def test_a_streamed_download_keeps_the_rows_it_read(f, world):
    """Ending the read transaction after each document keeps what was read: the download streams with as many
    SELECTs as the same bundle streamed in one transaction (a rollback expired every row, and each document
    read its nominees again: 13.6 s of a national bundle's 18 s)."""
    import sqlalchemy as sa

    from nominate.core.db import end_read
    from nominate.documents import operations as dops
    from nominate.extensions import db as _db

    def selects(after_each):
        _db.session.rollback()
        made = dops.download_bundle(f.office, f.org("shanxi"), "preliminary").build()
        seen = []

        def log(conn, cursor, statement, *args):
            if statement.lstrip().upper().startswith("SELECT"):
                seen.append(statement)

        sa.event.listen(_db.engine, "before_cursor_execute", log)
        try:
            assert b"".join(made.stream(after_each=after_each))
        finally:
            sa.event.remove(_db.engine, "before_cursor_execute", log)
        return len(made.entries), len(seen)

    entries, in_one = selects(None)
    assert entries >= 4
    assert selects(end_read) == (entries, in_one)
