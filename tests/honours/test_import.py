"""Import from .xlsx and .csv: every row's problems in the preview, nothing written until the sheet is clean."""
import csv
import io

import pytest
from openpyxl import Workbook

from nominate.core.db import unit_of_work
from nominate.core.errors import MultipleErrors, NotFound
from nominate.honours import importer
from nominate.honours.models import Honour, HonourImport
from tests.factories import individual_data, make_id_number, snapshot
from tests.honours.helpers import person_honour

HEADERS = [header for _, header in importer.COLUMNS]
ID = individual_data()["id_number"]


def row(**over):
    values = {"holder_kind": "个人", "person_name": "张晓梅", "id_number": ID, "unit_name": "", "organisation": "太原市",
              "title": "全省人社“知识通”", "level": "省级", "kind": "练兵比武称号", "competition": "2020年全省练兵比武",
              "year": 2020, "rank": "", "issuing_body": "山西省人力资源和社会保障厅", "document_number": ""}
    values.update(over)
    return [values[key] for key, _ in importer.COLUMNS]


def xlsx(rows) -> bytes:
    wb = Workbook()
    wb.active.append(HEADERS)
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def as_csv(rows, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([HEADERS, *rows])
    return out.getvalue().encode(encoding)


GOOD = [
    row(),
    row(holder_kind="窗口（单位）", person_name="", id_number="", unit_name="小店区社保经办大厅", title="团体一等奖",
        kind="团体奖项", rank="一等奖"),
    row(person_name="李四", id_number=make_id_number("19900101", 321), title="个人第三名", kind="个人名次",
        level="市级", year=2019),
]
BAD = [
    row(id_number="140105198503121240"),                       # line 5: checksum
    row(organisation="火星市"),                                  # line 6: unknown unit
    row(),                                                      # line 7: duplicate of line 2
    row(level="区级", kind="奖状", year="二〇二〇"),                # line 8: level, kind, year
]


def test_preview_reports_each_bad_row_and_field_and_writes_nothing(f, db):
    before = snapshot(db)
    with unit_of_work():
        token, checks = importer.preview_import(f.office, "honours.xlsx", xlsx(GOOD + BAD))
    assert [c.line for c in checks if c.ok] == [2, 3, 4]
    problems = {c.line: dict(c.errors) for c in checks if not c.ok}
    assert problems[5] == {"id_number": "身份证号校验位错误"}
    assert "火星市" in problems[6]["organisation"]
    assert problems[7] == {"title": "与第 2 行重复"}
    assert set(problems[8]) == {"level", "kind", "year"}
    counts, _ = snapshot(db)
    assert counts["honours"] == 0 and counts["honour_imports"] == before[0]["honour_imports"] + 1
    with pytest.raises(MultipleErrors) as exc, unit_of_work():
        importer.commit_import(f.office, token)
    assert exc.value.errors[0].message == "导入文件有 4 行存在问题，未写入任何记录"
    assert "第 5 行 身份证号：身份证号校验位错误" in [e.message for e in exc.value.errors]
    assert db.session.scalar(db.select(db.func.count(Honour.id))) == 0


def test_clean_csv_commits_every_row_in_one_transaction(f, db):
    nom = f.individual()
    with unit_of_work():
        token, checks = importer.preview_import(f.city(), "honours.csv", as_csv(GOOD, "gb18030"))
    assert all(c.ok for c in checks)
    with unit_of_work():
        honours = importer.commit_import(f.city(), token)
    assert len(honours) == 3 and db.session.scalar(db.select(db.func.count(Honour.id))) == 3
    assert db.session.scalar(db.select(db.func.count(HonourImport.id))) == 0
    assert [link.nomination_id for link in honours[0].links] == [nom.id]
    with pytest.raises(NotFound), unit_of_work():  # the token is spent
        importer.commit_import(f.city(), token)


def test_rows_already_in_the_register_are_reported(f, db):
    person_honour(f.office, ID, title="全省人社“知识通”", year=2020, competition="2020年全省练兵比武")
    with unit_of_work():
        _, checks = importer.preview_import(f.office, "h.csv", as_csv(GOOD))
    assert checks[0].errors == [("title", "荣誉库中已有该记录")]


def test_a_sheet_changed_after_preview_cannot_sneak_in(f, db):
    """The commit reads the stashed file again, and a token works only for its uploader."""
    with unit_of_work():
        token, _ = importer.preview_import(f.city(), "h.xlsx", xlsx(GOOD))
    with pytest.raises(NotFound), unit_of_work():
        importer.commit_import(f.city("datong"), token)
    person_honour(f.office, ID, title="全省人社“知识通”", year=2020, competition="2020年全省练兵比武")
    with pytest.raises(MultipleErrors), unit_of_work():
        importer.commit_import(f.city(), token)
    assert db.session.scalar(db.select(db.func.count(Honour.id))) == 1


@pytest.mark.parametrize("name,content,message", [
    ("h.txt", b"x", "导入文件须为 .xlsx 或 .csv 格式"),
    ("h.xlsx", b"not a zip", "无法读取该 Excel 文件"),
    ("h.csv", "姓名,年度\n张三,2020\n".encode(), "第1行缺少列"),
    ("h.csv", ",".join(HEADERS).encode(), "导入文件没有数据行"),
])
def test_unreadable_sheets_are_refused_by_name(f, name, content, message):
    from nominate.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match=message) as exc:
        importer.read_sheet(name, content)
    assert exc.value.field == "file"


def test_template_files_have_the_columns(f):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(importer.template_xlsx()))
    assert [c.value for c in wb.worksheets[0][1]] == HEADERS
    assert importer.template_csv().decode("utf-8-sig").strip() == ",".join(HEADERS)
