"""Issue 14: each role's workbench on the demo, in Chromium at 1366×768, tells the truth.

For every role the demo must hold at least one to-do that can be done today and one item that waits on
something (the test fails otherwise: the demo story, workflows/demo/shanxi-2021.yaml, is what to adjust).
Every to-do is clicked through to its action, which must succeed; every waiting item's named blocker is
checked against the database, read here directly (not through the guards that named it).

A role's demo accounts are walked together: a city's 纪检监察 or 组织人事 signs for the one individual the
city may recommend, so one such account never holds both a row to sign and a row that can no longer change.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, Session

pytestmark = pytest.mark.browser

SHOTS = ROOT / "docs" / "screenshots" / "workbench"
VIEWPORT = {"width": 1366, "height": 768}

#: role → the demo accounts walked (the first is the demo's printed login where it holds anything)
ROLES = {
    "province_office": ["shengban"],
    "city_bureau": ["lvliang", "jincheng", "linfen"],
    "provincial_unit": ["shengzhi", "sx-sicenter"],
    "signer_discipline": ["jincheng-jijian", "changzhi-jijian"],
    "signer_personnel": ["jincheng-zuzhi", "changzhi-zuzhi"],
    "signer_police": ["gongan"],
    "ministry": ["renshebu"],
}


class Workbench(Session):
    """A signed-in browser at the workbench's size (the password, then the TOTP code where the role needs it)."""

    def __init__(self, browser, live, username):
        super().__init__(browser, live, username, width=VIEWPORT["width"], height=VIEWPORT["height"])
        self.username = username

    def home(self):
        self.page.goto(self.live.url + "/")
        return self.page

    def todos(self) -> list[dict]:
        """The to-dos listed now: (key, label, href) of each; a signer's rows to sign included."""
        out = []
        for li in self.page.locator(".todo-item").all():
            nom, opinion = li.get_attribute("data-nomination"), li.get_attribute("data-opinion")
            label = li.get_attribute("data-label") or "签署意见"
            href = li.locator("a.btn").first.get_attribute("href")
            out.append({"key": (nom, opinion, label), "label": label, "href": href, "nomination": nom,
                        "opinion": opinion})
        return out

    def blocked(self) -> list[dict]:
        return [{"nomination": li.get_attribute("data-nomination"), "opinion": li.get_attribute("data-opinion"),
                 "event": li.get_attribute("data-event"), "codes": (li.get_attribute("data-blockers") or "").split(),
                 "text": li.inner_text()}
                for li in self.page.locator(".blocked-item").all()]

    def close(self):
        self.context.close()


def _success(page, text: str | None = None) -> None:
    flash = page.locator(".flash-success", has_text=text) if text else page.locator(".flash-success")
    expect(flash.first).to_be_visible()


def do(page, base: str, todo) -> None:
    """Click the to-do's action and complete it as an official would; the page must report success."""
    page.goto(base + todo["href"])
    label = todo["label"]
    if todo["opinion"]:
        page.get_by_label("签字人").fill("王振华")
        page.get_by_role("button", name="签署（盖章）").click()
        _success(page, "已签署")
        return
    if label == "调查处理异议":
        box = page.locator("section[aria-labelledby^=pub-]", has=page.locator("summary", has_text="登记调查结论"))
        box.locator("summary", has_text="登记调查结论").first.click()
        box.locator("textarea[name=investigation]").first.fill("经核查，反映问题不属实。")
        box.get_by_role("button", name="提交结论").first.click()
        _success(page, "调查结论已登记")
        return
    if label == "处理不同意意见":
        expect(page.locator("#opinions-h")).to_be_visible()
        return
    act = page.locator("section[aria-labelledby=act-h]")
    details = act.locator("details", has=page.locator(f"summary:text-is('{label}')"))
    if details.count():
        details.locator("summary").click()
        details.get_by_role("button", name=label).click()
    else:
        act.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state()
    _success(page)


def _check_blocker(app, item, today: dt.date) -> None:
    """The blocker the page names is true in the database (read here, not through the guard that named it)."""
    from nominate.campaigns.models import DeadlineExtension
    from nominate.extensions import db
    from nominate.nominations.models import Nomination
    from nominate.opinions.models import Opinion
    from nominate.publicity.models import Objection, PublicityEntry, PublicityPeriod
    from nominate.workflow.machine import get_workflow

    assert item["codes"], f"a waiting item without a named blocker: {item['text']}"
    with app.app_context():
        try:
            if item["opinion"]:
                opinion = db.session.get(Opinion, int(item["opinion"]))
                assert item["codes"] == ["opinion_not_correctable"]
                assert opinion.status.value == "signed"
                assert "opinion_correctable" not in get_workflow().states[opinion.nomination.state.value].get("tags", [])
                return
            nom = db.session.get(Nomination, int(item["nomination"]))
            wf = get_workflow(nom.campaign.workflow)
            for code in item["codes"]:
                if code == "publicity_not_elapsed":
                    level = wf.transitions[item["event"]].finishes_publicity
                    period = db.session.scalars(db.select(PublicityPeriod).join(PublicityEntry).where(
                        PublicityEntry.nomination_id == nom.id, PublicityPeriod.level == level)
                        .order_by(PublicityPeriod.id.desc())).first()
                    assert period.end_date >= today, item
                    assert f"公示期至{period.end_date.month}月{period.end_date.day}日" in item["text"]
                elif code == "objection_open":
                    assert db.session.scalar(db.select(db.func.count(Objection.id)).where(
                        Objection.nomination_id == nom.id, Objection.status == "open")) > 0, item
                elif code == "formal_materials_missing":
                    assert nom.formal_submitted_at is None, item
                elif code == "opinions_missing":
                    signed = [o for o in nom.opinions if o.status.value == "signed"]
                    assert len(signed) < 3, item
                elif code == "opinion_negative":
                    assert any(o.verdict and o.verdict.value == "disagree" for o in nom.opinions), item
                elif code == "report_missing":
                    assert nom.batch is None or not (nom.batch.report_text or "").strip(), item
                elif code == "photo_missing":
                    assert nom.photo is None, item
                elif code == "deadline_passed":
                    key = next(args["deadline"] for name, args in wf.transitions[item["event"]].guards
                               if name == "before_deadline")
                    due = nom.campaign.deadline(key).due_date
                    ext = db.session.scalar(db.select(DeadlineExtension).filter_by(
                        campaign_id=nom.campaign_id, organisation_id=nom.owner_org_id, deadline_key=key))
                    assert due < today and (ext is None or ext.until < today), item
                elif code == "province_quota_full":
                    limit = nom.campaign.rules.province_quota.for_kind(nom.kind.value)
                    taken = db.session.scalar(db.select(db.func.count(Nomination.id)).where(
                        Nomination.campaign_id == nom.campaign_id, Nomination.kind == nom.kind,
                        Nomination.selected_at.is_not(None)))
                    assert taken >= limit, item
                else:
                    pytest.fail(f"blocker {code} is not checked by this test: add its check ({item['text']})")
        finally:
            db.session.remove()


@pytest.mark.parametrize("role", list(ROLES))
def test_each_roles_workbench_tells_the_truth(browser, live, role):
    from nominate.demo.data import DEMO_TODAY

    today = dt.date.fromisoformat(DEMO_TODAY)
    SHOTS.mkdir(parents=True, exist_ok=True)
    doable, waiting = 0, 0
    for i, username in enumerate(ROLES[role]):
        wb = Workbench(browser, live, username)
        try:
            page = wb.home()
            page.screenshot(path=str(SHOTS / f"{role}-{username}.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), username
            badge = int(page.locator("[data-testid=todo-count]").inner_text())
            first = wb.todos()
            assert badge == len(first), f"{username}: the badge counts {badge}, the list shows {len(first)}"
            for item in wb.blocked():
                _check_blocker(live.app, item, today)
                waiting += 1
            if i == 0 and wb.blocked() and wb.blocked()[-1]["nomination"]:  # the page of a waiting item: no button
                item = wb.blocked()[-1]
                page.goto(f"{live.url}/nominations/{item['nomination']}")
                expect(page.locator(f".blocked-actions li[data-event={item['event']}]")).to_be_visible()
                page.screenshot(path=str(SHOTS / f"{role}-waiting-nomination.png"), full_page=False)
                wb.home()
            done: set = set()
            while True:  # one at a time: a done to-do may change what the next may do (a place is taken)
                wb.home()
                first_keys = {t["key"] for t in first}  # what the demo offered (not what doing it opened up)
                left = [t for t in wb.todos() if t["key"] in first_keys and t["key"] not in done]
                if not left:
                    break
                do(page, live.url, left[0])
                done.add(left[0]["key"])
                doable += 1
            # what was a to-do and is no longer offered now waits on something true (e.g. the place just taken)
            wb.home()
            still = {(b["nomination"], b["opinion"]) for b in wb.blocked()}
            for t in first:
                if t["key"] not in done:
                    assert (t["nomination"], t["opinion"]) in still, f"{username}: {t['label']} vanished"
            for item in wb.blocked():
                _check_blocker(live.app, item, today)
        finally:
            wb.close()
    assert doable >= 1, f"the demo holds no to-do that {role} can do today"
    assert waiting >= 1, f"the demo holds no waiting item for {role}"
