"""No module outside nominate/workflow/ names a state or an event: they live in workflows/nomination.yaml.

Walks every Python module of the package with ``ast`` (string literals equal to a state or event key,
``NominationState.X`` / ``BatchState.X`` members) and every Jinja template with Jinja's own parser
(string constants equal to a key). Migrations live outside the package and may name states."""
from __future__ import annotations

import ast
from pathlib import Path

import jinja2
import jinja2.nodes
import pytest

from nominate.workflow.machine import read_definition

PACKAGE = Path(__file__).resolve().parents[2] / "nominate"
ALLOWED = PACKAGE / "workflow"
# No exception: the Shanxi demo's story (who stands where on 2021-10-20) is data, workflows/demo/shanxi-2021.yaml,
# played by nominate/demo/story.py, which checks its states and events against the workflow file first.


def _vocabulary() -> tuple[set[str], set[str]]:
    d = read_definition("nomination")
    keys = {s["key"] for s in d["states"]} | {t["event"] for t in d["transitions"]}
    keys |= {s["key"] for s in d["batch"]["states"]} | {e["event"] for e in d["batch"]["events"]}
    members = {s["key"].upper() for s in d["states"]} | {s["key"].upper() for s in d["batch"]["states"]}
    return keys, members


KEYS, MEMBERS = _vocabulary()


def _outside(pattern: str) -> list[Path]:
    return sorted(p for p in PACKAGE.rglob(pattern) if ALLOWED not in p.parents)


def python_offences(source: str, where: str) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in KEYS:
            out.append(f"{where}:{node.lineno}: {node.value!r}")
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
              and node.value.id in ("NominationState", "BatchState") and node.attr in MEMBERS):
            out.append(f"{where}:{node.lineno}: {node.value.id}.{node.attr}")
    return out


def template_offences(source: str, where: str) -> list[str]:
    tree = jinja2.Environment(extensions=["jinja2.ext.do"]).parse(source)
    return [f"{where}:{node.lineno}: {node.value!r}" for node in tree.find_all(jinja2.nodes.Const)
            if isinstance(node.value, str) and node.value in KEYS]


def test_the_walk_sees_the_package():
    assert len(_outside("*.py")) > 50 and len(_outside("*.html")) > 20
    assert (PACKAGE / "demo" / "data.py") in _outside("*.py")  # the demo is walked like any other module
    assert "draft" in KEYS and "submit_to_province" in KEYS and "DRAFT" in MEMBERS


def test_no_python_module_outside_workflow_names_a_state_or_event():
    offences = [o for p in _outside("*.py") for o in python_offences(p.read_text("utf-8"), str(p.relative_to(PACKAGE)))]
    assert offences == []


def test_no_template_names_a_state_or_event():
    offences = [o for p in _outside("*.html") for o in template_offences(p.read_text("utf-8"), str(p.relative_to(PACKAGE)))]
    assert offences == []


@pytest.mark.parametrize("source,expected", [
    ('if nom.state.value == "returned":\n    pass\n', 1),
    ("x = {NominationState.FORMAL_MATERIALS, NominationState.AWARDED}\n", 2),
    ("fire_event(nom, 'select', actor)\n", 1),
    ("batch.state = BatchState.SUBMITTED\n", 1),
    ('label = "已退回"\nNominationState.label_of(x)\n', 0),
])
def test_the_python_check_catches_what_it_must(source, expected):
    assert len(python_offences(source, "sample.py")) == expected


@pytest.mark.parametrize("source,expected", [
    ("{% if nom.state.value == 'returned' %}x{% endif %}", 1),
    ("{{ c.get('draft', 0) + c.get('city_review', 0) }}", 2),
    ("{% if 'select' in r.events %}{% endif %}", 1),
    ("{{ nom.state_label }} 草稿", 0),
])
def test_the_template_check_catches_what_it_must(source, expected):
    assert len(template_offences(source, "sample.html")) == expected
