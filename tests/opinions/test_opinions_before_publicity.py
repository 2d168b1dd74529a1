"""All three opinions signed and positive before the provincial publicity."""
from nominate.opinions import operations as oops
from nominate.publicity import operations as pops
from tests.factories import refused


def test_opinions_must_be_signed_and_positive(f, walk, db, clock):
    nom = walk.to(f.individual(), "formal_materials")
    f.photo(nom)
    from nominate.nominations.operations import submit_formal_materials

    submit_formal_materials(nom, f.city())
    db.session.commit()
    err = refused(db, lambda: pops.start_publicity([nom], "province", f.office, "2021-09-13"), "opinions_missing")
    assert "纪检监察部门意见" in err.message and "省级公安部门意见" in err.message
    oops.request_police_opinions([nom], f.office)
    slots = {o.slot.value: o for o in nom.opinions}
    oops.sign_opinion(slots["discipline"], f.user("signer_discipline", "taiyuan"), verdict="agree", text="",
                      signer_name="赵纪")
    oops.sign_opinion(slots["personnel"], f.user("signer_personnel", "taiyuan"), verdict="agree", text="同意",
                      signer_name="钱组")
    oops.sign_opinion(slots["police"], f.user("signer_police", "shanxi"), verdict="disagree",
                      text="该同志有违法记录", signer_name="孙警")
    db.session.commit()
    refused(db, lambda: pops.start_publicity([nom], "province", f.office, "2021-09-13"), "opinion_negative")
