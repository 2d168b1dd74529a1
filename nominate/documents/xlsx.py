"""附件5 / 附件6 汇总表 as Excel workbooks: the DOCX's columns and order, printable on A4 landscape."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from form_templates import build_templates
from nominate.core.sheets import put_text

#: (header, context key); a header "A B" sits under a merged group "A", as in the DOCX
WINDOW_COLUMNS = [(f"{top} {sub}" if sub else top, key) for top, sub, _, _, key in build_templates.WINDOW_COLUMNS]
INDIVIDUAL_COLUMNS = [(label, key) for label, _, _, key in build_templates.INDIVIDUAL_COLUMNS]
#: column widths in Excel units (the width of a "0": about 0.19 cm at the default font), from the DOCX
#: table's widths in cm, so the sheet fits A4 landscape at about the size the Word table prints
_CM = 0.19
WIDTHS = {
    "window_summary": {key: round(cm / _CM, 1) for _, _, cm, _, key in build_templates.WINDOW_COLUMNS},
    "individual_summary": {key: round(cm / _CM, 1) for _, cm, _, key in build_templates.INDIVIDUAL_COLUMNS},
}
# digits print at 10 pt here (9 pt in Word): 18 of a 身份证号 and 11–12 of a phone need a little more
WIDTHS["individual_summary"].update(id_number=20, phone=13.5)
WIDTHS["window_summary"].update(leader_phone=max(WIDTHS["window_summary"]["leader_phone"], 14))
TITLES = {
    "window_summary": ("全国人力资源社会保障系统优质服务窗口推荐对象汇总表", WINDOW_COLUMNS, 5,
                       build_templates.SUMMARY_NOTES_WINDOW),
    "individual_summary": ("全国人力资源社会保障系统优质服务先进个人推荐对象汇总表", INDIVIDUAL_COLUMNS, 6,
                           build_templates.SUMMARY_NOTES_INDIVIDUAL),
}
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
_WRAP_LEFT = Alignment(wrap_text=True, vertical="center", horizontal="left")
_BODY = Font(name="仿宋_GB2312", size=10)
_HEAD = Font(name="黑体", size=10, bold=True)
_LINE_PT = 13.5  # one wrapped line of 10 pt text


def _units(text: str) -> int:
    # a CJK character is about two width units at this size, a digit or letter about one
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _lines(text: str, width: float) -> int:
    return max(1, -(-_units(text) // max(int(width) - 1, 1)))


def _header_rows(ws, columns, top: int, widths: dict) -> int:
    """Write the header (two rows when columns are grouped, as in the DOCX); returns the first data row."""
    grouped = any(" " in header for header, _ in columns)
    for col, (header, _) in enumerate(columns, start=1):
        group, _, leaf = header.partition(" ")
        ws.cell(top, col, group)
        if grouped:
            ws.cell(top + 1, col, leaf or None)
            if not leaf:
                ws.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
    if grouped:  # merge each group label over its leaf columns
        col = 1
        while col <= len(columns):
            group = columns[col - 1][0].partition(" ")[0]
            end = col
            while end < len(columns) and columns[end][0].partition(" ")[0] == group and " " in columns[end][0]:
                end += 1
            if end > col:
                ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=end)
            col = end + 1
    last = top + (1 if grouped else 0)
    for row in ws.iter_rows(min_row=top, max_row=last, max_col=len(columns)):
        for cell in row:
            cell.font, cell.alignment, cell.border = _HEAD, _WRAP, _BOX
    # a header is never clipped: each header row is as tall as its most wrapped label
    for r in range(top, last + 1):
        labels = [(str(ws.cell(r, c).value or ""), widths.get(key, 10)) for c, (_, key) in enumerate(columns, 1)]
        ws.row_dimensions[r].height = _LINE_PT * max(_lines(text, w) for text, w in labels) + 6
    return last + 1


def _row_height(row: dict, columns, widths: dict) -> float:
    """Excel does not grow a wrapped row by itself when the file is written by a program: estimate it."""
    return _LINE_PT * max(_lines(str(row.get(field, "")), widths.get(field, 10)) for _, field in columns) + 6


def summary_xlsx(key: str, context: dict) -> bytes:
    """The 汇总表 ``key`` (window_summary / individual_summary) filled from its DOCX context: 附件 label,
    title, 推荐单位 and 填表日期, the header, the rows in rank order, the 注 lines of the seed and the
    contacts; A4 landscape, fit to one page wide, header rows repeated on every page."""
    title, columns, number, notes = TITLES[key]
    widths = WIDTHS[key]
    wb = Workbook()
    ws = wb.active
    ws.title = "附件5 窗口汇总表" if key == "window_summary" else "附件6 个人汇总表"
    width = len(columns)
    total = sum(widths.get(k, 10) for _, k in columns)

    def line(row: int, text: str, font, height: float | None = None, align=None, first=1, last=width):
        cell = put_text(ws, row, first, text)
        cell.font, cell.alignment = font, align or Alignment(horizontal="left", vertical="center", wrap_text=True)
        if last > first:
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        if height:
            ws.row_dimensions[row].height = height

    line(1, f"附件{number}", Font(name="黑体", size=12), 20)
    line(2, title, Font(name="方正小标宋简体", size=16), 32, Alignment(horizontal="center", vertical="center"))
    line(3, f"推荐单位（盖章）：{context['org_name']}", _BODY, 20, last=width // 2)
    line(3, f"填表日期：{context['fill_date'] or '      年    月    日'}", _BODY, None,
         Alignment(horizontal="right", vertical="center"), first=width // 2 + 1)

    first = _header_rows(ws, columns, 4, widths)
    for r, row in enumerate(context["rows"], start=first):
        for c, (_, field) in enumerate(columns, start=1):
            value = row.get(field, "")
            cell = put_text(ws, r, c, value if value != "" else None)
            cell.font, cell.border = _BODY, _BOX
            cell.alignment = _WRAP_LEFT if field in ("name", "work_unit", "remarks", "unit_name",
                                                     "leader_unit_position") else _WRAP
            if field in ("id_number", "phone", "leader_phone"):
                cell.number_format = "@"  # keep 18-digit IDs and leading zeros as text
        ws.row_dimensions[r].height = _row_height(row, columns, widths)
    r = first + len(context["rows"])
    for i, note in enumerate(notes):  # the seed's 注1–4, verbatim
        text = ("注：" if i == 0 else "　　") + note
        line(r + i, text, _BODY, _LINE_PT * _lines(text, total) + 4)
    r += len(notes)
    line(r, f"联系人：{context['contact_name']}    联系电话：{context['contact_phone']}    传真：{context['fax']}",
         _BODY, 20)

    for c, (_, field) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(c)].width = widths.get(field, 10)
    ws.freeze_panes = ws.cell(first, 1)
    ws.print_title_rows = f"4:{first - 1}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.7

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
