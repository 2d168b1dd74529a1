"""A province bundle started from the page is built by the app's worker thread (the embedded default):
the page shows its progress (documents done / total) and offers the download when it is ready."""
import io
import re
import zipfile

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture()
def live(demo_db, tmp_path):
    """The demo served as the embedded default runs it: the job worker thread starts with the app's first
    request (stopped at the end of the test)."""
    import shutil

    from nominate.demo.data import DEMO_TODAY
    from nominate.extensions import db
    from tests.browser.conftest import LiveServer, _app

    path = tmp_path / "live.db"
    shutil.copy(demo_db, path)
    app = _app(path, NOMINATE_TODAY=DEMO_TODAY, JOBS_WORKER_THREAD="1", BUNDLE_DIR=str(tmp_path / "bundles"))
    server = LiveServer(app)
    server.thread.start()
    yield server
    server.server.shutdown()
    consumer = app.extensions.get("jobs_thread")
    if consumer is not None:
        consumer.stop(graceful=True)
    with app.app_context():
        db.engine.dispose()


def test_a_province_bundle_started_from_the_page_shows_progress_and_downloads(login, live, tmp_path):
    assert live.app.extensions["jobs_thread"] is None  # nothing runs jobs before the app serves
    office = login("shengban")
    page = office.go("/province/batches")
    page.get_by_role("link", name="山西省正式推荐材料（后台生成，显示进度）").click()
    page.wait_for_load_state()
    total = int(re.search(r"共 (\d+) 份文件", page.inner_text("main")).group(1))
    assert total > 10
    page.get_by_role("button", name="开始生成").click()
    page.wait_for_url(re.compile(r"/jobs/bundles/\d+$"))
    assert live.app.extensions["jobs_thread"] is not None  # started with the app
    bar = page.locator("#bundle-progress")
    assert bar.get_attribute("max") == str(total)
    office.shot("17-bundle-progress")
    # the page refreshes itself every 2 seconds until the worker thread has rendered every document
    page.locator("#bundle-download").wait_for(timeout=120_000)
    assert page.locator("#bundle-done").inner_text() == str(total) and bar.get_attribute("value") == str(total)
    assert page.locator("#bundle-status").inner_text() == "已完成"
    office.shot("17-bundle-ready")
    with page.expect_download() as info:
        page.locator("#bundle-download").click()
    download = info.value
    assert download.suggested_filename == "山西省 正式推荐材料.zip"
    names = zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read())).namelist()
    assert len(names) == total and any("附件3" in n or "推荐审批表" in n for n in names)
