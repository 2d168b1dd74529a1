"""附件5 / 附件6 汇总表 as Excel workbooks: the DOCX's columns and order, printable on A4 landscape."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from form_templates import build_templates
from nominate.core.sheets import put_text

#: column widths (characters) for Excel; headers and order come from the DOCX templates' builder
WIDTHS = {"seq": 6, "name": 28, "nature": 10, "level": 12, "leader_name": 10, "leader_unit_position": 28,
          "leader_phone": 15, "unit_name": 28, "remarks": 30, "gender": 5, "ethnicity": 7, "political_status": 10,
          "education": 14, "id_number": 21, "work_unit": 32, "unit_nature": 10, "position": 16, "admin_level": 9,
          "professional_title": 10, "window_start": 10, "window_years": 9, "phone": 14}
#: (header, context key); a header "A B" sits under a merged group "A", as in the DOCX
WINDOW_COLUMNS = [(f"{top} {sub}" if sub else top, key) for top, sub, _, _, key in build_templates.WINDOW_COLUMNS]
INDIVIDUAL_COLUMNS = [(label, key) for label, _, _, key in build_templates.INDIVIDUAL_COLUMNS]
TITLES = {
    "window_summary": ("全国人力资源社会保障系统优质服务窗口推荐对象汇总表", WINDOW_COLUMNS),
    "individual_summary": ("全国人力资源社会保障系统优质服务先进个人推荐对象汇总表", INDIVIDUAL_COLUMNS),
}
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
_WRAP_LEFT = Alignment(wrap_text=True, vertical="center", horizontal="left")
_BODY = Font(name="仿宋_GB2312", size=10)
_HEAD = Font(name="黑体", size=10, bold=True)


def _header_rows(ws, columns, top: int) -> int:
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
    return last + 1


def _row_height(row: dict, columns) -> float:
    """Excel does not grow a wrapped row by itself when the file is written by a program: estimate it."""
    lines = 1
    for _, field in columns:
        text = str(row.get(field, ""))
        # a CJK character is about two width units at this size, a digit or letter about one
        units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
        lines = max(lines, -(-units // max(WIDTHS.get(field, 10) - 1, 1)))
    return 15 * lines + 3


def summary_xlsx(key: str, context: dict) -> bytes:
    """The 汇总表 ``key`` (window_summary / individual_summary) filled from its DOCX context."""
    title, columns = TITLES[key]
    wb = Workbook()
    ws = wb.active
    ws.title = "附件5 窗口汇总表" if key == "window_summary" else "附件6 个人汇总表"
    width = len(columns)
    ws.cell(1, 1, title).font = Font(name="方正小标宋简体", size=16)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 32
    put_text(ws, 2, 1, f"推荐单位（盖章）：{context['org_name']}").font = _BODY
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width // 2)
    put_text(ws, 2, width // 2 + 1, f"填表日期：{context['fill_date']}").font = _BODY
    ws.cell(2, width // 2 + 1).alignment = Alignment(horizontal="right")
    ws.merge_cells(start_row=2, start_column=width // 2 + 1, end_row=2, end_column=width)

    first = _header_rows(ws, columns, 3)
    for r, row in enumerate(context["rows"], start=first):
        for c, (_, field) in enumerate(columns, start=1):
            value = row.get(field, "")
            cell = put_text(ws, r, c, value if value != "" else None)
            cell.font, cell.border = _BODY, _BOX
            cell.alignment = _WRAP_LEFT if field in ("name", "work_unit", "remarks", "unit_name",
                                                     "leader_unit_position") else _WRAP
            if field in ("id_number", "phone", "leader_phone"):
                cell.number_format = "@"  # keep 18-digit IDs and leading zeros as text
        ws.row_dimensions[r].height = _row_height(row, columns)
    footer = first + len(context["rows"]) + 1
    put_text(ws, footer, 1, f"联系人：{context['contact_name']}    联系电话：{context['contact_phone']}    "
                            f"传真：{context['fax']}").font = _BODY
    ws.merge_cells(start_row=footer, start_column=1, end_row=footer, end_column=width)

    for c, (_, field) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(c)].width = WIDTHS.get(field, 10)
    ws.freeze_panes = ws.cell(first, 1)
    ws.print_title_rows = f"3:{first - 1}"
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
