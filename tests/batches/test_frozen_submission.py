"""What was submitted is frozen until the province returns it (issue 14, defect 2): the 初审推荐工作报告, the rank
order and the nominees; the pages do not offer what cannot be done; each submission is kept, and the province
sees what a resubmission changed."""
from __future__ import annotations

import re

from nominate.batches import operations as bops
from nominate.batches.models import BatchSnapshot
from nominate.workflow.engine import fire_event
from tests.factories import refused


def _submitted(f, walk, db):
    a = walk.to(f.window(window_level="township", window_name="小店区社保所"), "city_recommended")
    b = walk.to(f.window(window_level="city", window_name="太原市政务大厅"), "city_recommended")
    bops.set_batch_report(a.batch, f.city(), report_text="太原市推荐工作经局党组研究决定。")
    bops.submit_city_batch(a.batch, f.city())
    db.session.commit()
    return a, b


def test_report_of_a_submitted_batch_is_refused_in_the_operation(f, walk, db):
    a, _ = _submitted(f, walk, db)
    err = refused(db, lambda: bops.set_batch_report(a.batch, f.city(), report_text="改过的报告"), "batch_frozen")
    assert "退回修改前不能更改" in err.message and "初审推荐工作报告" in err.message
    assert a.batch.report_text == "太原市推荐工作经局党组研究决定。"


def test_report_refused_on_the_page_and_in_the_api(f, walk, db, login, client):
    a, _ = _submitted(f, walk, db)
    page = login(f.city())
    r = page.post(f"/batches/{a.batch_id}/report", data={"which": "report_text", "text": "改过的报告"})
    assert r.status_code in (409, 422) and "退回修改前不能更改" in r.get_data(as_text=True)
    token = f.token(f.city())
    r = client.put(f"/api/v1/batches/{a.batch_id}/report", json={"report_text": "改过的报告"},
                   headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "batch_frozen"
    db.session.expire_all()
    assert a.batch.report_text == "太原市推荐工作经局党组研究决定。"


def test_submitted_dashboard_shows_no_report_editor_no_rank_buttons_no_submit(f, walk, db, login):
    a, _ = _submitted(f, walk, db)
    html = login(f.city()).get("/batches/").get_data(as_text=True)
    assert 'name="move"' not in html and "保存顺序" not in html
    assert 'id="report_text"' not in html and "太原市推荐工作经局党组研究决定。" in html
    assert "报送初审材料（" not in html
    assert "退回修改前不能" in html


def test_finished_batch_shows_no_rank_buttons(f, walk, db, login):
    a, b = _submitted(f, walk, db)
    walk.to(a, "province_selected")
    fire_event(b, "reject", f.office, comment="差额评选未入选")
    db.session.commit()
    assert a.batch.state.value == "accepted"
    html = login(f.city()).get("/batches/").get_data(as_text=True)
    assert 'name="move"' not in html and 'id="report_text"' not in html


def test_draft_batch_still_offers_rank_buttons_report_and_submit(f, walk, db, login):
    walk.to(f.window(window_level="township"), "city_recommended")
    b = walk.to(f.window(window_level="city", window_name="市级大厅"), "city_recommended")
    bops.set_batch_report(b.batch, f.city(), report_text="太原市推荐工作经局党组研究决定。")
    db.session.commit()  # the submission's guards pass today (report written): the button is offered
    html = login(f.city()).get("/batches/").get_data(as_text=True)
    assert html.count('name="move"') == 4  # both ways on every row (the page script moves rows)
    assert 'id="report_text"' in html and "报送初审材料（2 个" in html
    assert f'action="/batches/{b.batch_id}/submit"' in html


def test_returned_batch_reopens_the_report(f, walk, db):
    a, _ = _submitted(f, walk, db)
    fire_event(a, "return_to_city", f.office, comment="主要事迹缺少数据，请补充")
    db.session.commit()
    assert a.batch.state.value == "returned"
    bops.set_batch_report(a.batch, f.city(), report_text="补充后的报告")
    db.session.commit()
    assert a.batch.report_text == "补充后的报告"


def test_submitted_nominees_cannot_be_edited_or_reordered(f, walk, db, login):
    a, b = _submitted(f, walk, db)
    r = login(f.city()).post(f"/nominations/{a.id}/edit", data={"window_name": "改名"})
    assert r.status_code == 403
    refused(db, lambda: bops.reorder_batch(a.batch, f.city(), [b.id, a.id]), "rank_locked")


def test_each_submission_is_kept_and_the_province_sees_the_difference(f, walk, db, login):
    a, b = _submitted(f, walk, db)
    snaps = db.session.scalars(db.select(BatchSnapshot).filter_by(batch_id=a.batch_id)).all()
    assert [s.number for s in snaps] == [1]
    assert [(n["rank"], n["name"]) for n in snaps[0].content["nominations"]] == [(1, "小店区社保所"), (2, "太原市政务大厅")]
    assert snaps[0].content["report_text"] == "太原市推荐工作经局党组研究决定。"
    assert snaps[0].content["nominations"][0]["fields"]["窗口名称"] == "小店区社保所"

    fire_event(a, "return_to_city", f.office, comment="主要事迹缺少近三年服务数据")
    db.session.commit()
    from nominate.nominations.operations import update_nomination

    update_nomination(a, f.city(), {"window_name": "小店区社会保险服务所"})
    bops.set_batch_report(a.batch, f.city(), report_text="太原市推荐工作经局党组研究决定，并已补充服务数据。")
    db.session.commit()
    fire_event(a, "resubmit", f.city())
    db.session.commit()
    snaps = db.session.scalars(db.select(BatchSnapshot).filter_by(batch_id=a.batch_id)
                               .order_by(BatchSnapshot.number)).all()
    assert [s.number for s in snaps] == [1, 2]

    html = login(f.office).get(f"/batches/{a.batch_id}").get_data(as_text=True)
    assert "第 2 次报送与第 1 次相比的变化" in html
    assert "<ins>，并已补充服务数据</ins>" in html
    assert re.search(r"<del>小店区社保所</del> → <ins>小店区社会保险服务所</ins>", html)
    board = login(f.office).get("/province/batches").get_data(as_text=True)
    assert "第 2 次报送" in board and f"/batches/{a.batch_id}" in board


def test_one_submission_of_several_nominees_is_one_snapshot(f, walk, db):
    a, b = _submitted(f, walk, db)
    assert db.session.scalar(db.select(db.func.count(BatchSnapshot.id))) == 1


def test_returned_batch_offers_only_the_moves_reorder_accepts(f, walk, db, login):
    a, b = _submitted(f, walk, db)
    fire_event(a, "return_to_city", f.office, comment="请补充")
    db.session.commit()
    html = login(f.city()).get("/batches/").get_data(as_text=True)
    assert 'name="move"' not in html  # a returned nominee beside one still under review cannot swap
    fire_event(b, "return_to_city", f.office, comment="请补充")
    db.session.commit()
    html = login(f.city()).get("/batches/").get_data(as_text=True)
    assert f'value="{a.id}:down"' in html and f'value="{b.id}:up"' in html
    assert f'value="{a.id}:up"' not in html and "data-rank-list" not in html
    r = login(f.city()).post(f"/batches/{a.batch_id}/order", data={"order": [a.id, b.id], "move": f"{a.id}:down"})
    assert r.status_code == 302
    db.session.expire_all()
    assert (a.rank, b.rank) == (2, 1)
