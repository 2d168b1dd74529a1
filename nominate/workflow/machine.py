"""The workflow definition (YAML in workflows/) and the one shared ``transitions`` machine."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from flask import current_app, has_app_context
from transitions import Machine

from nominate.core import request_memo
from nominate.core.enums import LabelledEnum

REPO_ROOT = Path(__file__).resolve().parents[2]

STATE_KEYS = {"key", "label", "final", "tags", "publicity", "hint"}
TRANSITION_KEYS = {"event", "label", "source", "dest", "roles", "params", "guards", "effects", "internal", "exit",
                   "starts_publicity", "finishes_publicity", "listing", "tags", "board",
                   "notify"}  # notify: who is told after the event (read by the notifications)
LEVELS = ("unit", "province", "national")


def workflows_dir() -> Path:
    if has_app_context() and current_app.config.get("WORKFLOWS_DIR"):
        return Path(current_app.config["WORKFLOWS_DIR"])
    return default_workflows_dir()


def default_workflows_dir() -> Path:
    """Without an application (at import, when the enums are derived): $NOMINATE_WORKFLOWS_DIR or <repo>/workflows."""
    return Path(os.environ.get("NOMINATE_WORKFLOWS_DIR") or REPO_ROOT / "workflows")


def read_definition(key: str = "nomination", directory: Path | None = None) -> dict:
    with open((directory or default_workflows_dir()) / f"{key}.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def derive_enum(name: str, states: list[dict], module: str | None = None) -> type[LabelledEnum]:
    """A LabelledEnum whose members are the file's states (``DRAFT = ("draft", "草稿")``)."""
    return LabelledEnum(name, [(s["key"].upper(), (s["key"], s["label"])) for s in states], module=module)


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
    tags: frozenset[str] = frozenset()
    starts_publicity: str | None = None
    finishes_publicity: str | None = None
    listing: bool = False  # its 公示 lists several nominees, started from the publicity page
    board: dict | None = None  # how the selection board offers it
    notify: object = None  # who is told after the event (free-form, read by the notifications)

    @property
    def needs_comment(self) -> bool:
        """The one answer to “must the user write a reason?” (page, API and guard alike)."""
        return any(name == "comment_required" for name, _ in self.guards)

    @property
    def needs_start_date(self) -> bool:
        return "start_date" in self.params


@dataclass
class BatchLifecycle:
    """A 推荐批次's own small lifecycle (the file's ``batch:`` section), moved by nomination events."""

    initial: str
    states: dict[str, dict]
    events: dict[str, TransitionDef]
    machine: Machine = field(repr=False)

    def tagged(self, tag: str) -> frozenset[str]:
        return frozenset(k for k, s in self.states.items() if tag in s.get("tags", ()))

    def fire(self, state_holder, event: str) -> None:
        self.machine.events[event].trigger(state_holder)


@dataclass
class Workflow:
    key: str
    title: str
    initial: str
    states: dict[str, dict]
    editable: frozenset[str]
    transitions: dict[str, TransitionDef]
    machine: Machine = field(repr=False)
    batch: BatchLifecycle | None = None
    overview: tuple[tuple[str, tuple[str, ...]], ...] = ()
    operation_notices: dict[str, tuple[dict, ...]] = field(default_factory=dict)
    #: a guard's refusal code → who must act before the event can pass (the file's ``blockers:``)
    blockers: dict[str, dict] = field(default_factory=dict)

    def blocker_who(self, code: str) -> str | None:
        """owner / office / opinion_signers, or None when only time (or the user's own input) will do."""
        return (self.blockers.get(code) or {}).get("who")

    def state_label(self, key: str) -> str:
        return self.states[key]["label"]

    def is_final(self, key: str) -> bool:
        return bool(self.states[key].get("final"))

    def has_tag(self, state: str, tag: str) -> bool:
        return tag in self.states[state].get("tags", ())

    def tagged(self, tag: str) -> frozenset[str]:
        """The states carrying ``tag`` (occupies_place, formal, shows_opinions …)."""
        return frozenset(k for k, s in self.states.items() if tag in s.get("tags", ()))

    def hint(self, state: str) -> str | None:
        return self.states[state].get("hint")

    def publicity_level(self, state: str) -> str | None:
        """The publicity level a nominee in ``state`` is listed in, or None."""
        return self.states[state].get("publicity")

    def publicity_state(self, level: str) -> str:
        return next(k for k, s in self.states.items() if s.get("publicity") == level)

    def starts_publicity(self, level: str) -> TransitionDef | None:
        return next((t for t in self.transitions.values() if t.starts_publicity == level), None)

    def finishes_publicity(self, level: str) -> TransitionDef | None:
        return next((t for t in self.transitions.values() if t.finishes_publicity == level), None)

    def listing_starts(self) -> dict[str, TransitionDef]:
        """level → the event that puts a nominee into a 公示 listing several nominees."""
        return {t.starts_publicity: t for t in self.transitions.values() if t.starts_publicity and t.listing}

    def event_tagged(self, tag: str) -> TransitionDef:
        """The one event carrying ``tag`` (batch_submission, formal_submission, objection_upheld)."""
        found = [t for t in self.transitions.values() if tag in t.tags]
        if len(found) != 1:
            raise LookupError(f"workflow {self.key}: {len(found)} events tagged {tag!r} (need exactly one)")
        return found[0]

    def exit_dest(self, state: str) -> bool:
        """A side exit (退回, 未入选 …) leads to ``state``: the page shows the exit's reason there."""
        return any(t.exit and t.dest == state for t in self.transitions.values())

    def board_events(self) -> list[TransitionDef]:
        return [t for t in self.transitions.values() if t.board]

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


def _transition(where: str, t: dict, states: dict) -> TransitionDef:
    unknown = set(t) - TRANSITION_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)} in event {t.get('event')!r}")
    sources = t["source"] if isinstance(t["source"], list) else [t["source"]]
    for s in [*sources, t["dest"]]:
        if s not in states:
            raise ValueError(f"{where}: unknown state {s!r} in {t['event']}")
    for key in ("starts_publicity", "finishes_publicity"):
        if t.get(key) is not None and t[key] not in LEVELS:
            raise ValueError(f"{where}: {key} of {t['event']} must be one of {LEVELS}")
    return TransitionDef(
        event=t["event"], label=t["label"], sources=tuple(sources), dest=t["dest"],
        roles=frozenset(t.get("roles", [])), guards=tuple(_named(t.get("guards"))),
        effects=tuple(_named(t.get("effects"))), params=tuple(t.get("params", [])),
        internal=bool(t.get("internal")), exit=bool(t.get("exit")), tags=frozenset(t.get("tags", [])),
        starts_publicity=t.get("starts_publicity"), finishes_publicity=t.get("finishes_publicity"),
        listing=bool(t.get("listing")), board=t.get("board"), notify=t.get("notify"),
    )


def _machine(states, transitions) -> Machine:
    return Machine(
        model=None, states=list(states), initial=None, auto_transitions=False, send_event=True,
        transitions=[{"trigger": t.event, "source": list(t.sources), "dest": t.dest} for t in transitions.values()],
    )


def _batch(definition: dict) -> BatchLifecycle | None:
    spec = definition.get("batch")
    if not spec:
        return None
    states = {s["key"]: s for s in spec["states"]}
    events = {e["event"]: _transition(f"workflow {definition['key']} batch", e, states) for e in spec["events"]}
    return BatchLifecycle(initial=spec["initial"], states=states, events=events, machine=_machine(states, events))


def build_workflow(definition: dict) -> Workflow:
    where = f"workflow {definition['key']}"
    states = {}
    for s in definition["states"]:
        unknown = set(s) - STATE_KEYS
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)} in state {s.get('key')!r}")
        if s.get("publicity") is not None and s["publicity"] not in LEVELS:
            raise ValueError(f"{where}: publicity of {s['key']} must be one of {LEVELS}")
        states[s["key"]] = s
    transitions = {t["event"]: _transition(where, t, states) for t in definition["transitions"]}
    overview = tuple((c["label"], tuple(c["states"])) for c in definition.get("overview", []))
    for _, keys in overview:
        for k in keys:
            if k not in states:
                raise ValueError(f"{where}: unknown state {k!r} in overview")
    return Workflow(key=definition["key"], title=definition.get("title", definition["key"]),
                    initial=definition["initial"], states=states,
                    editable=frozenset(k for k, s in states.items() if "editable" in s.get("tags", ())),
                    transitions=transitions, machine=_machine(states, transitions),
                    batch=_batch(definition), overview=overview,
                    operation_notices={k: tuple(v or ()) for k, v in (definition.get("operation_notices") or {}).items()},
                    blockers=_blockers(where, definition.get("blockers")))


BLOCKER_WHO = ("owner", "office", "opinion_signers", "nobody")


def _blockers(where: str, spec) -> dict[str, dict]:
    out = {}
    for code, entry in (spec or {}).items():
        who = (entry or {}).get("who")
        if who not in BLOCKER_WHO:
            raise ValueError(f"{where}: blocker {code!r} needs who: one of {BLOCKER_WHO}")
        out[code] = dict(entry)
    return out


@lru_cache(maxsize=16)
def _load(path: str, mtime: float) -> Workflow:
    with open(path, encoding="utf-8") as fh:
        return build_workflow(yaml.safe_load(fh))


def get_workflow(key: str = "nomination") -> Workflow:
    """The compiled workflow ``key`` (cached; reloaded when its file changes, checked once per request)."""
    memo = request_memo.memo("workflows")
    if memo is not None and key in memo:
        return memo[key]
    path = workflows_dir() / f"{key}.yaml"
    if not path.exists():
        from nominate.core.errors import DomainError

        raise DomainError("workflow_unknown", f"流程定义 {key} 不存在（{path.name}）", "workflow")
    workflow = _load(str(path), path.stat().st_mtime)
    if memo is not None:
        memo[key] = workflow
    return workflow


def workflow_of(nomination) -> Workflow:
    """The compiled workflow of the nomination's campaign: the one lookup the engine, the model and the event
    context share; within a request once per campaign (a list's rows ask it several times each)."""
    campaign_id = nomination.campaign_id
    memo = request_memo.memo("campaign_workflows") if campaign_id is not None else None
    found = memo.get(campaign_id) if memo is not None else None
    if found is None:
        found = get_workflow(nomination.campaign.workflow)
        if memo is not None:
            memo[campaign_id] = found
    return found
