"""The admin uploads a 附件2 edited in Word, sees its preview pages, puts it into use and downloads a
nominee's 附件2 made from it (the PDF preview needs LibreOffice, as the print test does)."""
from __future__ import annotations

import io
import shutil

import docx
import pytest

from form_templates import template_path
from nominate.extensions import db
from nominate.nominations.enums import NominationKind
from nominate.nominations.models import Nomination

pytestmark = [pytest.mark.browser, pytest.mark.libreoffice]

MARK = "本表式样经山西省人社厅二〇二一年修订"


def official_edit() -> bytes:
    document = docx.Document(template_path("window_approval"))
    document.add_paragraph(MARK)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_upload_preview_use_and_download(live, login, tmp_path):
    if not shutil.which("soffice") or not shutil.which("pdftoppm"):
        pytest.skip("LibreOffice and poppler-utils make the preview")
    with live.app.app_context():
        window = db.session.scalars(db.select(Nomination).filter_by(kind=NominationKind.WINDOW)
                                    .order_by(Nomination.id)).first()
        window_id = window.id
    admin = login("admin")
    page = admin.go("/admin/templates")
    page.get_by_label("表格", exact=True).select_option("window_approval")
    page.get_by_label("模板文件（.docx）").set_input_files(
        {"name": "附件2（修订）.docx", "mimeType": "application/octet-stream", "buffer": official_edit()})
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_url("**/admin/templates/*")
    assert "请查看预览" in page.content()
    first = page.locator("img.preview-page").first
    first.wait_for()
    assert page.locator("img.preview-page").count() >= 2  # 附件2 is a cover page and the form
    assert page.evaluate("() => [...document.querySelectorAll('img.preview-page')].every(i => i.complete && i.naturalWidth > 300)")
    admin.shot("30-admin-template-preview")

    page.get_by_role("button", name="启用此版本").click()
    page.wait_for_url("**/admin/templates")
    section = page.locator("#form-window_approval")
    assert "第 1 版（上传）" in section.locator(".in-use").inner_text()
    assert "使用中" in section.inner_text()

    page = admin.go(f"/nominations/{window_id}")
    with page.expect_download() as info:
        page.get_by_role("link", name="附件2 优质服务窗口推荐审批表（Word）", exact=True).click()
    path = tmp_path / "附件2.docx"
    info.value.save_as(path)
    assert MARK in [p.text for p in docx.Document(path).paragraphs]
