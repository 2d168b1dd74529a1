"""Everything the nomination page shows, asked of the same predicates the operations use."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from nominate.audit.models import AuditEvent
from nominate.core.masking import mask_text
from nominate.core.uploads import max_upload_bytes
from nominate.nominations import fields as F
from nominate.nominations import permissions
from nominate.nominations.forms import PhotoForm
from nominate.nominations.queries import history, org_name
from nominate.nominations.validation import photo_required
from nominate.workflow.readiness import checks_for, formal_submission_check

#: audit actions that are not workflow events, in words
ACTION_LABELS = {
    "create": "新增推荐对象", "update": "修改推荐信息", "draft_deleted": "删除草稿", "photo_uploaded": "上传证件照",
    "objection_recorded": "登记异议", "objection_cleared": "异议调查结论：不属实", "objection_upheld": "异议调查结论：属实",
    "opinion_signed": "签署意见", "opinion_corrected": "更正意见", "police_opinion_requested": "征求省级公安部门意见",
    "formal_materials_submitted": "报送正式推荐材料", "batch_reordered": "调整推荐顺序",
    "document_downloaded": "下载表格", "honour_linked": "关联荣誉", "honour_unlinked": "取消关联荣誉",
    "honour_link_confirmed": "确认荣誉关联", "honour_link_unlinked": "解除荣誉关联", "honour_deleted": "删除荣誉记录",
    "honour_created": "录入荣誉", "honour_auto_linked": "自动关联荣誉",
}


@dataclass
class EventButton:
    event: str
    label: str
    exit: bool
    needs_comment: bool
    needs_start_date: bool
    blocked: str = ""  # what blocks it today, in words (the button is not shown, this is)
    blocker_codes: tuple[str, ...] = ()


def event_buttons(user, nom) -> list[EventButton]:
    """Every event the user's role may fire here, each asked of the readiness check (permission and every guard,
    today): the page shows a button only for those that pass, and the others with what blocks them."""
    out = []
    for check in checks_for(user, nom, include_exits=True):
        t = check.transition
        out.append(EventButton(t.event, t.label, t.exit, t.needs_comment, t.needs_start_date,
                               "" if check.doable else check.blocked_text, tuple(b.code for b in check.blockers)))
    return out


def facts(user, nom) -> list[tuple[str, str]]:
    """(label, printable value) of every field, sensitive ones masked unless the user may see them."""
    full = permissions.can_view_full_identity(user, nom)
    out = []
    for spec in F.FIELDS:
        if nom.kind.value not in spec.kinds or spec.name in ("main_deeds", "brief_deeds", "remarks"):
            continue
        v = getattr(nom, spec.name)
        if v is None or v == "":
            text = "—"
        elif hasattr(v, "label"):
            text = v.label
        elif hasattr(v, "isoformat"):
            text = f"{v.year}年{v.month}月{v.day}日"
        else:
            text = str(v)
        if spec.sensitive and not full and v:
            text = F.mask_value(spec.name, text)
        out.append((spec.label, text))
    return out


def history_entries(nom) -> list[dict]:
    wf = nom.workflow
    rows = []
    orgs: dict = {}  # a few organisations act on a nominee, each many times
    for ev in history(nom, AuditEvent.at, AuditEvent.actor_name, AuditEvent.actor_org_id, AuditEvent.action,
                      AuditEvent.to_state, AuditEvent.comment):
        t = wf.transitions.get(ev.action)
        if ev.actor_org_id not in orgs:
            orgs[ev.actor_org_id] = org_name(ev.actor_org_id)
        rows.append({"at": ev.at, "actor": ev.actor_name, "org": orgs[ev.actor_org_id],
                     "what": t.label if t else ACTION_LABELS.get(ev.action, ev.action),
                     "to": wf.state_label(ev.to_state) if ev.to_state in wf.states else None,
                     "comment": mask_text(ev.comment) if ev.comment else ev.comment,  # AuditEvent.shown_comment
                     "exit": bool(t and t.exit)})
    return rows


def opinion_rows(user, nom) -> list[dict]:
    return [{"opinion": o, "can_sign": permissions.can_sign_now(user, o)}
            for o in nom.opinions]


def exit_reason(history: list[dict], nom) -> dict | None:
    """The reason of the last side exit (退回, 未入选, 部审未通过 …) while the nomination sits in its result."""
    if nom.workflow.exit_dest(nom.state.value):
        for h in reversed(history):
            if h["exit"]:
                return h
    return None


def eligibility(nom) -> list:
    """The campaign's eligibility rules this nomination does not meet, while it can still be changed."""
    return nom.eligibility


def eligibility_notes(nom) -> dict[str, list]:
    """The same, by field: the form shows each beside its field."""
    out: dict[str, list] = {}
    for p in eligibility(nom):
        out.setdefault(p.field, []).append(p)
    return out


def nomination_page(user, nom) -> dict:
    rules = nom.campaign.rules
    history = history_entries(nom)
    formal = formal_submission_check(user, nom) if not permissions.is_nominee(user, nom) else None
    return {
        "nom": nom, "facts": facts(user, nom), "events": event_buttons(user, nom),
        "eligibility": eligibility(nom) if permissions.can_edit(user, nom) else [],
        "can_edit": permissions.can_edit(user, nom), "can_delete": permissions.can_delete(user, nom),
        "history": history, "exit_reason": exit_reason(history, nom),
        "opinions": opinion_rows(user, nom),
        "photo_form": PhotoForm() if permissions.can_edit(user, nom) and not nom.is_window else None,
        # a window has no photo (the page shows one for individuals only): not looked up
        "photo_url": url_for("nominations.photo", nomination_id=nom.id) if not nom.is_window and nom.photo else None,
        "can_submit_formal": bool(formal and formal.doable),
        "formal_blocked": formal.blocked_text if formal and not formal.doable else "",
        "formal_event": formal.event if formal else None,
        "state_hint": nom.workflow.hint(nom.state.value),
        "working_days": rules.publicity_working_days, "opens_on": rules.opens_on,
        "upload_mb": max_upload_bytes() // 1024 // 1024,
        "photo_required": photo_required(nom, rules),
    }
