"""Concurrent clients: quotas are never exceeded and an event applies once (SQLite and PostgreSQL)."""
import threading

from nominate.accounts.models import User
from nominate.core.errors import DomainError
from nominate.extensions import db as _db
from nominate.nominations.models import Nomination
from nominate.workflow.engine import fire_event
from tests.factories import make_id_number


def race(app, jobs):
    """Run each (nomination_id, event, user_id) in its own thread and session, all released at once."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, nom_id, event, user_id):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                nom = _db.session.get(Nomination, nom_id)
                user = _db.session.get(User, user_id)
                fire_event(nom, event, user)
                _db.session.commit()
                results[i] = "ok"
            except DomainError as exc:
                _db.session.rollback()
                results[i] = exc.code
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=run, args=(i, *job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


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
