"""Rendering shortcuts change nothing in the documents: docxtpl's preprocessing kept per template in the
process (``form_templates.PREPARE_ONCE``) gives the same XML, part for part, as preparing on every render."""
from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import form_templates  # noqa: E402
from form_templates import TEMPLATE_FILES, render_docx, sample_contexts  # noqa: E402


def xml_parts(data: bytes) -> dict[str, bytes]:
    """Every XML part of a DOCX (document, headers, footers, styles, relationships), by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n.endswith((".xml", ".rels"))}


@pytest.fixture
def prepare_once(monkeypatch):
    def set_(value: bool):
        monkeypatch.setattr(form_templates, "PREPARE_ONCE", value)
    return set_


@pytest.mark.parametrize("key", sorted(TEMPLATE_FILES))
def test_prepared_once_renders_the_same_xml_as_prepared_every_time(key, prepare_once):
    prepare_once(False)
    plain = xml_parts(render_docx(key, sample_contexts.SAMPLES[key]()))
    prepare_once(True)
    first = xml_parts(render_docx(key, sample_contexts.SAMPLES[key]()))
    again = xml_parts(render_docx(key, sample_contexts.SAMPLES[key]()))  # from the kept preparation
    assert first == plain
    assert again == plain


def entries(data: bytes) -> list[tuple]:
    """The ZIP entries of a DOCX as written: name, method, CRC, sizes, attributes (all but the time)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        return [(i.filename, i.compress_type, i.CRC, i.compress_size, i.file_size, i.external_attr, i.flag_bits)
                for i in z.infolist()]


@pytest.mark.parametrize("key", sorted(TEMPLATE_FILES))
def test_kept_styles_and_deflated_parts_write_the_same_entries(key, prepare_once):
    """styles.xml kept as bytes on opening and the large parts deflated once: the same entries, deflated to
    the same size with the same CRC, as python-docx and zipfile write them every time."""
    prepare_once(False)
    plain = render_docx(key, sample_contexts.SAMPLES[key]())
    prepare_once(True)
    render_docx(key, sample_contexts.SAMPLES[key]())
    again = render_docx(key, sample_contexts.SAMPLES[key]())  # from the kept styles and deflated bytes
    assert entries(again) == entries(plain)
    assert xml_parts(again) == xml_parts(plain)


def test_preparation_is_reused_and_a_changed_template_is_prepared_afresh(prepare_once, tmp_path):
    prepare_once(True)
    cache = form_templates._prepared_class().cache
    cache.cache_clear()
    ctx = sample_contexts.SAMPLES["contact_form"]()
    render_docx("contact_form", ctx)
    misses = cache.cache_info().misses
    render_docx("contact_form", ctx)
    assert cache.cache_info().misses == misses  # nothing prepared again
    assert cache.cache_info().hits > 0
    # the same form with a changed text: another XML string, prepared anew, its new text in the document
    src = (form_templates.TEMPLATE_DIR / TEMPLATE_FILES["contact_form"]).read_bytes()
    with zipfile.ZipFile(io.BytesIO(src)) as zin:
        body = zin.read("word/document.xml").decode()
        assert "评选工作联系表" in body
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zout:
            for item in zin.infolist():
                data = zin.read(item.filename)
                if item.filename == "word/document.xml":
                    data = body.replace("评选工作联系表", "评选工作联络表", 1).encode()
                zout.writestr(item, data)
    changed = render_docx(out.getvalue(), ctx)
    assert cache.cache_info().misses > misses
    assert "评选工作联络表".encode() in xml_parts(changed)["word/document.xml"]


# ---- rendered documents kept in the cache (nominate.caching), keyed by template and data ----------------------

@pytest.fixture
def document_cache(app, monkeypatch):
    from nominate.caching import cache
    from nominate.documents import rendering

    monkeypatch.setitem(app.config, "DOCUMENT_CACHE", True)
    calls = []
    real = rendering.render_prepared

    def counting(form, ctx, data):
        calls.append(form)
        return real(form, ctx, data)

    monkeypatch.setattr(rendering, "render_prepared", counting)
    with app.app_context():
        cache.clear()
        yield calls
        cache.clear()


def test_an_unchanged_document_is_rendered_once_and_a_changed_field_renders_anew(document_cache):
    from nominate.documents.rendering import render_form

    ctx = sample_contexts.SAMPLES["opinion_form"]()
    first = render_form("opinion_form", ctx)
    again = render_form("opinion_form", sample_contexts.SAMPLES["opinion_form"]())
    assert again == first
    assert document_cache == ["opinion_form"]  # the second came from the cache
    changed = sample_contexts.SAMPLES["opinion_form"]()
    changed["person"]["name"] = "王改名"
    other = render_form("opinion_form", changed)
    assert document_cache == ["opinion_form", "opinion_form"]
    assert "王改名".encode() in xml_parts(other)["word/document.xml"]
    assert "王改名".encode() not in xml_parts(first)["word/document.xml"]


def test_a_changed_template_or_form_makes_another_key(app, monkeypatch):
    from nominate import caching

    monkeypatch.setitem(app.config, "DOCUMENT_CACHE", True)
    ctx = sample_contexts.SAMPLES["contact_form"]()
    with app.app_context():
        key = caching.document_key("contact_form", b"template v1", ctx)
        assert key == caching.document_key("contact_form", b"template v1", sample_contexts.SAMPLES["contact_form"]())
        assert key != caching.document_key("contact_form", b"template v2", ctx)
        assert key != caching.document_key("opinion_form", b"template v1", ctx)
        monkeypatch.setitem(app.config, "DOCUMENT_CACHE", False)
        assert caching.document_key("contact_form", b"template v1", ctx) is None


def test_contents_page_is_the_one_build_templates_makes_cell_by_cell():
    """目录 from the kept blank page, written cell by cell directly: the XML build_templates' own helpers
    (new_document, cell_text on table.cell) make."""
    from form_templates import build_templates as bt
    from nominate.documents.bundle import contents_docx

    names = ["山西省/00 目录.docx", "山西省/正式推荐工作报告.docx", "山西省/太原市/附件3 优质服务先进个人推荐审批表/01 张晓梅.docx",
             "山西省/太原市/照片/01 张晓梅-太原市人社局.jpg"]
    doc = bt.new_document("目录", body_size=bt.SANHAO)
    bt.remove_leading_empty_paragraph(doc)
    bt.para(doc, "山西省正式推荐材料", "Form Title", after=6)
    bt.para(doc, "目  录", "Form Subtitle", after=12)
    table = bt.new_table(doc, [1.3, 14.3], len(names) + 1)
    bt.cell_text(table.cell(0, 0), ["序号"], "Table Head")
    bt.cell_text(table.cell(0, 1), ["文件"], "Table Head")
    for i, name in enumerate(names, start=1):
        bt.cell_text(table.cell(i, 0), [str(i)])
        bt.cell_text(table.cell(i, 1), [name.split("/", 1)[-1]], align=bt.LEFT)
    bt.finish_table(table)
    out = io.BytesIO()
    doc.save(out)
    assert xml_parts(contents_docx("山西省正式推荐材料", names)) == xml_parts(out.getvalue())
    assert xml_parts(contents_docx("山西省正式推荐材料", names)) == xml_parts(out.getvalue())  # from the kept page
