"""One way from a stored time to a date (Asia/Shanghai): the city, 各市报送, the API and the documents agree,
also across the day boundary (issue 14, defect 3: 10月20日 to the city, 10月21日 on 各市报送)."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from nominate.batches import operations as bops
from nominate.core import clock as nclock

UTC = dt.timezone.utc
ROOT = Path(__file__).resolve().parents[2] / "nominate"


@pytest.mark.parametrize("stored, day", [
    (dt.datetime(2021, 10, 20, 16, 30, tzinfo=UTC), dt.date(2021, 10, 21)),   # 00:30 in Shanghai
    (dt.datetime(2021, 10, 20, 15, 59, tzinfo=UTC), dt.date(2021, 10, 20)),   # 23:59 in Shanghai
    (dt.datetime(2021, 10, 20, 23, 59), dt.date(2021, 10, 20)),               # SQLite: the Shanghai wall time
    (dt.datetime(2021, 10, 21, 0, 30), dt.date(2021, 10, 21)),
    (dt.date(2021, 10, 20), dt.date(2021, 10, 20)),
    (None, None),
])
def test_local_day_at_the_day_boundary(stored, day):
    assert nclock.local_day(stored) == day


def test_local_time_is_shanghai_with_its_offset():
    t = nclock.local_time(dt.datetime(2021, 10, 20, 16, 30, tzinfo=UTC))
    assert (t.day, t.hour, t.minute, t.utcoffset()) == (21, 0, 30, dt.timedelta(hours=8))
    assert nclock.local_time(dt.datetime(2021, 10, 20, 23, 59)).utcoffset() == dt.timedelta(hours=8)


@pytest.mark.parametrize("utc_time, shown", [
    (dt.datetime(2021, 10, 20, 16, 30, tzinfo=UTC), "2021年10月21日"),
    (dt.datetime(2021, 10, 20, 9, 0, tzinfo=UTC), "2021年10月20日"),    # 17:00 in Shanghai
    (dt.datetime(2021, 10, 20, 15, 30, tzinfo=UTC), "2021年10月20日"),   # 23:30 in Shanghai
])
def test_city_province_and_api_show_the_same_submission_day(f, walk, db, clock, login, client, utc_time, shown):
    nom = walk.to(f.window(window_level="township"), "city_recommended")
    bops.set_batch_report(nom.batch, f.city(), report_text="报告")
    bops.submit_city_batch(nom.batch, f.city())
    # stored the way the app writes every time: clock.now() is Shanghai time
    nom.batch.submitted_at = utc_time.astimezone(nclock.SHANGHAI)
    db.session.commit()
    db.session.expire_all()
    clock.set("2021-10-22")

    city_page = login(f.city()).get("/batches/").get_data(as_text=True)
    assert f"最近报送：{shown}" in city_page
    row = login(f.office).get("/province/batches").get_data(as_text=True)
    taiyuan = row[row.index("太原市"):]
    assert re.search(r"<td>(\d{4}年\d+月\d+日)</td>", taiyuan).group(1) == shown
    token = f.token(f.city())
    body = client.get(f"/api/v1/batches/{nom.batch_id}", headers={"Authorization": f"Bearer {token}"}).get_json()
    local = utc_time.astimezone(nclock.SHANGHAI)
    assert body["submitted_at"] == local.isoformat()
    from nominate.documents.context import batch_day

    assert batch_day(nom.batch, "preliminary") == local.date()


def test_no_other_module_converts_stored_times_itself():
    """``astimezone``/``strftime`` of a stored time only in core/clock.py (the one function), and every API time
    through ``LocalDateTime`` (which asks it), so no page or API answer can show a UTC day again."""
    offenders = []
    for path in ROOT.rglob("*"):
        if path.suffix not in (".py", ".html") or path.name == "clock.py":
            continue
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            if ".astimezone(" in line or re.search(r"_at\.strftime|\bat\.strftime|_at\.date\(\)|fields\.DateTime\(", line):
                if "local_time(" not in line:
                    offenders.append(f"{path.relative_to(ROOT)}: {line.strip()}")
    assert offenders == []
