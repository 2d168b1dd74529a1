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
    lines += ["", "| 状态 state | 中文 |", "| --- | --- |"]
    lines += [f"| `{k}` | {s['label']}{'（终止）' if s.get('final') else ''} |" for k, s in wf.states.items()]
    return "\n".join(lines) + "\n"
