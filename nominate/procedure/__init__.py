"""The 两审三公示 procedure over the areas: the guards and effects the workflow file names (``guards.py``,
``effects.py``), the engine's hooks (who may fire an event, its notices, its audit row), and the walker that drives
a nomination along the main path through the areas' real operations.

It sits above the areas and registers by name into ``nominate.workflow.registry``, so the engine
(``nominate.workflow``) never imports an area. ``create_app`` imports this package."""
from nominate.audit.operations import record
from nominate.nominations.permissions import can_fire, fire_scope
from nominate.notifications.operations import notify_event, notify_operation
from nominate.procedure import effects, guards  # noqa: F401  (register by name)
from nominate.publicity.queries import current_periods
from nominate.workflow.registry import provide


def prefetch_readiness(nomination_ids) -> None:
    """What a list's readiness checks read, for many nominations at once: their 公示 periods and objections."""
    current_periods(nomination_ids)


#: the guards that read what prefetch_readiness loads (a list prefetches only for rows whose checks run one)
prefetch_readiness.guards = guards.READ_PERIODS

provide(can_fire=can_fire, fire_scope=fire_scope, notify_event=notify_event, record_event=record,
        notify_operation=notify_operation, prefetch_readiness=prefetch_readiness)
