"""Every kind of document of the demo, printed: LibreOffice renders them to PDF (one process for all, a
fixed budget), poppler reads each page back, and the tests look for what an official would otherwise fix
by hand before printing: a phrase printed twice, an empty contact, a heading alone at the foot of a page,
a date after its deadline or on the download day, 附件6 rows that need more than a page for three, an
.xlsx without its notes or shrunk to an unreadable size.

The PDFs are kept in $NOMINATE_TEST_ARTIFACTS/documents (``scripts/document-pages`` turns them into the PNG
pages of docs/screenshots/documents/).
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import time
from pathlib import Path

import pytest

from form_templates import format_date, render_docx
from nominate.batches.models import CityBatch
from nominate.campaigns.models import Campaign
from nominate.demo.data import build_demo
from nominate.documents import bundle, context, rendering
from nominate.extensions import db
from nominate.nominations.models import Nomination
from nominate.organisations.models import Organisation
from tests.conftest import _clear
from tests.documents.test_templates import soffice_or_skip

pytestmark = pytest.mark.libreoffice

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("NOMINATE_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "documents"
DOWNLOAD_DAY = dt.date(2021, 12, 1)  # the clock when the documents are made: no event happened on it
BUDGET_SECONDS = 240  # LibreOffice for all documents, in one process (CI: 2 cores)
HEADING = re.compile(r"^[一二三四五六七八九十]、")
ITEM = re.compile(r"^\d+\.\s*[\u4e00-\u9fff]")  # 1. 太原市…大厅: a nominee's heading in 公示报样 / 简要事迹
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def _pages(pdf: Path) -> list[str]:
    """Each page's text in the order it was drawn, cell by cell (poppler's pdftotext -raw, pages split at
    form feeds): a table's columns are not interleaved as in a layout dump."""
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def _word_heights(pdf: Path) -> list[float]:
    """Height in points of every word box: the printed size of the text."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [float(m.group(2)) - float(m.group(1))
            for m in re.finditer(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">', html)]


@pytest.fixture(scope="module")
def printed(app, tmp_path_factory):
    """The demo's documents of every kind as PDF pages: {name: [page text, …]}, plus the facts to check."""
    soffice = soffice_or_skip()
    if not shutil.which("pdftotext"):
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext is not on PATH but CI=true: install poppler-utils")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    _clear(app)
    work = tmp_path_factory.mktemp("printed")
    files, facts = {}, {}
    with app.app_context():
        build_demo()
        app.config["NOMINATE_TODAY"] = DOWNLOAD_DAY.isoformat()
        campaign = db.session.scalars(db.select(Campaign)).one()
        taiyuan = db.session.scalar(db.select(CityBatch).join(Organisation).where(Organisation.code == "taiyuan"))
        jincheng = db.session.scalar(db.select(CityBatch).join(Organisation).where(Organisation.code == "jincheng"))
        for form in ("preliminary_report", "window_summary", "individual_summary", "main_deeds", "brief_deeds",
                     "contact_form", "window_summary_xlsx", "individual_summary_xlsx"):
            files[f"太原 {form}"] = rendering.batch_file(taiyuan, form, "preliminary")
        files["太原 formal_report"] = rendering.batch_file(taiyuan, "formal_report", "formal")
        for form in ("preliminary_report", "individual_summary", "individual_summary_xlsx"):
            files[f"山西 {form}"] = rendering.province_file(campaign, form, "preliminary")
        files["山西 formal_report"] = rendering.province_file(campaign, "formal_report", "formal")
        province_notices = context.publicity_notices(campaign, campaign.province,
                                                     context.province_nominees(campaign, "formal"), "province")
        for i, ctx in enumerate(province_notices, start=1):
            files[f"山西 publicity_notice {i}"] = rendering.RenderedFile("n.docx", "", render_docx("publicity_notice", ctx))
        city_notices = context.publicity_notices(campaign, taiyuan.organisation,
                                                 context.batch_nominees(taiyuan, "formal"), "batch")
        files["太原 publicity_notice"] = rendering.RenderedFile("n.docx", "", render_docx("publicity_notice",
                                                                                          city_notices[-1]))
        li = db.session.scalar(db.select(Nomination).where(Nomination.person_name == "李秀英"))
        window = next(n for n in jincheng.nominations if n.is_window)
        files["晋城 opinion_form"] = rendering.nomination_file(li, "opinion_form")
        files["晋城 individual_approval"] = rendering.nomination_file(li, "individual_approval")
        files["晋城 window_approval"] = rendering.nomination_file(window, "window_approval")
        long_window = max((n for n in context.province_nominees(campaign, "formal") if n.is_window),
                          key=lambda n: len(n.window_name))
        files["长名 window_approval"] = rendering.nomination_file(long_window, "window_approval")
        facts["long_window"] = (long_window.window_name, long_window.owner_org.name)
        files["太原 contents"] = rendering.RenderedFile("c.docx", "", bundle.batch_bundle(taiyuan, "preliminary")
                                                        .entries[0][1]())
        # 附件6 of nine realistic rows: the province's people, each row as the demo prints it
        people = [context.person_dict(n, i) for i, n in enumerate(
            [n for n in context.province_nominees(campaign, "preliminary") if not n.is_window] * 3, start=1)][:9]
        ctx = context.individual_summary(campaign.province, [], context.local_day(taiyuan.submitted_at))
        ctx["rows"] = people
        files["九行 individual_summary"] = rendering.RenderedFile("s.docx", "", render_docx("individual_summary", ctx))
        facts["nine_ids"] = [r["id_number"] for r in people]
        facts["taiyuan_submitted"] = context.local_day(taiyuan.submitted_at)
        facts["deadlines"] = {d.key: d.due_date for d in campaign.deadlines}
        facts["contacts"] = {k: getattr(taiyuan.organisation, k) for k in (
            "leader_name", "leader_position", "leader_phone", "leader_mobile", "contact_name", "contact_position",
            "contact_phone", "contact_mobile", "fax", "email", "address", "postcode")}
        facts["province_periods"] = [c["period_text"] for c in province_notices]
        facts["province_office"] = campaign.config["province"]["office"]
        db.session.remove()
    sources = []
    for key, f in files.items():
        path = work / f"{key}{Path(f.filename).suffix or '.docx'}"
        if f.filename.endswith(".xlsx"):
            path = work / f"{key}.xlsx"
        path.write_bytes(f.data)
        sources.append(path)
    started = time.monotonic()
    subprocess.run([soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(work), *map(str, sources)],
                   check=True, capture_output=True, timeout=BUDGET_SECONDS)
    facts["seconds"] = time.monotonic() - started
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pages, pdfs = {}, {}
    for source in sources:
        pdf = source.with_suffix(".pdf")
        assert pdf.exists(), f"LibreOffice made no PDF of {source.name}"
        shutil.copy(pdf, ARTIFACTS / pdf.name)
        pages[source.stem], pdfs[source.stem] = _pages(pdf), pdf
    yield {"pages": pages, "pdfs": pdfs, "facts": facts}
    _clear(app)


def test_all_documents_print_within_the_budget(printed):
    assert len(printed["pages"]) >= 20
    assert printed["facts"]["seconds"] < BUDGET_SECONDS


@pytest.mark.parametrize("name,low,high", [
    ("太原 preliminary_report", 2, 4), ("太原 formal_report", 2, 5), ("山西 preliminary_report", 2, 6),
    ("山西 formal_report", 3, 8), ("太原 window_summary", 1, 1), ("太原 individual_summary", 1, 1),
    ("山西 individual_summary", 1, 2), ("九行 individual_summary", 2, 3), ("太原 contact_form", 1, 1),
    ("晋城 opinion_form", 1, 1), ("晋城 window_approval", 4, 6), ("长名 window_approval", 4, 6), ("晋城 individual_approval", 4, 6),
    ("太原 main_deeds", 3, 6), ("太原 brief_deeds", 1, 2), ("山西 publicity_notice 1", 2, 5),
    ("太原 publicity_notice", 1, 2), ("太原 contents", 1, 1), ("太原 window_summary_xlsx", 1, 1),
    ("太原 individual_summary_xlsx", 1, 1), ("山西 individual_summary_xlsx", 1, 2),
])
def test_page_counts(printed, name, low, high):
    assert low <= len(printed["pages"][name]) <= high, f"{name}: {len(printed['pages'][name])} pages"


def test_nothing_reads_none_and_no_phrase_is_printed_twice_in_a_row(printed):
    for name, pages in printed["pages"].items():
        for n, page in enumerate(pages, start=1):
            assert "None" not in page, f"{name} p.{n}"
            # lines without their spaces; a phrase repeated at once, also across a wrapped line (a heading
            # followed by a paragraph that starts with the same name is two paragraphs, not a repeat)
            text = "\n".join(re.sub(r"\s+", "", ln) for ln in page.splitlines())
            for m in re.finditer(r"([\u4e00-\u9fff]{4,})(\n?)\1", text):
                assert m.group(2), f"{name} p.{n}: {m.group(0)}"


def test_no_contact_is_empty(printed):
    facts = printed["facts"]["contacts"]
    assert all(facts.values()), facts
    for name, pages in printed["pages"].items():
        text = "".join(pages)
        for label in ("联系人", "联系电话", "传真", "通讯地址"):
            assert not re.search(label + r"：\s*([，,）)]|\n|$)", text), f"{name}: {label} is empty"
    contact = "".join(printed["pages"]["太原 contact_form"])
    flat = re.sub(r"\s+", "", contact)
    for key, value in facts.items():
        assert re.sub(r"\s+", "", value) in flat, f"附件7 lacks {key}"
    for name in ("太原 window_summary", "太原 individual_summary", "太原 preliminary_report"):
        assert facts["contact_name"] in "".join(printed["pages"][name]) and facts["contact_phone"] in \
            "".join(printed["pages"][name])


def test_no_heading_is_left_alone_at_the_foot_of_a_page(printed):
    for name, pages in printed["pages"].items():
        for n, page in enumerate(pages[:-1], start=1):
            lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
            body = [ln for ln in lines if not re.fullmatch(r"[—\-\s\d]+", ln)]  # drop the page number
            assert body and not HEADING.match(body[-1]), f"{name} p.{n} ends with the heading {body[-1]!r}"
            if "publicity_notice" in name or "brief_deeds" in name:  # elsewhere "1." numbers instructions
                assert not ITEM.match(body[-1]), f"{name} p.{n} ends with the item heading {body[-1]!r}"
        last = [ln for ln in pages[-1].splitlines() if ln.strip() and not re.fullmatch(r"[—\-\s\d]+", ln.strip())]
        assert not (len(last) == 1 and DATE.search(re.sub(r"\s+", "", last[0]))), f"{name}: the date alone on a page"


def test_every_report_heading_has_its_text(printed):
    for name in ("太原 preliminary_report", "太原 formal_report", "山西 preliminary_report", "山西 formal_report"):
        lines = [ln.strip() for ln in "\n".join(printed["pages"][name]).splitlines() if ln.strip()]
        headings = [i for i, ln in enumerate(lines) if HEADING.match(ln)]
        assert len(headings) >= 5, name
        for i in headings:
            assert not HEADING.match(lines[i + 1]) and len(lines[i + 1]) > 8, f"{name}: {lines[i]} is empty"
    province = "".join(printed["pages"]["山西 preliminary_report"])
    assert "人社部评比表彰工作领导小组：" in re.sub(r"\s+", "", province)


def _dates(text: str) -> list[dt.date]:
    return [dt.date(int(y), int(m), int(d)) for y, m, d in DATE.findall(re.sub(r"\s+", "", text))]


def test_no_date_is_the_download_day_or_after_its_deadline(printed):
    facts = printed["facts"]
    for name, pages in printed["pages"].items():
        assert DOWNLOAD_DAY not in _dates("".join(pages)), f"{name} is dated the day it was downloaded"
    contact_dates = _dates("".join(printed["pages"]["太原 contact_form"]))
    assert contact_dates and min(contact_dates) <= facts["deadlines"]["contact_form"]
    fill = re.search(r"填表日期：(\d{4}年\d{1,2}月\d{1,2}日)",
                     re.sub(r"\s+", "", "".join(printed["pages"]["太原 contact_form"])))
    assert fill and _dates(fill.group(1))[0] <= facts["deadlines"]["contact_form"]
    submitted = format_date(facts["taiyuan_submitted"])
    assert facts["taiyuan_submitted"] <= facts["deadlines"]["preliminary_materials"]
    for name in ("太原 preliminary_report", "太原 window_summary", "太原 individual_summary"):
        assert submitted in re.sub(r"\s+", "", "".join(printed["pages"][name])), f"{name} is not dated {submitted}"


def test_each_publicity_notice_is_one_period_with_its_publisher(printed):
    facts = printed["facts"]
    assert len(facts["province_periods"]) >= 2
    for i, period in enumerate(facts["province_periods"], start=1):
        text = re.sub(r"\s+", "", "".join(printed["pages"][f"山西 publicity_notice {i}"]))
        assert f"公示时间：{period}" in text
        assert all(f"公示时间：{other}" not in text for other in facts["province_periods"] if other != period)
    city = re.sub(r"\s+", "", "".join(printed["pages"]["太原 publicity_notice"]))
    assert facts["province_office"] not in city and "向太原市人力资源和社会保障局反映" in city
    # windows first, then individuals 按姓氏笔画 with （女）
    first = re.sub(r"\s+", "", "".join(printed["pages"]["山西 publicity_notice 1"]))
    assert first.index("一、优质服务窗口") < first.index("二、优质服务先进个人")
    assert "（女）" in first


def test_three_individual_rows_fit_on_one_landscape_page(printed):
    ids = printed["facts"]["nine_ids"]
    pages = printed["pages"]["九行 individual_summary"]
    per_page = [sum(1 for i in set(ids) if i in page) for page in pages]
    assert sum(per_page) >= len(set(ids))
    assert all(n >= 3 for n in per_page[:-1]), per_page
    assert len(pages) <= -(-len(ids) // 3)
    # 学历学位 never breaks inside a word: "管理学学士" stays on one line
    assert all("管理学学士" in page for page in pages if any(i in page for i in ids))


def test_xlsx_prints_its_notes_at_a_legible_size(printed):
    for name in ("太原 window_summary_xlsx", "太原 individual_summary_xlsx", "山西 individual_summary_xlsx"):
        text = re.sub(r"\s+", "", "".join(printed["pages"][name]))
        assert "注：1.根据差额推荐要求" in text and "4.曾获得过省部级以上称号" in text, name
        assert text.startswith("附件") or "附件5" in text or "附件6" in text
        heights = _word_heights(printed["pdfs"][name])
        assert statistics.median(heights) >= 8.0, f"{name}: text prints at {statistics.median(heights):.1f} pt"


def test_fields_stay_on_their_underlined_line(printed):
    """The cover's 窗口名称 and 推荐单位 and 附件4's 单位 each print on one line, on their blank."""
    name, org = printed["facts"]["long_window"]
    assert len(name) >= 21
    cover = [re.sub(r"\s+", "", ln) for ln in printed["pages"]["长名 window_approval"][0].splitlines()]
    assert f"窗口名称：{name}" in cover and f"推荐单位：{org}" in cover, cover
    opinion = [re.sub(r"\s+", "", ln) for ln in printed["pages"]["晋城 opinion_form"][0].splitlines()]
    assert "单位：山西省晋城市泽州县人力资源和社会保障局人事考试窗口" in opinion, opinion


def test_degrees_never_break_inside_a_word(printed):
    """学历学位 prints 学历 over 学位 in 附件3 and 附件6: 管理学学士 is never cut at a line end."""
    for name in ("晋城 individual_approval", "太原 individual_summary", "九行 individual_summary"):
        lines = [re.sub(r"\s+", "", ln) for ln in "\n".join(printed["pages"][name]).splitlines()]
        assert any(ln.endswith("管理学学士") for ln in lines), name
        assert not any(re.search(r"(管|管理|管理学|管理学学)$", ln) for ln in lines), name
