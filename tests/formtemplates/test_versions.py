"""A campaign's own template versions through the admin's page: refused uploads name the reason and store
nothing; an accepted one is used only once put into use; an earlier one can be restored; each step audited."""
from __future__ import annotations

import io
import zipfile

import docx
import pytest

from form_templates import template_path
from nominate.audit.models import AuditEvent
from nominate.formtemplates.models import TemplateVersion
from nominate.formtemplates.queries import template_source
from tests.signin import sign_in


def login(client, user):
    sign_in(client, user)


def edited(key: str, edit) -> bytes:
    document = docx.Document(template_path(key))
    edit(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def with_paragraph(text: str) -> bytes:
    return edited("window_approval", lambda d: d.add_paragraph(text))


def upload(client, data: bytes, form="window_approval", name="附件2.docx"):
    return client.post("/admin/templates", data={"form": form, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def audit_actions(db) -> list[str]:
    return [e.action for e in db.session.scalars(db.select(AuditEvent).where(AuditEvent.action.like("template%"))
                                                 .order_by(AuditEvent.id))]


def window_form_text(client, f, walk, city: str) -> str:
    """The text of a real nominee's 附件2 as downloaded by the city."""
    nom = f.window(city, window_name=f"{city}窗口")
    walk.to(nom, "city_recommended")
    login(client, f.city(city))
    resp = client.get(f"/documents/nominations/{nom.id}/window_approval")
    assert resp.status_code == 200
    return "\n".join(p.text for p in docx.Document(io.BytesIO(resp.data)).paragraphs)


@pytest.fixture()
def admin(f, client):
    user = f.user("admin", "shanxi")
    login(client, user)
    return user


@pytest.mark.parametrize("data,named", [
    (with_paragraph("{{ window.code }}"), "window.code"),
    (with_paragraph("{{ stamp_image }}"), "stamp_image"),
    (with_paragraph("{{ window.__class__ }}"), "window.__class__"),
    (with_paragraph("{% macro box(x) %}{{ x }}{% endmacro %}"), "macro"),
])
def test_a_refused_upload_names_the_reason_and_stores_nothing(client, db, admin, data, named):
    resp = upload(client, data)
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "模板未被接受" in page and named in page
    assert db.session.scalar(db.select(db.func.count()).select_from(TemplateVersion)) == 0
    assert audit_actions(db) == []


def test_a_word_macro_upload_is_refused(client, db, admin):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template_path("window_approval").read_bytes())) as src, \
            zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    resp = upload(client, out.getvalue())
    assert resp.status_code == 422 and "模板含有宏" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(TemplateVersion)) == 0


def test_not_a_docx_is_refused_naming_the_field(client, db, admin):
    resp = upload(client, b"hello", name="附件2.txt")
    assert resp.status_code == 422 and "模板文件必须是 Word 文档（.docx）" in resp.get_data(as_text=True)


def test_upload_use_restore_and_committed_again(client, db, f, walk, admin):
    v1_data = with_paragraph("本表由山西省人社厅第一次修订")
    v2_data = with_paragraph("本表由山西省人社厅第二次修订")
    resp = upload(client, v1_data)
    assert resp.status_code == 302
    v1 = db.session.scalar(db.select(TemplateVersion).filter_by(number=1))
    assert (v1.form, v1.in_use, v1.uploaded_by_name, v1.content) == ("window_approval", False, admin.display_name,
                                                                     v1_data)
    # uploaded, not yet in use: documents still come from the committed file
    assert template_source(f.campaign.id, "window_approval").version is None
    committed_hash = template_source(f.campaign.id, "window_approval").sha256
    assert "第一次修订" not in window_form_text(client, f, walk, "taiyuan")
    login(client, admin)

    assert client.post(f"/admin/templates/{v1.id}/use").status_code == 302
    assert upload(client, v2_data).status_code == 302
    v2 = db.session.scalar(db.select(TemplateVersion).filter_by(number=2))
    assert client.post(f"/admin/templates/{v2.id}/use").status_code == 302
    source = template_source(f.campaign.id, "window_approval")
    assert (source.version.id, source.sha256) == (v2.id, v2.sha256) and source.sha256 != committed_hash
    db.session.expire_all()
    assert [v.in_use for v in (db.session.get(TemplateVersion, v1.id), db.session.get(TemplateVersion, v2.id))] == [
        False, True]

    # restore the earlier version, then the committed file
    assert client.post(f"/admin/templates/{v1.id}/use").status_code == 302
    assert template_source(f.campaign.id, "window_approval").version.id == v1.id
    assert "本表由山西省人社厅第一次修订" in window_form_text(client, f, walk, "datong")
    login(client, admin)
    assert client.post("/admin/templates/committed", data={"form": "window_approval"}).status_code == 302
    assert template_source(f.campaign.id, "window_approval").version is None
    assert "修订" not in window_form_text(client, f, walk, "yangquan")
    assert audit_actions(db) == ["template_uploaded", "template_version_used", "template_uploaded",
                                 "template_version_used", "template_version_used", "template_committed_used"]
    used = db.session.scalars(db.select(AuditEvent).filter_by(action="template_version_used")
                              .order_by(AuditEvent.id)).all()
    assert [e.data["version"] for e in used] == [1, 2, 1] and used[2].data["replaced"] == [2]


def test_the_page_lists_versions_with_who_and_which_is_in_use(client, db, admin):
    upload(client, with_paragraph("修订"))
    v = db.session.scalar(db.select(TemplateVersion))
    client.post(f"/admin/templates/{v.id}/use")
    page = client.get("/admin/templates").get_data(as_text=True)
    assert "第 1 版（上传）" in page and admin.display_name in page and "使用中" in page
    download = client.get(f"/admin/templates/{v.id}/file")
    assert download.status_code == 200 and download.data == v.content


@pytest.mark.parametrize("role,org", [("province_office", "shanxi"), ("city_bureau", "taiyuan")])
def test_only_the_admin_manages_templates(client, db, f, role, org):
    login(client, f.user(role, org))
    assert upload(client, with_paragraph("修订")).status_code == 403
    assert client.get("/admin/templates").status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(TemplateVersion)) == 0


def test_bundles_and_batch_downloads_use_the_version_in_use(client, db, f, walk, admin):
    """Requests and bundles render through one lookup: the city's 初审 ZIP carries the campaign's 附件5."""
    mark = "附件5 按本省二〇二一年修订式样填报"
    upload(client, edited("window_summary", lambda d: d.add_paragraph(mark)), form="window_summary")
    version = db.session.scalar(db.select(TemplateVersion))
    client.post(f"/admin/templates/{version.id}/use")
    nom = f.window("taiyuan", window_name="太原窗口")
    walk.to(nom, "city_recommended")
    login(client, f.city("taiyuan"))
    single = client.get(f"/documents/batches/{nom.batch.id}/window_summary")
    assert single.status_code == 200
    assert mark in [p.text for p in docx.Document(io.BytesIO(single.data)).paragraphs]
    resp = client.get(f"/documents/bundles/{f.org('taiyuan').id}/preliminary")
    assert resp.status_code == 200
    with zipfile.ZipFile(io.BytesIO(resp.data)) as z:
        name = next(n for n in z.namelist() if n.endswith("附件5 优质服务窗口推荐对象汇总表.docx"))
        assert mark in [p.text for p in docx.Document(io.BytesIO(z.read(name))).paragraphs]
        other = next(n for n in z.namelist() if n.endswith("附件6 优质服务先进个人推荐对象汇总表.docx"))
        assert mark not in "".join(p.text for p in docx.Document(io.BytesIO(z.read(other))).paragraphs)


def test_a_bundle_job_uses_the_version_in_use(app, client, db, f, walk, admin, tmp_path):
    """The worker renders through the same lookup as a request: its ZIP carries the campaign's 附件5."""
    import sqlalchemy as sa

    from nominate.jobs import operations as jobs
    from nominate.jobs.models import BundleJob, JobStatus

    mark = "附件5 按本省二〇二一年修订式样填报（后台任务）"
    upload(client, edited("window_summary", lambda d: d.add_paragraph(mark)), form="window_summary")
    client.post(f"/admin/templates/{db.session.scalar(db.select(TemplateVersion)).id}/use")
    app.config["BUNDLE_DIR"] = str(tmp_path / "bundles")
    try:
        walk.to(f.window(), "province_review")
        login(client, f.city())
        assert client.post("/jobs/bundles", data={"org_id": f.org("taiyuan").id, "stage": "preliminary"}
                           ).status_code == 302
        job = db.session.scalars(sa.select(BundleJob)).one()
        jobs.build(job.id)  # what the worker runs
        db.session.expire_all()
        job = db.session.get(BundleJob, job.id)
        assert job.status == JobStatus.DONE
        got = client.get(f"/jobs/bundles/{job.id}/download")
        with zipfile.ZipFile(io.BytesIO(got.data)) as z:
            name = next(n for n in z.namelist() if n.endswith("附件5 优质服务窗口推荐对象汇总表.docx"))
            assert mark in [p.text for p in docx.Document(io.BytesIO(z.read(name))).paragraphs]
    finally:
        app.config["BUNDLE_DIR"] = None
