"""Issue 14, defect 9: chart and timeline labels fit their room (abbreviated with the full text on hover), and the
dates beside the timeline's marks stay inside the chart."""
import datetime as dt
import re

from nominate.core.charts import bar_chart, text_width, timeline_chart

LONG = "乡镇（街道）、社区就业和社会保险服务所（站）"


def _texts(svg: str):
    """(x, anchor, shown text, hover text or None) of every <text>."""
    out = []
    for m in re.finditer(r'<text x="([\d.]+)" y="[\d.]+"([^>]*)>(?:<title>(.*?)</title>)?(.*?)</text>', svg):
        anchor = re.search(r'text-anchor="(\w+)"', m.group(2))
        out.append((float(m.group(1)), anchor.group(1) if anchor else "start", m.group(4), m.group(3)))
    return out


def test_a_long_bar_label_is_abbreviated_and_keeps_its_full_text_on_hover():
    svg = str(bar_chart([(LONG, 3), ("社会保险经办", 5)], title="窗口类别"))
    texts = _texts(svg)
    long_label = next(t for t in texts if t[3] == LONG)
    assert long_label[2].endswith("…") and long_label[2] != LONG
    assert text_width(long_label[2]) <= long_label[0]  # right-aligned at x: it starts at or after 0
    short = next(t for t in texts if t[2] == "社会保险经办")
    assert short[3] is None  # a label that fits is shown whole, without a tooltip


def test_timeline_labels_and_dates_stay_inside_the_chart():
    today = dt.date(2021, 10, 20)
    rows = [{"label": "正式推荐材料报送", "start": None, "end": dt.date(2021, 11, 30), "kind": "deadline"},
            {"label": "本单位公示：小店区人力资源和社会保障局社保经办大厅", "start": dt.date(2021, 8, 2),
             "end": dt.date(2021, 8, 6), "kind": "period", "level": "unit"},
            {"label": "全国公示：太原市社会保险中心等12个", "start": dt.date(2021, 11, 22),
             "end": dt.date(2021, 11, 26), "kind": "period", "level": "national"}]
    width = 1100
    svg = str(timeline_chart(rows, today=today, title="日程", width=width))
    for x, anchor, shown, hover in _texts(svg):
        w = text_width(shown)
        left, right = (x - w, x) if anchor == "end" else (x, x + w)
        assert left >= 0 and right <= width, f"{shown!r} runs off the chart ({left:.0f}–{right:.0f})"
    assert any(hover == rows[1]["label"] for *_, hover in _texts(svg))


def test_a_grouped_timeline_row_keeps_its_count_and_lists_every_name_on_hover(login, f, walk, db):
    """"本单位公示：太原市人力资源和…等2个": the count survives the abbreviation, the names are on hover."""
    walk.to(f.window(window_name="太原市小店区人力资源和社会保障局社会保险经办服务大厅"), "city_review")
    walk.to(f.window("datong", window_name="大同市平城区新旺乡劳动就业和社会保障服务所"), "city_review")
    html = login(f.office).get("/timeline").get_data(as_text=True)
    row = re.search(r'<text x="[\d.]+" y="[\d.]+" text-anchor="end"><title>(本单位公示：[^<]*)</title>([^<]*)</text>', html)
    assert row and row.group(2).endswith("…等2个")
    assert "太原市小店区人力资源和社会保障局社会保险经办服务大厅、大同市平城区新旺乡" in row.group(1)
