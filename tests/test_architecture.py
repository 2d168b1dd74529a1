"""The layers hold: import-linter's contracts pass, cover every package, count imports inside functions, and
docs/architecture.md draws the same order. The listed debt (ignore_imports) may shrink, never grow."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
CONTRACTS = {c["id"]: c for c in CONFIG["contracts"]}

#: The imports each contract still ignores today. Lower these when you remove a line; never raise them.
DEBT_CEILING = {"project": 0, "floors": 0, "acyclic": 0}
#: Imports of nominate modules written inside a function or class body (to be moved up or documented).
FUNCTION_LEVEL_CEILING = 121


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("nominate", cache_dir=None)


def _layer_names(spec: str) -> list[str]:
    return [name.strip().strip("()") for name in re.split(r"[|:]", spec)]


def test_lint_imports_passes():
    lint = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in run.stdout


def test_project_contract_names_every_package_of_nominate():
    graph = _graph()
    children = {m.split(".")[1] for m in graph.find_children("nominate")}
    named = {name for spec in CONTRACTS["project"]["layers"] for name in _layer_names(spec)}
    assert children - named == set(), "a package of nominate is in no layer of the project contract"
    assert CONTRACTS["project"]["containers"] == ["nominate"]


def test_floors_contract_covers_every_area_with_views_or_models():
    graph = _graph()
    areas_layer = next(spec for spec in CONTRACTS["project"]["layers"] if "nominations" in _layer_names(spec))
    containers = set(CONTRACTS["floors"]["containers"])
    for area in _layer_names(areas_layer):
        modules = {m.rsplit(".", 1)[1] for m in graph.find_children(f"nominate.{area}")}
        if modules & {"models", "views", "api", "operations"}:
            assert f"nominate.{area}" in containers, f"nominate.{area} has floors but is not in the floors contract"


def _function_level_imports() -> list[tuple[str, str, int]]:
    found = []
    for path in sorted((ROOT / "nominate").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for scope in ast.walk(tree):
            if not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            for node in ast.walk(scope):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("nominate"):
                    found += [(module, node.module, node.lineno, alias.name) for alias in node.names]
                elif isinstance(node, ast.Import):
                    found += [(module, a.name, node.lineno, "") for a in node.names if a.name.startswith("nominate")]
    return sorted(set(found))


def test_the_graph_counts_imports_inside_functions():
    """A function-level import must not hide a wrong direction or a cycle from the contracts."""
    graph = _graph()
    imports = _function_level_imports()
    assert imports, "the scan found no function-level import: the check below would prove nothing"
    for importer, imported, line, name in imports:
        if importer == imported:
            continue
        candidates = [imported, f"{imported}.{name}"]
        assert any(c in graph.modules and graph.direct_import_exists(importer=importer, imported=c)
                   for c in candidates), f"{importer} l.{line} imports {imported} inside a function; grimp misses it"


def test_function_level_imports_do_not_grow():
    count = len({(importer, imported, line) for importer, imported, line, _ in _function_level_imports()})
    assert count <= FUNCTION_LEVEL_CEILING, f"{count} imports inside functions (ceiling {FUNCTION_LEVEL_CEILING})"


def test_listed_debt_does_not_grow():
    for cid, ceiling in DEBT_CEILING.items():
        listed = CONTRACTS[cid].get("ignore_imports", [])
        assert len(listed) == len(set(listed)), f"{cid}: an ignored import is listed twice"
        assert len(listed) <= ceiling, f"{cid}: {len(listed)} ignored imports, the ceiling is {ceiling}"
    assert set(DEBT_CEILING) == {cid for cid, c in CONTRACTS.items() if "ignore_imports" in c}


def test_architecture_diagram_matches_the_project_contract():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = re.search(r"```mermaid\n(.*?)```", text, re.S)
    assert block, "docs/architecture.md has no Mermaid diagram"
    nodes = dict(re.findall(r'^\s*(\w+)\["([^"]+)"\]', block.group(1), re.M))
    chain = re.search(r"^\s*(\w+(?:\s*-->\s*\w+)+)\s*$", block.group(1), re.M)
    assert chain, "the diagram has no top-to-bottom chain a --> b --> c"
    drawn = [nodes[name] for name in re.split(r"\s*-->\s*", chain.group(1).strip())]
    assert drawn == CONTRACTS["project"]["layers"], "docs/architecture.md draws another order than pyproject.toml"


def test_tests_mirror_the_packages():
    """Every area package has its tests folder beside the others (core is tested through tests/safety and
    tests/migrations, which test the whole app)."""
    packages = {p.parent.name for p in (ROOT / "nominate").glob("*/__init__.py")}
    missing = {name for name in packages - {"core"} if not list((ROOT / "tests" / name).glob("test_*.py"))}
    assert missing == set(), f"no tests/<area>/ for {sorted(missing)}"
