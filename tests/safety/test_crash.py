"""A process killed in the middle of an event or of a batch submission leaves no half-written state,
and the audit table can only be appended to."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from nominate.audit.models import AuditEvent
from nominate.nominations.models import Nomination
from tests.conftest import ROOT
from tests.factories import snapshot

SCRIPT = """
import sys
from nominate import create_app
from nominate.extensions import db
uri, today, what, ident, user_id, event = sys.argv[1:7]
app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "NOMINATE_TODAY": today, "SECRET_KEY": "crash"})
with app.app_context():
    from nominate.accounts.models import User
    from nominate.batches.models import CityBatch
    from nominate.batches.operations import submit_city_batch
    from nominate.nominations.models import Nomination
    from nominate.workflow.engine import fire_event
    user = db.session.get(User, int(user_id))
    if what == "batch":
        submit_city_batch(db.session.get(CityBatch, int(ident)), user)
    else:
        fire_event(db.session.get(Nomination, int(ident)), event, user)
    db.session.commit()
"""


def killed_midway(app, tmp_path, what, ident, user_id, event):
    marker = tmp_path / "paused"
    env = {**os.environ, "NOMINATE_FAULT_PAUSE": f"after_event:{event}", "NOMINATE_FAULT_MARKER": str(marker),
           "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, app.config["SQLALCHEMY_DATABASE_URI"],
                             app.config["NOMINATE_TODAY"], what, str(ident), str(user_id), event], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
        assert time.monotonic() < deadline, "the child never reached the pause point"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.slow
def test_killed_during_a_batch_submission_nothing_is_half_submitted(app, f, walk, db, tmp_path):
    from nominate.batches.operations import set_batch_report

    noms = [walk.to(f.window(), "city_recommended"),
            walk.to(f.window(window_name="小店区坞城街道社保所", window_level="township"), "city_recommended")]
    set_batch_report(noms[0].batch, f.city(), report_text="经局党组研究决定推荐……")
    db.session.commit()
    before = snapshot(db)
    batch_id, city_id = noms[0].batch_id, f.city().id
    db.session.remove()
    killed_midway(app, tmp_path, "batch", batch_id, city_id, "submit_to_province")
    assert snapshot(db) == before  # every row count and every (state, version) as before
    states = db.session.scalars(sa.select(Nomination.state)).all()
    assert {s.value for s in states} == {"city_recommended"}
    assert not db.session.scalar(sa.select(AuditEvent).filter_by(action="submit_to_province"))


@pytest.mark.slow
def test_killed_during_an_event_changes_nothing(app, f, walk, db, tmp_path):
    nom = walk.to(f.window(), "province_review")
    before = snapshot(db)
    nom_id, office_id = nom.id, f.office.id
    db.session.remove()
    killed_midway(app, tmp_path, "event", nom_id, office_id, "select")
    assert snapshot(db) == before
    # and the database is usable at once: the same event now goes through
    from nominate.workflow.engine import fire_event

    fire_event(db.session.get(Nomination, nom_id), "select", f.office)
    db.session.commit()
    assert db.session.get(Nomination, nom_id).state.value == "province_selected"


def test_no_code_path_updates_or_deletes_audit_rows():
    offenders = []
    for path in (Path(ROOT) / "nominate").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in ("delete(AuditEvent", "update(AuditEvent", "AuditEvent.__table__.delete",
                       "AuditEvent.__table__.update", "DELETE FROM audit_events", "UPDATE audit_events"):
            if needle in text:
                offenders.append(f"{path.name}: {needle}")
    assert offenders == []
