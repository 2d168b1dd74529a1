"""A list asks which events a user may fire once per state and scope (engine.allowed_events, memoised per request
by permissions.fire_scope): every row still gets exactly the events ``can_fire`` allows it."""
from nominate.nominations.models import Nomination
from nominate.nominations.permissions import can_fire
from nominate.workflow import engine
from tests.factories import make_id_number


def test_memoised_allowed_events_equal_can_fire_for_every_user_and_row(app, f, walk, db):
    walk.to(f.window(), "city_recommended")
    walk.to(f.individual(), "province_review")
    f.window("datong", window_name="大同窗口")
    nominee_number = make_id_number("19800101", 61)
    f.individual("datong", person_name="大同人", id_number=nominee_number)
    walk.to(f.individual(id_number=make_id_number("19810101", 62), person_name="太原人"), "city_review")
    db.session.commit()
    users = [f.office, f.city(), f.city("datong"), f.ministry, f.user("signer_police", "shanxi"),
             f.user("city_bureau", "datong", name="datong-nominee", id_number=nominee_number)]  # a colleague who is a nominee
    noms = db.session.scalars(db.select(Nomination).order_by(Nomination.id)).all()
    with app.test_request_context():
        for user in users:
            for _ in range(2):  # the second round answers from the memo
                for nom in noms:
                    expected = [t.event for t in nom.workflow.events_from(nom.state.value)
                                if not t.internal and can_fire(user, nom, t)]
                    assert [t.event for t in engine.allowed_events(user, nom)] == expected, (user.role, nom.id)
    assert any(engine.allowed_events(f.city(), n) for n in noms)
