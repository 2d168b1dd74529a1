"""The office's overview pages (各市报送, 差额评选): the quota, honours, sorting and the bundles they offer."""
import re

from tests.factories import make_id_number


def text(resp) -> str:
    return resp.get_data(as_text=True)


def test_selection_board_counts_against_the_province_quota(login, f, walk):
    walk.to(f.window(), "province_selected")
    walk.to(f.window("datong", window_name="大同窗口"), "province_review")
    page = text(login(f.office).get("/province/board"))
    assert re.search(r"优质服务窗口（全省名额）</span><b>1 / 12</b>", page)
    assert "大同窗口" in page and "<svg" in page


def test_board_shows_honours_and_sorts_and_filters_by_them(login, f, walk):
    from tests.honours.helpers import person_honour

    plain = walk.to(f.window(window_name="无荣誉窗口"), "province_review")
    person = walk.to(f.individual("datong", person_name="有荣誉者", id_number=make_id_number("19800101", 411)),
                     "province_review")
    person_honour(f.office, person.id_number, person_name=person.person_name)
    client = login(f.office)
    page = text(client.get("/province/board"))
    assert page.index("无荣誉窗口") < page.index("有荣誉者")  # 太原 before 大同 in rank order
    page = text(client.get("/province/board?sort=honours"))
    assert page.index("有荣誉者") < page.index("无荣誉窗口")
    assert "知识通" in page
    page = text(client.get("/province/board?honoured=1"))
    assert "有荣誉者" in page and "无荣誉窗口" not in page
    assert "知识通" in text(client.get(f"/nominations/{person.id}"))
    assert plain.id


def test_office_batches_page_offers_the_province_and_city_bundles(login, f, walk):
    walk.to(f.window(), "province_review")
    page = text(login(f.office).get("/province/batches"))
    province = f.org("shanxi")
    assert f"/documents/bundles/{province.id}/formal" in page
    assert f"/documents/bundles/{f.org('taiyuan').id}/preliminary" in page
    assert "附件6 优质服务先进个人推荐对象汇总表" in page


def test_batches_page_shows_each_citys_extension_and_the_campaigns_deadlines(login, f, db):
    """各市报送 reads the deadlines and the extensions in one statement: the city with an extension shows it, a city
    without one does not, and the page's deadline lists hold every deadline of the campaign."""
    from nominate.campaigns import operations as cops

    campaign = f.campaign
    datong = f.city("datong").organisation
    cops.grant_extension(campaign, f.office, datong, "preliminary_materials", "2021-12-31", "系统故障，延期报送")
    db.session.commit()
    page = text(login(f.office).get("/province/batches"))
    row = page[page.index("大同市"):]
    row = row[:row.index("</tr>")]
    assert "延期至 2021年12月31日" in row and "系统故障，延期报送" in row
    taiyuan = page[page.index("太原市"):]
    assert "延期至" not in taiyuan[:taiyuan.index("</tr>")]
    for deadline in campaign.deadlines:
        assert page.count(f">{deadline.label}<") >= 2  # the extension form's and the deadline form's lists
