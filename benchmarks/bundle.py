"""Benchmark: the demo's full Shanxi 正式 bundle, and the national bundle (every province's 正式 bundle in one ZIP).

    .venv/bin/python benchmarks/bundle.py                  # Shanxi demo bundle only
    .venv/bin/python benchmarks/bundle.py DATABASE_URL     # and the national bundle of that database
                                                           # (filled by `benchmarks/national.py`)

Streams each bundle, timing each document and sampling the process's resident memory while the ZIP is
written (peak growth over the resident size before streaming); the CPU of this process and of the worker
processes (from /proc, the pool's processes are not this process's children); prints a Markdown table and
writes benchmarks/results/bundle.md. benchmarks/run.py calls it after the load runs.
"""
from __future__ import annotations

import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nominate import create_app  # noqa: E402
from nominate.extensions import db  # noqa: E402


#: (label, docxtpl preparation once per template, worker processes): measured one after the other in one run
VARIANTS = (("before: in process, prepared every render", False, "0"),
            ("after: worker processes, prepared once", True, None))


def variants(title: str, build) -> list[dict]:
    """``build()`` makes the bundle afresh; measured under each of VARIANTS."""
    import form_templates

    results = []
    for label, once, workers in VARIANTS:
        form_templates.PREPARE_ONCE = once
        form_templates._prepared_class().cache.cache_clear()
        from nominate.caching import cache

        cache.clear()  # the document cache empty: every document rendered
        os.environ.pop("NOMINATE_BUNDLE_WORKERS", None)
        if workers is not None:
            os.environ["NOMINATE_BUNDLE_WORKERS"] = workers
        if workers is None:
            from nominate.documents import workers as pool

            pool.warm()  # a server keeps its pool between bundles; its start is not the bundle's time
        results.append(measure(f"{title} — {label}", build()))
    return results


def _rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize()


class PeakMemory:
    """Samples the resident size every 10 ms; ``growth`` is the peak over the size at the start."""

    def __enter__(self):
        self.start = self.peak = _rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, _rss_bytes())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_bytes())
        self.growth = self.peak - self.start


def workers_cpu() -> dict[int, float]:
    """CPU seconds (user + system) spent so far by each of the bundle pool's worker processes, by pid."""
    from nominate.documents import workers as pool

    executor, out = pool._pool, {}
    for pid in list(getattr(executor, "_processes", None) or {}):
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return out


def measure(title: str, bundle) -> dict:
    """Stream ``bundle`` (documents rendered by the worker processes unless NOMINATE_BUNDLE_WORKERS=0);
    returns the figures for report_lines.  Memory is this process's; each worker holds one document."""
    with PeakMemory() as mem:
        start, cpu, workers = time.perf_counter(), time.process_time(), workers_cpu()
        # as the download streams it (documents.operations.BundleDownload): the read transaction ended after
        # each document
        from nominate.core.db import end_read

        size = sum(len(chunk) for chunk in bundle.stream(after_each=end_read))
        total, cpu = time.perf_counter() - start, time.process_time() - cpu
        workers = sum(cpu_s - workers.get(pid, 0.0) for pid, cpu_s in workers_cpu().items())
    return {"title": title, "documents": len(bundle.entries), "seconds": total, "cpu": cpu, "workers": workers,
            "size": size, "growth": mem.growth, "load": os.getloadavg()[0]}


def report_lines(m: dict) -> list[str]:
    return [f"### {m['title']}", "",
            f"- entries (documents and photos): {m['documents']}, "
            f"{m['seconds'] / max(m['documents'], 1) * 1000:.1f} ms each",
            f"- whole bundle: {m['seconds']:.2f} s wall (load average {m['load']:.2f}), {m['cpu']:.2f} s CPU of "
            f"this process + {m['workers']:.2f} s of the worker processes = {m['cpu'] + m['workers']:.2f} s, "
            f"{m['size'] / 1024:.0f} KiB ZIP",
            f"- peak resident memory growth while streaming: {m['growth'] / 1024 / 1024:.1f} MiB", ""]


def shanxi_bundle() -> list[dict]:
    """The demo's Shanxi 正式 bundle, on a fresh SQLite database."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db", "SECRET_KEY": "bench",
                          "DOCUMENT_CACHE": True,
                          "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
        with app.app_context():
            db.create_all()
            from nominate.campaigns.models import Campaign
            from nominate.demo.data import build_demo
            from nominate.documents.bundle import province_bundle

            build_demo()
            campaign = db.session.scalars(db.select(Campaign)).one()
            result = variants("山西省 正式推荐材料 bundle (demo data)", lambda: province_bundle(campaign, "formal"))
            db.session.remove()
            db.engine.dispose()
    return result


def national_bundle(url: str) -> list[dict]:
    """Every province's 正式 bundle as one ZIP (one folder per province), from the national data set."""
    from nominate.campaigns.models import Campaign
    from nominate.documents.bundle import Bundle, province_bundle

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "NOMINATE_TODAY": "2021-10-20",
                      "DOCUMENT_CACHE": True})
    def build():
        national = Bundle("全国 正式推荐材料.zip")
        for campaign in db.session.scalars(db.select(Campaign).order_by(Campaign.id)):
            national.entries += province_bundle(campaign, "formal").entries
        return national

    with app.app_context():
        result = variants(f"全国 正式推荐材料 bundle (national data set, {db.engine.dialect.name})", build)
        db.session.remove()
        db.engine.dispose()
    return result


def main(argv: list[str]) -> str:
    """``bundle.py [DATABASE_URL]``: the Shanxi demo bundle, and the national one from a generated database."""
    if argv and argv[0].startswith("-"):
        return "usage: benchmarks/bundle.py [DATABASE_URL of a database made by `benchmarks/national.py`]"
    results = shanxi_bundle() + (national_bundle(argv[0]) if argv else [])
    report = "# Bundles\n\n" + "\n".join(line for m in results for line in report_lines(m))
    out = ROOT / "benchmarks" / "results" / "bundle.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    return report


if __name__ == "__main__":
    print(main(sys.argv[1:]))
