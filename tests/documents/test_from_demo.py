"""Every official table filled from the demo data set and read back (python-docx, openpyxl, zipfile).

The demo is built once for the module and every document rendered up front into bytes; the tests
then only read those bytes and the expected values taken from the database at the same time.
"""
from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass, field

import docx
import openpyxl
import pytest

from form_templates import format_date
from nominate.batches.models import CityBatch
from nominate.campaigns.models import Campaign
from nominate.demo.data import build_demo
from nominate.core import pdf
from nominate.documents import bundle, context, rendering, workers
from nominate.extensions import db
from nominate.nominations.enums import NominationKind
from nominate.organisations.models import Organisation
from tests.conftest import _clear
from tests.documents.test_templates import (JINJA_MARKERS, SEED_INDIVIDUAL_HEADER, SEED_INDIVIDUAL_NOTES,
                                            SEED_WINDOW_HEADER, SEED_WINDOW_NOTES, leaf_headers, pdf_pages,
                                            soffice_or_skip, unique_cells)

CITY_ORDER = ["taiyuan", "datong", "yangquan", "changzhi", "jincheng", "shuozhou", "jinzhong", "yuncheng",
              "xinzhou", "linfen", "lvliang"]


def register_remarks(n):
    """备注 as the honours register composes it (tested on its own in tests/honours)."""
    from nominate.honours.compose import remarks_for

    return remarks_for(n)


def _month(d):
    return f"{d.year}.{d.month:02d}" if d else ""


def window_row(seq, n):
    """附件5 columns, straight from the model (independent of nominate.documents.context)."""
    return [str(seq), n.window_name, n.unit_nature.label, n.window_level.label, n.leader_name, n.leader_position,
            n.leader_phone, n.parent_unit_name, register_remarks(n)]


def person_row(seq, n, today):
    return [str(seq), n.person_name, n.gender.label, n.ethnicity, n.political_status, n.education_degree, n.id_number,
            n.work_unit, n.unit_nature.label, n.position, n.admin_rank, n.professional_title,
            _month(n.window_start), f"{n.years_at_window(today)}年", n.phone, register_remarks(n)]


@dataclass
class Demo:
    docs: dict = field(default_factory=dict)       # (scope, form, stage) -> bytes
    expected: dict = field(default_factory=dict)   # (scope, form, stage) -> rows
    nominee_docs: dict = field(default_factory=dict)  # (name, form) -> bytes
    nominee_facts: dict = field(default_factory=dict)
    zips: dict = field(default_factory=dict)
    pooled: bool = False


@pytest.fixture(scope="module")
def demo(app):
    _clear(app)
    out = Demo()
    with app.app_context():
        build_demo()
        from nominate.core import clock

        today = clock.today()
        campaign = db.session.scalars(db.select(Campaign)).one()
        for code in ("taiyuan", "jincheng"):
            batch = db.session.scalar(db.select(CityBatch).join(Organisation).where(Organisation.code == code))
            for stage in context.STAGES:
                noms = sorted((n for n in batch.nominations if n.rank is not None), key=lambda n: n.rank)
                if stage == "formal":
                    noms = [n for n in noms if n.state.value in n.workflow.tagged("formal")]  # the file's formal states
                windows = [n for n in noms if n.kind == NominationKind.WINDOW]
                people = [n for n in noms if n.kind == NominationKind.INDIVIDUAL]
                out.expected[(code, "window_summary", stage)] = [window_row(i, n) for i, n in enumerate(windows, 1)]
                out.expected[(code, "individual_summary", stage)] = [
                    person_row(i, n, today) for i, n in enumerate(people, 1)]
                for form in rendering.BATCH_FORMS:
                    out.docs[(code, form, stage)] = rendering.batch_file(batch, form, stage).data
        for stage in context.STAGES:
            noms = context.province_nominees(campaign, stage)
            # the expected order, spelled out: cities in campaign order, then 省直, each by rank
            key = {c: i for i, c in enumerate(CITY_ORDER)}
            noms = sorted(noms, key=lambda n: (key.get(n.owner_org.code, 99), n.rank))
            windows = [n for n in noms if n.kind == NominationKind.WINDOW]
            people = [n for n in noms if n.kind == NominationKind.INDIVIDUAL]
            out.expected[("province", "window_summary", stage)] = [window_row(i, n) for i, n in enumerate(windows, 1)]
            out.expected[("province", "individual_summary", stage)] = [
                person_row(i, n, today) for i, n in enumerate(people, 1)]
            for form in rendering.PROVINCE_FORMS:
                out.docs[("province", form, stage)] = rendering.province_file(campaign, form, stage).data
            for n in noms:
                for form, kind in context.NOMINATION_FORM_KIND.items():
                    if n.kind == kind:
                        out.nominee_docs[(n.name, form)] = rendering.nomination_file(n, form).data
                out.nominee_facts[n.name] = {
                    "id_number": n.id_number, "has_photo": n.photo is not None, "work_unit": n.work_unit,
                    "opinions": {o.slot.value: (o.text, o.signer_name, o.signed_on) for o in n.opinions
                                 if o.status.value == "signed"}}
        out.zips["province"] = b"".join(bundle.province_bundle(campaign, "formal").stream())
        out.pooled = workers.pool() is not None  # the bundle above was rendered by worker processes
        saved = os.environ.get("NOMINATE_BUNDLE_WORKERS")
        os.environ["NOMINATE_BUNDLE_WORKERS"] = "0"
        try:
            out.zips["province in process"] = b"".join(bundle.province_bundle(campaign, "formal").stream())
        finally:
            os.environ.pop("NOMINATE_BUNDLE_WORKERS")
            if saved is not None:
                os.environ["NOMINATE_BUNDLE_WORKERS"] = saved
        taiyuan = db.session.scalar(db.select(CityBatch).join(Organisation).where(Organisation.code == "taiyuan"))
        out.zips["taiyuan"] = b"".join(bundle.batch_bundle(taiyuan, "preliminary").stream())
        db.session.remove()
    yield out
    _clear(app)


def all_texts(document):
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return parts


def test_no_template_tags_left_in_any_document(demo):
    documents = list(demo.docs.items()) + list(demo.nominee_docs.items())
    assert len(documents) > 40
    for key, data in documents:
        if key[1].endswith("_xlsx"):
            continue
        for text in all_texts(docx.Document(io.BytesIO(data))):
            assert not any(m in text for m in JINJA_MARKERS), f"{key}: {text!r}"


def table_rows(data, header_rows):
    table = docx.Document(io.BytesIO(data)).tables[0]
    return leaf_headers(table, header_rows), [[c.text for c in unique_cells(table, r)] for r in
                                               table.rows[header_rows:]]


@pytest.mark.parametrize("form,header_rows,seed_header", [("window_summary", 2, SEED_WINDOW_HEADER),
                                                           ("individual_summary", 1, SEED_INDIVIDUAL_HEADER)])
@pytest.mark.parametrize("scope", ["taiyuan", "jincheng", "province"])
@pytest.mark.parametrize("stage", ["preliminary", "formal"])
def test_summary_holds_the_database_rows_in_rank_order(demo, form, header_rows, seed_header, scope, stage):
    header, rows = table_rows(demo.docs[(scope, form, stage)], header_rows)
    assert header == seed_header
    expected = demo.expected[(scope, form, stage)]
    if form == "individual_summary":  # 学历 over 学位 in the Word cell (a line break, never a break inside a word)
        expected = [[*r[:5], r[5].replace(" ", "\n"), *r[6:]] for r in expected]
    assert rows == expected


def test_summary_remarks_carry_the_registers_honours_in_official_wording(demo):
    """附件6 备注 of 太原's 张晓梅 and 附件5 备注 of 太原's hall come from the demo's honours register."""
    _, people = table_rows(demo.docs[("taiyuan", "individual_summary", "preliminary")], 1)
    zhang = next(r for r in people if r[1] == "张晓梅")
    assert zhang[-1] == ("2020年在全省人社窗口单位业务技能练兵比武全省赛中获全省人社“知识通”称号；"
                         "2020年全省人社窗口单位业务技能练兵比武全省赛个人第三名")
    _, windows = table_rows(demo.docs[("taiyuan", "window_summary", "preliminary")], 2)
    assert "全省赛团体一等奖" in windows[0][-1]


def test_province_lists_cities_in_campaign_order(demo):
    rows = demo.expected[("province", "window_summary", "preliminary")]
    assert len(rows) == 11  # the demo's selection
    units = [r[7] for r in rows]
    assert units[0].startswith("太原") and units[-1].startswith("晋中")


@pytest.mark.parametrize("form,title", [("window_summary_xlsx", "优质服务窗口推荐对象汇总表"),
                                        ("individual_summary_xlsx", "优质服务先进个人推荐对象汇总表")])
@pytest.mark.parametrize("scope", ["taiyuan", "province"])
def test_xlsx_summary_has_title_headers_and_rank_order(demo, form, title, scope):
    ws = openpyxl.load_workbook(io.BytesIO(demo.docs[(scope, form, "formal")])).active
    values = [[("" if v is None else str(v)) for v in row] for row in ws.iter_rows(values_only=True)]
    number = "5" if form == "window_summary_xlsx" else "6"
    assert values[0][0] == f"附件{number}" and title in values[1][0]
    assert values[2][0].startswith("推荐单位（盖章）：") and any(v.startswith("填表日期：") for v in values[2])
    if form == "window_summary_xlsx":
        header = [f"{a} {b}" if b and b != a else a for a, b in zip(values[3], values[4])]
        # merged group cells read back empty after their first column
        header = [h if not h.startswith(" ") else "窗口负责人" + h for h in header]
        expected_header, first, notes = SEED_WINDOW_HEADER, 5, SEED_WINDOW_NOTES
    else:
        header, expected_header, first, notes = values[3], SEED_INDIVIDUAL_HEADER, 4, SEED_INDIVIDUAL_NOTES
    assert header == expected_header
    expected = demo.expected[(scope, form.removesuffix("_xlsx"), "formal")]
    assert values[first:first + len(expected)] == expected
    # the seed's 注1–4 verbatim under the rows, then the contacts
    after = [row[0].lstrip("\u3000") for row in values[first + len(expected):] if row[0]]
    assert after[:4] == notes and after[4].startswith("联系人：")
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == f"$4:${first}"  # ``first`` counts from 0: the last header row, from 1
    for r in range(4, first + 1):  # header rows tall enough for their wrapped labels (never the 15 pt default)
        assert ws.row_dimensions[r].height >= 19
    # a column is as wide as its Word twin: 姓名 is narrow, 备注 and 工作单位 wide
    widths = {h: ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width for i, h in enumerate(header)}
    if form == "individual_summary_xlsx":
        assert widths["姓名"] < 8 < widths["身份证号"] and widths["备注"] >= 18
    assert sum(widths.values()) < 145  # fits A4 landscape near 100 %: the text prints at a legible size


def test_individual_approval_prints_identity_and_photo(demo):
    for name, facts in demo.nominee_facts.items():
        if (name, "individual_approval") not in demo.nominee_docs:
            continue
        document = docx.Document(io.BytesIO(demo.nominee_docs[(name, "individual_approval")]))
        text = "".join(all_texts(document))
        assert facts["id_number"] in text and name in text and facts["work_unit"] in text
        images = [r for r in document.part.rels.values() if "image" in r.reltype]
        assert bool(images) == facts["has_photo"]


def test_opinion_form_rows_hold_the_signed_opinions(demo):
    signed = {n: f for n, f in demo.nominee_facts.items() if f["opinions"]}
    assert signed, "the demo has signed opinions"
    for name, facts in signed.items():
        text = "".join(all_texts(docx.Document(io.BytesIO(demo.nominee_docs[(name, "opinion_form")]))))
        for body, signer, day in facts["opinions"].values():
            assert body in text and signer in text and format_date(day) in text


def test_reports_carry_the_counts_and_ranking(demo):
    text = "".join(all_texts(docx.Document(io.BytesIO(demo.docs[("taiyuan", "preliminary_report", "preliminary")]))))
    assert "太原市人社局高度重视" in text  # the city's own prose
    for row in demo.expected[("taiyuan", "window_summary", "preliminary")]:
        assert row[1] in text


def test_province_bundle_names_and_entries(demo):
    archive = zipfile.ZipFile(io.BytesIO(demo.zips["province"]))
    names = archive.namelist()
    assert names[:8] == ["山西省/00 目录.docx", "山西省/正式推荐工作报告.docx", "山西省/附件5 优质服务窗口推荐对象汇总表.docx",
                         "山西省/附件6 优质服务先进个人推荐对象汇总表.docx", "山西省/附件5 优质服务窗口推荐对象汇总表.xlsx",
                         "山西省/附件6 优质服务先进个人推荐对象汇总表.xlsx", "山西省/推荐对象基本情况和主要事迹.docx",
                         "山西省/简要事迹.docx"]
    # one 公示报样 per provincial publicity period, named by its dates
    assert [n for n in names if "公示报样" in n] == ["山西省/公示报样（2021年9月13日至9月17日）.docx",
                                                     "山西省/公示报样（2021年10月18日至10月22日）.docx"]
    # file names carry the 序号 of the 汇总表, so a folder lists them in rank order
    assert "山西省/太原市/附件3 优质服务先进个人推荐审批表/01 张晓梅.docx" in names
    assert "山西省/晋城市/附件4 优质服务先进个人征求意见表/01 李秀英.docx" in names
    # the ID photo as a file (姓名-单位.jpg), the electronic copy the seed asks for
    photos = [n for n in names if n.endswith(".jpg")]
    assert "山西省/晋城市/照片/01 李秀英-山西省晋城市泽州县人力资源和社会保障局人事考试窗口.jpg" in photos
    assert all(archive.read(n)[:3] == b"\xff\xd8\xff" for n in photos)  # JPEG
    contents = [p.text for p in docx.Document(io.BytesIO(archive.read("山西省/00 目录.docx"))).tables[0]._cells]
    assert [n.split("/", 1)[1] for n in names[1:]] == contents[3::2]
    for name in names:
        data = archive.read(name)
        if name.endswith(".docx"):
            docx.Document(io.BytesIO(data))
        elif name.endswith(".xlsx"):
            openpyxl.load_workbook(io.BytesIO(data))
        else:
            assert name.endswith(".jpg")


def _xml_parts(data: bytes) -> dict[str, bytes]:
    """A DOCX's or XLSX's XML parts, but for docProps/core.xml (openpyxl stamps it with the time)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n.endswith((".xml", ".rels")) and n != "docProps/core.xml"}


def test_bundle_from_worker_processes_equals_the_one_rendered_in_process(demo):
    assert demo.pooled, "the province bundle should have been rendered by worker processes"
    pooled = zipfile.ZipFile(io.BytesIO(demo.zips["province"]))
    local = zipfile.ZipFile(io.BytesIO(demo.zips["province in process"]))
    assert pooled.namelist() == local.namelist()  # same names, same order
    for name in local.namelist():
        if name.endswith((".docx", ".xlsx")):
            assert _xml_parts(pooled.read(name)) == _xml_parts(local.read(name)), name
        else:
            assert pooled.read(name) == local.read(name), name
        # DOCX, XLSX and photos stored as they are, not deflated again
        assert pooled.getinfo(name).compress_type == zipfile.ZIP_STORED, name


def _bundle_matches_documents_alone(archive: zipfile.ZipFile, folder: str, scope: str, demo) -> int:
    """Each document of a 正式 bundle (made with what its forms share read once: lists, honours, templates)
    has the XML parts of the same document downloaded alone (``rendering.*_file``: read for that one form)."""
    compared = 0
    title = {rendering.form_title(f) + rendering.extension(f): f for f in rendering.BATCH_FORMS}
    per_nominee = {rendering.form_title(f): f for f in context.NOMINATION_FORMS}
    notices = [n for n in archive.namelist() if "公示报样" in n]
    for name in archive.namelist():
        parts = name.split("/")
        if name.endswith("目录.docx") or name.endswith(".jpg"):
            continue
        if len(parts) == 2 and parts[1] in title:  # report, 汇总表, 事迹
            alone = demo.docs[(scope, title[parts[1]], "formal")]
        elif name in notices:  # downloaded alone: the newest period's notice
            if name != notices[-1]:
                continue
            alone = demo.docs[(scope, "publicity_notice", "formal")]
        else:  # <folder>/[<city>/]<form>/<seq> <name>.docx
            form = per_nominee[parts[-2]]
            alone = demo.nominee_docs[(parts[-1].removesuffix(".docx").split(" ", 1)[1], form)]
        assert _xml_parts(archive.read(name)) == _xml_parts(alone), name
        compared += 1
    return compared


def test_bundle_documents_equal_the_same_documents_rendered_alone(demo, app):
    province = zipfile.ZipFile(io.BytesIO(demo.zips["province"]))
    assert _bundle_matches_documents_alone(province, "山西省", "province", demo) >= 20
    with app.app_context():
        jincheng = db.session.scalar(db.select(CityBatch).join(Organisation).where(Organisation.code == "jincheng"))
        city = zipfile.ZipFile(io.BytesIO(b"".join(bundle.batch_bundle(jincheng, "formal").stream())))
        db.session.remove()
    assert _bundle_matches_documents_alone(city, "晋城市", "jincheng", demo) >= 8


def test_a_bundle_streamed_again_takes_every_document_from_the_document_cache(demo, app, monkeypatch):
    from nominate.caching import cache

    monkeypatch.setitem(app.config, "DOCUMENT_CACHE", True)
    with app.app_context():
        cache.clear()
        campaign = db.session.scalars(db.select(Campaign)).one()
        first = b"".join(bundle.province_bundle(campaign, "formal").stream())  # worker processes, cache empty

        def no_rendering(*_a, **_k):
            raise AssertionError("rendered again although unchanged")

        monkeypatch.setattr(rendering, "render_prepared", no_rendering)
        monkeypatch.setenv("NOMINATE_BUNDLE_WORKERS", "0")
        again = b"".join(bundle.province_bundle(campaign, "formal").stream())
        cache.clear()
        db.session.remove()
    first, again = zipfile.ZipFile(io.BytesIO(first)), zipfile.ZipFile(io.BytesIO(again))
    assert first.namelist() == again.namelist()
    for name in first.namelist():
        if not name.endswith("目录.docx"):
            assert first.read(name) == again.read(name), name


def test_city_preliminary_bundle_names(demo):
    names = zipfile.ZipFile(io.BytesIO(demo.zips["taiyuan"])).namelist()
    assert names == ["太原市/00 目录.docx", "太原市/初审推荐工作报告.docx", "太原市/附件5 优质服务窗口推荐对象汇总表.docx",
                     "太原市/附件6 优质服务先进个人推荐对象汇总表.docx", "太原市/附件5 优质服务窗口推荐对象汇总表.xlsx",
                     "太原市/附件6 优质服务先进个人推荐对象汇总表.xlsx", "太原市/推荐对象基本情况和主要事迹.docx",
                     "太原市/简要事迹.docx"]


def test_deeds_materials_hold_each_nominees_facts_and_deeds_in_order(demo):
    """初审材料 also lists 基本情况和主要事迹 and 简要事迹 (seed 004): every nominee, windows first, by rank."""
    windows = [r[1] for r in demo.expected[("taiyuan", "window_summary", "preliminary")]]
    people = [r[1] for r in demo.expected[("taiyuan", "individual_summary", "preliminary")]]
    ranked = windows + people
    archive = zipfile.ZipFile(io.BytesIO(demo.zips["taiyuan"]))
    main = docx.Document(io.BytesIO(archive.read("太原市/推荐对象基本情况和主要事迹.docx")))
    text = [p.text for p in main.paragraphs if p.text.strip()]
    assert [t for t in text if t in ranked] == ranked
    facts = text[text.index("张晓梅") + 3]
    assert facts.startswith("张晓梅，女，汉族，1985年3月生，中共党员，大学本科 管理学学士，2008年7月参加工作")
    # 工作单位 and 职务 joined without printing 社保经办窗口 twice (it read …窗口社保经办窗口科员)
    assert "现任山西省太原市迎泽区人力资源和社会保障局社保经办窗口科员（科员）" in facts
    assert any(t.startswith("张晓梅同志深入学习贯彻") for t in text)
    assert not any("{{" in t or "{%" in t for t in text)
    brief = docx.Document(io.BytesIO(archive.read("太原市/简要事迹.docx")))
    btext = [p.text for p in brief.paragraphs if p.text.strip()]
    # the title in lines, then 一、窗口 and 二、个人, each numbered from 1; a person with unit and 职务
    assert btext[:3] == ["全国人力资源社会保障系统", "优质服务窗口和优质服务先进个人", "推荐对象简要事迹"]
    assert btext[4:6] == [f"一、优质服务窗口（{len(windows)}个）", f"1. {windows[0]}"]
    assert f"二、优质服务先进个人（{len(people)}名）" in btext
    assert btext[-2] == "1. 张晓梅（女），山西省太原市迎泽区人力资源和社会保障局社保经办窗口科员"
    assert btext[-1].startswith("张晓梅同志围绕")


@pytest.mark.libreoffice
def test_printed_opinion_form_fits_one_page_and_summary_is_landscape(demo, tmp_path):
    soffice_or_skip()
    name = next(n for n, f in demo.nominee_facts.items() if f["opinions"])
    for key, data in (("opinion_form", demo.nominee_docs[(name, "opinion_form")]),
                      ("individual_summary", demo.docs[("province", "individual_summary", "formal")])):
        path = tmp_path / f"{key}.pdf"
        path.write_bytes(pdf.to_pdf(data, f"{key}.docx"))
        pages, size = pdf_pages(path)
        if key == "opinion_form":
            assert pages == 1, "附件4 must fit on one A4 page"
            assert size and size[0] < size[1]
        else:
            assert 1 <= pages <= 2 and size and size[0] > size[1]
