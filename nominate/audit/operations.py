"""Writing audit rows: the only function that creates them."""
from __future__ import annotations

from nominate.audit.models import AuditEvent
from nominate.core.masking import mask_id, mask_phone, mask_text
from nominate.extensions import db

SENSITIVE_KEYS = {"id_number", "phone", "leader_phone", "objector_contact", "contact_phone"}


def _mask_data(data):
    if isinstance(data, dict):
        out = {}
        for k, v in data.items():
            if k in SENSITIVE_KEYS and v:
                out[k] = mask_id(v) if k == "id_number" else mask_phone(v)
            else:
                out[k] = _mask_data(v)
        return out
    if isinstance(data, list):
        return [_mask_data(v) for v in data]
    if isinstance(data, str):
        return mask_text(data)
    return data


def record(actor, action: str, *, object_type: str, object_id=None, nomination=None, campaign_id=None,
           from_state=None, to_state=None, comment=None, data=None) -> AuditEvent:
    """Add one audit row to the current transaction (flushed with it, never on its own)."""
    if nomination is not None:
        campaign_id = campaign_id or nomination.campaign_id
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "display_name", None) or "系统",
        actor_role=getattr(getattr(actor, "role", None), "value", None),
        actor_org_id=getattr(actor, "organisation_id", None),
        campaign_id=campaign_id,
        nomination_id=getattr(nomination, "id", None),
        object_type=object_type,
        object_id=object_id if object_id is not None else getattr(nomination, "id", None),
        action=action,
        from_state=getattr(from_state, "value", from_state),
        to_state=getattr(to_state, "value", to_state),
        comment=mask_text(comment) if comment else None,
        data=_mask_data(data) if data else None,
    )
    db.session.add(event)
    return event
