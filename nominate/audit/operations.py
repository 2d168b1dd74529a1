"""Writing audit rows: the only function that creates them."""
from __future__ import annotations

import datetime as dt

from nominate.audit.models import AuditEvent, RefusalWindow
from nominate.caching import note_write
from nominate.core import clock
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
    note_write(action, campaign_id)  # the pages that show this write are stale from its commit on
    return event


def record_refusal(actor, *, caller: str, route: str, path: str, window_minutes: int, data: dict,
                   action: str = "access_denied") -> AuditEvent | None:
    """A refused request: the first refusal of ``caller`` on ``route`` in a window of ``window_minutes``
    writes an ``action`` audit row (access_denied, login_failed, login_throttled); the next ones in the
    same window only raise its counter
    (race-safe: one INSERT … ON CONFLICT DO UPDATE on both databases). Returns the new row, if any."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    caller, route, path = _printable(caller)[:80], _printable(route)[:250], _printable(path)[:200]
    now = clock.now()
    seconds = window_minutes * 60
    stamp = now.timestamp()
    start = dt.datetime.fromtimestamp(stamp - stamp % seconds, tz=now.tzinfo)
    table = RefusalWindow.__table__
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = (insert(table)
            .values(caller=caller, route=route, window_start=start, count=1, last_at=now, last_path=path)
            .on_conflict_do_update(index_elements=["caller", "route", "window_start"],
                                   set_={"count": table.c.count + 1, "last_at": now, "last_path": path})
            .returning(table.c.id, table.c.count))
    window_id, count = db.session.execute(stmt).one()
    if count > 1:
        return None
    event = record(actor, action, object_type=data.pop("object_type", "request"), object_id=data.pop("object_id", None),
                   data={**data, "window_minutes": window_minutes, "window_start": start.isoformat()})
    db.session.flush()
    db.session.execute(table.update().where(table.c.id == window_id).values(first_event_id=event.id))
    return event


def _printable(text: str) -> str:
    """What a hostile caller typed, fit for a text column (PostgreSQL refuses NUL): controls become U+FFFD."""
    return "".join(c if c.isprintable() else "\ufffd" for c in text)
