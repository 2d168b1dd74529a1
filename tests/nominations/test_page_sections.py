"""The nomination page asks each area for its own section (honours, publicity, downloads) through the template
globals those areas register, so the nominations area imports none of them."""
from __future__ import annotations

from nominate.publicity import operations as pops
from tests.factories import individual_data
from tests.honours.helpers import person_honour


def test_the_page_shows_the_nominees_honours_and_the_register_link(f, db, login):
    nom = f.individual()
    person_honour(f.office, individual_data()["id_number"])
    db.session.commit()
    html = login(f.city()).get(f"/nominations/{nom.id}").get_data(as_text=True)
    assert "全省人社“知识通”" in html
    assert f"/honours/nomination/{nom.id}" in html


def test_the_page_shows_the_running_publicity_with_its_objection_and_form(f, walk, db, login):
    nom = walk.to(f.window(), "unit_publicity")
    objection = pops.record_objection(nom, f.city(), content="反映窗口态度差")
    db.session.commit()
    client = login(f.city())
    html = client.get(f"/nominations/{nom.id}").get_data(as_text=True)
    assert 'id="pub-unit"' in html and "反映窗口态度差" in html
    assert f"/publicity/objections/{objection.id}/resolve" in html  # can_resolve_objection: open, handled here
    pops.resolve_objection(objection, f.city(), outcome="cleared", investigation="经核查，反映情况不属实")
    db.session.commit()
    assert f"/publicity/objections/{objection.id}/resolve" not in client.get(f"/nominations/{nom.id}").get_data(as_text=True)
    assert f"/publicity/nominations/{nom.id}/objections" in html and 'id="oc-unit"' in html


def test_the_page_lists_the_downloads_the_user_may_use(f, db, login):
    nom = f.individual()
    html = login(f.city()).get(f"/nominations/{nom.id}").get_data(as_text=True)
    assert "表格下载" in html and f"/documents/nominations/{nom.id}/" in html
