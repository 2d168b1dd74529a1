"""Issue 18: the to-do list loads and checks only the nominations that can carry an item (``todo._may_have_todo``);
the board is exactly the one checked over every nominee the user may see."""
from __future__ import annotations

import sqlalchemy as sa

from nominate.publicity import operations as pops
from nominate.web import todo


def _items(board) -> list[tuple]:
    def task(t):
        return (t.nomination.id, t.event, t.label, t.ready, t.blocked_text, t.note, t.anchor)

    return ([(label, [task(t) for t in tasks]) for label, tasks in board.groups.items()]
            + [("blocked", [task(t) for t in board.blocked])])


def test_the_candidates_give_the_board_of_every_visible_nominee(f, walk, db, clock, monkeypatch):
    for state, city in (("draft", "taiyuan"), ("unit_publicity", "taiyuan"), ("city_review", "datong"),
                        ("province_review", "taiyuan"), ("province_selected", "datong"),
                        ("formal_materials", "taiyuan"), ("national_publicity", "datong")):
        walk.to(f.window(city=city, window_name=f"{city}{state}服务大厅"), state)
    objected = walk.to(f.window(window_name="太原市异议服务大厅"), "unit_publicity")
    pops.record_objection(objected, f.city(), content="来信反映该窗口服务态度问题。")
    db.session.commit()
    clock.set("2021-10-13")
    users = [f.office, f.city(), f.city("datong"), f.ministry]
    boards = [_items(todo.board_for(u)) for u in users]
    assert any(items for board in boards for _, items in board)
    monkeypatch.setattr(todo, "_may_have_todo", lambda user, campaign: sa.true())
    assert [_items(todo.board_for(u)) for u in users] == boards


def test_the_board_reads_periods_only_for_rows_that_need_them(f, walk, db, clock, monkeypatch):
    """公示 periods (and their objections) are read for the rows with an open objection and the rows whose checks run
    a guard that reads a period (an event the user may fire from the row's state), and the board is the same as
    with every candidate's periods read."""
    rows = {state: walk.to(f.window(window_name=f"太原{state}服务大厅"), state)
            for state in ("draft", "unit_publicity", "city_review", "province_review", "province_publicity")}
    objected = walk.to(f.window(window_name="太原市异议服务大厅"), "unit_publicity")
    pops.record_objection(objected, f.city(), content="来信反映该窗口服务态度问题。")
    db.session.commit()
    clock.set("2021-10-13")
    read: list[set] = []
    real = todo.current_periods
    monkeypatch.setattr(todo, "current_periods", lambda ids: read.append(set(ids)) or real(ids))

    office, city = f.office, f.city()
    boards = [_items(todo.board_for(u)) for u in (office, city)]
    # the office ends the province's 公示 and handles its objections; the city ends its unit's 公示 and handles the
    # objection raised in it
    assert read == [{rows["province_publicity"].id, objected.id}, {rows["unit_publicity"].id, objected.id}]
    assert any(objected.id == t[0] for _, items in boards[1] for t in items)

    monkeypatch.setattr(todo, "needs_prefetch", lambda user, nom: True)
    assert [_items(todo.board_for(u)) for u in (office, city)] == boards
