"""Concurrent clients: quotas are never exceeded and an event applies once (SQLite and PostgreSQL)."""
import threading

from nominate.accounts.models import User
from nominate.core.errors import DomainError
from nominate.extensions import db as _db
from nominate.nominations.models import Nomination
from nominate.workflow.engine import fire_event
from tests.factories import make_id_number


def race(app, jobs):
    """Fire each (nomination_id, event, user_id) in its own thread and session, all released at once."""
    def job(nom_id, event, user_id):
        return lambda: fire_event(_db.session.get(Nomination, nom_id), event, _db.session.get(User, user_id))
    return race_calls(app, [job(*j) for j in jobs])


def _set_province_quota(f, db, individual):
    quotas = {**f.campaign.config["quotas"], "province": {"window": 12, "individual": individual}}
    f.campaign.config = {**f.campaign.config, "quotas": quotas}
    db.session.commit()


def test_last_province_place_goes_to_exactly_one(app, f, walk, db):
    noms = [walk.to(f.individual(city, person_name=f"候选{i}", id_number=make_id_number("19800101", 100 + i)),
                    "province_review")
            for i, city in enumerate(["taiyuan", "datong", "yangquan", "changzhi"])]
    _set_province_quota(f, db, 1)
    office_id, ids = f.office.id, [n.id for n in noms]
    db.session.remove()
    results = race(app, [(i, "select", office_id) for i in ids])
    assert sorted(results) == ["ok"] + ["province_quota_full"] * 3
    selected = db.session.scalar(db.select(db.func.count()).where(Nomination.selected_at.is_not(None)))
    assert selected == 1


def test_same_event_twice_applies_once(app, f, walk, db):
    nom = walk.to(f.window(), "province_review")
    nom_id, office_id = nom.id, f.office.id
    db.session.remove()
    results = race(app, [(nom_id, "select", office_id)] * 3)
    assert sorted(results) == ["event_not_allowed", "event_not_allowed", "ok"]
    from nominate.audit.models import AuditEvent

    n = db.session.scalar(db.select(db.func.count()).where(AuditEvent.nomination_id == nom_id,
                                                           AuditEvent.action == "select"))
    assert n == 1


def test_last_city_place_goes_to_exactly_one(app, f, walk, db):
    noms = [walk.to(f.individual(person_name=f"候选{i}", id_number=make_id_number("19800101", 200 + i)),
                    "city_review") for i in range(3)]
    city_id, ids = f.city().id, [n.id for n in noms]
    db.session.remove()
    results = race(app, [(i, "recommend", city_id) for i in ids])
    assert sorted(results) == ["city_quota_full", "city_quota_full", "ok"]


def race_calls(app, calls):
    """Run each call() in its own thread, app context and session, all released at once."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                call()
                _db.session.commit()
                results[i] = "ok"
            except DomainError as exc:
                _db.session.rollback()
                results[i] = exc.code
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_batches_submitted_while_the_office_selects_never_exceed_the_province_quota(app, f, walk, db):
    from nominate.batches import operations as bops
    from nominate.batches.models import CityBatch

    cities = ["taiyuan", "datong", "yangquan", "changzhi", "jincheng", "shuozhou"]
    in_review = [walk.to(f.individual(c, person_name=f"候选{i}", id_number=make_id_number("19800101", 300 + i)),
                         "province_review") for i, c in enumerate(cities[:3])]
    waiting = [walk.to(f.individual(c, person_name=f"待报{i}", id_number=make_id_number("19800101", 400 + i)),
                       "city_recommended") for i, c in enumerate(cities[3:])]
    for n in waiting:
        bops.set_batch_report(n.batch, f.city(n.owner_org.code), report_text="经局党组研究决定推荐……")
    _set_province_quota(f, db, 2)
    office_id = f.office.id
    review_ids = [n.id for n in in_review]
    batches = [(n.batch_id, f.city(n.owner_org.code).id) for n in waiting]
    db.session.remove()

    def select(nom_id):
        return lambda: fire_event(_db.session.get(Nomination, nom_id), "select", _db.session.get(User, office_id))

    def submit(batch_id, user_id):
        return lambda: bops.submit_city_batch(_db.session.get(CityBatch, batch_id), _db.session.get(User, user_id))

    results = race_calls(app, [select(i) for i in review_ids] + [submit(*b) for b in batches])
    assert sorted(results[:3]) == ["ok", "ok", "province_quota_full"] and results[3:] == ["ok"] * 3
    assert db.session.scalar(db.select(db.func.count()).where(Nomination.selected_at.is_not(None))) == 2
    assert db.session.scalar(db.select(db.func.count()).where(Nomination.state == "province_review")) == 4


def test_closing_a_publicity_twice_at_once_is_harmless(app, f, walk, db, clock):
    from nominate.audit.models import AuditEvent
    from nominate.publicity import operations as pops
    from nominate.publicity.models import PublicityPeriod

    noms = [f.window(c) for c in ("taiyuan", "datong")]
    from nominate.nominations.operations import submit_formal_materials

    for nom in noms:
        walk.to(nom, "formal_materials")
        submit_formal_materials(nom, f.city(nom.owner_org.code))
    period_id = pops.start_publicity(noms, "province", f.office, "2021-09-13").id
    db.session.commit()
    nom_ids = [n.id for n in noms]
    clock.set("2021-09-22")
    office_id = f.office.id
    db.session.remove()

    def finish():
        pops.finish_publicity(_db.session.get(PublicityPeriod, period_id), _db.session.get(User, office_id))

    results = race_calls(app, [finish] * 4)
    assert set(results) <= {"ok", "event_not_allowed"} and "ok" in results
    for nom_id in nom_ids:
        nom = db.session.get(Nomination, nom_id)
        assert nom.state.value == "province_publicized"
        assert db.session.scalar(db.select(db.func.count()).where(
            AuditEvent.nomination_id == nom.id, AuditEvent.action == "finish_province_publicity")) == 1
