"""Generated documentation stays in step with the workflow definition."""
from pathlib import Path

from nominate.workflow.docs import render_workflow_markdown

ROOT = Path(__file__).resolve().parent.parent


def test_workflow_diagram_in_docs_is_current():
    committed = (ROOT / "docs" / "workflow.md").read_text(encoding="utf-8")
    assert committed == render_workflow_markdown("nomination"), \
        "docs/workflow.md is stale: run `flask --app nominate workflow-diagram`"
