"""Firing an event: check permission and guards, fire the shared machine, apply effects, audit.

Every state change of a nomination goes through :func:`fire_event`. It runs inside the caller's
transaction and flushes; the caller commits once (or rolls back, and nothing changed).
"""
from __future__ import annotations

from dataclasses import dataclass

from nominate.audit import operations as audit
from nominate.core import clock, faults
from nominate.core.db import lock
from nominate.core.errors import DomainError, GuardRefused, NotFound, PermissionDenied
from nominate.extensions import db
from nominate.nominations import permissions
from nominate.workflow.states import NominationState
from nominate.nominations.models import Nomination
from nominate.notifications.operations import notify_event
from nominate.workflow.context import EventContext, Shared
from nominate.workflow.effects import EFFECTS
from nominate.workflow.guards import GUARDS
from nominate.workflow.machine import TransitionDef, get_workflow


@dataclass
class _StateHolder:
    """What the shared machine fires on: a plain object, never the ORM row."""

    state: str


def workflow_for(nomination):
    return get_workflow(nomination.campaign.workflow)


def allowed_events(user, nomination) -> list[TransitionDef]:
    """Events this user may fire from the nomination's current state (guards not yet checked)."""
    wf = workflow_for(nomination)
    return [t for t in wf.events_from(nomination.state.value)
            if not t.internal and permissions.can_fire(user, nomination, t)]


def permitted(actor, nomination, transition: TransitionDef) -> bool:
    """Role and jurisdiction for one event: the predicate fire_event asks (workflow.readiness asks it too)."""
    return permissions.can_fire(actor, nomination, transition)


def check_guards(ctx: EventContext) -> None:
    for name, args in ctx.transition.guards:
        GUARDS[name](ctx, **args)


def fire_event(nomination: Nomination, event: str, actor, *, comment: str | None = None,
               params: dict | None = None, shared: Shared | None = None, internal: bool = False,
               check_only: bool = False) -> Nomination:
    """Fire ``event`` on ``nomination`` as ``actor``; raise a DomainError and change nothing if refused."""
    wf = workflow_for(nomination)
    transition = wf.transitions.get(event)
    if transition is None:
        raise DomainError("event_unknown", f"未知的操作：{event}", "event")
    locked = lock(Nomination, nomination.id)  # concurrent firing of the same event applies once
    if locked is None:
        raise NotFound("推荐对象不存在")
    nomination = locked
    current = nomination.state.value
    if transition.internal and not internal:
        raise PermissionDenied(f"“{transition.label}”只能通过相应的业务办理（如登记异议调查结论）触发", "event_internal")
    if current not in transition.sources:
        allowed = [t for t in allowed_events(actor, nomination)]
        names = "、".join(f"{t.label}（{t.event}）" for t in allowed) or "无"
        raise GuardRefused("event_not_allowed",
                           f"推荐对象当前状态为“{wf.state_label(current)}”，不能执行“{transition.label}”。"
                           f"当前可执行的操作：{names}", "event",
                           details={"state": current, "allowed_events": [t.event for t in allowed]})
    if not permissions.can_fire(actor, nomination, transition):
        raise PermissionDenied(f"您（{actor.role.label}）无权对该推荐对象执行“{transition.label}”")

    ctx = EventContext(nomination=nomination, transition=transition, actor=actor, comment=comment,
                       params=dict(params or {}), today=clock.today(), shared=shared if shared is not None else Shared())
    check_guards(ctx)
    if check_only:
        return nomination

    holder = _StateHolder(current)
    wf.fire(holder, event)
    nomination.state = NominationState(holder.state)
    for name, args in transition.effects:
        EFFECTS[name](ctx, **args)
    notify_event(ctx)  # the outbox rows, in this transaction (workflows/nomination.yaml `notify:`)
    data = {**ctx.audit_data, **{k: str(v) for k, v in ctx.params.items() if v is not None}}
    # An event that keeps the state (submit_formal_materials) is audited with no to-state: no state change.
    audit.record(actor, event, object_type="nomination", nomination=nomination, from_state=current,
                 to_state=holder.state if holder.state != current else None, comment=comment, data=data or None)
    db.session.flush()
    faults.pause_point(f"after_event:{event}")  # crash tests: killed here, nothing may remain
    return nomination
