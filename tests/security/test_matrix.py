"""The authorization matrix: every route and API endpoint of the app (read from ``app.url_map``, so a new
route without an entry here fails) called as every role, as users of other organisations and as the
nominee, each call allowed or refused as the table says, every refusal audited.

Each call runs inside a transaction that is rolled back afterwards, so every role meets the same data.
"""
from __future__ import annotations

import io

import pytest
from flask import g
from flask_sqlalchemy.session import Session
from PIL import Image

from nominate.accounts.models import ApiToken, UserSession, secret_hash
from nominate.audit.models import AuditEvent
from nominate.publicity import operations as pops
from tests.signin import signed_in_session

# who calls: (role, organisation code); "nominee*" carry the 身份证号 of the target individual
ROLES = {
    "anonymous": None,
    "city": ("city_bureau", "taiyuan"),
    "other_city": ("city_bureau", "datong"),
    "provincial_unit": ("provincial_unit", "shanxi-talent-center"),
    "office": ("province_office", "shanxi"),
    "discipline": ("signer_discipline", "taiyuan"),
    "personnel": ("signer_personnel", "taiyuan"),
    "other_discipline": ("signer_discipline", "datong"),
    "police": ("signer_police", "shanxi"),
    "ministry": ("ministry", "mohrss"),
    "admin": ("admin", "shanxi"),
    "nominee_clerk": ("city_bureau", "taiyuan"),
    "nominee_signer": ("signer_discipline", "taiyuan"),
}
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
NOMINATING = {"city", "other_city", "provincial_unit", "nominee_clerk"}
SIGNERS = {"discipline", "personnel", "other_discipline", "police", "nominee_signer"}
# who may see the target individual (taiyuan, formal materials, 纪检/组织 authority: taiyuan)
VIEWERS = {"city", "office", "discipline", "personnel", "police", "ministry", "admin"}
PUB_VIEWERS = {"city", "nominee_clerk", "office", "ministry", "admin"}  # the window in provincial publicity
OWNER = {"city"}
OFFICE = {"office"}
ADMIN = {"admin"}
IN_SHANXI = SIGNED_IN - {"ministry", "admin"}
# full 身份证号: the nominating city, the office, the Ministry (selected nominees) and admin; never the nominee
IDENTITY = {"city", "office", "ministry", "admin"}
BATCH_IDENTITY = {"city", "office", "admin"}
REGISTER = NOMINATING | {"office", "admin"}
# the honour (a taiyuan person's record): taiyuan's city and the province; never the holder themself
HONOUR_VIEWERS = {"city", "office", "admin"}
# the audit search: the admin, and every 纪检监察 signer (each within their own jurisdiction)
AUDITORS = {"admin", "discipline", "other_discipline", "nominee_signer"}

PHOTO = io.BytesIO()
Image.new("RGB", (350, 490), (30, 90, 200)).save(PHOTO, "PNG")

# (endpoint, method) -> who gets through, and what to send ("nom" / "pub" / "batch" … name scenario rows)
MATRIX = {
    ("static", "GET"): (EVERYONE, {"filename": "x.css"}),
    ("web.static", "GET"): (EVERYONE, {"filename": "js/app.js"}),
    ("api-docs.openapi_json", "GET"): (EVERYONE, {}),
    ("web.healthz", "GET"): (EVERYONE, {}),  # the load balancer's probe: no data, no session
    ("auth.login", "GET"): (EVERYONE, {}),
    ("auth.login", "POST"): (EVERYONE, {"data": {"username": "x", "password": "y"}}),
    ("auth.oidc_login", "GET"): (EVERYONE, {}),  # 404 while no 统一身份认证 platform is configured
    ("auth.oidc_callback", "GET"): (EVERYONE, {"query": "?code=x&state=y"}),
    ("auth.logout", "POST"): (SIGNED_IN, {}),
    ("auth.password", "GET"): (SIGNED_IN, {}),
    ("auth.password", "POST"): (SIGNED_IN, {"data": {"current": "wrong", "new": "another-pass"}}),
    ("auth.two_factor", "GET"): (SIGNED_IN, {}),
    ("auth.two_factor", "POST"): (SIGNED_IN, {"data": {"code": "000000"}}),
    ("auth.two_factor_enrol", "GET"): (SIGNED_IN, {}),
    ("auth.two_factor_enrol", "POST"): (SIGNED_IN, {"data": {"code": "000000"}}),
    ("auth.sessions", "GET"): (SIGNED_IN, {}),
    ("auth.end_session", "POST"): (OWNER, {"session_id": "city_session"}),
    ("auth.end_other_sessions", "POST"): (SIGNED_IN, {}),
    ("auth.tokens", "GET"): (SIGNED_IN, {}),
    # a token only from a session that passed two factors: the city roles sign in with the password alone
    ("auth.tokens", "POST"): (SIGNED_IN - NOMINATING, {"data": {"name": "脚本"}}),
    ("auth.revoke_token", "POST"): (OWNER, {"token_id": "city_token"}),
    ("auth.invitation", "GET"): (EVERYONE, {"token": "no-such-invitation"}),
    ("auth.invitation", "POST"): (EVERYONE, {"token": "no-such-invitation",
                                             "data": {"password": "New-user-pass-7", "confirm": "New-user-pass-7"}}),
    ("api_accounts.list_tokens", "GET"): (SIGNED_IN, {}),
    ("api_accounts.revoke_token", "DELETE"): (OWNER, {"token_id": "city_token"}),
    ("web.home", "GET"): (SIGNED_IN, {}),
    ("web.workdays_end", "GET"): (SIGNED_IN, {"query": "?start=2021-09-13&days=5"}),
    ("office.timeline", "GET"): (SIGNED_IN, {}),
    ("campaigns.select", "POST"): (SIGNED_IN, {"data": {"campaign_id": "campaign"}}),
    ("nominations.index", "GET"): (SIGNED_IN, {"query": "?org=2"}),
    ("nominations.new", "GET"): (NOMINATING, {"kind": "window"}),
    ("nominations.new", "POST"): (NOMINATING, {"kind": "window", "data": {"window_name": "窗口"}}),
    ("nominations.show", "GET"): (VIEWERS, {"nomination_id": "nom"}),
    ("nominations.photo", "GET"): (VIEWERS, {"nomination_id": "nom"}),
    ("nominations.edit", "GET"): (OWNER, {"nomination_id": "nom"}),
    ("nominations.edit", "POST"): (OWNER, {"nomination_id": "nom", "data": {"person_name": "改名"}}),
    ("nominations.upload_photo", "POST"): (OWNER, {"nomination_id": "nom", "photo": True}),
    # only an unsubmitted draft can be deleted: the owner meets a 422 on ``nom`` (formal materials), others 403
    ("nominations.delete", "GET"): (OWNER, {"nomination_id": "nom"}),
    ("nominations.delete", "POST"): (OWNER, {"nomination_id": "nom"}),
    ("nominations.fire", "POST"): (OFFICE, {"nomination_id": "nom", "event": "start_province_publicity"}),
    ("nominations.submit_formal", "POST"): (OWNER, {"nomination_id": "nom"}),
    # a clerk who is one of the batch's nominees never handles it
    ("batches.dashboard", "GET"): (NOMINATING - {"nominee_clerk"}, {}),
    ("batches.save_report", "POST"): (OWNER, {"batch_id": "batch", "data": {"text": "报告"}}),
    ("batches.reorder", "POST"): (OWNER, {"batch_id": "batch", "data": {"order": "1"}}),
    ("batches.submit", "POST"): (OWNER, {"batch_id": "batch"}),
    ("batches.show", "GET"): ({"city", "office", "admin"}, {"batch_id": "batch"}),
    ("opinions.inbox", "GET"): (SIGNERS, {}),
    ("opinions.sign", "GET"): ({"discipline"}, {"opinion_id": "opinion"}),
    ("opinions.sign", "POST"): ({"discipline"}, {"opinion_id": "opinion", "data": {
        "verdict": "agree", "text": "同意推荐", "signer_name": "王明", "signed_on": "2021-09-14"}}),
    ("opinions.overview", "GET"): (OFFICE, {}),
    ("opinions.request_police", "POST"): (OFFICE, {"data": {"nomination_id": "nom"}}),
    ("office.batches", "GET"): (OFFICE, {}),
    ("office.board", "GET"): (OFFICE, {}),
    ("office.set_deadline", "POST"): (OFFICE, {"data": {"key": "formal_materials", "due": "2021-10-08"}}),
    ("office.grant_extension", "POST"): (OFFICE, {"data": {
        "organisation_id": "datong_org", "deadline_key": "preliminary_materials", "until": "2021-09-30",
        "reason": "因汛情延期"}}),
    ("publicity.index", "GET"): ({"office", "ministry"}, {}),
    ("publicity.start", "POST"): (OFFICE, {"level": "province", "data": {"nomination_id": "nom"}}),
    ("publicity.finish", "POST"): (OFFICE, {"period_id": "period"}),
    # the scanned notice of a backdated publicity: whoever may see a nominee it lists (``period`` has none: 404)
    ("publicity.notice", "GET"): (PUB_VIEWERS, {"period_id": "period"}),
    ("publicity.object", "POST"): (OFFICE, {"nomination_id": "pub", "data": {"content": "反映材料不实"}}),
    ("publicity.resolve", "POST"): (OFFICE, {"objection_id": "objection", "data": {
        "outcome": "cleared", "investigation": "经调查不属实"}}),
    ("campaigns.admin_index", "GET"): (ADMIN, {}),
    ("campaigns.admin_index", "POST"): (ADMIN, {"data": {"file": "shanxi-2021.yaml"}}),
    ("formtemplates.index", "GET"): (ADMIN, {}),
    ("formtemplates.index", "POST"): (ADMIN, {"data": {"form": "window_approval"}}),
    ("formtemplates.show", "GET"): (ADMIN, {"version_id": 999999}),
    ("formtemplates.page", "GET"): (ADMIN, {"version_id": 999999, "page": 1}),
    ("formtemplates.download", "GET"): (ADMIN, {"version_id": 999999}),
    ("formtemplates.use", "POST"): (ADMIN, {"version_id": 999999}),
    ("formtemplates.use_committed", "POST"): (ADMIN, {"data": {"form": "window_approval"}}),
    ("accounts.users", "GET"): (ADMIN, {}),
    ("accounts.users", "POST"): (ADMIN, {"data": {"username": "new-user", "display_name": "新用户",
                                                  "password": "New-user-pass-7", "role": "city_bureau",
                                                  "organisation_id": "datong_org"}}),
    ("accounts.add_organisation", "POST"): (ADMIN, {"data": {"code": "x", "name": "某县", "short_name": "某县",
                                                             "kind": "county", "parent_id": "datong_org"}}),
    ("accounts.set_active", "POST"): (ADMIN, {"user_id": "datong_user", "data": {"active": "0"}}),
    ("accounts.unlock_login", "POST"): (ADMIN, {"user_id": "datong_user"}),
    ("accounts.invite", "GET"): (ADMIN, {}),
    ("accounts.invite", "POST"): (ADMIN, {"data": {"username": "invited-user", "display_name": "新用户",
                                                   "role": "city_bureau", "organisation_id": "datong_org"}}),
    ("accounts.reset_two_factor", "POST"): (ADMIN, {"user_id": "datong_user"}),
    ("accounts.set_sso_id", "POST"): (ADMIN, {"user_id": "datong_user", "data": {"sso_id": "GH9999"}}),
    ("workdays.calendar", "GET"): (ADMIN, {}),
    ("workdays.add_override", "POST"): (ADMIN, {"data": {"day": "2021-09-18", "is_workday": "1", "note": "调休"}}),
    ("workdays.remove_override", "POST"): (ADMIN, {"day": "2021-09-18"}),
    ("workdays.declare_year", "POST"): (ADMIN, {"data": {"year": "2030", "source": "国办发明电"}}),
    # the JSON API (bearer tokens)
    ("api_campaigns.list_campaigns", "GET"): (SIGNED_IN, {}),
    ("api_campaigns.get_campaign", "GET"): (SIGNED_IN, {"campaign_id": "campaign"}),
    ("api_campaigns.list_organisations", "GET"): (SIGNED_IN, {}),
    ("api_workdays.workdays_end", "GET"): (SIGNED_IN, {"query": "?start=2021-09-13&days=5"}),
    ("api_nominations.list_nominations", "GET"): (SIGNED_IN, {}),
    ("api_nominations.create_nomination", "POST"): (NOMINATING, {"json": {
        "campaign_id": "campaign", "kind": "window", "window_name": "窗口"}}),
    ("api_nominations.get_nomination", "GET"): (VIEWERS, {"nomination_id": "nom"}),
    ("api_nominations.update_nomination", "PATCH"): (OWNER, {"nomination_id": "nom", "json": {"person_name": "改名"}}),
    ("api_nominations.delete_nomination", "DELETE"): (OWNER, {"nomination_id": "nom"}),
    ("api_nominations.list_events", "GET"): (VIEWERS, {"nomination_id": "nom"}),
    ("api_nominations.post_event", "POST"): (OFFICE, {"nomination_id": "nom",
                                                     "json": {"event": "start_province_publicity"}}),
    ("api_nominations.history", "GET"): (VIEWERS, {"nomination_id": "nom"}),
    ("api_opinions.list_opinions", "GET"): (VIEWERS, {"nomination_id": "nom"}),
    ("api_opinions.sign", "POST"): ({"discipline"}, {"opinion_id": "opinion", "json": {
        "verdict": "agree", "text": "同意推荐", "signer_name": "王明"}}),
    ("api_opinions.request_police", "POST"): (OFFICE, {"json": {"nomination_ids": ["nom"]}}),
    ("api_batches.list_batches", "GET"): (SIGNED_IN, {}),
    ("api_batches.get_batch", "GET"): ({"city", "office", "admin"}, {"batch_id": "batch"}),
    ("api_batches.put_report", "PUT"): (OWNER, {"batch_id": "batch",
                                                                     "json": {"report_text": "报告"}}),
    ("api_batches.put_order", "PUT"): (OWNER, {"batch_id": "batch", "json": {"order": ["nom"]}}),
    ("api_batches.submit", "POST"): (OWNER, {"batch_id": "batch"}),
    ("api_publicity.list_periods", "GET"): (SIGNED_IN, {}),
    ("api_publicity.start_period", "POST"): (OFFICE, {"json": {"level": "province", "nomination_ids": ["nom"],
                                                               "start_date": "2021-09-14"}}),
    ("api_publicity.get_period", "GET"): (PUB_VIEWERS, {"period_id": "period"}),
    ("api_publicity.finish_period", "POST"): (OFFICE, {"period_id": "period"}),
    ("api_publicity.create_objection", "POST"): (OFFICE, {"json": {"nomination_id": "pub", "content": "反映"}}),
    ("api_publicity.resolve", "POST"): (OFFICE, {"objection_id": "objection", "json": {
        "outcome": "cleared", "investigation": "经调查不属实"}}),
    # the filled tables
    ("documents.nomination_form", "GET"): (IDENTITY, {"nomination_id": "nom", "form": "individual_approval"}),
    ("documents.batch_form", "GET"): (BATCH_IDENTITY, {"batch_id": "batch", "form": "individual_summary"}),
    ("documents.province_form", "GET"): ({"office", "admin"}, {"campaign_id": "campaign", "form": "window_summary"}),
    ("documents.bundle", "GET"): (BATCH_IDENTITY, {"org_id": "taiyuan_org", "stage": "preliminary"}),
    ("api_documents.nomination_form", "GET"): (IDENTITY, {"nomination_id": "nom", "form": "individual_approval"}),
    ("api_documents.batch_form", "GET"): (BATCH_IDENTITY, {"batch_id": "batch", "form": "individual_summary"}),
    ("api_documents.province_form", "GET"): ({"office", "admin"}, {"campaign_id": "campaign",
                                                                   "form": "window_summary"}),
    # 消息: each user's own notices; the outbox is the admin's
    ("notifications.index", "GET"): (SIGNED_IN, {}),
    ("notifications.mark_read", "POST"): ({"discipline"}, {"notification_id": "notification"}),
    ("notifications.mark_all_read", "POST"): (SIGNED_IN, {}),
    ("notifications.settings", "GET"): (SIGNED_IN, {}),
    ("notifications.settings", "POST"): (SIGNED_IN, {"data": {"email": "a@example.gov.cn", "email_enabled": "y"}}),
    ("notifications.jobs", "GET"): (ADMIN, {}),
    ("notifications.retry", "POST"): (ADMIN, {"delivery_id": "delivery"}),
    # bundles built in the background: whoever may download that bundle
    ("jobs.new_bundle", "GET"): (BATCH_IDENTITY, {"query": "?org_id={taiyuan_org}&stage=preliminary"}),
    ("jobs.create_bundle", "POST"): (BATCH_IDENTITY, {"data": {"org_id": "taiyuan_org", "stage": "preliminary"}}),
    ("jobs.show_bundle", "GET"): (BATCH_IDENTITY, {"job_id": "bundle_job"}),
    ("jobs.download_bundle", "GET"): (BATCH_IDENTITY, {"job_id": "bundle_job"}),
    ("api_notifications.list_notifications", "GET"): (SIGNED_IN, {}),
    ("api_notifications.mark_read", "POST"): ({"discipline"}, {"notification_id": "notification"}),
    ("api_notifications.mark_all_read", "POST"): (SIGNED_IN, {}),
    # the honours register
    ("honours.index", "GET"): (REGISTER, {}),
    ("honours.new", "GET"): (REGISTER, {}),
    ("honours.new", "POST"): (REGISTER, {"data": {"holder_kind": "unit", "unit_name": "某窗口", "title": "团体一等奖",
                                                  "level": "province", "kind": "team_prize", "year": "2020"}}),
    ("honours.show", "GET"): (HONOUR_VIEWERS, {"honour_id": "honour"}),
    ("honours.evidence", "GET"): (HONOUR_VIEWERS, {"honour_id": "honour"}),
    ("honours.upload_evidence", "POST"): (HONOUR_VIEWERS, {"honour_id": "honour"}),
    ("honours.delete", "POST"): ({"office", "admin"}, {"honour_id": "honour"}),
    ("honours.decide_link", "POST"): ({"city", "office", "admin"}, {"honour_id": "honour", "nomination_id": "nom",
                                                                     "data": {"status": "confirmed"}}),
    ("honours.nomination", "GET"): ({"city", "office", "admin"}, {"nomination_id": "nom"}),
    ("honours.import_sheet", "GET"): (REGISTER, {}),
    ("honours.import_sheet", "POST"): (REGISTER, {}),
    ("honours.import_template", "GET"): (REGISTER, {"fmt": "csv"}),
    # a stash belongs to its uploader (the office): everyone else in the register gets 404, not 403
    ("honours.import_preview", "GET"): (REGISTER, {"token": "import"}),
    ("honours.import_commit", "POST"): (REGISTER, {"token": "import"}),
    ("api_honours.list_honours", "GET"): (REGISTER, {}),
    ("api_honours.create_honour", "POST"): (REGISTER, {"json": {"holder_kind": "unit", "unit_name": "某窗口",
                                                                "title": "团体一等奖", "level": "province",
                                                                "kind": "team_prize", "year": 2020}}),
    ("api_honours.get_honour", "GET"): (HONOUR_VIEWERS, {"honour_id": "honour"}),
    ("api_honours.delete_honour", "DELETE"): ({"office", "admin"}, {"honour_id": "honour"}),
    ("api_honours.decide_link", "POST"): ({"city", "office", "admin"}, {"honour_id": "honour", "json": {
        "nomination_id": "nom", "status": "confirmed"}}),
    # a nominee's honours are part of the nomination's facts: whoever may view the nomination
    ("api_honours.nomination_honours", "GET"): (VIEWERS, {"nomination_id": "nom"}),
    # each keeps its own organisation's contacts (附件7); signers, the Ministry and admin have none to keep
    ("organisations.contacts", "GET"): (NOMINATING | OFFICE, {}),
    ("organisations.contacts", "POST"): (NOMINATING | OFFICE, {"data": {"contact_name": "王晋"}}),
    # the audit search and export
    ("audit.search", "GET"): (AUDITORS, {}),
    ("audit.search", "POST"): (AUDITORS, {"data": {"nomination_id": "nom"}}),
    ("audit.export", "POST"): (AUDITORS, {"data": {"nomination_id": "nom"}}),
    ("api_audit.search", "POST"): (AUDITORS, {"json": {"nomination_id": "nom"}}),
    ("api_audit.export", "POST"): (AUDITORS, {"json": {"nomination_id": "nom"}}),
}


@pytest.fixture()
def scene(app, f, walk, db, clock):
    """A taiyuan individual in formal materials (``nom``), a taiyuan window in provincial publicity with an
    objection (``pub``), the users of every role with their tokens; the 纪检 signer has an e-mail, so the
    opinion request gives them a ``notification`` with a ``delivery`` in the outbox."""
    from nominate.notifications.models import Notification, UserContact

    discipline = f.user("signer_discipline", "taiyuan")
    db.session.add(UserContact(user_id=discipline.id, email="jijian@example.gov.cn"))
    db.session.commit()
    nom = walk.to(f.individual(), "formal_materials")
    pub = walk.to(f.window(), "province_publicity")
    clock.set("2021-09-14")
    objection = pops.record_objection(pub, f.office, content="反映其材料不实", objector_name="赵举报",
                                      objector_contact="13900001111")
    from nominate.opinions.operations import request_police_opinions

    request_police_opinions([nom], f.office)
    from nominate.honours import importer
    from nominate.honours import operations as hops

    honour = hops.create_honour(f.office, {
        "holder_kind": "person", "person_name": nom.person_name, "id_number": nom.id_number, "organisation": "taiyuan",
        "title": "全省人社“知识通”", "level": "province", "kind": "competition_title", "year": 2020})
    stash = importer.stash_upload(f.office, "honours.csv", importer.template_csv())
    db.session.commit()
    f.provincial_unit()
    users = {}
    for name, spec in ROLES.items():
        if spec is None:
            continue
        nominee = name.startswith("nominee")
        users[name] = f.user(*spec, name=name if nominee else None, id_number=nom.id_number if nominee else None)
    ids = {"nom": nom.id, "pub": pub.id, "batch": nom.batch_id, "campaign": nom.campaign_id,
           "opinion": next(o.id for o in nom.opinions if o.slot.value == "discipline"),
           "period": pops.current_period(pub, "province").id, "objection": objection.id,
           "datong_org": f.org("datong").id, "datong_user": f.city("datong").id,
           "taiyuan_org": f.org("taiyuan").id, "honour": honour.id, "import": stash}
    note = db.session.scalars(db.select(Notification).filter_by(user_id=discipline.id, kind="opinion_requested")).first()
    ids.update(notification=note.id, delivery=note.deliveries[0].id)
    from nominate.jobs.operations import request_bundle

    ids["bundle_job"] = request_bundle(f.city(), f.org("taiyuan"), "preliminary").id  # queued: no file yet
    db.session.commit()
    tokens = {k: f.token(u) for k, u in users.items()}
    # every role signed in as a person does it (password, then the TOTP code where the role must use one);
    # each call below starts from that session, as a browser keeps its cookie
    sessions = {k: signed_in_session(app, u) for k, u in users.items()}
    ids["city_session"] = db.session.scalar(db.select(UserSession.id).filter_by(
        sid_hash=secret_hash(sessions["city"]["_sid"])))
    ids["city_token"] = db.session.scalar(db.select(ApiToken.id).filter_by(user_id=users["city"].id))
    return {"ids": ids, "users": {k: u.id for k, u in users.items()}, "tokens": tokens, "sessions": sessions}


@pytest.fixture()
def rollback_each(app, db, monkeypatch):
    """Bind the session to one connection; each call runs in a transaction of its own that is rolled back."""
    conn = db.engine.connect()
    db.session.remove()
    monkeypatch.setattr(Session, "get_bind", lambda self, *a, **kw: conn)
    monkeypatch.setitem(db.session.session_factory.kw, "join_transaction_mode", "create_savepoint")

    def run(call):
        trans = conn.begin()
        try:
            return call()
        finally:
            db.session.remove()
            trans.rollback()

    yield run
    db.session.remove()
    conn.close()


def _resolve(value, ids):
    if isinstance(value, list):
        return [_resolve(v, ids) for v in value]
    return ids.get(value, value) if isinstance(value, str) else value


def build_request(rule, method, spec, ids):
    args = {name: _resolve(spec[name], ids) for name in rule.arguments}
    from flask import url_for

    url = url_for(rule.endpoint, **args) + spec.get("query", "").format(**ids)
    kwargs = {}
    if "json" in spec:
        kwargs["json"] = {k: _resolve(v, ids) for k, v in spec["json"].items()}
    if "data" in spec:
        kwargs["data"] = {k: _resolve(v, ids) for k, v in spec["data"].items()}
    if spec.get("photo"):
        kwargs["content_type"] = "multipart/form-data"
    return url, kwargs


def refused(rule, role, resp) -> bool:
    if rule.rule.startswith("/api/") and resp.status_code == 401:
        return True
    if resp.status_code == 302 and "/login" in resp.headers.get("Location", "") and role == "anonymous":
        return True
    return resp.status_code == 403


def test_every_route_is_in_the_matrix(app):
    routes = {(r.endpoint, m) for r in app.url_map.iter_rules() for m in r.methods - {"HEAD", "OPTIONS"}}
    assert routes - set(MATRIX) == set(), "new routes need a row in the authorization matrix"
    assert set(MATRIX) - routes == set(), "the matrix names routes that no longer exist"


def test_authorization_matrix(app, client, scene, rollback_each, db):
    ids, failures, calls = scene["ids"], [], 0
    with app.test_request_context():
        rules = {(r.endpoint, m): r for r in app.url_map.iter_rules() for m in r.methods}
        requests = {key: build_request(rules[key], key[1], spec, ids) for key, (_, spec) in MATRIX.items()}
    for key, (allowed, _spec) in sorted(MATRIX.items(), key=lambda kv: kv[0]):
        rule, (url, kwargs) = rules[key], requests[key]
        for role in ROLES:
            def call():
                g.pop("_login_user", None)
                g.pop("user_session", None)
                headers = {}
                with client.session_transaction() as s:
                    s.clear()
                    if role != "anonymous":
                        s.update(scene["sessions"][role])
                if role != "anonymous" and url.startswith("/api/"):
                    headers["Authorization"] = f"Bearer {scene['tokens'][role]}"
                body = dict(kwargs)
                if "content_type" in body:  # a fresh file object for each upload
                    body["data"] = {"photo": (io.BytesIO(PHOTO.getvalue()), "photo.png")}
                before = db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)
                                           .filter_by(action="access_denied"))
                resp = client.open(url, method=key[1], headers=headers, **body)
                after = db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)
                                          .filter_by(action="access_denied"))
                return resp, after - before

            resp, audited = rollback_each(call)
            calls += 1
            if resp.status_code >= 500:
                failures.append(f"{key} as {role}: {resp.status_code}")
            elif refused(rule, role, resp) == (role in allowed):
                failures.append(f"{key} as {role}: {resp.status_code} "
                                f"{'refused' if role in allowed else 'allowed'} {resp.get_data(as_text=True)[:120]!r}")
            elif resp.status_code == 403 and audited != 1:
                failures.append(f"{key} as {role}: refusal not audited")
    assert failures == [], "\n".join(failures)
    assert calls == len(MATRIX) * len(ROLES)


def _api(client, token, path):
    g.pop("user", None)
    return client.get(path, headers={"Authorization": f"Bearer {token}"}).get_json()


def test_lists_show_only_what_each_role_may_see(client, scene):
    ids, tokens = scene["ids"], scene["tokens"]

    def listed(role):
        return {n["id"] for n in _api(client, tokens[role], "/api/v1/nominations?per_page=100")["items"]}

    assert listed("city") == {ids["nom"], ids["pub"]}
    assert listed("other_city") == set() and listed("provincial_unit") == set()
    assert listed("discipline") == {ids["nom"]} and listed("police") == {ids["nom"]}  # individuals only
    assert listed("other_discipline") == set()  # not their cadre-management jurisdiction
    assert listed("nominee_clerk") == {ids["pub"]} and listed("nominee_signer") == set()  # never their own file
    assert listed("office") == listed("admin") == {ids["nom"], ids["pub"]}


def test_signer_writes_only_their_own_row(client, scene, db):
    from nominate.opinions.models import Opinion

    nom_opinions = db.session.scalars(db.select(Opinion).filter_by(nomination_id=scene["ids"]["nom"])).all()
    body = {"verdict": "agree", "text": "同意推荐", "signer_name": "王明"}
    for op in nom_opinions:
        for role in ("discipline", "personnel", "police", "other_discipline", "nominee_signer"):
            g.pop("user", None)
            r = client.post(f"/api/v1/opinions/{op.id}/sign", json=body,
                            headers={"Authorization": f"Bearer {scene['tokens'][role]}"})
            own = (role, op.slot.value) in {("discipline", "discipline"), ("personnel", "personnel"),
                                            ("police", "police")}
            assert r.status_code == (200 if own else 403), (role, op.slot.value, r.get_json())


def test_nominating_city_never_sees_the_objector(client, login, scene):
    ids = scene["ids"]
    for role, sees in (("city", False), ("nominee_clerk", False), ("admin", True), ("office", True)):
        period = _api(client, scene["tokens"][role], f"/api/v1/publicity-periods/{ids['period']}")
        names = {o["objector_name"] for o in period["objections"]}
        contacts = {o["objector_contact"] for o in period["objections"]}
        assert (names == {"赵举报"} and contacts == {"13900001111"}) if sees else names == contacts == {None}, role
        from nominate.accounts.models import User
        from nominate.extensions import db

        page = login(db.session.get(User, scene["users"][role])).get(f"/nominations/{ids['pub']}")
        text = page.get_data(as_text=True)
        assert page.status_code == 200 and ("赵举报" in text) is sees and "13900001111" not in text, role
        history = _api(client, scene["tokens"][role], f"/api/v1/nominations/{ids['pub']}/history")
        assert "赵举报" not in str(history) and "13900001111" not in str(history)
