"""The names the workflow file uses, bound to code: guards and effects register here by name, and so do the
three hooks the engine calls on every event (who may fire it, the notices it causes, its audit row), and the
notices of an operation that is not an event (``notify_operation``: any area calls it without importing
notifications, which reads the areas to choose recipients).

The engine looks names up here and never imports an area: the guards, effects and hooks that need the areas'
models live above the areas (``nominate.procedure``) and register when the app is created."""
from __future__ import annotations

from collections.abc import Callable

GUARDS: dict[str, Callable] = {}
EFFECTS: dict[str, Callable] = {}
#: ``can_fire(user, nomination, transition)``, ``fire_scope(user, nomination)`` (what can_fire reads besides the
#: transition), ``notify_event(ctx)``, ``record_event(actor, event, **row)``, ``notify_operation(action, actor, **about)``
HOOKS: dict[str, Callable] = {}


def guard(name):
    def register(fn):
        GUARDS[name] = fn
        return fn
    return register


def effect(name):
    def register(fn):
        EFFECTS[name] = fn
        return fn
    return register


def provide(**hooks: Callable) -> None:
    """Bind the engine's hooks (``nominate.procedure`` does, at import)."""
    HOOKS.update(hooks)


def hook(name: str) -> Callable:
    try:
        return HOOKS[name]
    except KeyError:
        raise RuntimeError(f"workflow hook {name!r} is not registered: create_app imports nominate.procedure") from None


def notify_operation(action: str, actor, **about):
    """The notices of an operation outside the workflow (``operation_notices:`` in the workflow file), written by
    the hook notifications provides (nominate.notifications.operations.notify_operation, bound by procedure)."""
    return hook("notify_operation")(action, actor, **about)
