"""Issue 14, defect 9: 各地推荐 on the selection board counts what reached the province; a city's nominees not yet
submitted (or returned for changes) are counted apart."""


def test_nominees_not_yet_submitted_are_counted_apart(login, f, walk, db):
    walk.to(f.window(), "province_review")                    # submitted by 太原
    walk.to(f.window("datong", window_name="平城区就业服务大厅"), "city_recommended")  # 大同 has not submitted
    html = login(f.office).get("/province/board").get_data(as_text=True)
    assert "各地推荐（已报省）1 个，另有 1 个尚未报送或退回修改中" in html
    assert "各地推荐 2 个" not in html
