"""“待我处理”: what waits on a user, derived from the same permission predicates and workflow the
operations use (an event this user may fire now is a to-do), plus deadlines with days left."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from nominate.accounts.models import SIGNER_ROLES
from nominate.campaigns.models import Campaign
from nominate.campaigns.queries import DeadlineView, current_campaign, deadlines_for
from nominate.core import clock
from nominate.extensions import db
from nominate.nominations.models import Nomination
from nominate.nominations.queries import visible_nominations
from nominate.workflow.engine import allowed_events

@dataclass
class Task:
    nomination: Nomination
    event: str
    label: str
    ready: bool = True
    note: str = ""
    finishes: str | None = None  # the publicity level this event ends (its period decides readiness)


@dataclass
class Board:
    groups: dict[str, list[Task]] = field(default_factory=dict)
    deadlines: list[DeadlineView] = field(default_factory=list)
    opinions: list = field(default_factory=list)
    campaign: Campaign | None = None

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.groups.values()) + len(self.opinions)


def board_for(user) -> Board:
    from nominate.publicity.operations import current_periods

    campaign = current_campaign(user)
    board = Board(campaign=campaign, deadlines=deadlines_for(user, campaign))
    if user.role in SIGNER_ROLES:
        from nominate.opinions.queries import pending_for

        board.opinions = pending_for(user)
        return board
    groups: dict[str, list[Task]] = defaultdict(list)
    filters = {"campaign_id": campaign.id} if campaign else {}
    tasks = [Task(nom, t.event, t.label, finishes=t.finishes_publicity)
             for nom in db.session.scalars(visible_nominations(user, filters)).unique()
             for t in allowed_events(user, nom) if not t.exit]
    periods = current_periods([task.nomination.id for task in tasks if task.finishes])
    for task in tasks:
        nom = task.nomination
        if task.finishes:
            period = periods.get((nom.id, task.finishes))
            if period is not None:
                task.ready = period.end_date < clock.today() and not period.has_open_objection(nom)
                task.note = (f"公示期至{period.end_date.month}月{period.end_date.day}日"
                             + ("，有未结异议" if period.has_open_objection(nom) else ""))
        groups[task.label].append(task)
    board.groups = dict(groups)
    return board
