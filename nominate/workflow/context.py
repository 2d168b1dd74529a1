from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from nominate.core.errors import ValidationFailed

# PublicityPeriod and Objection (nominate.publicity.models) are named in annotations only: the workflow imports no area


@dataclass
class Shared:
    """What one business operation shares among the events it fires (typed, never string keys)."""

    #: the 公示 this operation opened, per level: one period lists every nominee it starts
    periods: dict[str, PublicityPeriod] = field(default_factory=dict)
    #: the objection whose upheld investigation fires the disqualifying event
    objection: Objection | None = None
    #: the city submits its whole batch now (the batch's submission time is stamped again)
    batch_submission: bool = False
    #: the snapshot of each batch this operation submits (batch id → BatchSnapshot), completed event by event
    snapshots: dict = field(default_factory=dict)
    #: the notices already written by this operation (one per recipient per batch/period: nominate.notifications)
    notices: dict = field(default_factory=dict)


@dataclass(frozen=True)
class EventParams:
    """The inputs an event declares under ``params:`` in the workflow file, parsed once (typed, never string keys).

    A page or the API hands them over as a mapping; only the ones the event declares are read."""

    #: the first day of the 公示 an event opens (default: today)
    start_date: dt.date | None = None
    #: why a 公示 is recorded after it started (its start lies before today)
    backdate_reason: str | None = None
    #: the scanned publicity notice of such a 公示 (an upload: ``filename`` and ``content``)
    notice: object | None = None

    @classmethod
    def parse(cls, raw, declared) -> EventParams:
        if isinstance(raw, EventParams):
            return raw
        raw = {k: v for k, v in (raw or {}).items() if k in declared and v not in (None, "")}
        start = raw.get("start_date")
        if isinstance(start, str):
            try:
                start = dt.date.fromisoformat(start)
            except ValueError:
                raise ValidationFailed("start_date_invalid", "公示开始日期格式应为 YYYY-MM-DD", "start_date") from None
        reason = str(raw.get("backdate_reason") or "").strip() or None
        return cls(start_date=start, backdate_reason=reason, notice=raw.get("notice"))

    def audit(self) -> dict:
        """What the audit row records of them (of an upload, its name and size, never its bytes)."""
        out = {}
        if self.start_date:
            out["start_date"] = self.start_date.isoformat()
        if self.backdate_reason:
            out["backdate_reason"] = self.backdate_reason
        if self.notice is not None:
            out["notice"] = f"{getattr(self.notice, 'filename', '')}（{len(getattr(self.notice, 'content', b''))} 字节）"
        return out


def start_date_of(ctx) -> dt.date:
    """The ``start_date`` parameter of a publicity start (today when none is given)."""
    return ctx.params.start_date or ctx.today


@dataclass
class EventContext:
    """Everything a guard or an effect may look at while one event is fired."""

    nomination: object
    transition: object
    actor: object
    comment: str | None
    params: EventParams
    today: dt.date
    shared: Shared = field(default_factory=Shared)
    audit_data: dict = field(default_factory=dict)  # what effects add to the audit row

    @property
    def campaign(self):
        return self.nomination.campaign

    @property
    def rules(self):
        return self.nomination.campaign.rules

    @property
    def workflow(self):
        from nominate.workflow.machine import workflow_of

        return workflow_of(self.nomination)
