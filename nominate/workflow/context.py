from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class EventContext:
    """Everything a guard or an effect may look at while one event is fired."""

    nomination: object
    transition: object
    actor: object
    comment: str | None
    params: dict
    today: dt.date
    shared: dict = field(default_factory=dict)  # shared across one batch operation (e.g. one publicity period)
    audit_data: dict = field(default_factory=dict)  # what effects add to the audit row

    @property
    def campaign(self):
        return self.nomination.campaign

    @property
    def rules(self):
        return self.nomination.campaign.rules
