"""Would an event pass today? The one answer the to-do lists, the badge and every page's buttons ask.

:func:`check_event` runs the same permission predicate and the same guards as :func:`engine.fire_event`,
but reads only: no row lock (``core.db.without_locks``), no write, no flush. Every guard is asked (not
only the first that refuses), so the page can list every blocker in words and say who must act.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from nominate.core import clock
from nominate.core.db import only_when_needed, without_locks
from nominate.core.errors import DomainError
from nominate.extensions import db
from nominate.workflow import engine
from nominate.workflow.context import EventContext, EventParams, Shared
from nominate.workflow.machine import TransitionDef
from nominate.workflow.registry import hook

#: guards that the user's own input satisfies (the reason typed beside the button) or that only a business
#: operation can satisfy: never a blocker of the button itself
INPUT_GUARDS = frozenset({"comment_required", "objection_upheld"})

#: the opinion rows' short names, for "公安意见：不同意"
SLOT_SHORT = {"discipline": "纪检监察意见", "personnel": "组织人事意见", "police": "公安意见"}


@dataclass(frozen=True)
class Blocker:
    code: str
    words: str  # short, for a list: 公安意见：不同意 · 有未结异议 · 公示期至10月22日
    message: str  # the guard's full refusal (what the operation would answer)
    who: str | None = None  # who must act, in words (None: time must pass, or the user's own input)


@dataclass
class EventCheck:
    nomination: object
    transition: TransitionDef
    permitted: bool
    blockers: list[Blocker] = field(default_factory=list)

    @property
    def event(self) -> str:
        return self.transition.event

    @property
    def label(self) -> str:
        return self.transition.label

    @property
    def doable(self) -> bool:
        """Permission and every guard pass today: the action may be offered."""
        return self.permitted and not self.blockers

    @property
    def blocked_text(self) -> str:
        return "；".join(b.words + (f"（待{b.who}办理）" if b.who else "") for b in self.blockers)


def _who(wf, code: str, nomination) -> str | None:
    who = wf.blocker_who(code)
    if who == "owner":
        return nomination.owner_org.short_name
    if who == "office":
        return "省推荐评选办"
    if who == "opinion_signers":
        waiting = [o.slot.label.removesuffix("意见") for o in nomination.opinions if o.status.value != "signed"]
        if not any(o.slot.value == "police" for o in nomination.opinions):
            waiting.append("省推荐评选办（征求省级公安部门意见）")  # 征求意见表 注2: the province asks the police
        return "、".join(waiting) or "意见签署部门"
    return None


def _words(exc: DomainError, nomination) -> str:
    """The refusal in a few words, from its code and the nomination's own data."""
    if exc.code == "opinion_negative":
        negative = [SLOT_SHORT.get(o.slot.value, o.slot.label) for o in nomination.opinions
                    if o.verdict is not None and o.verdict.value == "disagree"]
        return "；".join(f"{s}：不同意" for s in negative) or exc.message
    if exc.code == "opinions_missing":
        waiting = [SLOT_SHORT.get(o.slot.value, o.slot.label) for o in nomination.opinions
                   if o.status.value != "signed"]
        asked = {o.slot.value for o in nomination.opinions}
        waiting += [v for k, v in SLOT_SHORT.items() if k not in asked]
        return "待签：" + "、".join(waiting) if waiting else exc.message
    if exc.code == "objection_open":
        return "有未结异议"
    if exc.code == "publicity_not_elapsed" and exc.details:
        end = dt.date.fromisoformat(exc.details["end_date"])
        return f"公示期至{end.month}月{end.day}日"
    return exc.message


def blocker_of(exc: DomainError, nomination, wf) -> Blocker:
    return Blocker(exc.code, _words(exc, nomination), exc.message, _who(wf, exc.code, nomination))


def check_event(nomination, event: str | TransitionDef, actor, *, today=None) -> EventCheck:
    """Would ``actor`` be allowed to fire ``event`` on ``nomination`` today, and if not, why (every blocker)?

    Read-only: no row lock, no write, no flush (the session is left exactly as it was)."""
    wf = nomination.workflow
    transition = event if isinstance(event, TransitionDef) else wf.transitions[event]
    if nomination.state.value not in transition.sources:
        exc = DomainError("event_not_allowed", f"当前状态为“{wf.state_label(nomination.state.value)}”，不能{transition.label}")
        return EventCheck(nomination, transition, False, [blocker_of(exc, nomination, wf)])
    if not engine.permitted(actor, nomination, transition):
        return EventCheck(nomination, transition, False)
    ctx = EventContext(nomination=nomination, transition=transition, actor=actor, comment=None, params=EventParams(),
                       today=today or clock.today(), shared=Shared())
    blockers: list[Blocker] = []
    with without_locks(), db.session.no_autoflush:
        for name, args in transition.guards:
            if name in INPUT_GUARDS:
                continue
            try:
                engine.GUARDS[name](ctx, **args)
            except DomainError as exc:
                if all(b.code != exc.code for b in blockers):
                    blockers.append(blocker_of(exc, nomination, wf))
    return EventCheck(nomination, transition, True, blockers)


def needs_prefetch(actor, nomination) -> bool:
    """Whether the checks of ``nomination`` for ``actor`` read what the ``prefetch_readiness`` hook loads: an event
    ``actor`` may fire from its state has a guard the hook names (``prefetch_readiness.guards``)."""
    return engine.any_allowed_guarded_by(actor, nomination, frozenset(hook("prefetch_readiness").guards))


def prefetch(nominations, actor) -> None:
    """Inside ``core.db.reading``: load what the guards read of many nominations at once (their 公示 periods and
    objections, through the ``prefetch_readiness`` hook), so a list's checks cost the same statements for any length.
    Only for the nominations that need it (:func:`needs_prefetch`): the others' checks never read it, and when no
    row needs it nothing is read (``core.db.only_when_needed``)."""
    wanted = [n.id for n in nominations if needs_prefetch(actor, n)]
    if wanted:
        with only_when_needed():
            hook("prefetch_readiness")(wanted)


def checks_for(actor, nomination, *, include_exits: bool = False) -> list[EventCheck]:
    """Every event ``actor`` may fire from the nomination's state (role and jurisdiction), each checked today."""
    return [check_event(nomination, t, actor) for t in engine.allowed_events(actor, nomination)
            if include_exits or not t.exit]


def formal_submission_check(actor, nomination) -> EventCheck | None:
    """The owner's 报送正式推荐材料 (the ``formal_submission`` event, fired by its own operation), checked today;
    None when it is not theirs to do here or already done."""
    wf = nomination.workflow
    transition = wf.event_tagged("formal_submission")
    if (nomination.state.value not in transition.sources or nomination.formal_submitted_at is not None
            or not engine.permitted(actor, nomination, transition)):
        return None
    return check_event(nomination, transition, actor)
