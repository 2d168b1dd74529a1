from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from nominate.core.errors import ValidationFailed

if TYPE_CHECKING:  # for the annotations only
    from nominate.publicity.models import Objection, PublicityPeriod


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


def start_date_of(ctx) -> dt.date:
    """The ``start_date`` parameter of a publicity start (today when none is given)."""
    value = ctx.params.get("start_date") or ctx.today
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise ValidationFailed("start_date_invalid", "公示开始日期格式应为 YYYY-MM-DD", "start_date") from None
    return value


@dataclass
class EventContext:
    """Everything a guard or an effect may look at while one event is fired."""

    nomination: object
    transition: object
    actor: object
    comment: str | None
    params: dict
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
        from nominate.workflow.machine import get_workflow

        return get_workflow(self.nomination.campaign.workflow)
