"""The procedure registers every guard and effect the workflow file names, and the engine's three hooks, into
nominate.workflow.registry: the engine looks them up by name and imports no area (lint-imports holds that)."""
from __future__ import annotations

import pytest

from nominate.workflow import registry
from nominate.workflow.machine import get_workflow


def test_every_guard_and_effect_the_file_names_is_registered(app):
    wf = get_workflow("nomination")
    guards = {name for t in wf.transitions.values() for name, _ in t.guards}
    effects = {name for t in wf.transitions.values() for name, _ in t.effects}
    assert guards and effects
    assert guards - set(registry.GUARDS) == set()
    assert effects - set(registry.EFFECTS) == set()


def test_the_engine_hooks_are_the_areas_functions(app):
    from nominate.audit.operations import record
    from nominate.nominations.permissions import can_fire
    from nominate.notifications.operations import notify_event

    assert registry.hook("can_fire") is can_fire
    assert registry.hook("notify_event") is notify_event
    assert registry.hook("record_event") is record


def test_an_unregistered_hook_is_refused_loudly():
    with pytest.raises(RuntimeError, match="not registered"):
        registry.hook("no_such_hook")
