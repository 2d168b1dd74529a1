"""Bundles as jobs: the same documents as the streamed download, progress per document, a download for the
requester and anyone else allowed that bundle, kept for BUNDLE_KEEP_HOURS and then removed."""

import io

import pytest
import zipfile

import sqlalchemy as sa

from nominate.jobs import operations
from nominate.jobs.models import BundleJob, JobStatus


def test_a_bundle_job_builds_what_the_download_streams(app, f, walk, db, client, login, tmp_path):
    app.config["BUNDLE_DIR"] = str(tmp_path / "bundles")
    try:
        walk.to(f.window(), "province_review")
        walk.to(f.individual(), "province_review")
        streamed = login(f.city()).get(f"/documents/bundles/{f.org('taiyuan').id}/preliminary")
        streamed_names = sorted(zipfile.ZipFile(io.BytesIO(streamed.data)).namelist())

        r = client.post("/jobs/bundles", data={"org_id": f.org("taiyuan").id, "stage": "preliminary"})
        assert r.status_code == 302
        job = db.session.scalars(sa.select(BundleJob)).one()
        assert job.status == JobStatus.QUEUED and job.total == len(streamed_names) and job.done == 0
        page = client.get(r.headers["Location"]).get_data(as_text=True)
        assert "排队中" in page and 'http-equiv="refresh"' in page and f'max="{job.total}"' in page

        operations.build(job.id)  # what the worker runs
        db.session.expire_all()
        job = db.session.get(BundleJob, job.id)
        assert job.status == JobStatus.DONE and job.done == job.total
        page = client.get(f"/jobs/bundles/{job.id}").get_data(as_text=True)
        assert "已完成" in page and 'http-equiv="refresh"' not in page and f"/jobs/bundles/{job.id}/download" in page

        # the office may download it too; another city may not
        got = login(f.office).get(f"/jobs/bundles/{job.id}/download")
        assert got.status_code == 200 and sorted(zipfile.ZipFile(io.BytesIO(got.data)).namelist()) == streamed_names
        assert login(f.city("datong")).get(f"/jobs/bundles/{job.id}/download").status_code == 403

        operations.build(job.id)  # run twice: nothing changes
        assert db.session.get(BundleJob, job.id).status == JobStatus.DONE

        # kept for the configured time, then removed
        path = job.file_path
        f.clock.set("2021-12-31")
        assert operations.expire() == 1
        job = db.session.get(BundleJob, job.id)
        assert job.status == JobStatus.EXPIRED and not (tmp_path / "bundles").joinpath(path).exists()
        assert login(f.city()).get(f"/jobs/bundles/{job.id}/download").status_code == 404
    finally:
        app.config["BUNDLE_DIR"] = None


def test_a_failing_bundle_is_recorded_and_shown_to_the_admin(app, f, walk, db, login, monkeypatch, tmp_path):
    app.config["BUNDLE_DIR"] = str(tmp_path / "bundles")
    try:
        walk.to(f.window(), "province_review")
        job = operations.request_bundle(f.city(), f.org("taiyuan"), "preliminary")
        db.session.commit()
        from nominate.documents import bundle as bundle_module

        def broken(*_a, **_k):
            raise RuntimeError("模板损坏（测试）")

        monkeypatch.setattr(bundle_module, "render_data", broken)
        operations.build(job.id)
        job = db.session.get(BundleJob, job.id)
        assert job.status == JobStatus.FAILED and "模板损坏" in job.error
        assert list((tmp_path / "bundles").glob("*")) == []  # no half-written file is left
        page = login(f.user("admin", "shanxi")).get("/notifications/admin").get_data(as_text=True)
        assert "模板损坏（测试）" in page
    finally:
        app.config["BUNDLE_DIR"] = None


def test_asking_for_a_bundle_one_may_not_download_is_refused_and_writes_nothing(f, walk, db, login):
    walk.to(f.window(), "province_review")
    r = login(f.city("datong")).post("/jobs/bundles", data={"org_id": f.org("taiyuan").id, "stage": "preliminary"})
    assert r.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BundleJob)) == 0
    r = login(f.city()).post("/jobs/bundles", data={"org_id": f.org("taiyuan").id, "stage": "nonsense"})
    assert r.status_code == 404 and db.session.scalar(sa.select(sa.func.count()).select_from(BundleJob)) == 0



@pytest.mark.libreoffice
def test_pdf_conversions_run_in_the_job(app, f, walk, db, login, tmp_path):
    from nominate.core import pdf

    if not pdf.available():
        pytest.skip("LibreOffice is not installed")
    app.config["BUNDLE_DIR"] = str(tmp_path / "bundles")
    try:
        walk.to(f.window(), "province_review")
        r = login(f.city()).post("/jobs/bundles", data={"org_id": f.org("taiyuan").id, "stage": "preliminary",
                                                        "fmt": "pdf"})
        assert r.status_code == 302
        job = db.session.scalars(sa.select(BundleJob)).one()
        operations.build(job.id)
        db.session.expire_all()
        job = db.session.get(BundleJob, job.id)
        assert job.status == JobStatus.DONE and job.filename.endswith("（PDF）.zip"), job.error
        archive = zipfile.ZipFile(job.file_path)
        names = archive.namelist()
        assert names and not [n for n in names if n.endswith(".docx")]
        pdfs = [n for n in names if n.endswith(".pdf")]
        assert pdfs and all(archive.read(n).startswith(b"%PDF") for n in pdfs)
        assert any(n.endswith(".xlsx") for n in names)  # Excel tables stay as they are
    finally:
        app.config["BUNDLE_DIR"] = None
