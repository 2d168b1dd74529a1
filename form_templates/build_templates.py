"""Draft docxtpl templates with python-docx: a tool, not the source of the templates.

    scripts/draft-templates OUTDIR          # writes drafts into OUTDIR, never over form_templates/

The committed .docx files beside this module are the templates; officials edit them in Word or WPS and
those edits are never regenerated away (``build_all`` refuses to write into ``TEMPLATE_DIR``).  This
script drafted them and still drafts a new form's first version; the 目录 page of the bundles and the
.xlsx 汇总表 use its page setup and column tables.

Columns, notes and the 征求意见表 layout follow 晋人社厅函〔2021〕734号 and its annexes verbatim;
附件2/3 follow the common shape of national 推荐审批表 (cover, 填表说明, body table, one opinion box per
level).  The output is deterministic (fixed document properties and zip timestamps) so that a rebuild
that changes nothing leaves git clean.  README.md documents the context of every template.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from lxml import etree

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from form_templates import TEMPLATE_DIR, TEMPLATE_FILES  # noqa: E402

# ---------------------------------------------------------------------------------------------
# typography (GB/T 9704 sizes: 二号 22pt, 小二 18pt, 三号 16pt, 四号 14pt, 小四 12pt, 五号 10.5pt)

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

ERHAO, XIAOER, SANHAO, SIHAO, XIAOSI, WUHAO, XIAOWU = 22, 18, 16, 14, 12, 10.5, 9

#: fontTable entries: Word and LibreOffice substitute by altName/charset/family when a font is
#: missing, so a machine without 方正小标宋/仿宋_GB2312 still prints 黑体/仿宋 instead of a Latin face.
FONT_TABLE = {
    TITLE_FONT: ("黑体", "02000000000000000000", "script", "variable"),
    BODY_FONT: ("仿宋", "02010609030101010101", "modern", "fixed"),
    HEI_FONT: ("SimHei", "02010609060101010101", "modern", "fixed"),
    "仿宋": ("FangSong", "02010609060101010101", "modern", "fixed"),
    "楷体_GB2312": ("楷体", "02010609030101010101", "modern", "fixed"),
    PAGE_NUMBER_FONT: ("SimSun", "02010600030101010101", "auto", "variable"),
}

PORTRAIT_MARGINS = (3.7, 3.5, 2.8, 2.6)  # top, bottom, left, right (cm): the 公文 margins
LANDSCAPE_MARGINS = (2.0, 1.8, 2.0, 2.0)
PORTRAIT_WIDTH = 21.0 - 2.8 - 2.6  # 15.6 cm of text
LANDSCAPE_WIDTH = 29.7 - 2.0 - 2.0  # 25.7 cm

FIXED_TIME = dt.datetime(2021, 8, 1, 9, 0, 0)

CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY

# ---------------------------------------------------------------------------------------------
# verbatim texts of the seed (晋人社厅函〔2021〕734号 annexes)

SUMMARY_NOTES_WINDOW = [
    "1. 根据差额推荐要求，请按推荐名额及顺序填写，可根据字数调整行高。",
    "2. 工作单位填报格式：XX（省、市、自治区）XX（市、地、州、盟）XX（县、区、旗）XX窗口。",
    "3. 单位性质选填机关、参公单位、事业单位、企业、其他。",
    "4. 曾获得过省部级以上称号、人社服务标兵或在练兵比武活动中获得过名次的推荐对象，请在备注栏中注明。",
]
SUMMARY_NOTES_INDIVIDUAL = SUMMARY_NOTES_WINDOW[:3] + [
    "4. 曾获得过省部级以上称号、被人社部列为人社服务标兵或在练兵比武活动中获得过名次的推荐对象，"
    "请在备注栏中注明。",
]
OPINION_FORM_NOTES = [
    "1. 纪检监察部门和组织人事部门按照干部管理权限填写。",
    "2. 省级公安部门意见由省级人社部门统一征求。",
    "3. 此表不得由推荐对象本人负责联系填写。",
    "4. 此表一式5份，随推荐审批表一并报送。",
]

#: 附件5 header: (top label, sub label or None, width cm, data alignment, context key)
WINDOW_COLUMNS = [
    ("序号", None, 1.2, CENTER, "seq"),
    ("窗口名称", None, 4.2, LEFT, "name"),
    ("窗口性质", None, 1.8, CENTER, "nature"),
    ("窗口级别", None, 1.9, CENTER, "level"),
    ("窗口负责人", "姓名", 1.9, CENTER, "leader_name"),
    ("窗口负责人", "单位及职务", 4.0, LEFT, "leader_unit_position"),
    ("窗口负责人", "联系电话", 3.0, CENTER, "leader_phone"),
    ("窗口所属单位", "名称", 3.6, LEFT, "unit_name"),
    ("备注", None, 4.1, LEFT, "remarks"),
]
#: 附件6 header: (label, width cm, data alignment, context key).  At 小五 (9 pt, 0.32 cm a 字, 0.16 cm a
#: digit, 0.16 cm of cell margins) the widths hold what officials enter without breaking a word:
#: 18 digits of 身份证号 (3.05 cm), 11 of a phone, 5 字 of 管理学学士, 3 of 蒙古族 / 副科级 / 经济师;
#: 中共党员 and 参公单位 break after two 字; the rest goes to 工作单位 and 备注, the long columns.
INDIVIDUAL_COLUMNS = [
    ("序号", 0.7, CENTER, "seq"),
    ("姓名", 1.25, CENTER, "name"),
    ("性别", 0.6, CENTER, "gender"),
    ("民族", 1.15, CENTER, "ethnicity"),
    ("政治面貌", 0.9, CENTER, "political_status"),
    ("学历学位", 1.85, CENTER, "education"),
    ("身份证号", 3.15, CENTER, "id_number"),
    ("工作单位", 3.6, LEFT, "work_unit"),
    ("单位性质", 0.9, CENTER, "unit_nature"),
    ("职务", 1.5, CENTER, "position"),
    ("行政级别", 1.15, CENTER, "admin_level"),
    ("职称", 1.15, CENTER, "professional_title"),
    ("到窗口工作时间", 1.35, CENTER, "window_start"),
    ("在窗口工作年限", 0.9, CENTER, "window_years"),
    ("联系电话", 2.0, CENTER, "phone"),
    ("备注", 3.65, LEFT, "remarks"),
]

#: opinion boxes of 附件2/3: (context key under ``opinions``, label lines)
APPROVAL_OPINIONS = [
    ("unit", ["所在单位", "意见"]),
    ("county", ["县级人社", "部门意见"]),
    ("city", ["市级人社", "部门意见"]),
    ("province", ["省级人社", "部门意见"]),
    ("ministry", ["人社部", "评比表彰", "工作领导", "小组意见"]),
]
#: rows of 附件4: (context key under ``opinions``, label lines as in the seed)
CONSULTATION_OPINIONS = [
    ("discipline", ["纪检", "监察", "部门", "意见"]),
    ("organization", ["组织", "人事", "部门", "意见"]),
    ("police", ["省级", "公安", "部门", "意见"]),
]

# ---------------------------------------------------------------------------------------------
# low-level OOXML helpers


def _set_fonts(rpr_parent, east_asia: str, latin: str | None = None) -> None:
    """Explicit rFonts (eastAsia included), dropping theme fonts that would override them."""
    rpr = rpr_parent.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    latin = latin or LATIN_FONT
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:hint"), "eastAsia")


def _first_line_chars(paragraph_format_element, chars: int, size_pt: float) -> None:
    """First-line indent in characters (Word) with the equivalent twips (other readers)."""
    ind = paragraph_format_element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(int(chars * size_pt * 20)))


def _insert_ordered(parent, child, successors: tuple[str, ...]) -> None:
    existing = parent.find(child.tag)
    if existing is not None:
        parent.remove(existing)
    parent.insert_element_before(child, *successors)


def _border_el(tag: str, val: str = "single", sz: int = 4):
    el = OxmlElement(tag)
    el.set(qn("w:val"), val)
    el.set(qn("w:sz"), str(sz))
    el.set(qn("w:space"), "0")
    el.set(qn("w:color"), "000000" if val != "nil" else "auto")
    return el


_TBLPR_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")
_TCPR_AFTER_BORDERS = ("w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText",
                       "w:vAlign", "w:hideMark")


def _table_borders(table, val: str = "single") -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_border_el(f"w:{side}", val))
    _insert_ordered(table._tbl.tblPr, borders, _TBLPR_AFTER_BORDERS)


def _table_cell_margins(table, left_cm: float, right_cm: float, top_cm: float = 0.0) -> None:
    mar = OxmlElement("w:tblCellMar")
    for side, value in (("top", top_cm), ("left", left_cm), ("bottom", top_cm), ("right", right_cm)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(Cm(value).twips)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    _insert_ordered(table._tbl.tblPr, mar, ("w:tblLook", "w:tblCaption"))


def _cell_borders(cell, **sides: str) -> None:
    """Per-cell borders, e.g. ``bottom="single", top="nil"``."""
    tcpr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for side in ("top", "left", "bottom", "right"):
        if side in sides:
            borders.append(_border_el(f"w:{side}", sides[side]))
    _insert_ordered(tcpr, borders, _TCPR_AFTER_BORDERS)


_TRPR_ORDER = ["w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter",
               "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden"]


def _row_flag(row, tag: str) -> None:
    """Add an empty on/off element (w:cantSplit, w:tblHeader) to a row in schema order."""
    trpr = row._tr.get_or_add_trPr()
    if trpr.find(qn(tag)) is not None:
        return
    successors = tuple(_TRPR_ORDER[_TRPR_ORDER.index(tag) + 1:])
    trpr.insert_element_before(OxmlElement(tag), *successors)


def _row_height(row, cm: float, exact: bool = False) -> None:
    row.height = Cm(cm)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST


# ---------------------------------------------------------------------------------------------
# document set-up


def new_document(title: str, *, landscape: bool = False, body_size: float = XIAOSI) -> Document:
    doc = Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        top, bottom, left, right = LANDSCAPE_MARGINS
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        top, bottom, left, right = PORTRAIT_MARGINS
    section.top_margin, section.bottom_margin = Cm(top), Cm(bottom)
    section.left_margin, section.right_margin = Cm(left), Cm(right)
    section.header_distance, section.footer_distance = Cm(1.5), Cm(2.0)

    _setup_styles(doc, body_size)
    _setup_font_table(doc)
    _setup_settings(doc)

    props = doc.core_properties
    props.title = title
    props.author = "nominate"
    props.last_modified_by = "nominate"
    props.comments = "docxtpl template generated by form_templates/build_templates.py"
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    return doc


def _setup_styles(doc, body_size: float) -> None:
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    rfonts.attrib.clear()
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), BODY_FONT)
    rfonts.set(qn("w:cs"), LATIN_FONT)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    for attr in list(spacing.attrib):
        del spacing.attrib[attr]
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")

    normal = styles["Normal"]
    _set_fonts(normal.element, BODY_FONT)
    normal.font.size = Pt(body_size)

    def para_style(name, font, size, *, align=None, bold=False, line=None, first_chars=0,
                   before=0, after=0, keep_next=False):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        _set_fonts(style.element, font)
        style.font.size = Pt(size)
        style.font.bold = bold
        fmt = style.paragraph_format
        if align is not None:
            fmt.alignment = align
        if line:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(line)
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.keep_with_next = keep_next
        fmt.widow_control = False
        if first_chars:
            _first_line_chars(style.element, first_chars, size)
        return style

    para_style("Form Title", TITLE_FONT, ERHAO, align=CENTER, line=36, keep_next=True)
    para_style("Form Subtitle", TITLE_FONT, XIAOER, align=CENTER, line=30, keep_next=True)
    para_style("Table Title", TITLE_FONT, SANHAO, align=CENTER, line=28, keep_next=True)
    para_style("Instruction", BODY_FONT, SIHAO, align=JUSTIFY, line=26, first_chars=2)
    para_style("Attachment Label", HEI_FONT, SANHAO, align=LEFT, line=28)
    para_style("Cover Field", BODY_FONT, SANHAO, align=LEFT, line=30)
    para_style("Form Body", BODY_FONT, SANHAO, align=JUSTIFY, line=28, first_chars=2)
    para_style("Form Heading", HEI_FONT, SANHAO, align=JUSTIFY, line=28, first_chars=2,
               keep_next=True)
    para_style("Form Line", BODY_FONT, XIAOSI, align=LEFT, line=22)
    para_style("Form Note", BODY_FONT, XIAOSI, align=LEFT, line=20)
    para_style("Small Note", BODY_FONT, WUHAO, align=LEFT, line=16)
    para_style("Table Head", HEI_FONT, XIAOSI, align=CENTER, line=18)
    para_style("Table Text", BODY_FONT, XIAOSI, align=CENTER, line=18)
    para_style("Table Body", BODY_FONT, XIAOSI, align=JUSTIFY, line=20, first_chars=2)
    para_style("Small Head", HEI_FONT, WUHAO, align=CENTER, line=15)
    para_style("Small Text", BODY_FONT, WUHAO, align=CENTER, line=15)
    para_style("Tiny Head", HEI_FONT, XIAOWU, align=CENTER, line=12)
    para_style("Tiny Text", BODY_FONT, XIAOWU, align=CENTER, line=12)
    para_style("Tag", BODY_FONT, WUHAO, align=LEFT)
    footer = para_style("Page Number", PAGE_NUMBER_FONT, SIHAO, align=CENTER)
    _set_fonts(footer.element, PAGE_NUMBER_FONT, LATIN_FONT)


def _setup_font_table(doc) -> None:
    for part in doc.part.package.iter_parts():
        if str(part.partname) != "/word/fontTable.xml":
            continue
        root = etree.fromstring(part.blob)
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        for name, (alt, panose, family, pitch) in FONT_TABLE.items():
            font = etree.SubElement(root, f"{w}font", {f"{w}name": name})
            etree.SubElement(font, f"{w}altName", {f"{w}val": alt})
            etree.SubElement(font, f"{w}panose1", {f"{w}val": panose})
            etree.SubElement(font, f"{w}charset", {f"{w}val": "86"})
            etree.SubElement(font, f"{w}family", {f"{w}val": family})
            etree.SubElement(font, f"{w}pitch", {f"{w}val": pitch})
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _setup_settings(doc) -> None:
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


# ---------------------------------------------------------------------------------------------
# content helpers


def para(container, text: str = "", style: str = "Form Line", *, align=None, runs=None,
         before: float | None = None, after: float | None = None, page_break_before=False):
    """Add a paragraph; ``runs`` is a list of (text, {"underline": True, "bold": True}) pairs."""
    p = container.add_paragraph(style=style)
    if align is not None:
        p.alignment = align
    if before is not None:
        p.paragraph_format.space_before = Pt(before)
    if after is not None:
        p.paragraph_format.space_after = Pt(after)
    if page_break_before:
        p.paragraph_format.page_break_before = True
    for run_text, fmt in runs or ([(text, {})] if text else []):
        _add_run(p, run_text, **fmt)
    return p


def _add_run(p, text, *, underline=False, bold=None, font=None, size=None):
    run = p.add_run(text)
    if underline:
        run.underline = True
    if bold is not None:
        run.bold = bold
    if font:
        _set_fonts(run._r, font)
    if size:
        run.font.size = Pt(size)
    return run


def cell_text(cell, lines, style: str = "Table Text", *, align=None, valign="center"):
    """Replace a cell's content: one paragraph per line (str with '\n' or list of str)."""
    if isinstance(lines, str):
        lines = lines.split("\n")
    first = cell.paragraphs[0]
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    for i, line in enumerate(lines):
        p = first if i == 0 else cell.add_paragraph()
        p.style = cell.part.document.styles[style]
        if align is not None:
            p.alignment = align
        if line:
            p.add_run(line)
    cell.vertical_alignment = {
        "center": WD_CELL_VERTICAL_ALIGNMENT.CENTER,
        "top": WD_CELL_VERTICAL_ALIGNMENT.TOP,
        "bottom": WD_CELL_VERTICAL_ALIGNMENT.BOTTOM,
    }[valign]
    return cell


def cell_add(cell, text="", style="Table Text", *, align=None, runs=None, before=None):
    """Append one more paragraph to a cell."""
    p = cell.add_paragraph(style=style)
    if align is not None:
        p.alignment = align
    if before is not None:
        p.paragraph_format.space_before = Pt(before)
    for run_text, fmt in runs or ([(text, {})] if text else []):
        _add_run(p, run_text, **fmt)
    return p


def loop_paragraphs(cell, expr: str, item: str = "{{ line.strip() }}", style="Table Body",
                    *, first=True):
    """A docxtpl paragraph loop inside a cell: one rendered paragraph per line of ``expr``."""
    if first:
        cell_text(cell, [f"{{%p for line in {expr} %}}"], style="Tag", valign="top")
    else:
        cell_add(cell, f"{{%p for line in {expr} %}}", style="Tag")
    cell_add(cell, item, style=style)
    cell_add(cell, "{%p endfor %}", style="Tag")


def new_table(doc, widths_cm, rows, *, borders="single", margins=(0.1, 0.1)):
    table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    _table_borders(table, borders)
    _table_cell_margins(table, *margins)
    table._widths = list(widths_cm)
    return table


def finish_table(table) -> None:
    """Set tblW and every tcW from the grid (Word lays out by tcW, LibreOffice by the grid)."""
    widths = table._widths
    tblw = table._tbl.tblPr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        _insert_ordered(table._tbl.tblPr, tblw, ("w:jc", "w:tblCellSpacing", "w:tblInd",
                                                 "w:tblBorders", "w:shd", "w:tblLayout",
                                                 "w:tblCellMar", "w:tblLook"))
    tblw.set(qn("w:w"), str(int(Cm(sum(widths)).twips)))
    tblw.set(qn("w:type"), "dxa")
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Cm(sum(widths[col:col + span]))
            col += span


def merge(table, r1, c1, r2, c2):
    return table.cell(r1, c1).merge(table.cell(r2, c2))


def tag_row(table, row_idx: int, tag: str) -> None:
    """A docxtpl ``{%tr ...%}`` row: one merged cell holding only the tag (removed on render)."""
    cell = merge(table, row_idx, 0, row_idx, len(table._widths) - 1)
    cell_text(cell, [tag], style="Tag", align=LEFT)


def attachment_label(doc, number: int):
    return para(doc, f"附件{number}", "Attachment Label")


def no_indent(p) -> None:
    """Cancel the style's two-character first-line indent (firstLineChars wins over firstLine)."""
    ind = p._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), "0")
    ind.set(qn("w:firstLine"), "0")


def end_paragraph(doc) -> None:
    """A 1-pt paragraph after a final table (Word wants one) that never spills onto a new page."""
    p = para(doc, "", "Form Line")
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    p.paragraph_format.line_spacing = Pt(1)
    p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
    p.add_run().font.size = Pt(1)


def page_number_footer(doc) -> None:
    """``— 1 —`` centred in the footer, as on 公文."""
    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    p.style = doc.styles["Page Number"]
    p.add_run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):
        run = p.add_run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    p.add_run(" —")


def remove_leading_empty_paragraph(doc) -> None:
    """python-docx's blank document starts with nothing; keep the body free of stray paragraphs."""
    body = doc.element.body
    first = body[0]
    if first.tag == qn("w:p") and not "".join(first.itertext()).strip():
        body.remove(first)


# ---------------------------------------------------------------------------------------------
# 附件2 / 附件3: 推荐审批表


def approval_cover(doc, number: int, subtitle: str, fields):
    attachment_label(doc, number)
    for _ in range(4):
        para(doc, "", "Cover Field")
    para(doc, "全国人力资源社会保障系统", "Form Title")
    para(doc, subtitle, "Form Title", after=0)
    for _ in range(8):
        para(doc, "", "Cover Field")
    table = new_table(doc, [3.3, 12.1], len(fields), borders="nil")  # label of 5 字, value of 21 字 (三号)
    for i, (label, expr) in enumerate(fields):
        row = table.rows[i]
        _row_height(row, 1.3)
        cell_text(row.cells[0], [label], style="Cover Field", align=RIGHT, valign="bottom")
        # the value stays on its one underlined line: 三号 holds 21 字 there, 四号 24, 小四 28
        var = expr.strip("{} ")
        lines = [f"{{%p if ({var}|string)|length <= 21 %}}", expr, f"{{%p elif ({var}|string)|length <= 24 %}}",
                 expr, "{%p else %}", expr, "{%p endif %}"]
        cell_text(row.cells[1], lines, style="Cover Field", align=CENTER, valign="bottom")
        for p, size in zip(row.cells[1].paragraphs, (None, None, None, SIHAO, None, XIAOSI, None)):
            if size:
                for run in p.runs:
                    run.font.size = Pt(size)
        _cell_borders(row.cells[1], bottom="single")
    finish_table(table)


def approval_instructions(doc, items):
    para(doc, "填 表 说 明", "Form Title", after=24, page_break_before=True)
    for i, text in enumerate(items, 1):
        para(doc, f"{i}. {text}", "Instruction")


def opinion_rows(table, start_row: int, value_span: tuple[int, int]):
    """The five opinion boxes of 附件2/3 (unit → Ministry), each kept on one page."""
    first, last = value_span
    for offset, (key, label) in enumerate(APPROVAL_OPINIONS):
        r = start_row + offset
        row = table.rows[r]
        _row_height(row, 4.1 if key != "ministry" else 4.4)
        _row_flag(row, "w:cantSplit")
        cell_text(table.cell(r, 0), label, style="Table Text")
        box = merge(table, r, first, r, last)
        o = f"opinions.{key}"
        loop_paragraphs(box, f"({o}.text or ' ').splitlines()")
        cell_add(box, "（盖章）", "Table Text", align=RIGHT, before=36)
        box.paragraphs[-1].paragraph_format.right_indent = Cm(2.2)
        cell_add(box, f"{{{{ {o}.date or '年    月    日' }}}}", "Table Text", align=RIGHT)
        box.paragraphs[-1].paragraph_format.right_indent = Cm(1.0)
        box.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP


def deeds_row(table, r: int, first: int, last: int, expr: str, height: float):
    """主要事迹: a row allowed to break across pages, so 2000 characters flow onto the next page."""
    row = table.rows[r]
    _row_height(row, height)
    cell_text(table.cell(r, 0), ["主", "要", "事", "迹"], style="Table Text")
    box = merge(table, r, first, r, last)
    loop_paragraphs(box, f"({expr} or ' ').splitlines()")


def honours_row(table, r: int, first: int, last: int, expr: str):
    row = table.rows[r]
    _row_height(row, 2.6)
    cell_text(table.cell(r, 0), ["获奖", "情况"], style="Table Text")
    box = merge(table, r, first, r, last)
    loop_paragraphs(box, f"({expr} or ['无'])", item="{{ line }}", style="Table Text")
    box.paragraphs[1].alignment = LEFT


COMMON_INSTRUCTIONS = [
    "本表用计算机填写打印或用黑色钢笔、签字笔填写，字迹要清楚、工整。正文内容使用仿宋小四号字体。",
    "表中数字一律使用阿拉伯数字填写，日期填写格式为“2021.08”。",
    "单位名称应填写全称，不得使用简称。工作单位填报格式：XX（省、市、自治区）XX（市、地、州、盟）"
    "XX（县、区、旗）XX窗口。",
    "“单位性质”选填机关、参公单位、事业单位、企业、其他。",
    "“行政级别”填写单位（个人）的行政级别，无行政级别的填写“无”。",
]


def build_window_approval(path: Path) -> None:
    doc = new_document("全国人力资源社会保障系统优质服务窗口推荐审批表")
    remove_leading_empty_paragraph(doc)
    approval_cover(doc, 2, "优质服务窗口推荐审批表", [
        ("窗口名称：", "{{ window.name }}"),
        ("推荐单位：", "{{ org_name }}"),
        ("填报日期：", "{{ fill_date_cn }}"),
    ])
    approval_instructions(doc, COMMON_INSTRUCTIONS + [
        "“窗口类别”按公共就业和人才服务、社会保险经办、人事人才服务、劳动人事争议调解仲裁、劳动保障监察、"
        "职业技能鉴定、12333电话咨询服务、人事考试、信访、线上服务，乡镇（街道）、社区就业和社会保险服务所"
        "（站），行政部门填写。",
        "“获奖情况”填写曾获得的省部级以上称号、人社服务标兵及练兵比武活动中获得的名次。",
        "“主要事迹”一般在2000字左右，可另附页。",
        "本表一式五份，用A4纸打印，随正式推荐材料一并报送。",
    ])
    para(doc, "全国人力资源社会保障系统优质服务窗口推荐审批表", "Table Title", after=8,
         page_break_before=True)

    # grid: label | value | label | value | label | value
    widths = [2.4, 3.5, 2.0, 3.0, 1.9, 2.8]
    rows = 8 + 2 + len(APPROVAL_OPINIONS)
    t = new_table(doc, widths, rows)
    basic = [
        [("窗口名称", "{{ window.name }}", 5)],
        [("所属单位", "{{ window.unit_name }}", 5)],
        [("窗口类别", "{{ window.category }}", 3), ("窗口级别", "{{ window.level }}", 1)],
        [("单位性质", "{{ window.nature }}", 3), ("行政级别", "{{ window.admin_level }}", 1)],
        [("负责人\n姓名", "{{ window.leader_name }}", 1), ("职务", "{{ window.leader_position }}", 1),
         ("联系电话", "{{ window.leader_phone }}", 1)],
        [("工作人员数", "{{ window.staff_count }}", 1), ("邮政编码", "{{ window.postcode }}", 3)],
        [("地址", "{{ window.address }}", 5)],
    ]
    r = 0
    for spec in basic:
        _row_height(t.rows[r], 1.1)
        _row_flag(t.rows[r], "w:cantSplit")
        c = 0
        for label, expr, span in spec:
            cell_text(t.cell(r, c), label)
            value = t.cell(r, c + 1) if span == 1 else merge(t, r, c + 1, r, c + span)
            cell_text(value, [expr])
            c += 1 + span
        r += 1
    honours_row(t, r, 1, 5, "window.honours")
    r += 1
    deeds_row(t, r, 1, 5, "window.main_deeds", 10.5)
    r += 1
    # python-docx made ``rows`` rows; the spare one keeps indices simple: remove it
    opinion_rows(t, r, (1, 5))
    spare = t.rows[r + len(APPROVAL_OPINIONS)]
    spare._tr.getparent().remove(spare._tr)
    finish_table(t)
    end_paragraph(doc)
    save(doc, path)


def build_individual_approval(path: Path) -> None:
    doc = new_document("全国人力资源社会保障系统优质服务先进个人推荐审批表")
    remove_leading_empty_paragraph(doc)
    approval_cover(doc, 3, "优质服务先进个人推荐审批表", [
        ("姓    名：", "{{ person.name }}"),
        ("推荐单位：", "{{ org_name }}"),
        ("填报日期：", "{{ fill_date_cn }}"),
    ])
    approval_instructions(doc, COMMON_INSTRUCTIONS + [
        "“身份证号”填写18位公民身份号码。“参加人社系统工作时间”须满3年（含）以上。",
        "“照片”处粘贴本人近期2寸蓝底彩色证件照，另附同版照片2张（背面注明单位、姓名）及电子版。",
        "“获奖情况”填写曾获得的省部级以上称号、人社服务标兵及练兵比武活动中获得的名次。",
        "“主要事迹”一般在2000字左右，可另附页。",
        "本表一式五份，用A4纸打印，随正式推荐材料一并报送。",
    ])
    para(doc, "全国人力资源社会保障系统优质服务先进个人推荐审批表", "Table Title", after=8,
         page_break_before=True)

    # grid: label | value | label | value | label | value | photo (a 2-inch photo fits the last column)
    # labels hold 4 字 a line (1.95 cm); the last value column 5 字 (管理学学士), the first 7 digits
    widths = [1.95, 1.75, 1.95, 1.95, 1.95, 2.45, 3.6]
    rows = 7 + 2 + len(APPROVAL_OPINIONS)
    t = new_table(doc, widths, rows)
    p = "person."
    grid_rows = [
        [("姓名", "name", 1), ("性别", "gender", 1), ("出生年月", "birth", 1)],
        [("民族", "ethnicity", 1), ("政治面貌", "political_status", 1), ("学历学位", "education", 1)],
        [("参加工作\n时间", "work_start", 1), ("参加人社\n系统工作\n时间", "hrss_start", 1),
         ("到窗口\n工作时间", "window_start", 1)],
        [("身份证号", "id_number", 5)],
        [("工作单位", "work_unit", 3), ("单位性质", "unit_nature", 2)],
        [("职务", "position", 3), ("行政级别", "admin_level", 2)],
        [("职称", "professional_title", 3), ("联系电话", "phone", 2)],
    ]
    for r, spec in enumerate(grid_rows):
        _row_height(t.rows[r], 1.3 if r < 4 else 1.1)
        _row_flag(t.rows[r], "w:cantSplit")
        c = 0
        for label, key, span in spec:
            cell_text(t.cell(r, c), label)
            value = t.cell(r, c + 1) if span == 1 else merge(t, r, c + 1, r, c + span)
            # 学历 over 学位 (大学本科 / 管理学学士), as in 附件6: never a break inside a word
            expr = f"{{{{ {p}{key}|replace(' ', '\\n') }}}}" if key == "education" else f"{{{{ {p}{key} }}}}"
            cell_text(value, [expr])
            c += 1 + span
    photo = merge(t, 0, 6, 3, 6)
    cell_text(photo, ["{% if photo %}{{ photo }}{% else %}照片{% endif %}"])
    # an exact line height would clip the picture to one line: this paragraph sizes to its content
    photo.paragraphs[0].paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    r = len(grid_rows)
    honours_row(t, r, 1, 6, "person.honours")
    r += 1
    deeds_row(t, r, 1, 6, "person.main_deeds", 9.0)
    r += 1
    opinion_rows(t, r, (1, 6))
    # drop the spare rows python-docx created beyond the opinion boxes
    for spare in list(t.rows)[r + len(APPROVAL_OPINIONS):]:
        spare._tr.getparent().remove(spare._tr)
    finish_table(t)
    end_paragraph(doc)
    save(doc, path)


# ---------------------------------------------------------------------------------------------
# 附件4: 征求意见表 (seed layout, one A4 page)


def build_opinion_form(path: Path) -> None:
    doc = new_document("全国人力资源社会保障系统优质服务先进个人征求意见表")
    remove_leading_empty_paragraph(doc)
    attachment_label(doc, 4)
    para(doc, "全国人力资源社会保障系统", "Form Title")
    para(doc, "优质服务先进个人征求意见表", "Form Title", after=12)
    # 姓名/单位/职务 on one line: a borderless table whose value cells are underlined, so a long
    # unit name wraps inside its own blank instead of breaking the line
    # 姓名 and 职务 on the first line, 单位 alone on the second: each value sits on its own underlined
    # blank, and a unit name of up to 33 字 (小四) holds on one line instead of wrapping above its line
    head = new_table(doc, [1.4, 3.6, 1.4, 9.2], 2, borders="nil", margins=(0.05, 0.05))
    for r, pairs in enumerate(((("姓名：", "{{ person.name }}"), ("职务：", "{{ person.position }}")),
                               (("单位：", "{{ person.work_unit }}"),))):
        _row_height(head.rows[r], 0.8)
        for c, (label, expr) in enumerate(pairs):
            cell_text(head.cell(r, 2 * c), [label], "Form Line", align=RIGHT, valign="bottom")
            value = head.cell(r, 2 * c + 1) if len(pairs) > 1 else merge(head, r, 1, r, 3)
            cell_text(value, [expr], "Form Line", align=CENTER, valign="bottom")
            _cell_borders(value, bottom="single")
    finish_table(head)
    spacer = para(doc, "", "Form Line")
    spacer.paragraph_format.line_spacing = Pt(8)
    t = new_table(doc, [2.0, 13.6], len(CONSULTATION_OPINIONS))
    for r, (key, label) in enumerate(CONSULTATION_OPINIONS):
        row = t.rows[r]
        _row_height(row, 3.9)  # leaves room for a unit name that wraps to three lines
        _row_flag(row, "w:cantSplit")
        cell_text(t.cell(r, 0), label, style="Table Text")
        box = t.cell(r, 1)
        o = f"opinions.{key}"
        loop_paragraphs(box, f"({o}.text or ' ').splitlines()")
        sign = cell_add(box, "", "Table Text", align=LEFT, before=40, runs=[
            ("签字人：", {}), (f"{{{{ {o}.signer }}}}", {}), ("\t（盖  章）", {})])
        sign.paragraph_format.space_before = Pt(30)
        sign.paragraph_format.left_indent = Cm(1.0)
        sign.paragraph_format.tab_stops.add_tab_stop(Cm(11.6), WD_TAB_ALIGNMENT.RIGHT)
        date = cell_add(box, f"{{{{ {o}.date or (year ~ '年    月    日') }}}}", "Table Text",
                        align=RIGHT, before=6)
        date.paragraph_format.right_indent = Cm(0.8)
        box.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    finish_table(t)
    notes(doc, OPINION_FORM_NOTES, before=8)
    save(doc, path)


def notes(doc, lines, *, before=6, style="Form Note", size=XIAOSI):
    """注：1. … with the following items aligned under the first one."""
    indent = Pt(size * 2)
    for i, line in enumerate(lines):
        p = para(doc, ("注：" if i == 0 else "") + line, style, before=before if i == 0 else 0)
        p.paragraph_format.left_indent = indent
        if i == 0:
            p.paragraph_format.first_line_indent = -indent
    return p


# ---------------------------------------------------------------------------------------------
# 附件5 / 附件6: 推荐对象汇总表 (landscape)


def summary_heading(doc, number: int, title: str):
    attachment_label(doc, number)
    para(doc, title, "Form Subtitle", after=8)
    p = para(doc, "", "Form Line", runs=[
        ("推荐单位（盖章）：", {}), ("{{ org_name }}", {}),
        ("\t填表日期：", {}), ("{{ fill_date or '        年    月    日' }}", {})], after=6)
    p.paragraph_format.tab_stops.add_tab_stop(Cm(LANDSCAPE_WIDTH - 0.1), WD_TAB_ALIGNMENT.RIGHT)


def summary_footer(doc, notes_lines):
    notes(doc, notes_lines, before=4, style="Small Note", size=WUHAO)
    p = para(doc, "", "Form Line", before=6, runs=[
        ("联系人：", {}), ("{{ contact_name }}", {}),
        ("\t联系电话：", {}), ("{{ contact_phone }}", {}),
        ("\t传真：", {}), ("{{ fax }}", {})])
    p.paragraph_format.tab_stops.add_tab_stop(Cm(8.5), WD_TAB_ALIGNMENT.LEFT)
    p.paragraph_format.tab_stops.add_tab_stop(Cm(17.0), WD_TAB_ALIGNMENT.LEFT)


def build_window_summary(path: Path) -> None:
    doc = new_document("全国人力资源社会保障系统优质服务窗口推荐对象汇总表", landscape=True)
    remove_leading_empty_paragraph(doc)
    summary_heading(doc, 5, "全国人力资源社会保障系统优质服务窗口推荐对象汇总表")
    widths = [c[2] for c in WINDOW_COLUMNS]
    t = new_table(doc, widths, 5, margins=(0.1, 0.1))
    # two-level header: 窗口负责人 over 姓名/单位及职务/联系电话, 窗口所属单位 over 名称
    for row in (t.rows[0], t.rows[1]):
        _row_height(row, 0.8)
        _row_flag(row, "w:cantSplit")
        _row_flag(row, "w:tblHeader")
    col = 0
    while col < len(WINDOW_COLUMNS):
        top, sub = WINDOW_COLUMNS[col][0], WINDOW_COLUMNS[col][1]
        if sub is None:
            cell_text(merge(t, 0, col, 1, col), [top], "Table Head")
            col += 1
            continue
        span = sum(1 for c in WINDOW_COLUMNS if c[0] == top)
        head = t.cell(0, col) if span == 1 else merge(t, 0, col, 0, col + span - 1)
        cell_text(head, [top], "Table Head")
        for k in range(span):
            cell_text(t.cell(1, col + k), [WINDOW_COLUMNS[col + k][1]], "Table Head")
        col += span
    tag_row(t, 2, "{%tr for r in rows %}")
    data = t.rows[3]
    _row_height(data, 1.2)
    _row_flag(data, "w:cantSplit")
    for i, (_, _, _, align, key) in enumerate(WINDOW_COLUMNS):
        expr = "{{ r.seq|default(loop.index) }}" if key == "seq" else f"{{{{ r.{key} }}}}"
        cell_text(data.cells[i], [expr], "Table Text", align=align)
    tag_row(t, 4, "{%tr endfor %}")
    finish_table(t)
    summary_footer(doc, SUMMARY_NOTES_WINDOW)
    save(doc, path)


def build_individual_summary(path: Path) -> None:
    doc = new_document("全国人力资源社会保障系统优质服务先进个人推荐对象汇总表", landscape=True)
    remove_leading_empty_paragraph(doc)
    # the seed titles this table "…优质服务先进单位推荐对象汇总表", a slip of the notice: it lists people
    summary_heading(doc, 6, "全国人力资源社会保障系统优质服务先进个人推荐对象汇总表")
    widths = [c[1] for c in INDIVIDUAL_COLUMNS]
    t = new_table(doc, widths, 4, margins=(0.08, 0.08))
    head = t.rows[0]
    _row_height(head, 1.3)
    _row_flag(head, "w:cantSplit")
    _row_flag(head, "w:tblHeader")
    for i, (label, _, _, _) in enumerate(INDIVIDUAL_COLUMNS):
        cell_text(head.cells[i], [label], "Tiny Head")
    tag_row(t, 1, "{%tr for r in rows %}")
    data = t.rows[2]
    _row_height(data, 1.0)
    _row_flag(data, "w:cantSplit")
    for i, (_, _, align, key) in enumerate(INDIVIDUAL_COLUMNS):
        expr = "{{ r.seq|default(loop.index) }}" if key == "seq" else f"{{{{ r.{key} }}}}"
        if key == "education":  # 学历 over 学位 (大学本科 / 管理学学士): a line never breaks inside either word
            expr = "{{ r.education|replace(' ', '\\n') }}"
        cell_text(data.cells[i], [expr], "Tiny Text", align=align)
    tag_row(t, 3, "{%tr endfor %}")
    finish_table(t)
    summary_footer(doc, SUMMARY_NOTES_INDIVIDUAL)
    save(doc, path)


# ---------------------------------------------------------------------------------------------
# 附件7: 评选工作联系表


def build_contact_form(path: Path) -> None:
    doc = new_document("全国人社系统优质服务窗口和优质服务先进个人评选工作联系表")
    remove_leading_empty_paragraph(doc)
    attachment_label(doc, 7)
    para(doc, "全国人社系统优质服务窗口和", "Form Title", before=6)
    para(doc, "优质服务先进个人评选工作联系表", "Form Title", after=18)
    p = para(doc, "", "Form Line", runs=[
        ("填报单位（盖章）：", {}), ("{{ org_name }}", {}),
        ("\t填表日期：", {}), ("{{ fill_date or '      年    月    日' }}", {})], after=6)
    p.paragraph_format.tab_stops.add_tab_stop(Cm(PORTRAIT_WIDTH - 0.1), WD_TAB_ALIGNMENT.RIGHT)
    widths = [2.0, 2.3, 5.0, 2.3, 4.0]
    t = new_table(doc, widths, 8)
    for row in t.rows:
        _row_height(row, 1.5)
        _row_flag(row, "w:cantSplit")
    cell_text(merge(t, 0, 0, 0, 1), ["单位名称"])
    cell_text(merge(t, 0, 2, 0, 4), ["{{ org_name }}"])
    cell_text(merge(t, 1, 0, 2, 0), ["分管", "领导"])
    for r, pairs in ((1, [("姓  名", "leader_name"), ("职  务", "leader_position")]),
                     (2, [("办公电话", "leader_phone"), ("手  机", "leader_mobile")])):
        for k, (label, key) in enumerate(pairs):
            cell_text(t.cell(r, 1 + 2 * k), [label])
            cell_text(t.cell(r, 2 + 2 * k), [f"{{{{ {key} }}}}"])
    cell_text(merge(t, 3, 0, 5, 0), ["联系人"])
    for r, pairs in ((3, [("姓  名", "contact_name"), ("职  务", "contact_position")]),
                     (4, [("办公电话", "contact_phone"), ("手  机", "contact_mobile")]),
                     (5, [("传  真", "fax"), ("电子邮箱", "email")])):
        for k, (label, key) in enumerate(pairs):
            cell_text(t.cell(r, 1 + 2 * k), [label])
            cell_text(t.cell(r, 2 + 2 * k), [f"{{{{ {key} }}}}"])
    cell_text(merge(t, 6, 0, 6, 1), ["通讯地址"])
    cell_text(t.cell(6, 2), ["{{ address }}"], align=LEFT)
    cell_text(t.cell(6, 3), ["邮政编码"])
    cell_text(t.cell(6, 4), ["{{ postcode }}"])
    _row_height(t.rows[7], 2.6)
    cell_text(merge(t, 7, 0, 7, 1), ["备  注"])
    cell_text(merge(t, 7, 2, 7, 4), ["{{ remarks }}"], align=LEFT)
    finish_table(t)
    para(doc, "{{ submit_note }}", "Form Note", before=8)
    save(doc, path)


# ---------------------------------------------------------------------------------------------
# 公示报样


def title_loop(doc, after: float = 18):
    """The title, one line per item of ``title_lines`` (the context breaks it between words)."""
    para(doc, "{%p for line in title_lines %}", "Tag")
    p = para(doc, "{{ line }}", "Form Title")
    p.paragraph_format.keep_with_next = True
    para(doc, "{%p endfor %}", "Tag")
    spacer = para(doc, "", "Form Line")
    spacer.paragraph_format.line_spacing = Pt(after)
    spacer.paragraph_format.keep_with_next = True


def body_loop(doc, expr: str, style: str = "Form Body", keep_next: bool = False):
    """Paragraph loop in the body: one paragraph per line of ``expr`` (``keep_next``: kept on the page of
    what follows, e.g. the sentence that introduces a table)."""
    para(doc, f"{{%p for line in ({expr} or ' ').splitlines() %}}", "Tag")
    p = para(doc, "{{ line.strip() }}", style)
    if keep_next:
        p.paragraph_format.keep_with_next = True
    para(doc, "{%p endfor %}", "Tag")


def signature(doc, org_expr: str, date_expr: str):
    for i, expr in enumerate((org_expr, date_expr)):
        p = para(doc, expr, "Form Body", align=RIGHT, before=28 if i == 0 else 0)
        no_indent(p)
        p.paragraph_format.keep_with_next = i == 0  # the date never goes alone to the next page
        p.paragraph_format.right_indent = Pt(SANHAO * 2)


def build_publicity_notice(path: Path) -> None:
    doc = new_document("拟推荐对象公示", body_size=SANHAO)
    remove_leading_empty_paragraph(doc)
    title_loop(doc)
    body_loop(doc, "intro_text")
    para(doc, "", "Form Body", runs=[("公示时间：", {"font": HEI_FONT}), ("{{ period_text }}", {})])
    para(doc, "公示期间，任何单位和个人对公示对象有异议的，可通过来电、来信、来访等方式向"
              "{{ objection_unit }}反映。反映问题应实事求是，以单位名义反映的应加盖公章，"
              "以个人名义反映的应签署真实姓名并提供联系方式。", "Form Body")
    para(doc, "联系人：{{ contact_name }}", "Form Body")
    para(doc, "联系电话：{{ contact_phone }}", "Form Body")
    para(doc, "通讯地址：{{ address }}", "Form Body")
    para(doc, "{%p if windows %}", "Tag")
    para(doc, "一、优质服务窗口拟推荐对象（{{ windows|length }}个）", "Form Heading")
    para(doc, "{%p for w in windows %}", "Tag")
    item = para(doc, "", "Form Body", runs=[("{{ w.seq|default(loop.index) }}. {{ w.name }}",
                                             {"font": "楷体_GB2312", "bold": True})])
    item.paragraph_format.keep_with_next = True
    body_loop(doc, "w.summary")
    para(doc, "{%p endfor %}", "Tag")
    para(doc, "{%p endif %}", "Tag")
    para(doc, "{%p if individuals %}", "Tag")
    para(doc, "{{ '二' if windows else '一' }}、优质服务先进个人拟推荐对象（{{ individuals|length }}名）",
         "Form Heading")
    para(doc, "{%p for p in individuals %}", "Tag")
    item = para(doc, "", "Form Body", runs=[(
        "{{ p.seq|default(loop.index) }}. {{ p.display_name }}，{{ p.ethnicity }}，"
        "{{ p.political_status }}，{{ p.unit_position }}",
        {"font": "楷体_GB2312", "bold": True})])
    item.paragraph_format.keep_with_next = True
    body_loop(doc, "p.summary")
    para(doc, "{%p endfor %}", "Tag")
    para(doc, "{%p endif %}", "Tag")
    signature(doc, "{{ org_name }}", "{{ notice_date }}")
    page_number_footer(doc)
    save(doc, path)


# ---------------------------------------------------------------------------------------------
# 初审 / 正式 推荐工作报告


def report_table(doc, columns, loop_expr: str):
    """A small table in a report: header, then one row per item of ``loop_expr``."""
    widths = [c[1] for c in columns]
    t = new_table(doc, widths, 4, margins=(0.1, 0.1))
    head = t.rows[0]
    _row_height(head, 0.9)
    _row_flag(head, "w:tblHeader")
    _row_flag(head, "w:cantSplit")
    for i, (label, *_rest) in enumerate(columns):
        cell_text(head.cells[i], [label], "Table Head")
    tag_row(t, 1, f"{{%tr for r in {loop_expr} %}}")
    data = t.rows[2]
    _row_height(data, 0.9)
    _row_flag(data, "w:cantSplit")
    for i, (_label, _w, align, expr) in enumerate(columns):
        cell_text(data.cells[i], [expr], "Table Text", align=align)
    tag_row(t, 3, "{%tr endfor %}")
    finish_table(t)
    para(doc, "", "Form Line")  # breathing space after the table
    return t


PUBLICITY_COLUMNS = [
    ("序号", 1.1, CENTER, "{{ r.seq|default(loop.index) }}"),
    ("推荐对象", 3.7, LEFT, "{{ r.name }}"),
    ("类别", 1.3, CENTER, "{{ r.kind }}"),
    ("公示范围", 1.9, CENTER, "{{ r.scope }}"),
    ("公示时间", 5.6, CENTER, "{{ r.period_text }}"),
    ("公示结果", 2.0, CENTER, "{{ r.result }}"),
]
RANKING_COLUMNS = [
    ("排序", 1.2, CENTER, "{{ r.rank }}"),
    ("类别", 1.6, CENTER, "{{ r.kind }}"),
    ("推荐对象", 4.2, LEFT, "{{ r.name }}"),
    ("所属（工作）单位", 5.0, LEFT, "{{ r.unit }}"),
    ("备注", 3.6, LEFT, "{{ r.remarks }}"),
]
CONSULTATION_COLUMNS = [
    ("序号", 1.2, CENTER, "{{ r.seq|default(loop.index) }}"),
    ("姓名", 2.2, CENTER, "{{ r.name }}"),
    ("纪检监察部门意见", 4.1, CENTER, "{{ r.discipline }}"),
    ("组织人事部门意见", 4.0, CENTER, "{{ r.organization }}"),
    ("省级公安部门意见", 4.1, CENTER, "{{ r.police }}"),
]
NUMERALS = "一二三四五六七八九十"


def build_report(path: Path, formal: bool) -> None:
    stage = "正式" if formal else "初审"
    doc = new_document(f"{stage}推荐工作报告", body_size=SANHAO)
    remove_leading_empty_paragraph(doc)
    title_loop(doc)
    no_indent(para(doc, "{{ addressee }}：", "Form Body"))
    body_loop(doc, "report_text.opening")

    sections = [("推荐工作组织情况", "organization"), ("推荐过程", "process")]
    if formal:
        sections.append(("征求意见情况", "consultation"))
    sections += [("公示情况", "publicity"), ("推荐排序", "ranking"), ("推荐意见", "opinion")]
    for n, (heading, key) in enumerate(sections):
        para(doc, f"{NUMERALS[n]}、{heading}", "Form Heading")
        body_loop(doc, f"report_text.{key}", keep_next=key in ("consultation", "publicity", "ranking"))
        if key == "process":
            para(doc, "经逐级推荐、审核，共收到优质服务窗口推荐对象"
                      "{{ counts.windows_received }}个、优质服务先进个人推荐对象{{ counts.individuals_received }}名，"
                      f"确定{stage}推荐优质服务窗口{{{{ counts.windows }}}}个（其中县（区）级人社部门服务窗口"
                      "或乡镇（街道）、社区服务所（站）{{ counts.grassroots_windows }}个）、"
                      "优质服务先进个人{{ counts.individuals }}名。", "Form Body")
        elif key == "consultation":
            report_table(doc, CONSULTATION_COLUMNS, "consultations")
        elif key == "publicity":
            report_table(doc, PUBLICITY_COLUMNS, "publicity")
        elif key == "ranking":
            report_table(doc, RANKING_COLUMNS, "ranking")
    para(doc, "（联系人：{{ contact_name }}，联系电话：{{ contact_phone }}）", "Form Body")
    signature(doc, "{{ org_name }}", "{{ report_date }}")
    page_number_footer(doc)
    save(doc, path)


def build_deeds(path: Path, brief: bool) -> None:
    """基本情况和主要事迹 (each nominee from a new page) or 简要事迹 (一、窗口 then 二、个人, one after another),
    in rank order."""
    title = "简要事迹" if brief else "推荐对象基本情况和主要事迹"
    doc = new_document(title, body_size=SANHAO)
    remove_leading_empty_paragraph(doc)
    if brief:
        title_loop(doc, after=6)
        para(doc, "（{{ org_name }}）", "Form Subtitle", after=18)
        para(doc, "{%p for g in groups %}", "Tag")
        para(doc, "{{ g.heading }}", "Form Heading")
        para(doc, "{%p for it in g['items'] %}", "Tag")
        heading = para(doc, "{{ it.group_seq }}. {{ it.heading }}", "Form Heading")
        _set_fonts(heading.runs[0]._r, "楷体_GB2312")
        body_loop(doc, "it.text")
        para(doc, "{%p endfor %}", "Tag")
        para(doc, "{%p endfor %}", "Tag")
    else:
        para(doc, "{%p for it in items %}", "Tag")
        para(doc, "{{ it.name }}", "Form Title", page_break_before=True, after=6)
        para(doc, "（{{ it.kind }}{{ '，' ~ it.unit if it.unit else '' }}）", "Form Subtitle", after=18)
        para(doc, "一、基本情况", "Form Heading")
        para(doc, "{{ it.basic }}", "Form Body")
        para(doc, "二、主要事迹", "Form Heading")
        body_loop(doc, "it.text")
        para(doc, "{%p endfor %}", "Tag")
    page_number_footer(doc)
    save(doc, path)


# ---------------------------------------------------------------------------------------------


def save(doc, path: Path) -> None:
    """Save with fixed zip timestamps so an unchanged template is byte-identical after a rebuild."""
    buffer = io.BytesIO()
    doc.save(buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == "docProps/thumbnail.jpeg":
                continue  # python-docx's stock thumbnail would show a foreign page in file browsers
            data = src.read(info.filename)
            if info.filename == "_rels/.rels":
                data = _drop_thumbnail_rel(data)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b'<Default Extension="jpeg" ContentType="image/jpeg"/>', b"")
            out = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            out.compress_type = zipfile.ZIP_DEFLATED
            out.external_attr = 0o644 << 16
            dst.writestr(out, data)


def _drop_thumbnail_rel(data: bytes) -> bytes:
    root = etree.fromstring(data)
    for rel in list(root):
        if rel.get("Target", "").endswith("thumbnail.jpeg"):
            root.remove(rel)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


BUILDERS = {
    "window_approval": build_window_approval,
    "individual_approval": build_individual_approval,
    "opinion_form": build_opinion_form,
    "window_summary": build_window_summary,
    "individual_summary": build_individual_summary,
    "contact_form": build_contact_form,
    "publicity_notice": build_publicity_notice,
    "preliminary_report": lambda path: build_report(path, formal=False),
    "formal_report": lambda path: build_report(path, formal=True),
    "main_deeds": lambda path: build_deeds(path, brief=False),
    "brief_deeds": lambda path: build_deeds(path, brief=True),
}


def build_all(outdir: Path) -> list[Path]:
    """Write a draft of every template into ``outdir`` (never the committed templates' folder)."""
    outdir = Path(outdir)
    if outdir.resolve() == TEMPLATE_DIR.resolve():
        raise ValueError("form_templates/ 中的 .docx 是模板本身（由人工在 Word/WPS 中维护），不能用生成脚本覆盖；"
                         "请指定另一个输出目录")
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for key, builder in BUILDERS.items():
        path = outdir / TEMPLATE_FILES[key]
        builder(path)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: scripts/draft-templates OUTDIR   (drafts; the committed templates are edited in Word/WPS)",
              file=sys.stderr)
        return 2
    try:
        written = build_all(Path(args[0]))
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
