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
