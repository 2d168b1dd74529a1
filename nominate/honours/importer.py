"""Importing honours from .xlsx or .csv: a preview of every row's problems, then an all-or-nothing commit.

Between the two steps the uploaded file waits in the database under a random token bound to its
uploader; the commit reads and checks that file again and never trusts row data sent back by the browser.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
from dataclasses import dataclass, field

import sqlalchemy as sa

from nominate.audit import operations as audit
from nominate.core import clock
from nominate.core.errors import DomainError, MultipleErrors, NotFound, PermissionDenied, ValidationFailed
from nominate.extensions import db
from nominate.honours import permissions
from nominate.honours.models import HonourImport
from nominate.honours.operations import LABELS, add_honour, clean_honour, existing_identities, identity

#: The sheet's columns, in the template's order: (key, header).
COLUMNS = [(key, LABELS[key]) for key in ("holder_kind", "person_name", "id_number", "unit_name", "organisation",
                                          "title", "level", "kind", "competition", "year", "rank",
                                          "issuing_body", "document_number")]
REQUIRED_HEADERS = {"holder_kind", "organisation", "title", "level", "kind", "year"}
EXAMPLE_ROWS = [
    ["个人", "张晓梅", "（18位身份证号）", "", "太原市", "全省人社“知识通”", "省级", "练兵比武称号",
     "2020年度全省人社窗口单位业务技能练兵比武", "2020", "", "山西省人力资源和社会保障厅", "晋人社厅函〔2020〕166号"],
    ["窗口（单位）", "", "", "小店区人力资源和社会保障局社保经办大厅", "太原市", "团体一等奖", "省级", "团体奖项",
     "2020年度全省人社窗口单位业务技能练兵比武全省赛", "2020", "一等奖", "山西省人力资源和社会保障厅", ""],
]
NOTES = ("持有人类别：个人 或 窗口（单位）；个人填写姓名和身份证号，窗口（单位）填写窗口（单位）名称。",
         "所属单位：系统中的单位全称、简称或代码（如 太原市），须在本单位管辖范围内。",
         "级别：国家级、省级、市级、县级；类别：称号、个人名次、团体奖项、练兵比武称号。",
         "个人名次和团体奖项须填写比赛名称；年度为四位数字；身份证号请设置为文本格式。",
         "导入前先预览：所有行无误后才会一次性写入，任何一行有问题都不会写入。",
         "填写示例：")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
STASH_HOURS = 24


@dataclass
class RowCheck:
    line: int
    raw: dict
    data: dict | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "荣誉"
    ws.append([header for _, header in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    id_col = [k for k, _ in COLUMNS].index("id_number") + 1
    for line in range(2, 502):
        ws.cell(line, id_col).number_format = "@"  # 身份证号 as text: 18 digits do not survive as a number
    for i, (_, header) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = max(12, len(header) * 2 + 4)
    notes = wb.create_sheet("填写说明")
    for line in NOTES:
        notes.append([line])
    notes.append([header for _, header in COLUMNS])
    for row in EXAMPLE_ROWS:
        notes.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([header for _, header in COLUMNS])
    return out.getvalue().encode("utf-8-sig")  # with BOM: Excel opens it as UTF-8


def _cell(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return str(value.year)
    return "" if value is None else str(value).strip()


def _table(filename: str, content: bytes) -> list[list[str]]:
    name = (filename or "").lower()
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationFailed("sheet_encoding", "CSV 文件编码无法识别：请另存为 UTF-8 编码", "file")
        return [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text))]
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a damaged or mislabelled file
            raise ValidationFailed("sheet_unreadable", "无法读取该 Excel 文件：请使用下载的模板另存为 .xlsx", "file") from None
        try:
            return [[_cell(v) for v in row] for row in wb.worksheets[0].iter_rows(values_only=True)]
        finally:
            wb.close()
    raise ValidationFailed("sheet_type", "导入文件须为 .xlsx 或 .csv 格式", "file")


def read_sheet(filename: str, content: bytes) -> list[tuple[int, dict]]:
    """(line number, {column key: text}) for every non-empty data row; the first row holds the headers."""
    if len(content) > MAX_BYTES:
        raise ValidationFailed("sheet_too_large", f"导入文件不能超过 {MAX_BYTES // 1024 // 1024} MB", "file")
    table = _table(filename, content)
    if not table:
        raise ValidationFailed("sheet_empty", "导入文件是空的", "file")
    by_header = {header: key for key, header in COLUMNS} | {key: key for key, _ in COLUMNS}
    positions = {}
    for i, header in enumerate(table[0]):
        key = by_header.get(header.strip())
        if key:
            positions[key] = i
    missing = [LABELS[k] for k, _ in COLUMNS if k in REQUIRED_HEADERS and k not in positions]
    if missing:
        raise ValidationFailed("sheet_columns", f"第1行缺少列：{'、'.join(missing)}（请使用下载的模板）", "file")
    rows = []
    for line, values in enumerate(table[1:], start=2):
        if not any(values):
            continue
        rows.append((line, {k: values[i] if i < len(values) else "" for k, i in positions.items()}))
    if not rows:
        raise ValidationFailed("sheet_no_rows", "导入文件没有数据行", "file")
    if len(rows) > MAX_ROWS:
        raise ValidationFailed("sheet_too_many_rows", f"一次最多导入 {MAX_ROWS} 行（当前 {len(rows)} 行）", "file")
    return rows


def check_rows(actor, rows: list[tuple[int, dict]]) -> list[RowCheck]:
    """Every problem of every row: field rules, unknown unit, duplicates in the sheet and in the register."""
    checks = []
    for line, raw in rows:
        check = RowCheck(line, raw)
        try:
            check.data = clean_honour(actor, raw)
        except MultipleErrors as exc:
            check.errors = [(e.field, e.message) for e in exc.errors]
        except DomainError as exc:
            check.errors = [(exc.field, exc.message)]
        checks.append(check)
    clean = [c for c in checks if c.ok]
    in_register = existing_identities([c.data for c in clean])
    first_line: dict[tuple, int] = {}
    for check in clean:
        key = identity(check.data)
        if key in first_line:
            check.errors.append(("title", f"与第 {first_line[key]} 行重复"))
        else:
            first_line[key] = check.line
        if key in in_register:
            check.errors.append(("title", "荣誉库中已有该记录"))
    return checks


def stash_upload(actor, filename: str, content: bytes) -> str:
    """Keep an uploaded sheet for its commit; returns the token (expired stashes are cleared on the way)."""
    if not permissions.can_use_register(actor):
        raise PermissionDenied("您无权导入荣誉")
    cutoff = clock.now() - dt.timedelta(hours=STASH_HOURS)
    db.session.execute(sa.delete(HonourImport).where(HonourImport.created_at < cutoff))
    token = secrets.token_urlsafe(32)
    db.session.add(HonourImport(token=token, user_id=actor.id, filename=(filename or "")[-200:], content=content))
    db.session.flush()
    return token


def load_stash(actor, token: str) -> HonourImport:
    cutoff = clock.now() - dt.timedelta(hours=STASH_HOURS)
    stash = db.session.scalar(sa.select(HonourImport).filter_by(token=token or "", user_id=actor.id)
                              .where(HonourImport.created_at >= cutoff))
    if stash is None:
        raise NotFound("导入文件已过期或不存在，请重新上传")
    return stash


def preview_import(actor, filename: str, content: bytes) -> tuple[str, list[RowCheck]]:
    """Read and check a sheet without writing any honour; the file is stashed for the commit."""
    if not permissions.can_use_register(actor):
        raise PermissionDenied("您无权导入荣誉")
    checks = check_rows(actor, read_sheet(filename, content))
    return stash_upload(actor, filename, content), checks


def preview_stash(actor, token: str) -> list[RowCheck]:
    stash = load_stash(actor, token)
    return check_rows(actor, read_sheet(stash.filename, stash.content))


def commit_import(actor, token: str) -> list:
    """Write every row of the stashed sheet, or none: any problem refuses the whole file."""
    stash = load_stash(actor, token)
    checks = check_rows(actor, read_sheet(stash.filename, stash.content))
    bad = [c for c in checks if not c.ok]
    if bad:
        errors = [ValidationFailed("import_row_invalid", f"第 {c.line} 行 {LABELS.get(fld, fld or '')}：{msg}", fld)
                  for c in bad for fld, msg in c.errors]
        raise MultipleErrors([ValidationFailed("import_has_errors",
                                               f"导入文件有 {len(bad)} 行存在问题，未写入任何记录", "file"), *errors])
    honours = [add_honour(actor, c.data, source="import") for c in checks]
    audit.record(actor, "honours_imported", object_type="honour",
                 data={"filename": stash.filename, "rows": len(honours), "ids": [h.id for h in honours]})
    db.session.delete(stash)
    db.session.flush()
    return honours
