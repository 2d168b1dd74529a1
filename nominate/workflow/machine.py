"""The workflow definition (YAML in workflows/) and the one shared ``transitions`` machine."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from flask import current_app, has_app_context
from transitions import Machine

REPO_ROOT = Path(__file__).resolve().parents[2]


def workflows_dir() -> Path:
    if has_app_context() and current_app.config.get("WORKFLOWS_DIR"):
        return Path(current_app.config["WORKFLOWS_DIR"])
    return REPO_ROOT / "workflows"


def _named(entries) -> list[tuple[str, dict]]:
    """Guards/effects are written as ``name`` or ``{name: {args}}``."""
    out = []
    for entry in entries or []:
        if isinstance(entry, str):
            out.append((entry, {}))
        else:
            (name, args), = entry.items()
            out.append((name, dict(args or {})))
    return out


@dataclass(frozen=True)
class TransitionDef:
    event: str
    label: str
    sources: tuple[str, ...]
    dest: str
    roles: frozenset[str]
    guards: tuple[tuple[str, dict], ...]
    effects: tuple[tuple[str, dict], ...]
    params: tuple[str, ...] = ()
    internal: bool = False
    exit: bool = False  # a side exit (return, reject, withdraw …), never a to-do
    notify: tuple[dict, ...] = ()  # who is told of it (nominate/notifications reads these)


@dataclass
class Workflow:
    key: str
    title: str
    initial: str
    states: dict[str, dict]
    editable: frozenset[str]
    transitions: dict[str, TransitionDef]
    machine: Machine = field(repr=False)
    operation_notices: dict[str, tuple[dict, ...]] = field(default_factory=dict)

    def state_label(self, key: str) -> str:
        return self.states[key]["label"]

    def is_final(self, key: str) -> bool:
        return bool(self.states[key].get("final"))

    def events_from(self, state: str) -> list[TransitionDef]:
        return [t for t in self.transitions.values() if state in t.sources]

    def fire(self, state_holder, event: str) -> None:
        """Fire ``event`` on any object with a ``state`` attribute (never added to the machine)."""
        self.machine.events[event].trigger(state_holder)

    def mermaid(self) -> str:
        from transitions.extensions.diagrams import GraphMachine

        class _Model:
            pass

        graph = GraphMachine(
            model=_Model(), states=list(self.states), initial=self.initial,
            transitions=[{"trigger": t.event, "source": list(t.sources), "dest": t.dest}
                         for t in self.transitions.values()],
            auto_transitions=False, graph_engine="mermaid", title=self.title,
            show_state_attributes=False,
        )
        return graph.get_graph().source


def build_workflow(definition: dict) -> Workflow:
    states = {s["key"]: s for s in definition["states"]}
    transitions: dict[str, TransitionDef] = {}
    for t in definition["transitions"]:
        sources = t["source"] if isinstance(t["source"], list) else [t["source"]]
        for s in [*sources, t["dest"]]:
            if s not in states:
                raise ValueError(f"workflow {definition['key']}: unknown state {s!r} in {t['event']}")
        transitions[t["event"]] = TransitionDef(
            event=t["event"], label=t["label"], sources=tuple(sources), dest=t["dest"],
            roles=frozenset(t.get("roles", [])), guards=tuple(_named(t.get("guards"))),
            effects=tuple(_named(t.get("effects"))), params=tuple(t.get("params", [])),
            internal=bool(t.get("internal")), exit=bool(t.get("exit")),
            notify=tuple(t.get("notify") or ()),
        )
    machine = Machine(
        model=None, states=list(states), initial=None, auto_transitions=False, send_event=True,
        transitions=[{"trigger": t.event, "source": list(t.sources), "dest": t.dest} for t in transitions.values()],
    )
    return Workflow(key=definition["key"], title=definition.get("title", definition["key"]),
                    initial=definition["initial"], states=states,
                    editable=frozenset(definition.get("editable", [])),
                    transitions=transitions, machine=machine,
                    operation_notices={k: tuple(v or ()) for k, v in (definition.get("operation_notices") or {}).items()})


@lru_cache(maxsize=16)
def _load(path: str, mtime: float) -> Workflow:
    with open(path, encoding="utf-8") as fh:
        return build_workflow(yaml.safe_load(fh))


def get_workflow(key: str = "nomination") -> Workflow:
    """The compiled workflow ``key`` (cached; reloaded when its file changes)."""
    path = workflows_dir() / f"{key}.yaml"
    if not path.exists():
        from nominate.core.errors import DomainError

        raise DomainError("workflow_unknown", f"流程定义 {key} 不存在（{path.name}）", "workflow")
    return _load(str(path), path.stat().st_mtime)
