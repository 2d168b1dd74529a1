"""The audit search's result as an .xlsx workbook (openpyxl, write-only: rows streamed to the file).

Every cell is written as text, never as a formula: a comment such as ``=HYPERLINK(…)`` typed into the
application is shown as those characters in Excel or WPS, not evaluated.
"""
from __future__ import annotations

import io
import json

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from nominate.core import clock
from nominate.accounts.models import Role
from nominate.audit.models import AuditEvent
from nominate.extensions import db
from nominate.nominations.models import Nomination
from nominate.organisations.models import Organisation

COLUMNS = [("编号", 8), ("时间", 20), ("操作人", 14), ("操作人角色", 14), ("操作人单位", 22), ("推荐对象编号", 10),
           ("推荐对象", 24), ("对象类型", 12), ("对象编号", 10), ("操作", 28), ("原状态", 14), ("新状态", 14),
           ("意见", 40), ("数据", 50)]
_HEAD = Font(bold=True)


def _text(ws, value, font=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value="" if value is None else str(value))
    cell.data_type = "s"  # text, whatever it starts with ("=", "+", "-", "@")
    if font is not None:
        cell.font = font
    return cell


#: names of the rows written outside the workflow's events (those take their label from the workflow file)
ACTION_LABELS = {"login": "登录", "login_failed": "登录失败", "access_denied": "拒绝访问", "audit_exported": "导出审计记录",
                 "opinion_signed": "签署意见", "police_opinion_requested": "征求公安意见", "photo_uploaded": "上传照片",
                 "document_downloaded": "下载表格", "personal_data_anonymised": "个人信息匿名化",
                 "retention_applied": "执行个人信息保存期限", "template_uploaded": "上传表格模板",
                 "template_version_used": "启用表格模板版本", "template_committed_used": "恢复系统自带表格模板"}


def _labels():
    from nominate.workflow.machine import get_workflow

    events, states = dict(ACTION_LABELS), {}
    try:
        wf = get_workflow("nomination")
        events.update({k: t.label for k, t in wf.transitions.items()})
        states = {k: v.get("label", k) for k, v in wf.states.items()}
    except Exception:  # noqa: BLE001 - a label is a courtesy; the code is always written too
        pass
    return events, states


def action_choices(codes) -> list[tuple[str, str]]:
    events, _ = _labels()
    return [(c, f"{events[c]}（{c}）" if c in events else c) for c in codes]


def rows(events: list[AuditEvent]):
    """One list of strings per event, in ``COLUMNS`` order (names looked up once, not per row)."""
    org_ids = {e.actor_org_id for e in events if e.actor_org_id}
    nom_ids = {e.nomination_id for e in events if e.nomination_id}
    orgs = dict(db.session.execute(db.select(Organisation.id, Organisation.short_name)
                                   .where(Organisation.id.in_(org_ids))).all()) if org_ids else {}
    noms = {i: (w if k.value == "window" else p) or "" for i, k, w, p in db.session.execute(
        db.select(Nomination.id, Nomination.kind, Nomination.window_name, Nomination.person_name)
        .where(Nomination.id.in_(nom_ids))).all()} if nom_ids else {}
    event_labels, state_labels = _labels()
    roles = {r.value: r.label for r in Role}
    for e in events:
        action = f"{event_labels[e.action]}（{e.action}）" if e.action in event_labels else e.action
        yield [e.id, clock.local_time(e.at).strftime("%Y-%m-%d %H:%M:%S") if e.at else "", e.actor_name or "",
               roles.get(e.actor_role or "", e.actor_role or ""), orgs.get(e.actor_org_id, ""), e.nomination_id or "",
               noms.get(e.nomination_id, ""), e.object_type, e.object_id or "", action,
               state_labels.get(e.from_state, e.from_state or ""), state_labels.get(e.to_state, e.to_state or ""),
               e.shown_comment or "", json.dumps(e.shown_data, ensure_ascii=False, sort_keys=True) if e.data else ""]


def workbook_bytes(query, *, title: str, chunk: int = 1000) -> bytes:
    """The rows of ``query`` (a select of AuditEvent, newest first) as an .xlsx file."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("审计记录")
    for i, (_, width) in enumerate(COLUMNS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.append([_text(ws, title, _HEAD)])
    ws.append([_text(ws, header, _HEAD) for header, _ in COLUMNS])
    last = None
    while True:  # newest first, by keyset: rows written meanwhile never shift a page
        page = query if last is None else query.where(AuditEvent.id < last)
        batch = db.session.scalars(page.limit(chunk)).all()
        if not batch:
            break
        for row in rows(batch):
            ws.append([_text(ws, v) for v in row])
        last = batch[-1].id
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_events(actor, filters: dict, *, max_rows: int) -> tuple[bytes, int]:
    """The searched rows as .xlsx; the export itself is audited (with the filters, the number masked)."""
    from nominate.audit import operations as audit
    from nominate.accountability.queries import count, search_events
    from nominate.core.errors import ValidationFailed

    query = search_events(actor, filters)
    total = count(query)
    if total > max_rows:
        raise ValidationFailed("export_too_large", f"符合条件的记录有 {total} 条，超过单次导出上限 {max_rows} 条，"
                                                   "请缩小时间范围或增加条件", "date_from")
    audit.record(actor, "audit_exported", object_type="audit", data={
        "filters": {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in filters.items()}, "rows": total})
    db.session.flush()
    return workbook_bytes(query, title=f"审计记录导出（{total} 条）"), total
