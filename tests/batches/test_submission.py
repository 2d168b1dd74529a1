"""A city's batch: submitted only with its report, a grassroots window, and before the deadline unless extended."""
from nominate.batches import operations as bops
from tests.factories import refused


def test_grassroots_window_required_at_submission(f, walk, db):
    a = walk.to(f.window(window_level="city", window_name="太原市人社局政务大厅"), "city_recommended")
    bops.set_batch_report(a.batch, f.city(), report_text="报告")
    db.session.commit()
    err = refused(db, lambda: bops.submit_city_batch(a.batch, f.city()), "grassroots_window_missing")
    assert "至少有 1 个" in err.message


def test_two_windows_one_grassroots_submits(f, walk, db):
    a = walk.to(f.window(window_level="city", window_name="市级大厅"), "city_recommended")
    b = walk.to(f.window(window_level="township", window_name="某街道社保所"), "city_recommended")
    bops.set_batch_report(a.batch, f.city(), report_text="报告")
    bops.submit_city_batch(a.batch, f.city())
    db.session.commit()
    assert {a.state.value, b.state.value} == {"province_review"}
    assert [n.rank for n in a.batch.nominations] == [1, 2]


def test_batch_needs_report(f, walk, db):
    a = walk.to(f.window(), "city_recommended")
    refused(db, lambda: bops.submit_city_batch(a.batch, f.city()), "report_missing")


def test_deadline_refuses_late_batch_unless_extended(f, walk, db, clock):
    from nominate.campaigns.operations import grant_extension

    a = walk.to(f.window(), "city_recommended")
    bops.set_batch_report(a.batch, f.city(), report_text="报告")
    db.session.commit()
    clock.set("2021-08-24")
    err = refused(db, lambda: bops.submit_city_batch(a.batch, f.city()), "deadline_passed")
    assert "2021年08月23日" in err.message
    grant_extension(f.campaign, f.office, f.org("taiyuan"), "preliminary_materials", "2021-08-27", "汛期影响，准予延期")
    db.session.commit()
    bops.submit_city_batch(a.batch, f.city())
    db.session.commit()
    assert a.state.value == "province_review"
    b = walk.to(f.window(window_name="另一窗口", window_level="township"), "city_recommended")
    clock.set("2021-08-28")
    refused(db, lambda: bops.submit_city_batch(b.batch, f.city()), "deadline_passed")


def test_another_citys_extension_does_not_help(f, walk, db, clock):
    from nominate.campaigns.operations import grant_extension

    a = walk.to(f.window(), "city_recommended")
    bops.set_batch_report(a.batch, f.city(), report_text="报告")
    grant_extension(f.campaign, f.office, f.org("datong"), "preliminary_materials", "2021-08-30", "延期")
    db.session.commit()
    clock.set("2021-08-24")
    refused(db, lambda: bops.submit_city_batch(a.batch, f.city()), "deadline_passed")
