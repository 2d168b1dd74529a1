"""Firing an event: check permission and guards, fire the shared machine, apply effects, audit.

The guards, effects and the three hooks (``can_fire``, ``notify_event``, ``record_event``) are looked up by name in
``workflow.registry``; ``nominate.procedure`` registers them, so this module imports no area.

Every state change of a nomination goes through :func:`fire_event`. It runs inside the caller's
transaction and flushes; the caller commits once (or rolls back, and nothing changed).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from nominate.core import clock, faults, request_memo
from nominate.core.db import lock
from nominate.core.errors import DomainError, GuardRefused, NotFound, PermissionDenied
from nominate.extensions import db
from nominate.workflow.states import NominationState
from nominate.workflow.context import EventContext, EventParams, Shared
from nominate.workflow.machine import TransitionDef, workflow_of
from nominate.workflow.registry import EFFECTS, GUARDS, hook


@dataclass
class _StateHolder:
    """What the shared machine fires on: a plain object, never the ORM row."""

    state: str


@dataclass
class _Allowed:
    """One answer of :func:`allowed_events` and what was asked of it since (kept together in the request's memo)."""

    events: tuple[TransitionDef, ...]
    guard_answers: dict = field(default_factory=dict)


def _allowed(user, nomination) -> _Allowed:
    wf = workflow_of(nomination)
    state = nomination.state.value
    memo = request_memo.memo("allowed_events")
    key = (wf.key, state, hook("fire_scope")(user, nomination)) if memo is not None else None
    if key is not None:
        found = memo.get(key)
        if found is not None:
            return found
    entry = _Allowed(tuple(t for t in wf.events_from(state)
                           if not t.internal and hook("can_fire")(user, nomination, t)))
    if key is not None:
        memo[key] = entry
    return entry


def allowed_events(user, nomination) -> tuple[TransitionDef, ...]:
    """Events this user may fire from the nomination's current state (guards not yet checked), in the file's order.

    Within a request, asked once per workflow, state and ``fire_scope`` (everything the permission reads): a list's
    rows in the same state and scope share the answer (the same tuple)."""
    return _allowed(user, nomination).events


def any_allowed_guarded_by(user, nomination, guards: frozenset[str]) -> bool:
    """Whether an event of :func:`allowed_events` has a guard named in ``guards``; answered once per answer of
    ``allowed_events`` and set of guards."""
    entry = _allowed(user, nomination)
    found = entry.guard_answers.get(guards)
    if found is None:
        found = entry.guard_answers[guards] = any(name in guards for t in entry.events for name, _ in t.guards)
    return found


def permitted(actor, nomination, transition: TransitionDef) -> bool:
    """Role and jurisdiction for one event: the predicate fire_event asks (workflow.readiness asks it too)."""
    return hook("can_fire")(actor, nomination, transition)


def check_guards(ctx: EventContext) -> None:
    for name, args in ctx.transition.guards:
        GUARDS[name](ctx, **args)


def why_not(nomination, event: str, actor) -> DomainError | None:
    """The refusal ``event`` would meet now (permission or guard), or None when it would pass.

    For pages that show readiness; nothing is changed. Guards that serialise on a row lock
    (the quota guards) take it for the rest of the request's transaction."""
    wf = workflow_of(nomination)
    transition = wf.transitions.get(event)
    if transition is None or nomination.state.value not in transition.sources:
        return DomainError("event_not_allowed", "当前状态不能执行该操作")
    if not hook("can_fire")(actor, nomination, transition):
        return PermissionDenied()
    ctx = EventContext(nomination=nomination, transition=transition, actor=actor, comment="（预检）",
                       params=EventParams(), today=clock.today())
    try:
        check_guards(ctx)
    except DomainError as exc:
        return exc
    return None


def fire_event(nomination, event: str, actor, *, comment: str | None = None,
               params: dict | EventParams | None = None, shared: Shared | None = None, internal: bool = False,
               check_only: bool = False):
    """Fire ``event`` on ``nomination`` as ``actor``; raise a DomainError and change nothing if refused."""
    wf = workflow_of(nomination)
    transition = wf.transitions.get(event)
    if transition is None:
        raise DomainError("event_unknown", f"未知的操作：{event}", "event")
    locked = lock(type(nomination), nomination.id)  # concurrent firing of the same event applies once
    if locked is None:
        raise NotFound("推荐对象不存在")
    nomination = locked
    current = nomination.state.value
    if transition.internal and not internal:
        raise PermissionDenied(f"“{transition.label}”只能通过相应的业务办理（如登记异议调查结论）触发", "event_internal")
    if current not in transition.sources:
        allowed = allowed_events(actor, nomination)
        names = "、".join(f"{t.label}（{t.event}）" for t in allowed) or "无"
        raise GuardRefused("event_not_allowed",
                           f"推荐对象当前状态为“{wf.state_label(current)}”，不能执行“{transition.label}”。"
                           f"当前可执行的操作：{names}", "event",
                           details={"state": current, "allowed_events": [t.event for t in allowed]})
    if not hook("can_fire")(actor, nomination, transition):
        raise PermissionDenied(f"您（{actor.role.label}）无权对该推荐对象执行“{transition.label}”")

    ctx = EventContext(nomination=nomination, transition=transition, actor=actor, comment=comment,
                       params=EventParams.parse(params, transition.params), today=clock.today(), shared=shared if shared is not None else Shared())
    check_guards(ctx)
    if check_only:
        return nomination

    holder = _StateHolder(current)
    wf.fire(holder, event)
    nomination.state = NominationState(holder.state)
    for name, args in transition.effects:
        EFFECTS[name](ctx, **args)
    hook("notify_event")(ctx)  # the outbox rows, in this transaction (workflows/nomination.yaml `notify:`)
    data = {**ctx.audit_data, **ctx.params.audit()}
    # An event that keeps the state (submit_formal_materials) is audited with no to-state: no state change.
    hook("record_event")(actor, event, object_type="nomination", nomination=nomination, from_state=current,
                 to_state=holder.state if holder.state != current else None, comment=comment, data=data or None)
    db.session.flush()
    faults.pause_point(f"after_event:{event}")  # crash tests: killed here, nothing may remain
    return nomination
