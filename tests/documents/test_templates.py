"""The official Word templates: rendered with the sample contexts and read back with python-docx.

No Flask app is needed.  The seed texts below (headers, 注 lines) are copied from the annexes of
晋人社厅函〔2021〕734号 and must stay verbatim: "不得随意改变格式".
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.table import _Cell

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import form_templates  # noqa: E402
from form_templates import sample_contexts  # noqa: E402
from form_templates import (  # noqa: E402
    TEMPLATE_DIR,
    TEMPLATE_FILES,
    format_cn_date,
    format_date,
    format_period,
    render_docx,
)

# --- the seed, verbatim ---------------------------------------------------------------------

SEED_WINDOW_HEADER = [
    "序号", "窗口名称", "窗口性质", "窗口级别", "窗口负责人 姓名", "窗口负责人 单位及职务",
    "窗口负责人 联系电话", "窗口所属单位 名称", "备注",
]
SEED_INDIVIDUAL_HEADER = [
    "序号", "姓名", "性别", "民族", "政治面貌", "学历学位", "身份证号", "工作单位", "单位性质", "职务",
    "行政级别", "职称", "到窗口工作时间", "在窗口工作年限", "联系电话", "备注",
]
SEED_WINDOW_NOTES = [
    "注：1. 根据差额推荐要求，请按推荐名额及顺序填写，可根据字数调整行高。",
    "2. 工作单位填报格式：XX（省、市、自治区）XX（市、地、州、盟）XX（县、区、旗）XX窗口。",
    "3. 单位性质选填机关、参公单位、事业单位、企业、其他。",
    "4. 曾获得过省部级以上称号、人社服务标兵或在练兵比武活动中获得过名次的推荐对象，请在备注栏中注明。",
]
SEED_INDIVIDUAL_NOTES = SEED_WINDOW_NOTES[:3] + [
    "4. 曾获得过省部级以上称号、被人社部列为人社服务标兵或在练兵比武活动中获得过名次的推荐对象，请在备注栏中注明。",
]
SEED_OPINION_NOTES = [
    "注：1. 纪检监察部门和组织人事部门按照干部管理权限填写。",
    "2. 省级公安部门意见由省级人社部门统一征求。",
    "3. 此表不得由推荐对象本人负责联系填写。",
    "4. 此表一式5份，随推荐审批表一并报送。",
]

JINJA_MARKERS = ("{{", "}}", "{%", "%}", "{#", "#}")


# --- helpers --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def rendered_bytes(key: str) -> bytes:
    return render_docx(key, sample_contexts.SAMPLES[key]())


def rendered(key: str) -> docx.document.Document:
    return docx.Document(io.BytesIO(rendered_bytes(key)))


def render(key: str, context: dict) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(key, context)))


def unique_cells(table, row) -> list[_Cell]:
    """The row's cells without the repeats python-docx returns for a horizontal merge."""
    return [_Cell(tc, table) for tc in row._tr.tc_lst]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def body_texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def labelled_values(table) -> dict[str, str]:
    """label -> value for a form table laid out as label | value | label | value …"""
    values = {}
    for row in table.rows:
        cells = unique_cells(table, row)
        for label, value in zip(cells[::2], cells[1::2]):
            values.setdefault(squash(label.text), value.text.strip())
    return values


def structure(path_or_bytes) -> list:
    """What a template is made of: page setup, styles used, paragraph texts, table grids and texts."""
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    document = docx.Document(io.BytesIO(data))
    out = []
    for section in document.sections:
        out.append(("section", section.orientation, section.page_width, section.page_height,
                    section.top_margin, section.bottom_margin, section.left_margin,
                    section.right_margin, [p.text for p in section.footer.paragraphs]))
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            p = docx.text.paragraph.Paragraph(element, document)
            out.append(("p", p.style.name, p.text))
        elif element.tag == qn("w:tbl"):
            table = docx.table.Table(element, document)
            grid = [col.get(qn("w:w")) for col in element.tblGrid.findall(qn("w:gridCol"))]
            cells = [[(c.text, c._tc.grid_span) for c in unique_cells(table, r)] for r in table.rows]
            out.append(("tbl", grid, cells))
    return out


def is_valid_id_number(number: str) -> bool:
    """GB 11643-1999 check digit."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], weights))
    return "10X98765432"[total % 11] == number[17]


# --- the committed files -----------------------------------------------


def test_every_template_is_committed_and_nothing_else():
    on_disk = {p.name for p in TEMPLATE_DIR.glob("*.docx")}
    assert on_disk == set(TEMPLATE_FILES.values())


# The committed files are the templates (officials edit them in Word/WPS): no test compares them with
# ``build_templates.py`` any more; ``test_template_checks.py`` runs the upload checks on each of them.


@pytest.mark.parametrize("key", sorted(TEMPLATE_FILES))
def test_styles_carry_east_asian_fonts(key):
    with zipfile.ZipFile(TEMPLATE_DIR / TEMPLATE_FILES[key]) as z:
        styles = z.read("word/styles.xml").decode()
        fonts = z.read("word/fontTable.xml").decode()
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S).group(0)
    assert 'w:eastAsia="仿宋_GB2312"' in defaults
    assert 'w:eastAsia="zh-CN"' in defaults
    assert 'w:eastAsia="方正小标宋简体"' in styles
    assert "eastAsiaTheme" not in defaults
    # fallbacks for machines without the official fonts
    assert re.search(r'w:name="方正小标宋简体">\s*<w:altName w:val="黑体"', fonts)
    assert re.search(r'w:name="仿宋_GB2312">\s*<w:altName w:val="仿宋"', fonts)


@pytest.mark.parametrize("key", sorted(TEMPLATE_FILES))
def test_page_is_a4_with_official_margins(key):
    section = docx.Document(TEMPLATE_DIR / TEMPLATE_FILES[key]).sections[0]
    landscape = key in ("window_summary", "individual_summary")
    size = (round(section.page_width.mm), round(section.page_height.mm))
    assert size == ((297, 210) if landscape else (210, 297))
    if not landscape:
        margins = [round(m.cm, 2) for m in (section.top_margin, section.bottom_margin,
                                            section.left_margin, section.right_margin)]
        assert margins == [3.7, 3.5, 2.8, 2.6]


# --- every template renders cleanly ---------------------------------------------------------


@pytest.mark.parametrize("key", sorted(TEMPLATE_FILES))
def test_rendering_leaves_no_template_tags(key):
    with zipfile.ZipFile(io.BytesIO(rendered_bytes(key))) as z:
        for name in z.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                xml = z.read(name).decode()
                text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
                for marker in JINJA_MARKERS:
                    assert marker not in text, f"{name} of {key} still holds {marker!r}"


@pytest.mark.parametrize("key", sorted(TEMPLATE_FILES))
def test_every_rendered_cell_has_a_paragraph(key):
    """Word refuses a table cell without a paragraph (an empty loop must not produce one)."""
    document = rendered(key)
    for tc in document.element.body.iter(qn("w:tc")):
        assert tc.find(qn("w:p")) is not None


def test_values_are_escaped_not_injected():
    ctx = sample_contexts.opinion_form()
    ctx["person"]["name"] = "A&B <李>"
    ctx["opinions"]["police"]["text"] = "经查 <无> 违法犯罪记录 & 同意"
    document = render("opinion_form", ctx)
    texts = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "A&B <李>" in texts
    assert "经查 <无> 违法犯罪记录 & 同意" in texts


# --- 附件5 / 附件6 ----------------------------------------------------------------------------


def leaf_headers(table, header_rows: int) -> list[str]:
    top = [c.text for c in table.rows[0].cells]
    if header_rows == 1:
        return top
    sub = [c.text for c in table.rows[1].cells]
    return [t if t == s else f"{t} {s}" for t, s in zip(top, sub)]


def test_window_summary_header_is_the_seed_header():
    table = rendered("window_summary").tables[0]
    assert leaf_headers(table, 2) == SEED_WINDOW_HEADER
    # 窗口负责人 is one merged cell over three columns, 窗口所属单位 over one
    assert [(c.text, c._tc.grid_span) for c in unique_cells(table, table.rows[0])][4:6] == [
        ("窗口负责人", 3), ("窗口所属单位", 1)]


def test_window_summary_has_one_row_per_window_in_rank_order():
    ctx = sample_contexts.window_summary()
    table = render("window_summary", ctx).tables[0]
    data = table.rows[2:]
    assert len(data) == len(ctx["rows"]) == 12
    for row, expected in zip(data, ctx["rows"]):
        assert [c.text for c in unique_cells(table, row)] == [
            str(expected[k]) for k in sample_contexts.WINDOW_ROW_KEYS]


def test_individual_summary_header_is_the_seed_header():
    table = rendered("individual_summary").tables[0]
    assert leaf_headers(table, 1) == SEED_INDIVIDUAL_HEADER


def test_individual_summary_has_one_row_per_person_in_rank_order():
    ctx = sample_contexts.individual_summary()
    table = render("individual_summary", ctx).tables[0]
    data = table.rows[1:]
    assert len(data) == len(ctx["rows"]) == 5
    for row, expected in zip(data, ctx["rows"]):
        # 学历 over 学位: the Word cell breaks the line between the two words, never inside one
        assert [c.text for c in unique_cells(table, row)] == [
            str(expected[k]).replace(" ", "\n") if k == "education" else str(expected[k])
            for k in sample_contexts.INDIVIDUAL_ROW_KEYS]


def test_summary_numbers_rows_when_seq_is_missing():
    ctx = sample_contexts.individual_summary()
    for row in ctx["rows"]:
        del row["seq"]
    table = render("individual_summary", ctx).tables[0]
    assert [r.cells[0].text for r in table.rows[1:]] == ["1", "2", "3", "4", "5"]


def test_summary_header_repeats_on_every_page():
    table = rendered("window_summary").tables[0]
    for row in table.rows[:2]:
        assert row._tr.trPr.find(qn("w:tblHeader")) is not None


@pytest.mark.parametrize("key,title,notes", [
    ("window_summary", "全国人力资源社会保障系统优质服务窗口推荐对象汇总表", SEED_WINDOW_NOTES),
    # the seed's "…优质服务先进单位推荐对象汇总表" is a slip of the notice: the table lists people
    ("individual_summary", "全国人力资源社会保障系统优质服务先进个人推荐对象汇总表", SEED_INDIVIDUAL_NOTES),
])
def test_summary_title_heading_notes_and_footer(key, title, notes):
    ctx = sample_contexts.SAMPLES[key]()
    texts = body_texts(rendered(key))
    assert title in texts
    assert f"推荐单位（盖章）：{ctx['org_name']}\t填表日期：{ctx['fill_date']}" in texts
    start = next(i for i, t in enumerate(texts) if t.startswith("注："))
    assert texts[start:start + 4] == notes
    footer = texts[start + 4]
    assert squash(footer) == squash(
        f"联系人：{ctx['contact_name']}联系电话：{ctx['contact_phone']}传真：{ctx['fax']}")


def test_summary_fill_date_left_blank_for_the_pen():
    ctx = sample_contexts.window_summary()
    ctx["fill_date"] = ""
    texts = body_texts(render("window_summary", ctx))
    assert any(t.endswith("填表日期：        年    月    日") for t in texts)


# --- 附件4 ----------------------------------------------------------------------------------


def opinion_table(document):
    return next(t for t in document.tables if squash(t.rows[0].cells[0].text) == "纪检监察部门意见")


def test_opinion_form_lists_name_unit_position():
    """姓名 and 职务 on the first line, 单位 alone on a full-width underlined blank on the second."""
    ctx = sample_contexts.opinion_form()
    head = rendered("opinion_form").tables[0]
    assert [c.text for c in unique_cells(head, head.rows[0])] == [
        "姓名：", ctx["person"]["name"], "职务：", ctx["person"]["position"]]
    assert [c.text for c in unique_cells(head, head.rows[1])] == ["单位：", ctx["person"]["work_unit"]]


def test_opinion_form_rows_hold_the_three_opinions():
    ctx = sample_contexts.opinion_form()
    table = opinion_table(rendered("opinion_form"))
    assert [squash(r.cells[0].text) for r in table.rows] == [
        "纪检监察部门意见", "组织人事部门意见", "省级公安部门意见"]
    for row, key in zip(table.rows, ("discipline", "organization", "police")):
        opinion = ctx["opinions"][key]
        lines = [p.text for p in row.cells[1].paragraphs]
        assert lines[0] == (opinion["text"] or " ").strip()
        assert lines[1] == f"签字人：{opinion['signer']}\t（盖  章）"
        assert lines[2] == (opinion["date"] or f"{ctx['year']}年    月    日")


def test_opinion_form_unsigned_row_shows_the_year_blank():
    table = opinion_table(rendered("opinion_form"))
    assert table.rows[2].cells[1].paragraphs[-1].text == "2021年    月    日"


def test_opinion_form_notes_are_verbatim():
    texts = body_texts(rendered("opinion_form"))
    start = texts.index(SEED_OPINION_NOTES[0])
    assert texts[start:start + 4] == SEED_OPINION_NOTES


# --- 附件2 / 附件3 ----------------------------------------------------------------------------

OPINION_LABELS = ["所在单位意见", "县级人社部门意见", "市级人社部门意见", "省级人社部门意见",
                  "人社部评比表彰工作领导小组意见"]
OPINION_KEYS = ["unit", "county", "city", "province", "ministry"]


def body_table(document):
    return document.tables[-1]


def row_labelled(table, label):
    return next(r for r in table.rows if squash(r.cells[0].text) == label)


def test_window_approval_cover_and_instructions():
    ctx = sample_contexts.window_approval()
    document = rendered("window_approval")
    cover = document.tables[0]
    assert [[c.text for c in r.cells] for r in cover.rows] == [
        ["窗口名称：", ctx["window"]["name"]],
        ["推荐单位：", ctx["org_name"]],
        ["填报日期：", "二〇二一年八月二十日"],
    ]
    texts = body_texts(document)
    assert "全国人力资源社会保障系统" in texts and "优质服务窗口推荐审批表" in texts
    instructions = "".join(texts)
    for phrase in ("黑色钢笔", "仿宋小四号", "阿拉伯数字", "全称", "机关、参公单位、事业单位、企业、其他",
                   "无行政级别的填写“无”", "2000字左右，可另附页", "一式五份", "A4"):
        assert phrase in instructions


def test_window_approval_body_holds_the_window_facts():
    ctx = sample_contexts.window_approval()
    w = ctx["window"]
    values = labelled_values(body_table(rendered("window_approval")))
    expected = {
        "窗口名称": w["name"], "所属单位": w["unit_name"], "窗口类别": w["category"],
        "窗口级别": w["level"], "单位性质": w["nature"], "行政级别": w["admin_level"],
        "负责人姓名": w["leader_name"], "职务": w["leader_position"], "联系电话": w["leader_phone"],
        "工作人员数": str(w["staff_count"]), "邮政编码": w["postcode"], "地址": w["address"],
        "获奖情况": "\n".join(w["honours"]),
    }
    assert {k: values[k] for k in expected} == expected


def test_individual_approval_body_holds_the_person_facts():
    ctx = sample_contexts.individual_approval()
    p = ctx["person"]
    values = labelled_values(body_table(rendered("individual_approval")))
    expected = {
        "姓名": p["name"], "性别": p["gender"], "出生年月": p["birth"], "民族": p["ethnicity"],
        # 学历 over 学位 on two lines: the cell never breaks inside 管理学学士
        "政治面貌": p["political_status"], "学历学位": p["education"].replace(" ", "\n"), "身份证号": p["id_number"],
        "工作单位": p["work_unit"], "单位性质": p["unit_nature"], "职务": p["position"],
        "行政级别": p["admin_level"], "职称": p["professional_title"], "参加工作时间": p["work_start"],
        "参加人社系统工作时间": p["hrss_start"], "到窗口工作时间": p["window_start"],
        "联系电话": p["phone"], "获奖情况": "\n".join(p["honours"]),
    }
    assert {k: values[k] for k in expected} == expected


@pytest.mark.parametrize("key,nominee", [("window_approval", "window"),
                                         ("individual_approval", "person")])
def test_main_deeds_flow_across_pages(key, nominee):
    ctx = sample_contexts.SAMPLES[key]()
    table = body_table(rendered(key))
    row = row_labelled(table, "主要事迹")
    assert row._tr.trPr.find(qn("w:cantSplit")) is None  # the row may break across pages
    deeds = unique_cells(table, row)[1]
    assert [p.text for p in deeds.paragraphs] == ctx[nominee]["main_deeds"].splitlines()


@pytest.mark.parametrize("key", ["window_approval", "individual_approval"])
def test_approval_opinion_boxes_in_level_order(key):
    ctx = sample_contexts.SAMPLES[key]()
    table = body_table(rendered(key))
    labels = [squash(r.cells[0].text) for r in table.rows]
    assert labels[-5:] == OPINION_LABELS
    for label, okey in zip(OPINION_LABELS, OPINION_KEYS):
        row = row_labelled(table, label)
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None  # a box never splits
        lines = [p.text for p in unique_cells(table, row)[1].paragraphs]
        opinion = ctx["opinions"][okey]
        assert lines[0] == opinion["text"].strip()
        assert lines[-2:] == ["（盖章）", opinion["date"] or "年    月    日"]


def test_empty_honours_and_deeds_still_render():
    ctx = sample_contexts.window_approval()
    ctx["window"]["honours"] = []
    ctx["window"]["main_deeds"] = ""
    table = body_table(render("window_approval", ctx))
    assert labelled_values(table)["获奖情况"] == "无"
    assert unique_cells(table, row_labelled(table, "主要事迹"))[1].text.strip() == ""


def photo_cell(document):
    table = body_table(document)
    return unique_cells(table, table.rows[0])[-1]


def test_individual_photo_is_embedded():
    cell = photo_cell(rendered("individual_approval"))
    assert cell._tc.findall(".//" + qn("w:drawing"))
    extent = cell._tc.find(".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")
    width_mm, height_mm = int(extent.get("cx")) / 36000, int(extent.get("cy")) / 36000
    assert width_mm <= form_templates.PHOTO_BOX_MM[0] + 0.1
    assert height_mm <= form_templates.PHOTO_BOX_MM[1] + 0.1


def test_individual_without_photo_prints_the_placeholder():
    ctx = sample_contexts.individual_approval()
    ctx["photo"] = None
    cell = photo_cell(render("individual_approval", ctx))
    assert cell.text == "照片"
    assert not cell._tc.findall(".//" + qn("w:drawing"))


# --- 附件7, 公示报样, reports -----------------------------------------------------------------


def test_contact_form_holds_the_contacts():
    ctx = sample_contexts.contact_form()
    document = rendered("contact_form")
    table = document.tables[0]
    values = {}
    for row in table.rows:
        cells = unique_cells(table, row)
        if len(cells) == 5:  # 分管领导 / 联系人 rows: a merged section cell, then pairs
            assert squash(row.cells[0].text) in ("分管领导", "联系人")
            cells = cells[1:]
        for label, value in zip(cells[::2], cells[1::2]):
            values.setdefault(squash(label.text), []).append(value.text)
    assert values["单位名称"] == [ctx["org_name"]]
    assert values["姓名"] == [ctx["leader_name"], ctx["contact_name"]]
    assert values["职务"] == [ctx["leader_position"], ctx["contact_position"]]
    assert values["办公电话"] == [ctx["leader_phone"], ctx["contact_phone"]]
    assert values["手机"] == [ctx["leader_mobile"], ctx["contact_mobile"]]
    assert values["传真"] == [ctx["fax"]]
    assert values["电子邮箱"] == [ctx["email"]]
    assert values["通讯地址"] == [ctx["address"]]
    assert values["邮政编码"] == [ctx["postcode"]]
    assert ctx["submit_note"] in body_texts(document)


def test_publicity_notice_lists_period_contacts_and_nominees():
    ctx = sample_contexts.publicity_notice()
    texts = body_texts(rendered("publicity_notice"))
    # the title in three lines that break between words (二号 holds about 20 字 a line)
    assert texts[:3] == ["关于全国人力资源社会保障系统", "优质服务窗口和优质服务先进个人", "拟推荐对象的公示"]
    assert "公示时间：2021年9月1日至9月7日" in texts
    assert f"联系人：{ctx['contact_name']}" in texts
    assert f"联系电话：{ctx['contact_phone']}" in texts
    assert f"通讯地址：{ctx['address']}" in texts
    assert any(ctx["objection_unit"] in t for t in texts)
    assert "一、优质服务窗口拟推荐对象（2个）" in texts
    assert "二、优质服务先进个人拟推荐对象（1名）" in texts
    for i, w in enumerate(ctx["windows"], 1):
        heading = texts.index(f"{i}. {w['name']}")
        assert texts[heading + 1] == w["summary"]
    person = ctx["individuals"][0]
    heading = texts.index(f"1. {person['name']}（女），汉族，中共党员，{person['work_unit']}{person['position']}")
    assert texts[heading + 1] == person["summary"]
    assert texts[-2:] == [ctx["org_name"], ctx["notice_date"]]


def test_publicity_notice_without_windows_numbers_individuals_first():
    ctx = sample_contexts.publicity_notice()
    ctx["windows"] = []
    texts = body_texts(render("publicity_notice", ctx))
    assert "一、优质服务先进个人拟推荐对象（1名）" in texts
    assert not any("优质服务窗口拟推荐对象" in t for t in texts)


@pytest.mark.parametrize("key,headings", [
    ("preliminary_report", ["一、推荐工作组织情况", "二、推荐过程", "三、公示情况", "四、推荐排序",
                            "五、推荐意见"]),
    ("formal_report", ["一、推荐工作组织情况", "二、推荐过程", "三、征求意见情况", "四、公示情况",
                       "五、推荐排序", "六、推荐意见"]),
])
def test_report_sections_counts_and_tables(key, headings):
    ctx = sample_contexts.SAMPLES[key]()
    document = rendered(key)
    texts = body_texts(document)
    assert [t for t in texts if re.match(r"^[一二三四五六七八九十]、", t)] == headings
    stage = "正式" if key == "formal_report" else "初审"
    assert texts[:3] == ["关于全国人力资源社会保障系统", "优质服务窗口和优质服务先进个人", f"{stage}推荐工作的报告"]
    assert [t for t in texts[3:] if t][0] == f"{ctx['addressee']}："
    counts = ctx["counts"]
    sentence = next(t for t in texts if t.startswith("经逐级推荐、审核"))
    assert (f"优质服务窗口推荐对象{counts['windows_received']}个" in sentence
            and f"优质服务窗口{counts['windows']}个" in sentence
            and f"（站）{counts['grassroots_windows']}个" in sentence
            and f"优质服务先进个人{counts['individuals']}名" in sentence)
    for line in ctx["report_text"]["organization"].splitlines():
        assert line in texts
    tables = {t.rows[0].cells[0].text + t.rows[0].cells[1].text: t for t in document.tables}
    publicity = tables["序号推荐对象"]
    assert [[c.text for c in r.cells] for r in publicity.rows[1:]] == [
        [str(r["seq"]), r["name"], r["kind"], r["scope"], r["period_text"], r["result"]]
        for r in ctx["publicity"]]
    ranking = tables["排序类别"]
    assert [[c.text for c in r.cells] for r in ranking.rows[1:]] == [
        [str(r["rank"]), r["kind"], r["name"], r["unit"], r["remarks"]] for r in ctx["ranking"]]
    if key == "formal_report":
        consultation = tables["序号姓名"]
        assert [[c.text for c in r.cells] for r in consultation.rows[1:]] == [
            [str(r["seq"]), r["name"], r["discipline"], r["organization"], r["police"]]
            for r in ctx["consultations"]]
    assert texts[-2:] == [ctx["org_name"], ctx["report_date"]]


# --- sample data and helpers ----------------------------------------------------------------


def test_sample_id_numbers_pass_the_check_digit():
    numbers = [p["id_number"] for p in sample_contexts.INDIVIDUALS]
    assert numbers and all(is_valid_id_number(n) for n in numbers)
    for p in sample_contexts.INDIVIDUALS:  # 17th digit: odd for men, even for women
        assert (int(p["id_number"][16]) % 2 == 1) == (p["gender"] == "男")


def test_sample_deeds_are_long_enough_to_spill_but_within_the_limit():
    assert 1900 <= len(sample_contexts.LI_XIAOMEI_DEEDS) <= 2000
    assert all(len(p["summary"]) <= 500 for p in sample_contexts.INDIVIDUALS)


def test_date_formats():
    assert format_cn_date(dt.date(2021, 8, 20)) == "二〇二一年八月二十日"
    assert format_cn_date(dt.date(2021, 10, 1)) == "二〇二一年十月一日"
    assert format_cn_date(dt.date(2021, 12, 31)) == "二〇二一年十二月三十一日"
    assert format_cn_date(None, 2021) == "二〇二一年    月    日"
    assert format_date(dt.date(2021, 9, 7)) == "2021年9月7日"
    assert format_date(None, 2021) == "2021年    月    日"
    assert format_period(dt.date(2021, 9, 1), dt.date(2021, 9, 7)) == "2021年9月1日至9月7日"
    assert format_period(dt.date(2025, 12, 29), dt.date(2026, 1, 5)) == "2025年12月29日至2026年1月5日"


# --- LibreOffice: what the official prints --------------------------------------------------


def soffice_or_skip() -> str:
    exe = shutil.which("soffice")
    if exe:
        return exe
    if os.environ.get("CI") == "true":
        pytest.fail("soffice is not on PATH but CI=true: install libreoffice-writer")
    pytest.skip("soffice is not on PATH")


def pdf_pages(pdf: Path) -> tuple[int, tuple[float, float] | None]:
    """Page count and first-page size in points (pdfinfo when available, else the PDF itself)."""
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info, re.M)
        return pages, (float(size.group(1)), float(size.group(2))) if size else None
    data = pdf.read_bytes()
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    return (len(re.findall(rb"/Type\s*/Page(?!s)", data)),
            (float(box.group(1)), float(box.group(2))) if box else None)


@pytest.mark.libreoffice
def test_printed_opinion_form_and_individual_summary(tmp_path):
    soffice = soffice_or_skip()
    sources = []
    for key in ("opinion_form", "individual_summary"):
        path = tmp_path / f"{key}.docx"
        path.write_bytes(rendered_bytes(key))
        sources.append(path)
    profile = tmp_path / "profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *map(str, sources)],
        check=True, capture_output=True, timeout=240)
    pages, size = pdf_pages(tmp_path / "opinion_form.pdf")
    assert pages == 1, "附件4 must fit on one A4 page"
    assert size and size[0] < size[1]
    pages, size = pdf_pages(tmp_path / "individual_summary.pdf")
    assert 1 <= pages <= 2
    assert size and size[0] > size[1], "附件6 is printed landscape"
