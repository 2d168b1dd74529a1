"""Browser tests: the app served on loopback from a thread, driven by Playwright in Debian's Chromium.

The server shares this process, so a test moves the clock with ``live.set_today`` exactly as the
demo does. Screenshots of the main pages go to $NOMINATE_TEST_ARTIFACTS (default test-artifacts/).
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from nominate import create_app
from nominate.extensions import db as _db

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("NOMINATE_TEST_ARTIFACTS", ROOT / "test-artifacts"))
CHROMIUM = os.environ.get("NOMINATE_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "Sx-Pingxuan-2021"


def _chromium_or_skip() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("CI") == "true":
        pytest.fail(f"Chromium not found at {CHROMIUM} but CI=true: install Debian's chromium")
    pytest.skip("Chromium is not installed (apt-get install chromium)")


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def set_today(self, iso: str) -> None:
        self.app.config["NOMINATE_TODAY"] = iso

    def totp_code(self, username: str) -> str:
        """What the authenticator app of demo account ``username`` shows now (a step the server has not used)."""
        from nominate.accounts.models import User
        from tests.signin import totp_code

        with self.app.app_context():
            user = _db.session.scalar(_db.select(User).filter_by(username=username))
            code = totp_code(user)
            _db.session.remove()
        return code


def _app(path, **extra):
    # no job worker thread unless a test asks for one (and stops it): a thread left running would outlive the
    # test and use whatever database connection a later test binds (JOBS_WORKER_THREAD, issue 17)
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "browser-tests",
                       "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "RATELIMIT_ENABLED": False,
                       "JOBS_WORKER_THREAD": "0", **extra})


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """The Shanxi demo built once; each test serves its own copy."""
    _chromium_or_skip()
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    app = _app(path)
    with app.app_context():
        from nominate.demo.data import build_demo

        _db.create_all()
        build_demo()
        _db.session.remove()
        _db.engine.dispose()
    return path


@pytest.fixture()
def live(demo_db, tmp_path):
    """A copy of the demo database served on a free loopback port, its clock at the demo's today."""
    path = tmp_path / "live.db"
    shutil.copy(demo_db, path)
    from nominate.demo.data import DEMO_TODAY

    app = _app(path, NOMINATE_TODAY=DEMO_TODAY)
    server = LiveServer(app)
    server.thread.start()
    yield server
    server.server.shutdown()
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    exe = _chromium_or_skip()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


class Session:
    """One logged-in user's browser context."""

    def __init__(self, browser, live, username, width=1280, height=900):
        self.live = live
        self.context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        self.page = self.context.new_page()
        self.page.set_default_timeout(15000)
        self.page.goto(live.url + "/login")
        self.page.get_by_label("用户名").fill(username)
        self.page.get_by_label("密码").fill(PASSWORD)
        self.page.get_by_role("button", name="登录").click()
        self.page.wait_for_url(lambda url: "/login/two-factor" in url or not url.split("?")[0].endswith("/login"))
        if "/login/two-factor" in self.page.url:  # a role that must use two factors: the app's code of the moment
            self.page.get_by_label("动态验证码或恢复码").fill(live.totp_code(username))
            self.page.get_by_role("button", name="验证").click()
        self.page.wait_for_url(live.url + "/")

    def go(self, path: str):
        self.page.goto(self.live.url + path)
        return self.page

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        out = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(out), full_page=True)
        return out

    def close(self):
        self.context.close()


@pytest.fixture()
def login(browser, live):
    sessions = []

    def _login(username, width=1280) -> Session:
        s = Session(browser, live, username, width)
        sessions.append(s)
        return s

    yield _login
    for s in sessions:
        s.close()
