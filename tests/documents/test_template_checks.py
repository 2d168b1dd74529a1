"""The committed .docx are the templates: an official's edit in Word shows in the output, and every
template (committed or uploaded) passes the checks of ``form_templates.checks`` before it is used."""
from __future__ import annotations

import copy
import io
import shutil
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt
from jinja2.exceptions import SecurityError

import form_templates
from form_templates import TEMPLATE_FILES, checks, render_docx, sample_contexts, template_path


def squash(text: str) -> str:
    return "".join(text.split())


def edited(key: str, edit) -> bytes:
    """The committed template of ``key`` after ``edit(document)``, saved the way python-docx (or Word) saves."""
    document = docx.Document(template_path(key))
    edit(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def add_paragraph(text: str):
    return lambda document: document.add_paragraph(text)


def codes(problems) -> list[str]:
    return [p.code for p in problems]


# --- CI: the committed templates pass the same checks as an upload ----------------------------


@pytest.mark.parametrize("key", sorted(TEMPLATE_FILES))
def test_committed_template_passes_the_upload_checks(key):
    assert checks.check_template(key, template_path(key).read_bytes()) == []


@pytest.mark.parametrize("key", sorted(TEMPLATE_FILES))
def test_committed_template_reads_only_what_its_sample_context_provides(key):
    """The sample context is the map the checks use: it must hold every name the form reads."""
    assert checks.required_names(key) <= set(sample_contexts.SAMPLES[key]())


# --- an official edits a committed template in Word -------------------------------------------


def test_an_officials_edit_of_the_committed_template_is_in_the_output(tmp_path, monkeypatch):
    """Words changed, the 公安 opinion box moved to the top, the title's font changed: no generator runs,
    the committed file is what is rendered."""
    def official(document):
        note = next(p for p in document.paragraphs if p.text.startswith("4. 此表一式5份"))
        for run in note.runs[1:]:
            run.text = ""
        note.runs[0].text = "4. 此表一式3份，随推荐审批表一并报送省厅。"
        table = next(t for t in document.tables if squash(t.rows[0].cells[0].text) == "纪检监察部门意见")
        police = table.rows[2]._tr
        table._tbl.remove(police)
        table.rows[0]._tr.addprevious(police)
        title = next(p for p in document.paragraphs if p.text == "优质服务先进个人征求意见表")
        for run in title.runs:
            run.font.size = Pt(26)
            run.font.name = "黑体"
            run._element.rPr.rFonts.set(qn("w:eastAsia"), "黑体")

    folder = tmp_path / "form_templates"
    shutil.copytree(form_templates.TEMPLATE_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (folder / TEMPLATE_FILES["opinion_form"]).write_bytes(edited("opinion_form", official))
    monkeypatch.setattr(form_templates, "TEMPLATE_DIR", folder)

    data = (folder / TEMPLATE_FILES["opinion_form"]).read_bytes()
    assert checks.check_template("opinion_form", data) == []
    ctx = sample_contexts.opinion_form()
    out = docx.Document(io.BytesIO(render_docx("opinion_form", ctx)))
    texts = [p.text for p in out.paragraphs]
    assert "4. 此表一式3份，随推荐审批表一并报送省厅。" in texts
    assert "4. 此表一式5份，随推荐审批表一并报送。" not in texts
    table = next(t for t in out.tables if "意见" in squash(t.rows[0].cells[0].text))
    assert [squash(r.cells[0].text) for r in table.rows] == ["省级公安部门意见", "纪检监察部门意见", "组织人事部门意见"]
    assert table.rows[0].cells[1].paragraphs[0].text == ctx["opinions"]["police"]["text"].strip()
    title = next(p for p in out.paragraphs if p.text == "优质服务先进个人征求意见表")
    assert {(r.font.size, r._element.rPr.rFonts.get(qn("w:eastAsia"))) for r in title.runs} == {(Pt(26), "黑体")}


# --- what an upload is refused for ------------------------------------------------------------


def test_an_unknown_tag_is_refused_and_named():
    data = edited("window_approval", add_paragraph("联系人：{{ contact_person }}，窗口编号 {{ window.code }}"))
    problems = checks.check_template("window_approval", data)
    assert codes(problems) == ["template_unknown_tag", "template_unknown_tag"]
    assert "contact_person" in problems[0].message and "window.code" in problems[1].message


def test_a_misspelt_field_inside_a_loop_is_refused():
    data = edited("window_summary", add_paragraph("{% for r in rows %}{{ r.nmae }}{% endfor %}"))
    problems = checks.check_template("window_summary", data)
    assert codes(problems) == ["template_unknown_tag"] and "r.nmae" in problems[0].message


def test_a_known_field_inside_a_loop_is_accepted():
    data = edited("window_summary", add_paragraph("{% for r in rows %}{{ r.name }}{{ loop.index }}{% endfor %}"))
    assert checks.check_template("window_summary", data) == []


@pytest.mark.parametrize("tag", ["{{ org_name.__class__ }}", "{{ window.__class__.__mro__ }}",
                                 "{{ window['__class__'] }}", "{{ ''.__class__.__base__ }}"])
def test_reaching_outside_the_context_is_refused(tag):
    data = edited("window_approval", add_paragraph(tag))
    assert "template_unsafe_attribute" in codes(checks.check_template("window_approval", data))


def test_reaching_outside_the_context_is_never_rendered_even_unchecked(tmp_path):
    """The renderer is sandboxed too: a template that got past the checks still cannot leave its context."""
    path = tmp_path / "t.docx"
    path.write_bytes(edited("window_approval", add_paragraph("{{ org_name.__class__.__mro__ }}")))
    with pytest.raises(SecurityError):
        render_docx(path, sample_contexts.window_approval())


def test_a_word_macro_is_refused():
    data = template_path("window_approval").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml")
            dst.writestr(item, content)
        dst.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 Attribute VB_Name = \"NewMacros\"")
    assert codes(checks.check_template("window_approval", out.getvalue())) == ["template_macro"]


@pytest.mark.parametrize("tag", ["{% macro row(x) %}{{ x }}{% endmacro %}", "{% include 'other.xml' %}",
                                 "{% import 'lib' as lib %}"])
def test_a_jinja_macro_or_include_is_refused(tag):
    data = edited("window_approval", add_paragraph(tag))
    assert "template_forbidden_tag" in codes(checks.check_template("window_approval", data))


def test_an_external_link_is_refused():
    def link(document):
        paragraph = document.add_paragraph()
        rid = document.part.relate_to("http://example.com/x.png", docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK,
                                      is_external=True)
        hyperlink = copy.deepcopy(paragraph._p)
        hyperlink.tag = qn("w:hyperlink")
        hyperlink.set(qn("r:id"), rid)
        paragraph._p.append(hyperlink)

    problems = checks.check_template("window_approval", edited("window_approval", link))
    assert codes(problems) == ["template_external_link"] and "http://example.com/x.png" in problems[0].message


def test_a_required_tag_left_out_is_refused():
    """The cover's 填报日期 typed in by hand instead of its tag: the form needs {{ fill_date_cn }}."""
    def typed_date(document):
        for paragraph in (p for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs):
            for run in paragraph.runs:
                if "fill_date_cn" in run.text:
                    run.text = (run.text.replace("(fill_date_cn|string)|length", "10") if "{%" in run.text
                                else "二〇二一年八月二十日")

    problems = checks.check_template("window_approval", edited("window_approval", typed_date))
    assert codes(problems) == ["template_missing_tag"] and "fill_date_cn" in problems[0].message


@pytest.mark.parametrize("data", [b"", b"not a zip", b"PK\x03\x04broken"])
def test_a_file_that_is_not_a_word_document_is_refused(data):
    assert codes(checks.check_template("window_approval", data)) == ["template_unreadable"]


def test_a_broken_tag_is_refused_with_a_message():
    data = edited("window_approval", add_paragraph("{{ org_name "))
    assert codes(checks.check_template("window_approval", data)) == ["template_syntax"]


# --- the generator is a tool --------------------------------------------------------------------


def test_the_draft_generator_never_writes_over_the_committed_templates(tmp_path):
    from form_templates import build_templates

    before = {name: template_path(key).read_bytes() for key, name in TEMPLATE_FILES.items()}
    with pytest.raises(ValueError, match="不能用生成脚本覆盖"):
        build_templates.build_all(form_templates.TEMPLATE_DIR)
    assert build_templates.main([]) == 2
    assert {name: template_path(key).read_bytes() for key, name in TEMPLATE_FILES.items()} == before
    written = build_templates.build_all(tmp_path)
    assert sorted(p.name for p in written) == sorted(TEMPLATE_FILES.values())
    # a draft passes the same checks as the committed templates
    for key, name in TEMPLATE_FILES.items():
        assert checks.check_template(key, (tmp_path / name).read_bytes()) == [], name
