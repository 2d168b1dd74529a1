"""Issue 14, defect 9: the download box is grouped by stage (初审 / 正式) and document, not a flat list of ~30 links."""
import re


def _groups(html: str) -> list[tuple[str, list[str]]]:
    box = html[html.index('<div class="downloads">'):]
    box = box[:box.index("</div>\n</div>") + 6] if "</div>\n</div>" in box else box
    out = []
    for m in re.finditer(r'<h4>(.*?)</h4>(.*?)</ul>', box, re.S):
        titles = re.findall(r'<span class="doc-title">(.*?)</span>', m.group(2))
        out.append((m.group(1), titles))
    return out


def test_the_province_download_box_is_grouped_by_stage_and_document(login, f, walk, db):
    walk.to(f.window(), "province_review")
    html = login(f.office).get("/province/batches").get_data(as_text=True)
    groups = dict(_groups(html))
    assert list(groups) == ["初审材料", "正式推荐材料"]
    for stage, titles in groups.items():
        assert len(titles) == len(set(titles)), f"{stage}: a document listed twice"
    assert "初审推荐工作报告" in groups["初审材料"] and "正式推荐工作报告" in groups["正式推荐材料"]
    assert "附件5 优质服务窗口推荐对象汇总表" in groups["初审材料"]
    # each document once per stage, its formats side by side (Word, Excel …), the full label kept as the link's name
    links = re.findall(r'<a href="[^"]+" class="fmt" title="([^"]+)" aria-label="\1"', html)
    rows = sum(len(t) for t in groups.values())
    assert len(links) > rows
    assert "附件5 优质服务窗口推荐对象汇总表（Word）" in links


def test_the_nomination_page_groups_its_tables_under_their_stage(login, f, walk, db):
    nom = walk.to(f.individual(), "formal_materials")
    html = login(f.city()).get(f"/nominations/{nom.id}").get_data(as_text=True)
    groups = dict(_groups(html))
    assert "附件3 优质服务先进个人推荐审批表" in groups["正式推荐材料"]
