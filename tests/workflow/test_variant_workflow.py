"""Adding a state and an event, or renaming a label, is an edit of the workflow file only.

A variant of workflows/nomination.yaml gets one extra state (province_vetted, between the province's
selection and the report to the Ministry), one extra event (vet) and a renamed label; a fresh
interpreter loads the app against it (NominationState and the CHECK constraint derived from it) and
walks an individual nomination from draft to awarded through the new state."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from nominate.nominations.enums import NominationState
from nominate.workflow.machine import build_workflow, read_definition

ROOT = Path(__file__).resolve().parents[2]


def variant_definition() -> dict:
    d = read_definition("nomination", ROOT / "workflows")
    i = next(n for n, s in enumerate(d["states"]) if s["key"] == "province_selected")
    d["states"].insert(i + 1, {"key": "province_vetted", "label": "省级复核中", "tags": ["occupies_place"]})
    next(s for s in d["states"] if s["key"] == "awarded")["label"] = "已授予称号"
    report = next(t for t in d["transitions"] if t["event"] == "report_to_ministry")
    report["source"] = "province_vetted"
    d["transitions"].insert(d["transitions"].index(report), {
        "event": "vet", "label": "省级复核", "source": "province_selected", "dest": "province_vetted",
        "roles": ["province_office"], "guards": ["comment_required"]})
    return d


def test_the_variant_is_a_valid_workflow_with_the_extra_state_and_event():
    wf = build_workflow(variant_definition())
    assert "province_vetted" in wf.states and wf.transitions["vet"].dest == "province_vetted"
    assert wf.has_tag("province_vetted", "occupies_place")
    assert "province_vetted" not in NominationState._value2member_map_  # this interpreter: the shipped file


def test_a_nomination_walks_through_a_variant_workflow(tmp_path):
    wdir = tmp_path / "workflows"
    shutil.copytree(ROOT / "workflows", wdir)
    (wdir / "nomination.yaml").write_text(yaml.safe_dump(variant_definition(), allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "NOMINATE_TEST_DATABASE_URL"}  # its own SQLite database
    env["NOMINATE_WORKFLOWS_DIR"] = str(wdir)
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                          str(ROOT / "tests" / "workflow" / "variant" / "walk_variant.py")],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=280)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "3 passed" in run.stdout
