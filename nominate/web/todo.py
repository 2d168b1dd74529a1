"""“待我处理”: what waits on a user, asked of the one readiness check the operations' guards answer
(``workflow.readiness.check_event``: permission and every guard, today, without a lock or a write).

An item is a to-do only when its action can be done today; otherwise it is listed apart with what blocks
it in words and who must act. An open objection and a negative opinion are to-dos of their own for
whoever handles them. The badge counts only the to-dos that can be done."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy.orm import joinedload, lazyload

from nominate.accounts.models import SIGNER_ROLES
from nominate.campaigns.models import Campaign
from nominate.campaigns.queries import DeadlineView, current_campaign, deadlines_for
from nominate.core import clock
from nominate.core.db import only_when_needed, reading
from nominate.extensions import db
from nominate.nominations.models import Nomination
from nominate.nominations.queries import visible_nominations
from nominate.opinions.queries import correction_refusal, rows_for
from nominate.publicity.models import Objection, ObjectionStatus
from nominate.publicity.permissions import can_handle_objections
from nominate.publicity.queries import current_periods
from nominate.workflow.machine import get_workflow
from nominate.workflow.readiness import Blocker, checks_for, formal_submission_check, needs_prefetch

OBJECTION_LABEL = "调查处理异议"
NEGATIVE_OPINION_LABEL = "处理不同意意见"
FORMAL_LABEL = "报送正式推荐材料"


@dataclass
class Task:
    nomination: Nomination
    event: str | None  # the workflow event, or None for an objection / negative-opinion to-do
    label: str
    ready: bool = True
    blockers: list[Blocker] = field(default_factory=list)
    note: str = ""
    anchor: str = ""  # where on the nomination page the action sits

    @property
    def blocked_text(self) -> str:
        return "；".join(b.words + (f"（待{b.who}办理）" if b.who else "") for b in self.blockers)


@dataclass
class OpinionItem:
    """A signer's row: to sign (a to-do), or signed (a correction, possible or closed)."""

    opinion: object
    ready: bool
    blocker: str = ""


@dataclass
class Board:
    groups: dict[str, list[Task]] = field(default_factory=dict)  # to-dos that can be done today
    blocked: list[Task] = field(default_factory=list)  # items waiting on something, with their blockers
    deadlines: list[DeadlineView] = field(default_factory=list)
    opinions: list = field(default_factory=list)  # a signer's rows to sign
    signed: list[OpinionItem] = field(default_factory=list)  # a signer's signed rows
    campaign: Campaign | None = None
    signer: bool = False  # the workbench of an opinion signer (named for their own unit)

    @property
    def count(self) -> int:
        """The badge: only what can be done today."""
        return sum(len(v) for v in self.groups.values()) + len(self.opinions)


def _signer_board(user, board: Board) -> Board:
    for op in rows_for(user):
        if op.status.value == "pending":
            board.opinions.append(op)
        else:
            refusal = correction_refusal(op)
            board.signed.append(OpinionItem(op, refusal is None, refusal or ""))
    return board


def _handling_todos(user, nominations, periods) -> list[Task]:
    """An open objection (for whoever runs that publicity) and a negative opinion (for the office)."""
    by_nomination: dict[int, list] = defaultdict(list)  # each nominee's current periods, in the order of ``periods``
    for (nom_id, level), period in periods.items():
        by_nomination[nom_id].append((level, period))
    out = []
    for nom in nominations:
        for level, period in by_nomination.get(nom.id, ()):
            if period.has_open_objection(nom) and can_handle_objections(user, period, nom):
                n = sum(1 for o in period.objections if o.nomination_id == nom.id and o.status.value == "open")
                out.append(Task(nom, None, OBJECTION_LABEL, note=f"{n} 件异议待登记调查结论", anchor=f"pub-{level}"))
        if user.role.value == "province_office" and nom.state_has("opinions_open"):
            negative = [o for o in nom.opinions if o.verdict is not None and o.verdict.value == "disagree"]
            if negative:
                out.append(Task(nom, None, NEGATIVE_OPINION_LABEL, anchor="opinions-h",
                                note="；".join(f"{o.slot.label}：不同意（{o.text}）" for o in negative)))
    return out


def _may_have_todo(user, campaign):
    """The nominations on which ``user`` may have an item, as a condition: in a state from which their role fires a
    to-do event (neither internal nor an exit) or the formal submission, in a state whose negative opinions the
    office handles, or with an open objection. A superset (each is still checked one by one), so the page loads
    and checks the few rows that can matter, not every nominee it may see."""
    wf = get_workflow(campaign.workflow)
    role = user.role.value
    states = {s for t in wf.transitions.values() if role in t.roles and not t.internal and not t.exit
              for s in t.sources}
    formal = wf.event_tagged("formal_submission")
    if role in formal.roles:
        states.update(formal.sources)
    if role == "province_office":
        states.update(wf.tagged("opinions_open"))
    return db.or_(Nomination.state.in_(sorted(states)), Nomination.id.in_(_with_open_objection()))


def _with_open_objection():
    """The ids of the nominations with an open objection, as a subquery."""
    return db.select(Objection.nomination_id).where(Objection.status == ObjectionStatus.OPEN)


def board_for(user) -> Board:
    campaign = current_campaign(user)
    board = Board(campaign=campaign, deadlines=deadlines_for(user, campaign))
    if user.role in SIGNER_ROLES:
        board.signer = True
        return _signer_board(user, board)
    # the opinions and the photo (without its bytes) joined (the guards and the office's to-dos read them): a few
    # rows each, a statement less each
    query = visible_nominations(user, {"campaign_id": campaign.id} if campaign else {},
                                photo_joined=True).options(joinedload(Nomination.opinions))
    if campaign is not None:  # one campaign (already loaded): its workflow says which rows can matter
        query = query.where(_may_have_todo(user, campaign)).options(lazyload(Nomination.campaign))
    groups: dict[str, list[Task]] = defaultdict(list)
    # with each row, whether it has an open objection (its periods are read for the objection's to-do)
    query = query.add_columns(Nomination.id.in_(_with_open_objection()).label("objected"))
    with reading():  # no row lock; what the checks read is read once for all rows
        rows = db.session.execute(query).unique().all()
        nominations = [nom for nom, _ in rows]
        # the 公示 periods (with their objections) of the rows with an open objection or whose checks read them
        wanted = [nom.id for nom, has_objection in rows if has_objection or needs_prefetch(user, nom)]
        with only_when_needed():
            periods = current_periods(wanted)
        for nom in nominations:
            for check in checks_for(user, nom):
                task = Task(nom, check.event, check.label, ready=check.doable, blockers=check.blockers, anchor="act-h")
                if task.ready:
                    groups[task.label].append(task)
                else:
                    board.blocked.append(task)
            formal = formal_submission_check(user, nom)
            if formal is not None:  # fired by its own form on the nomination page, not by an event button
                task = Task(nom, formal.event, FORMAL_LABEL, ready=formal.doable, blockers=formal.blockers,
                            anchor="act-h")
                (groups[task.label] if task.ready else board.blocked).append(task)
    for task in _handling_todos(user, nominations, periods):
        groups[task.label].append(task)
    board.groups = dict(groups)
    return board
