"""Issue 14, defect 4: a signer's workbench names their own unit and shows their own to-dos and deadlines;
a signed opinion opens read-only; a correction is a re-sign with a reason, audited, allowed only until the
provincial publicity starts (the ``opinion_correctable`` tag of workflows/nomination.yaml)."""
from __future__ import annotations

import pytest

from nominate.accounts.operations import create_user
from nominate.audit.models import AuditEvent
from nominate.opinions import operations as oops
from nominate.opinions.models import OpinionVerdict
from nominate.workflow.machine import get_workflow
from tests.factories import refused


def text(resp) -> str:
    return resp.get_data(as_text=True)


@pytest.fixture()
def jijian(f, db):
    user = create_user(None, username="taiyuan-jijian", password="Secret-pass-1", role="signer_discipline",
                       organisation=f.org("taiyuan"), display_name="太原市纪委监委")
    db.session.commit()
    return user


@pytest.fixture()
def signed(f, walk, db, jijian):
    """An individual in formal materials whose 纪检监察 row the city's 纪委监委 has signed."""
    nom = walk.to(f.individual(), "formal_materials")
    row = next(o for o in nom.opinions if o.slot.value == "discipline")
    oops.sign_opinion(row, jijian, verdict="agree", text="经查无违纪问题，同意推荐。", signer_name="陈立新")
    db.session.commit()
    return row


def test_the_workbench_names_the_signers_own_unit_and_only_their_deadlines(f, login, jijian, signed):
    page = text(login(jijian).get("/"))
    heading = page[page.index("<h1>"):page.index("</h1>")]
    assert "太原市纪委监委" in heading
    assert "人力资源和社会保障局" not in heading
    police = text(login(f.user("signer_police", "shanxi")).get("/"))
    assert "省人社厅" not in police[police.index("<h1>"):police.index("</h1>")]
    deadlines = page[page.index("<h2>截止日期</h2>"):]
    assert "正式推荐材料报送" in deadlines
    assert "初审材料报送" not in deadlines and "评选工作联系表" not in deadlines


def test_a_signers_workbench_lists_only_their_own_rows(f, walk, db, login, jijian, signed):
    page = text(login(jijian).get("/"))
    assert "组织人事部门意见" not in page and "省级公安部门意见" not in page
    assert "纪检监察部门意见" in page  # their signed row, listed as signed (no to-do left)
    assert 'data-testid="todo-count" title="今天可以办理的事项">0<' in page


def test_a_signed_opinion_opens_read_only_with_what_was_signed(login, jijian, signed):
    page = text(login(jijian).get(f"/opinions/{signed.id}/sign"))
    assert 'data-testid="signed-opinion"' in page
    assert "经查无违纪问题，同意推荐。" in page and "陈立新" in page
    assert "签署（盖章）" not in page  # no blank form to sign again
    assert "更正意见（重新签署）" in page


def test_a_correction_is_a_re_sign_with_a_reason_and_is_audited(f, db, login, jijian, signed):
    refused(db, lambda: oops.correct_opinion(signed, jijian, verdict="disagree", text="该同志2020年受到诫勉谈话处理。",
                                             signer_name="陈立新", reason=""), "correction_reason_required")
    client = login(jijian)
    resp = client.post(f"/opinions/{signed.id}/sign", data={
        "verdict": "disagree", "text": "该同志2020年受到诫勉谈话处理。", "signer_name": "陈立新",
        "reason": "核对档案后发现诫勉谈话记录，原意见有误"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert signed.verdict == OpinionVerdict.DISAGREE and signed.text == "该同志2020年受到诫勉谈话处理。"
    audit = db.session.scalar(db.select(AuditEvent).filter_by(action="opinion_corrected", object_id=signed.id))
    assert audit.comment == "核对档案后发现诫勉谈话记录，原意见有误"
    assert audit.data["before"]["verdict"] == "agree" and audit.data["before"]["text"] == "经查无违纪问题，同意推荐。"
    page = text(client.get(f"/opinions/{signed.id}/sign"))
    assert "更正理由：核对档案后发现诫勉谈话记录，原意见有误" in page


def test_no_correction_once_the_provincial_publicity_has_started(f, walk, db, login, jijian):
    nom = walk.to(f.individual(), "province_publicity")
    row = next(o for o in nom.opinions if o.slot.value == "discipline")
    assert not nom.state_has("opinion_correctable")
    assert "opinion_correctable" in get_workflow().states["formal_materials"]["tags"]
    refused(db, lambda: oops.correct_opinion(row, f.user("signer_discipline", "taiyuan"), verdict="disagree",
                                             text="有违纪记录，不同意推荐", signer_name="陈立新", reason="原意见有误，更正"),
            "opinion_not_correctable")
    page = text(login(jijian).get(f"/opinions/{row.id}/sign"))
    assert 'data-testid="correction-closed"' in page and "<form" not in page.split('data-testid="signed-opinion"')[1]
    home = text(login(jijian).get("/"))
    assert "签署的意见不能再更正" in home
