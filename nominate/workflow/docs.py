"""Markdown documentation of a workflow, generated from its definition."""
from nominate.workflow.machine import get_workflow


def render_workflow_markdown(key: str = "nomination") -> str:
    wf = get_workflow(key)
    lines = [f"# {wf.title}", "", f"Generated from `workflows/{key}.yaml` by `flask --app nominate workflow-diagram`;"
             " do not edit by hand.", "", "```mermaid", wf.mermaid().strip(), "```", "",
             "| 事件 event | 名称 | 从 from | 到 to | 角色 roles | 规则 guards |", "| --- | --- | --- | --- | --- | --- |"]
    for t in wf.transitions.values():
        guards = ", ".join(name + (f"({', '.join(f'{k}={v}' for k, v in args.items())})" if args else "")
                           for name, args in t.guards) or "—"
        lines.append(f"| `{t.event}` | {t.label} | {', '.join(t.sources)} | {t.dest} | {', '.join(sorted(t.roles))}"
                     f" | {guards} |")
    lines += ["", "| 状态 state | 中文 | 公示 publicity | 标签 tags |", "| --- | --- | --- | --- |"]
    lines += [f"| `{k}` | {s['label']}{'（终止）' if s.get('final') else ''} | {s.get('publicity') or '—'}"
              f" | {', '.join(s.get('tags', [])) or '—'} |" for k, s in wf.states.items()]
    if wf.batch is not None:
        lines += ["", "## 推荐批次 batch", "",
                  f"Initial state `{wf.batch.initial}`; moved by the nomination events' `move_batch` effects.", "",
                  "| 事件 event | 名称 | 从 from | 到 to |", "| --- | --- | --- | --- |"]
        lines += [f"| `{t.event}` | {t.label} | {', '.join(t.sources)} | {t.dest} |" for t in wf.batch.events.values()]
        lines += ["", "| 状态 state | 中文 | 标签 tags |", "| --- | --- | --- |"]
        lines += [f"| `{k}` | {s['label']} | {', '.join(s.get('tags', [])) or '—'} |" for k, s in wf.batch.states.items()]
    lines += ["", "## Changing the workflow", "", *CHANGING]
    return "\n".join(lines) + "\n"


CHANGING = [
    "Everything the code knows about states and events is in this file and read through the `Workflow` object "
    "(`nominate/workflow/machine.py`); `tests/workflow/test_vocabulary_lives_in_the_file.py` fails when a module "
    "outside `nominate/workflow/` names a state or an event.",
    "",
    "- A label, a tag, a guard or an effect of an existing event: edit the YAML; regenerate this page "
    "(`flask --app nominate workflow-diagram`).",
    "- A new state: `NominationState` is derived from the file at start-up, and the `nominations.state` column "
    "carries a CHECK constraint listing the states, so the database needs an alembic migration that recreates "
    "the `nomination_state` constraint with the new value (`flask --app nominate db revision`; SQLite needs "
    "`batch_alter_table`). `tests/migrations` fails until the migration and the models agree. Tag it "
    "(`occupies_place`, `formal`, …) for the rules that should count it.",
    "- A new event on the main path: the walker (demo, benchmarks, tests) follows it without a code change; "
    "a new guard or effect name needs its function in `guards.py` / `effects.py`.",
    "- A batch state: the same, for the `batch_state` constraint of `city_batches.state`.",
    "- A renamed state or event: the demo's story (`workflows/demo/shanxi-2021.yaml`, played by "
    "`nominate/demo/story.py`) names states and events as data; the demo refuses to start and names the "
    "unknown key until the story is edited to match.",
]
