"""The signer's inbox asks the permission predicate (can_sign_now) for its 签署 button: a waiting row of the signer's
own slot has it, a signed row has none."""
from nominate.opinions import operations as oops


def test_the_sign_button_shows_for_a_waiting_row_and_goes_once_signed(f, walk, db, login):
    nom = walk.to(f.individual(), "formal_materials")
    signer = f.user("signer_discipline", "taiyuan")
    db.session.commit()
    row = next(o for o in nom.opinions if o.slot.value == "discipline")
    client = login(signer)
    assert f"/opinions/{row.id}/sign" in client.get("/opinions/").get_data(as_text=True)
    oops.sign_opinion(row, signer, verdict="agree", text="同意推荐", signer_name="赵纪")
    db.session.commit()
    html = client.get("/opinions/").get_data(as_text=True)
    # signed: the row opens read-only (查看, issue 14), no longer as a form to sign
    assert ">签署</a>" not in html and f'href="/opinions/{row.id}/sign">查看</a>' in html and "同意推荐" in html
