"""The city's batch dashboard tells the truth (issue 14): 报送初审材料 is offered only when the submission's
permission and every guard pass today (the readiness check), else the blockers are shown in words; the
"最近报送" line shows the latest submission, not the first."""
from __future__ import annotations

import datetime as dt
import re

from nominate.batches import operations as bops
from nominate.workflow.engine import fire_event
from tests.factories import refused

REPORT = "太原市推荐工作经局党组研究决定。"


def test_without_a_report_the_submit_button_is_not_offered_and_the_blocker_is_named(f, walk, db, login):
    a = walk.to(f.window(window_level="township", window_name="小店区社保所"), "city_recommended")
    db.session.commit()
    html = login(f.city()).get("/batches/").get_data(as_text=True)
    assert f'action="/batches/{a.batch_id}/submit"' not in html
    assert "报送初审材料：今天还不能办理" in html and "报送前须填写初审推荐工作报告" in html
    # the blocker named is true: the operation refuses for that reason
    refused(db, lambda: bops.submit_city_batch(a.batch, f.city()), "report_missing")

    bops.set_batch_report(a.batch, f.city(), report_text=REPORT)
    db.session.commit()
    html = login(f.city()).get("/batches/").get_data(as_text=True)
    assert f'action="/batches/{a.batch_id}/submit"' in html and "今天还不能办理" not in html


def test_a_missing_grassroots_window_blocks_the_submission_in_words(f, walk, db, login):
    a = walk.to(f.window(window_level="city", window_name="太原市政务大厅"), "city_recommended")
    bops.set_batch_report(a.batch, f.city(), report_text=REPORT)
    db.session.commit()
    html = login(f.city()).get("/batches/").get_data(as_text=True)
    assert f'action="/batches/{a.batch_id}/submit"' not in html
    assert "今天还不能办理" in html and "须至少有" in html
    refused(db, lambda: bops.submit_city_batch(a.batch, f.city()), "grassroots_window_missing")


def _recent_line(html: str) -> str:
    return re.search(r"最近报送：([^<]*)<", html).group(1)


def test_recent_submission_line_shows_the_latest_submission(f, walk, db, login, clock):
    a = walk.to(f.window(window_level="township", window_name="小店区社保所"), "city_recommended")
    bops.set_batch_report(a.batch, f.city(), report_text=REPORT)
    db.session.commit()
    first = dt.date.fromisoformat(str(clock.today))
    bops.submit_city_batch(a.batch, f.city())
    db.session.commit()
    html = login(f.city()).get("/batches/").get_data(as_text=True)
    assert f"{first.month}月{first.day}日" in _recent_line(html)

    fire_event(a, "return_to_city", f.office, comment="主要事迹缺少近三年服务数据")
    db.session.commit()
    later = first + dt.timedelta(days=3)
    clock.set(later.isoformat())
    fire_event(a, "resubmit", f.city())
    db.session.commit()
    assert len(a.batch.snapshots) == 2
    line = _recent_line(login(f.city()).get("/batches/").get_data(as_text=True))
    assert f"{later.month}月{later.day}日" in line and f"{first.month}月{first.day}日" not in line
