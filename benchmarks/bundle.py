"""Benchmark: the demo's full Shanxi 正式 bundle, rendered document by document.

    .venv/bin/python benchmarks/bundle.py

Builds the demo on a fresh SQLite database, then streams the province's formal bundle, timing each
document and tracing peak Python memory; prints a Markdown table and writes benchmarks/results/bundle.md.
"""
from __future__ import annotations

import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nominate import create_app  # noqa: E402
from nominate.extensions import db  # noqa: E402


def main() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db", "SECRET_KEY": "bench",
                          "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
        with app.app_context():
            db.create_all()
            from nominate.campaigns.models import Campaign
            from nominate.demo.data import build_demo
            from nominate.documents.bundle import province_bundle

            build_demo()
            campaign = db.session.scalars(db.select(Campaign)).one()
            bundle = province_bundle(campaign, "formal")
            timings: dict[str, float] = {}

            def timed(name, render):
                def run():
                    start = time.perf_counter()
                    data = render()
                    timings[name] = time.perf_counter() - start
                    return data
                return run

            bundle.entries = [(name, timed(name, render)) for name, render in bundle.entries]
            tracemalloc.start()
            start = time.perf_counter()
            size = sum(len(chunk) for chunk in bundle.stream())
            total = time.perf_counter() - start
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    per_kind: dict[str, list[float]] = {}
    for name, seconds in timings.items():
        kind = name.split("/")[-2] if name.count("/") >= 3 else name.split("/")[-1]
        per_kind.setdefault(kind, []).append(seconds)
    lines = ["| document | count | mean s | max s |", "| --- | ---: | ---: | ---: |"]
    for kind, values in per_kind.items():
        lines.append(f"| {kind} | {len(values)} | {statistics.mean(values):.3f} | {max(values):.3f} |")
    lines += ["", f"- documents: {len(timings)}, seconds per document (mean): {statistics.mean(timings.values()):.3f}",
              f"- whole bundle: {total:.2f} s, {size / 1024:.0f} KiB ZIP",
              f"- peak Python memory while streaming (tracemalloc): {peak / 1024 / 1024:.1f} MiB;"
              f" process max RSS: {rss:.0f} MiB"]
    report = "# 山西省 正式推荐材料 bundle (demo data)\n\n" + "\n".join(lines) + "\n"
    (ROOT / "benchmarks" / "results" / "bundle.md").write_text(report, encoding="utf-8")
    return report


if __name__ == "__main__":
    print(main())
