"""The notice texts (workflows/notices.yaml) and their rendering."""
from __future__ import annotations

from functools import lru_cache

import yaml

from nominate.workflow.machine import workflows_dir


class _Blank(dict):
    def __missing__(self, key):
        return ""


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def templates() -> dict[str, dict]:
    path = workflows_dir() / "notices.yaml"
    return _load(str(path), path.stat().st_mtime)


def render(notice: str, values: dict) -> tuple[str, str, str]:
    """(subject, body, sms) of ``notice`` with ``values`` filled in (an unknown placeholder is blank)."""
    spec = templates()[notice]
    data = _Blank({k: ("" if v is None else str(v)) for k, v in values.items()})
    return tuple(spec.get(part, "").format_map(data).strip() for part in ("subject", "body", "sms"))
