"""Issue 14, defect 1: to-dos, the badge and the buttons tell the truth.

An action is offered only when the permission and every guard pass today (the same check fire_event makes,
asked without a row lock or a write); otherwise the item shows what blocks it and who must act. A negative
opinion and an open objection are to-dos of their own for the office."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import event as sa_event

from nominate.nominations.operations import submit_formal_materials
from nominate.opinions import operations as oops
from nominate.publicity import operations as pops
from nominate.web.todo import NEGATIVE_OPINION_LABEL, OBJECTION_LABEL, board_for
from nominate.workflow.engine import fire_event
from nominate.workflow.readiness import check_event


def text(resp) -> str:
    return resp.get_data(as_text=True)


def _formal_individual(f, walk, db, *, police="disagree"):
    """An individual in formal materials, materials submitted, three rows signed (police as given)."""
    nom = walk.to(f.individual(), "formal_materials")
    f.photo(nom)
    submit_formal_materials(nom, f.city())
    oops.request_police_opinions([nom], f.office)
    slots = {o.slot.value: o for o in nom.opinions}
    oops.sign_opinion(slots["discipline"], f.user("signer_discipline", "taiyuan"), verdict="agree", text="",
                      signer_name="赵纪")
    oops.sign_opinion(slots["personnel"], f.user("signer_personnel", "taiyuan"), verdict="agree", text="",
                      signer_name="钱组")
    oops.sign_opinion(slots["police"], f.user("signer_police", "shanxi"), verdict=police,
                      text="该同志有违法记录" if police == "disagree" else "同意", signer_name="孙警")
    db.session.commit()
    return nom


def _badge(resp) -> int:
    return int(re.search(r'data-testid="todo-count"[^>]*>(\d+)<', text(resp)).group(1))


def test_a_negative_police_opinion_blocks_the_publicity_and_is_a_todo_of_its_own(f, walk, db, login):
    nom = _formal_individual(f, walk, db)
    check = check_event(nom, "start_province_publicity", f.office)
    assert not check.doable and check.permitted
    assert [b.words for b in check.blockers] == ["公安意见：不同意"]
    assert check.blockers[0].who == "省推荐评选办"

    board = board_for(f.office)
    assert nom.id not in [t.nomination.id for t in board.groups.get("开始省级公示", [])]
    assert [t.nomination.id for t in board.groups[NEGATIVE_OPINION_LABEL]] == [nom.id]
    blocked = [t for t in board.blocked if t.nomination.id == nom.id]
    assert [t.event for t in blocked] == ["start_province_publicity"]
    assert "公安意见：不同意" in blocked[0].blocked_text

    page = text(login(f.office).get(f"/nominations/{nom.id}"))
    act = page[page.index('id="act-h"'):page.index("</section>", page.index('id="act-h"'))]
    assert "<button class=\"btn\">开始省级公示</button>" not in act and "<summary>开始省级公示</summary>" not in act
    assert "开始省级公示</b>：暂不能办理，公安意见：不同意" in act
    home = login(f.office).get("/")
    assert "公安意见：不同意" in text(home)
    assert _badge(home) == board.count


def test_the_national_publicity_cannot_be_finished_during_the_period_or_with_an_open_objection(f, walk, db, clock,
                                                                                               login):
    nom = walk.to(f.window(), "national_publicity")  # started 2021-10-11, five working days: to 10月15日
    clock.set("2021-10-13")
    pops.record_objection(nom, f.office, content="来信反映该窗口服务态度问题。")
    db.session.commit()
    check = check_event(nom, "finish_national_publicity", f.office)
    assert {b.words for b in check.blockers} == {"公示期至10月15日", "有未结异议"}
    board = board_for(f.office)
    assert "全国公示结束，予以表彰" not in board.groups
    assert [t.nomination.id for t in board.groups[OBJECTION_LABEL]] == [nom.id]
    clock.set("2021-10-18")  # the period is over, the objection still open
    check = check_event(nom, "finish_national_publicity", f.office)
    assert [b.words for b in check.blockers] == ["有未结异议"]
    page = text(login(f.office).get(f"/nominations/{nom.id}"))
    assert "全国公示结束，予以表彰</b>：暂不能办理，有未结异议" in page


def test_every_todo_can_be_done_and_every_blocked_item_is_refused(f, walk, db, clock):
    """The badge's promise, checked by firing: each offered event passes, each blocked one is refused."""
    _formal_individual(f, walk, db)
    walk.to(f.window(), "national_publicity")
    walk.to(f.window(city="datong"), "province_publicized")
    ready_nom = walk.to(f.window(city="datong", window_name="大同市社保中心服务大厅"), "formal_materials")
    submit_formal_materials(ready_nom, f.city("datong"))
    db.session.commit()
    clock.set("2021-10-13")
    board = board_for(f.office)
    todos = [t for tasks in board.groups.values() for t in tasks if t.event]
    assert todos and board.blocked
    assert board.count == sum(len(v) for v in board.groups.values())
    for task in todos:
        nested = db.session.begin_nested()
        params = {"start_date": clock.today} if task.event.startswith("start_") else None
        fire_event(task.nomination, task.event, f.office, comment="核实无误", params=params)
        nested.rollback()
    for task in board.blocked:
        nested = db.session.begin_nested()
        with pytest.raises(Exception) as exc:
            fire_event(task.nomination, task.event, f.office, comment="核实无误")
        nested.rollback()
        assert exc.value.code in {b.code for b in task.blockers}
    db.session.rollback()


def test_the_check_takes_no_row_lock_and_writes_nothing(f, walk, db):
    nom = walk.to(f.window(), "province_review")  # select: the province-quota guard locks the campaign when firing
    db.session.commit()
    locked = []

    def spy(state):
        if getattr(state.statement, "_for_update_arg", None) is not None:
            locked.append(str(state.statement))

    sa_event.listen(db.session, "do_orm_execute", spy)
    try:
        check = check_event(nom, "select", f.office)
        board_for(f.office)
        assert check.doable
        assert not locked, locked
        assert not db.session.new and not db.session.dirty and not db.session.deleted
        nested = db.session.begin_nested()
        fire_event(nom, "select", f.office)  # the operation itself does lock: the spy sees it
        nested.rollback()
        assert locked
    finally:
        sa_event.remove(db.session, "do_orm_execute", spy)
        db.session.rollback()


def test_the_publicity_page_names_every_blocker_and_offers_no_checkbox_for_a_blocked_nominee(f, walk, db, login):
    nom = _formal_individual(f, walk, db)
    nom.formal_submitted_at = None  # a second blocker beside the negative opinion: both are named
    db.session.commit()
    page = text(login(f.office).get("/publicity/"))
    row = page[page.index(nom.name) - 400:page.index("</tr>", page.index(nom.name))]
    assert "公安意见：不同意" in row and "尚未报送正式推荐材料" in row
    assert f'value="{nom.id}"' not in row  # no checkbox to tick a nominee who cannot start today
