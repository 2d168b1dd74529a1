"""Everything the nomination page shows, asked of the same predicates the operations use."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from nominate.core.masking import mask_id, mask_phone
from nominate.documents.views import available_documents
from nominate.honours.permissions import can_use_register
from nominate.honours.queries import honours_for
from nominate.nominations import fields as F
from nominate.nominations import permissions
from nominate.nominations.forms import PhotoForm
from nominate.nominations.queries import history, org_name
from nominate.workflow.engine import allowed_events, workflow_for

#: audit actions that are not workflow events, in words
ACTION_LABELS = {
    "create": "新增推荐对象", "update": "修改推荐信息", "photo_uploaded": "上传证件照",
    "objection_recorded": "登记异议", "objection_cleared": "异议调查结论：不属实", "objection_upheld": "异议调查结论：属实",
    "opinion_signed": "签署意见", "police_opinion_requested": "征求省级公安部门意见",
    "formal_materials_submitted": "报送正式推荐材料", "batch_reordered": "调整推荐顺序",
    "document_downloaded": "下载表格", "honour_linked": "关联荣誉", "honour_unlinked": "取消关联荣誉",
    "honour_link_confirmed": "确认荣誉关联", "honour_link_unlinked": "解除荣誉关联", "honour_deleted": "删除荣誉记录",
    "honour_created": "录入荣誉", "honour_auto_linked": "自动关联荣誉",
}
PUBLICITY_LEVELS = (("unit", "本单位公示"), ("province", "省级公示"), ("national", "全国公示"))


@dataclass
class EventButton:
    event: str
    label: str
    exit: bool
    needs_comment: bool
    needs_start_date: bool


def event_buttons(user, nom) -> list[EventButton]:
    out = []
    for t in allowed_events(user, nom):
        out.append(EventButton(t.event, t.label, t.exit, t.needs_comment, t.needs_start_date))
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
            text = mask_id(text) if spec.name == "id_number" else mask_phone(text)
        out.append((spec.label, text))
    return out


def history_entries(nom) -> list[dict]:
    wf = workflow_for(nom)
    rows = []
    for ev in history(nom):
        t = wf.transitions.get(ev.action)
        rows.append({"at": ev.at, "actor": ev.actor_name, "org": org_name(ev.actor_org_id),
                     "what": t.label if t else ACTION_LABELS.get(ev.action, ev.action),
                     "to": wf.state_label(ev.to_state) if ev.to_state in wf.states else None,
                     "comment": ev.shown_comment, "exit": bool(t and t.exit)})
    return rows


def publicity_sections(user, nom) -> list[dict]:
    from nominate.publicity.operations import current_period
    from nominate.publicity.permissions import can_handle_objections, can_see_objector

    out = []
    for level, label in PUBLICITY_LEVELS:
        period = current_period(nom, level)
        if period is None:
            continue
        objections = [o for o in period.objections if o.nomination_id == nom.id]
        out.append({"level": level, "label": label, "period": period, "objections": objections,
                    "see_objector": can_see_objector(user, period),
                    "can_handle": can_handle_objections(user, period, nom),
                    "running": workflow_for(nom).publicity_level(nom.state.value) == level})
    return out


def opinion_rows(user, nom) -> list[dict]:
    return [{"opinion": o, "can_sign": permissions.can_sign(user, o) and o.status.value == "pending"}
            for o in nom.opinions]


def exit_reason(history: list[dict], nom) -> dict | None:
    """The reason of the last side exit (退回, 未入选, 部审未通过 …) while the nomination sits in its result."""
    if workflow_for(nom).exit_dest(nom.state.value):
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
    return {
        "nom": nom, "facts": facts(user, nom), "events": event_buttons(user, nom),
        "eligibility": eligibility(nom) if permissions.can_edit(user, nom) else [],
        "can_edit": permissions.can_edit(user, nom), "history": history, "exit_reason": exit_reason(history, nom),
        "publicity": publicity_sections(user, nom), "opinions": opinion_rows(user, nom),
        "photo_form": PhotoForm() if permissions.can_edit(user, nom) and not nom.is_window else None,
        "photo_url": url_for("nominations.photo", nomination_id=nom.id) if nom.photo else None,
        "documents": available_documents(user, nomination=nom),
        "can_submit_formal": (nom.state.value in workflow_for(nom).event_tagged("formal_submission").sources
                              and permissions.is_owner(user, nom) and nom.formal_submitted_at is None),
        "state_hint": workflow_for(nom).hint(nom.state.value),
        "working_days": rules.publicity_working_days,
        "photo_required": nom.kind.value in rules.photo_required_for,  # the rule itself: validation.photo_problem
        "honours": honours_for(nom), "honours_url": (url_for("honours.nomination", nomination_id=nom.id)
                                                     if can_use_register(user) else None),
    }
