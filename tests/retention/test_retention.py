"""The retention command on the demo: exactly the non-awarded nominees of an expired campaign are
anonymised, in every place; no copy of their numbers or photos is left in the database (nor in the SQLite
file's pages); the awarded nominees' documents are unchanged; a restore of an older backup warns."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import sqlalchemy as sa
from PIL import Image

from nominate.accounts.models import Role, User
from nominate.audit.models import AuditEvent
from nominate.campaigns.models import Campaign
from nominate.honours import operations as hops
from nominate.honours.models import Honour
from nominate.nominations.enums import NominationKind
from nominate.nominations.models import Nomination
from nominate.nominations.operations import upload_photo
from nominate.nominations.permissions import person_key

KEEP = {"awarded", "revoked"}


def _png(seed) -> bytes:
    """A noisy image: its bytes occur nowhere else, so a fragment of them is a fingerprint."""
    import random

    buf = io.BytesIO()
    Image.frombytes("RGB", (350, 490), random.Random(str(seed)).randbytes(350 * 490 * 3)).save(buf, "PNG")
    return buf.getvalue()


def _document_xml(nom) -> str:
    from nominate.documents import rendering

    form = "window_approval" if nom.kind == NominationKind.WINDOW else "individual_approval"
    with zipfile.ZipFile(io.BytesIO(rendering.nomination_file(nom, form).data)) as z:
        return z.read("word/document.xml").decode()


def _every_value(db):
    """Every text and binary value in every table of the database."""
    conn = db.session.connection()
    for table in db.metadata.sorted_tables:
        for row in conn.execute(sa.select(table)):
            for value in row:
                if isinstance(value, (bytes, memoryview)):
                    yield bytes(value)
                elif value is not None:
                    yield str(value)


def _prepare(db):
    """Make the copies the command must find: a distinct photo and a scanned certificate of non-awarded
    individuals, a scan of an awarded individual's honour."""
    office = db.session.scalar(db.select(User).filter_by(role=Role.PROVINCE_OFFICE))
    noms = db.session.scalars(db.select(Nomination).order_by(Nomination.id)).all()
    draft = next(n for n in noms if n.kind == NominationKind.INDIVIDUAL and n.state.value in ("draft", "returned")
                 and n.id_number)
    owner = db.session.scalar(db.select(User).filter_by(organisation_id=draft.owner_org_id, role=Role.CITY_BUREAU))
    upload_photo(draft, owner, _png((201, 13, 77)), 5 * 1024 * 1024)
    scanned = {}
    for nom in noms:
        if nom.kind != NominationKind.INDIVIDUAL or not nom.id_number:
            continue
        honour = db.session.scalars(db.select(Honour).filter_by(holder_key=person_key(nom.id_number))).first()
        kept = nom.state.value in KEEP
        if honour is not None and honour.evidence is None and kept not in scanned:
            scan = _png((nom.id % 250, 200, 31 if kept else 97))
            hops.attach_evidence(honour, office, "证书.png", scan, 5 * 1024 * 1024)
            scanned[kept] = (honour.id, scan)
    from nominate.honours import importer

    gone = next(n for n in noms if n.kind == NominationKind.INDIVIDUAL and n.id_number and n.state.value not in KEEP)
    sheet = importer.template_csv().decode("utf-8-sig").splitlines()[0] + f"\nperson,{gone.person_name},{gone.id_number}\n"
    importer.stash_upload(office, "honours.csv", sheet.encode())  # previewed, never committed
    db.session.commit()
    assert set(scanned) == {True, False}
    return draft, scanned


def test_retention_anonymises_exactly_the_non_awarded_nominees_of_the_expired_campaign(demo, db, app, clock):
    draft, scanned = _prepare(db)
    campaign = db.session.scalar(db.select(Campaign))
    noms = db.session.scalars(db.select(Nomination).order_by(Nomination.id)).all()
    gone = [n for n in noms if n.state.value not in KEEP]
    kept = [n for n in noms if n.state.value in KEEP]
    assert gone and kept and {n.state.value for n in kept} == {"awarded"}
    kept_values = {n.id: (n.id_number, n.phone, n.leader_phone, n.photo.content if n.photo else None) for n in kept}
    numbers = {n.id_number for n in gone if n.id_number} - {n.id_number for n in kept}
    phones = ({p for n in gone for p in (n.phone, n.leader_phone) if p}
              - {p for n in kept for p in (n.phone, n.leader_phone) if p})
    photos = {n.photo.content for n in gone if n.photo} - {n.photo.content for n in kept if n.photo}
    assert numbers and phones and photos and draft.photo.content in photos

    runner = app.test_cli_runner()
    early = runner.invoke(args=["retention"])  # 2021-10-20: the campaign is running
    assert early.exit_code == 0 and "未届满" in early.output, early.output
    assert runner.invoke(args=["retention", "--apply", "--yes"]).output.strip().endswith("没有需要匿名化的个人信息")

    clock.set("2025-01-01")  # three years after the campaign's last state change
    kept_docs = {n.id: _document_xml(n) for n in kept}  # (the 填报日期 is today's)
    preview = runner.invoke(args=["retention"])
    assert preview.exit_code == 0 and "已届满" in preview.output and f"推荐对象 {len(gone)} 个" in preview.output
    assert "flask retention --apply --yes" in preview.output
    db.session.expire_all()
    assert all(n.id_number or n.phone or n.leader_phone for n in db.session.scalars(db.select(Nomination)))
    refused = runner.invoke(args=["retention", "--apply"])
    assert refused.exit_code != 0 and "不可恢复" in refused.output

    done = runner.invoke(args=["retention", "--apply", "--yes"])
    assert done.exit_code == 0 and f"已匿名化 {len(gone)} 个推荐对象" in done.output, done.output

    db.session.expire_all()
    for n in db.session.scalars(db.select(Nomination).where(Nomination.id.in_([n.id for n in gone]))):
        assert (n.id_number, n.phone, n.leader_phone, n.photo) == (None, None, None, None), n
    for n in db.session.scalars(db.select(Nomination).where(Nomination.id.in_(list(kept_values)))):
        assert (n.id_number, n.phone, n.leader_phone, n.photo.content if n.photo else None) == kept_values[n.id]
        assert _document_xml(n) == kept_docs[n.id]  # the awarded nominees' documents are unchanged
    gone_honour, kept_honour = db.session.get(Honour, scanned[False][0]), db.session.get(Honour, scanned[True][0])
    assert gone_honour.evidence is None and gone_honour.id_number is None
    assert kept_honour.evidence.content == scanned[True][1] and kept_honour.id_number

    # no copy anywhere in the database
    for value in _every_value(db):
        if isinstance(value, bytes):
            assert not any(p in value for p in photos | {scanned[False][1]})
            assert not any(x.encode() in value for x in numbers | phones)  # uploaded sheets
        else:
            assert not any(x in value for x in numbers | phones), value[:200]
    if db.engine.dialect.name == "sqlite":  # nor in the file's free pages
        raw = Path(db.engine.url.database).read_bytes()
        assert not any(x.encode() in raw for x in numbers | phones)
        assert not any(p[len(p) // 2:len(p) // 2 + 64] in raw for p in photos | {scanned[False][1]})  # past the common headers

    # audited, once per nominee, and the campaign's run
    anonymised = db.session.scalars(db.select(AuditEvent).filter_by(action="personal_data_anonymised")).all()
    assert sorted(e.nomination_id for e in anonymised) == sorted(n.id for n in gone)
    run = db.session.scalar(db.select(AuditEvent).filter_by(action="retention_applied"))
    assert run.campaign_id == campaign.id and run.data["nominations"] == len(gone)

    again = runner.invoke(args=["retention", "--apply", "--yes"])
    assert again.exit_code == 0 and "没有需要匿名化的个人信息" in again.output
    assert db.session.scalar(db.select(sa.func.count()).select_from(AuditEvent)
                             .filter_by(action="retention_applied")) == 1


def test_restoring_an_older_backup_warns_which_campaign_must_be_anonymised_again(demo, db, app, clock, tmp_path):
    if db.engine.dialect.name != "sqlite":
        import shutil

        if shutil.which("pg_dump") is None:
            import pytest

            pytest.skip("pg_dump not installed")
    runner = app.test_cli_runner()
    backup = str(tmp_path / "before.db")
    assert runner.invoke(args=["backup", backup]).exit_code == 0
    clock.set("2025-01-01")
    assert runner.invoke(args=["retention", "--apply", "--yes"]).exit_code == 0
    restored = runner.invoke(args=["restore", backup, "--yes"])
    assert restored.exit_code == 0
    assert "警告：评选活动 shanxi-2021" in restored.output and "flask retention --apply --yes --campaign shanxi-2021" \
        in restored.output
    assert runner.invoke(args=["retention", "--apply", "--yes"]).exit_code == 0
    assert runner.invoke(args=["retention"]).output.count("：0") >= 4  # done again: nothing left


def test_no_retention_before_expiry_and_a_bad_retention_setting_is_refused(db, f, walk, clock):
    import pytest
    import yaml

    from nominate.campaigns.loader import CampaignFileError, validate_config
    from nominate.core.errors import DomainError
    from nominate.retention.operations import anonymise_campaign
    from tests.conftest import SHANXI

    nom = walk.to(f.individual(), "city_review")  # a state change, then abandoned
    with pytest.raises(DomainError, match="尚未届满"):
        anonymise_campaign(nom.campaign)
    clock.set("2030-01-01")
    anonymise_campaign(nom.campaign)
    assert nom.id_number is None

    config = yaml.safe_load(SHANXI.read_text(encoding="utf-8"))
    for bad, message in (({"personal_data_years": 0}, "1 至 100"), ({"personal_data_years": "三"}, "格式"),
                         ({"personal_data_years": 3, "keep_states": ["gold"]}, "gold"), ([3], "键值")):
        with pytest.raises(CampaignFileError, match=message):
            validate_config({**config, "retention": bad})


def test_notification_texts_and_stored_bundles_are_places_of_their_own(db, f, walk, clock, tmp_path):
    """A notice whose text quotes the nominee's number or a phone (a typed return reason, say) is masked, and a
    bundle file kept by the job system (it holds 附件3 and the photos) is removed: copies the command must reach."""
    from nominate.jobs.models import BundleJob, JobStatus
    from nominate.notifications.models import Notification
    from nominate.retention.operations import anonymise_campaign, plan

    nom = walk.to(f.individual(), "city_review")
    number, city = nom.id_number, f.city()
    notice = Notification(user_id=city.id, kind="batch_returned", subject=f"退回：{nom.person_name}",
                          body=f"身份证号{number}有误，请联系13812345678核实", sms_text=f"{number}有误",
                          nomination_id=nom.id, campaign_id=nom.campaign_id)
    stored = tmp_path / "太原市 初审材料.zip"
    stored.write_bytes(b"PK" + number.encode())
    job = BundleJob(campaign_id=nom.campaign_id, organisation_id=city.organisation_id, stage="preliminary",
                    status=JobStatus.DONE, file_path=str(stored), requested_by_id=city.id)
    db.session.add_all([notice, job])
    db.session.commit()

    clock.set("2030-01-01")
    counts = plan(nom.campaign).counts
    assert counts["notification_texts"] == 1 and counts["stored_bundles"] == 1
    anonymise_campaign(nom.campaign)
    db.session.commit()
    db.session.expire_all()
    texts = " ".join((notice.subject, notice.body, notice.sms_text))
    assert number not in texts and "13812345678" not in texts and "有误" in notice.body
    assert not stored.exists() and job.file_path is None and job.status == JobStatus.EXPIRED
    assert plan(nom.campaign).counts["notification_texts"] == 0
