"""Entering honours, linking them to nominees, and composing 备注 from them."""
import pytest

from nominate.core.db import unit_of_work
from nominate.core.errors import MultipleErrors, PermissionDenied, ValidationFailed
from nominate.honours import operations as hops
from nominate.honours.compose import honour_lines_for, remarks_for
from nominate.honours.models import HonourLink, LinkStatus
from nominate.honours.queries import honours_by_nomination, honours_for
from tests.factories import individual_data, make_id_number, snapshot
from tests.honours.helpers import person_honour, unit_honour
from tests.perf.test_list_queries import StatementLog

ID = individual_data()["id_number"]


def test_hand_entry_reports_every_bad_field_and_writes_nothing(f, db):
    before = snapshot(db)
    with pytest.raises(MultipleErrors) as exc:
        hops.create_honour(f.office, {"holder_kind": "person", "person_name": "", "id_number": "140105198503121240",
                                      "organisation": "nowhere", "title": "", "level": "区级", "kind": "team_prize",
                                      "year": "1900"})
    db.session.rollback()
    fields = {e.field: e.message for e in exc.value.errors}
    assert fields["id_number"] == "身份证号校验位错误"
    assert "不存在" in fields["organisation"] and "区级" in fields["level"]
    assert {"person_name", "title", "year", "kind"} <= set(fields)
    assert snapshot(db) == before


def test_duplicate_honour_is_refused(f, db):
    person_honour(f.office, ID)
    with pytest.raises(ValidationFailed, match="荣誉库中已有该记录"):
        person_honour(f.office, ID.lower(), person_name="张晓梅")


def test_person_honour_links_to_the_nominee_by_id_number_in_any_order(f, db):
    before = person_honour(f.office, ID)  # recorded before the nomination exists
    nom = f.individual()
    after = person_honour(f.city(), ID, title="岗位练兵明星", level="national", year=2021)
    assert [h.id for h in honours_for(nom)] == [after.id, before.id]  # 国家级 first
    stored = db.session.scalars(db.select(HonourLink)).all()
    assert [(link.honour_id, link.status) for link in stored] == [(after.id, LinkStatus.AUTO)]
    with unit_of_work():
        assert [link.honour_id for link in hops.auto_link_nomination(nom)] == [before.id]
    other = f.individual(id_number=make_id_number("19900101", 321))
    assert honours_for(other) == []


def test_unlink_is_remembered_and_confirm_links_by_hand(f, db):
    nom = f.individual()
    honour = person_honour(f.office, ID)
    stray = person_honour(f.office, make_id_number("19900101", 321), person_name="王五")
    with unit_of_work():
        hops.decide_link(honour, nom, f.city(), "unlinked")
    assert honours_for(nom) == []
    with unit_of_work():
        hops.auto_link_nomination(nom)
        hops.auto_link_honour(honour)
    assert honours_for(nom) == []
    assert db.session.scalar(db.select(HonourLink).filter_by(honour_id=honour.id)).status == LinkStatus.UNLINKED
    with unit_of_work():
        hops.decide_link(stray, nom, f.city(), "confirmed")
        hops.decide_link(honour, nom, f.city(), "confirmed")
    assert {h.id for h in honours_for(nom)} == {honour.id, stray.id}


def test_team_prize_links_to_the_window_whose_unit_won_it(f, db):
    window = f.window()
    other_city = f.window("datong")
    prize = unit_honour(f.office, "太原市小店区人力资源和社会保障局")
    own = unit_honour(f.office, " 小店区人力资源和社会保障局社保经办大厅 ", title="团体二等奖", year=2020)
    assert [h.id for h in honours_for(window)] == [own.id, prize.id]
    assert honours_for(other_city) == []
    # an honour of a county below the city still belongs to the city's window
    assert {link.nomination_id for link in prize.links} == {window.id}


def test_remarks_compose_in_official_wording_by_level_then_year(f, db):
    nom = f.individual(remarks="2019年被评为市级优秀共产党员")
    assert remarks_for(nom) == "2019年被评为市级优秀共产党员"
    person_honour(f.office, ID, title="全省人社“知识通”", year=2021, competition="全省练兵比武全省赛")
    person_honour(f.office, ID, title="全省人社系统“知识通”称号", kind="title", year=2020, competition="")
    person_honour(f.office, ID, title="个人第二名", kind="individual_rank", level="city", year=2019,
                  competition="太原市练兵比武选拔赛", issuing_body=None, document_number=None)
    person_honour(f.office, ID, title="岗位练兵明星", level="national", year=2021, competition="")
    assert remarks_for(nom) == ("2021年获岗位练兵明星称号；2020年获全省人社系统“知识通”称号；"
                                "2021年在全省练兵比武全省赛中获全省人社“知识通”称号；2019年太原市练兵比武选拔赛个人第二名；"
                                "2019年被评为市级优秀共产党员")
    lines = honour_lines_for(nom)
    assert lines[1] == "2020年获全省人社系统“知识通”称号（山西省人力资源和社会保障厅，晋人社厅函〔2020〕166号）"
    assert lines[3] == "2019年太原市练兵比武选拔赛个人第二名"


def test_team_prize_wording(f, db):
    window = f.window()
    unit_honour(f.office, window.window_name, title="团体", rank="一等奖")
    assert remarks_for(window) == "2021年全省练兵比武选拔赛团体一等奖"


def test_a_title_that_already_states_the_rank_is_not_repeated(f, db):
    window = f.window()
    unit_honour(f.office, window.window_name, title="团体一等奖", rank="第1名")
    assert remarks_for(window) == "2021年全省练兵比武选拔赛团体一等奖"


def test_batched_query_has_no_n_plus_one(f, db):
    noms = [f.individual(id_number=make_id_number("19850312", 100 + i), person_name=f"人{i}") for i in range(6)]
    noms += [f.window(window_name=f"窗口{i}") for i in range(4)]
    for i, nom in enumerate(noms[:6]):
        person_honour(f.office, nom.id_number, person_name=nom.person_name)
    unit_honour(f.office, "窗口1")
    ids = [n.id for n in noms]
    db.session.expire_all()
    with StatementLog(db.engine) as log:
        result = honours_by_nomination(ids)
    statements = log.statements
    assert [len(result[i]) for i in ids] == [1] * 6 + [0, 1, 0, 0]
    assert len(statements) <= 8, "\n".join(statements)


def test_city_cannot_enter_for_another_city_or_decide_its_links(f, db):
    with pytest.raises(MultipleErrors) as exc:
        person_honour(f.city("datong"), ID)
    assert exc.value.errors[0].message == "所属单位“太原市人力资源和社会保障局”不在本单位管辖范围内"
    nom = f.individual()
    honour = person_honour(f.office, ID)
    with pytest.raises(PermissionDenied):
        hops.decide_link(honour, nom, f.city("datong"), "unlinked")
    with pytest.raises(PermissionDenied):
        hops.delete_honour(honour, f.city())


def test_the_year_is_not_said_twice(f, db):
    nom = f.individual()
    person_honour(f.office, ID, title="个人第一名", kind="individual_rank", competition="2020年度全省练兵比武全省赛")
    assert remarks_for(nom) == "2020年全省练兵比武全省赛个人第一名"


def test_the_rows_honours_and_their_decisions_are_one_statement(f, db):
    """For nominations already loaded: the honours with a stored decision (with it) and those that may match (auto)
    come in one statement, and an unlinked honour stays unlinked."""
    from nominate.honours.queries import link_rows_by_nomination

    people = [f.individual(id_number=make_id_number("19850312", 300 + i), person_name=f"人{i}") for i in range(3)]
    window = f.window(window_name="窗口甲")
    kept = person_honour(f.office, people[0].id_number, person_name=people[0].person_name)
    dropped = person_honour(f.office, people[1].id_number, person_name=people[1].person_name)
    hops.decide_link(dropped, people[1], f.office, "unlinked")
    unit = unit_honour(f.office, "窗口甲")
    db.session.commit()
    rows = people + [window]
    for n in rows + [kept, dropped, unit]:
        db.session.refresh(n)  # loaded, as a page's rows are
    with StatementLog(db.engine) as log:
        result = link_rows_by_nomination(rows)
    assert len(log.statements) == 1, "\n".join(log.statements)
    assert result[people[0].id] == [(kept, LinkStatus.AUTO)]
    assert result[people[1].id] == [(dropped, LinkStatus.UNLINKED)]
    assert result[people[2].id] == []
    assert result[window.id] == [(unit, LinkStatus.AUTO)]
    assert honours_by_nomination(rows)[people[1].id] == []
