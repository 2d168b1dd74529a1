"""Load benchmark at national scale, on PostgreSQL and on SQLite.

    .venv/bin/python benchmarks/run.py                 # both databases, 5 s per run
    .venv/bin/python benchmarks/run.py --db sqlite --duration 3 --skip-bundles

For each database: counts SQL statements per page on a small and on the national data set (fails if any
page's count grows), serves the national data set with gunicorn (2 sync workers) and drives it with wrk
from a second process over loopback at 1, 4 and 16 connections: the floor endpoint /healthz (no database
work), the selection board, a city dashboard, a nomination page, the filtered API list, and firing an event
(ministry_decline through the API on a pool of prepared nominations, put back between runs). Then renders
the Shanxi and the national bundle (benchmarks/bundle.py). Writes benchmarks/results/load.md.

PostgreSQL: BENCH_PG_URL (default postgresql://postgres@127.0.0.1:5432/nominate_perf_bench; the database
is dropped and created). Needs `wrk` (apt-get install wrk).
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from nominate import create_app  # noqa: E402
from nominate.extensions import db  # noqa: E402

HERE = ROOT / "benchmarks"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
CONNECTIONS = (1, 4, 16)
LOAD_PAGES = ("selection board", "city dashboard", "nomination page", "API list, filtered")
USER_AGENT = "nominate-bench"
SMALL_SIZES = dict(provinces=3, per_city=4, updates_per_nomination=3)


def pg_url() -> str:
    return os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/nominate_perf_bench")


def fresh_database(kind: str, tmp: Path) -> str:
    if kind == "sqlite":
        path = tmp / "national.db"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    url = sa.engine.make_url(pg_url().replace("postgresql://", "postgresql+psycopg://", 1))
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    return url.render_as_string(hide_password=False)


def bench_app(url: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                       "RATELIMIT_ENABLED": False, "NOMINATE_TODAY": "2021-10-20",
                       "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "JOBS_WORKER_THREAD": "0"})


def load_data(app, sizes: dict | None) -> tuple[dict, dict, dict]:
    """(Re)create the schema, generate the data set; return row counts, statement counts per page, tokens."""
    from benchmarks.national import Sizes, generate_national

    with app.app_context():
        db.drop_all()
        db.create_all()
        start = time.perf_counter()
        rows = generate_national(seed=1, sizes=Sizes(**(sizes or {})))
        rows["seconds"] = round(time.perf_counter() - start, 1)
        tokens, counts = tokens_and_counts(app)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("VACUUM ANALYZE"))
    return rows, counts, tokens


def tokens_and_counts(app) -> tuple[dict, dict]:
    """API tokens of the Shanxi office and the Ministry, and the SQL statements of every page (in an app context)."""
    from nominate.accounts.models import User
    from nominate.accounts.operations import issue_token
    from benchmarks.national import page_statement_counts

    tokens = {}
    for username in ("shanxi-province_office", "mohrss-ministry"):
        user = db.session.scalar(sa.select(User).filter_by(username=username))
        tokens[username] = issue_token(None, user, "bench")
    db.session.commit()
    return tokens, page_statement_counts(app.test_client(), tokens["shanxi-province_office"])


def event_pool(app) -> list[int]:
    """Nominations the Ministry may decline once they sit in 人社部初审中: every selected nominee."""
    from nominate.nominations.models import Nomination

    with app.app_context():
        ids = db.session.scalars(sa.select(Nomination.id).where(Nomination.selected_at.is_not(None))
                                 .order_by(Nomination.id)).all()
        db.session.remove()
    return list(ids)


def reset_pool(app, ids: list[int]) -> None:
    """Put the pool back in 人社部初审中 (a benchmark-only shortcut; the audit rows of the fired events stay)."""
    from nominate.nominations.models import Nomination

    with app.app_context():
        db.session.execute(sa.update(Nomination).where(Nomination.id.in_(ids)).values(state="ministry_preliminary"))
        from nominate.caching.models import DataVersion

        db.session.execute(sa.update(DataVersion).values(version=DataVersion.version + 1))  # pages are stale now
        db.session.commit()
        db.session.remove()


class Server:
    def __init__(self, url: str, workers: int, cache: str = "1"):
        env = {**os.environ, "BENCH_DATABASE_URL": url, "PYTHONPATH": str(ROOT), "BENCH_PAGE_CACHE": cache}
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{PORT}",
             "--log-level", "warning", "--chdir", str(HERE), "wsgi:app"], env=env)
        for _ in range(100):
            try:
                urllib.request.urlopen(BASE + "/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(60)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kw):
        return None


def login_cookie(app, username: str) -> str:
    """Sign in over HTTP as a person does: the password, then (a role that must use two factors) the TOTP code."""
    from benchmarks.national import enrol_for_benchmark, totp_code

    with app.app_context():
        secret = enrol_for_benchmark(username)
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    steps = [("/login", {"username": username, "password": "Sx-Pingxuan-2021"})]
    if secret:
        with app.app_context():
            steps.append(("/login/two-factor", {"code": totp_code(secret, username)}))
            db.session.remove()
    for path, form in steps:
        request = urllib.request.Request(BASE + path, data=urllib.parse.urlencode(form).encode(),
                                         headers={"User-Agent": USER_AGENT})
        try:
            opener.open(request)
        except urllib.error.HTTPError as exc:  # the 302 to the next step or the home page
            if exc.code != 302:
                raise
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def check(path: str, headers: dict) -> None:
    """wrk does not count redirects as errors: make sure the page answers 200 to these credentials."""
    opener = urllib.request.build_opener(_NoRedirect)
    resp = opener.open(urllib.request.Request(BASE + path, headers=headers))
    if resp.status != 200:
        raise RuntimeError(f"{path} answered {resp.status}")


def wrk(path: str, connections: int, duration: int, headers: dict, ids: list[int] | None = None) -> dict:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(HERE / "report.lua")]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    cmd.append(BASE + path)
    if ids:
        cmd += ["--", *map(str, ids)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("JSON "))
    r = json.loads(line[5:])
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    return r


def load_runs(app, url: str, tokens: dict, duration: int, workers: int, cache: str = "1",
              connections=CONNECTIONS, fire: bool = True) -> list[dict]:
    """wrk at each number of connections against every page, with the page cache on ("1") or off ("0");
    with the cache on, each page is opened once first (warm)."""
    from benchmarks.national import benchmark_pages

    with app.app_context():
        pages = benchmark_pages()
        db.session.remove()
    server = Server(url, workers, cache)
    try:
        cookies = {u: login_cookie(app, u) for u in ("shanxi-province_office", "taiyuan-city_bureau")}
        targets = [("floor (/healthz)", "/healthz", {})]
        for name in LOAD_PAGES:
            username, path = pages[name]
            headers = ({"Authorization": f"Bearer {tokens['shanxi-province_office']}"} if username is None
                       else {"Cookie": cookies[username]})
            targets.append((name, path, {**headers, "User-Agent": USER_AGENT}))
        for _, path, headers in targets:
            check(path, headers)
        pool = event_pool(app)
        results = []
        suffix = "" if cache == "1" else " (cache off)"
        for c in connections:
            for name, path, headers in targets:
                if cache == "1":
                    for _ in range(workers * 2):  # every worker's own store, when there is no Redis
                        check(path, headers)
                results.append({"page": name + suffix, "connections": c, **wrk(path, c, duration, headers)})
            if not fire:
                continue
            reset_pool(app, pool)
            results.append({"page": "fire event (API POST)", "connections": c, **wrk(
                "/api/v1/nominations/0/events", c, duration,
                {"Authorization": f"Bearer {tokens['mohrss-ministry']}", "Content-Type": "application/json",
                 "User-Agent": USER_AGENT}, ids=pool)})
            results[-1]["pool"] = len(pool)
        return results
    finally:
        server.stop()


def paired_shares(app, url: str, tokens: dict, workers: int, rounds: int = 3, duration: int = 3) -> list[str]:
    """The warm pages' share of the floor, measured in pairs: each round drives the floor and then the page, and a
    page's share is the median of its rounds' ratios. The floor alone moved by a quarter between two runs a minute
    apart, and a share measured against a floor taken minutes earlier moved with it (the board 22–30 %)."""
    import statistics

    from benchmarks.national import benchmark_pages

    with app.app_context():
        pages = benchmark_pages()
        db.session.remove()
    server = Server(url, workers, "1")
    try:
        cookies = {u: login_cookie(app, u) for u in ("shanxi-province_office", "taiyuan-city_bureau")}
        lines = [f"Warm pages paired with the floor, 16 connections, {rounds} rounds of {duration} s each:", "",
                 "| page | floor req/s | page req/s | page p95 ms | share of floor (median of rounds) |",
                 "| --- | ---: | ---: | ---: | ---: |"]
        for name in LOAD_PAGES:
            username, path = pages[name]
            headers = ({"Authorization": f"Bearer {tokens['shanxi-province_office']}"} if username is None
                       else {"Cookie": cookies[username]})
            headers = {**headers, "User-Agent": USER_AGENT}
            for _ in range(workers * 2):
                check(path, headers)
            pairs = []
            for _ in range(rounds):
                floor = wrk("/healthz", 16, duration, {"User-Agent": USER_AGENT})
                page = wrk(path, 16, duration, headers)
                pairs.append((floor, page))
            med = statistics.median
            lines.append(f"| {name} | {med(f['rps'] for f, _ in pairs):.0f} | {med(p['rps'] for _, p in pairs):.0f} | "
                         f"{med(p['p95'] / 1000 for _, p in pairs):.1f} | "
                         f"{med(p['rps'] / f['rps'] for f, p in pairs) * 100:.0f} % |")
        return lines
    finally:
        server.stop()


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()[1].split()[1]
    return f"{os.cpu_count()} CPUs (nproc), {cpu}, {mem} RAM, Python {platform.python_version()}"


def table(db_name: str, results: list[dict]) -> list[str]:
    lines = [f"### {db_name}: requests/s and latency (ms) by connections", "",
             "| page | conns | req/s | p50 | p95 | p99 | share of floor | non-2xx |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    floor = {r["connections"]: r["rps"] for r in results if r["page"].startswith("floor")}
    for r in results:
        share = r["rps"] / floor[r["connections"]] * 100
        lines.append(f"| {r['page']} | {r['connections']} | {r['rps']:.0f} | {r['p50'] / 1000:.1f} | "
                     f"{r['p95'] / 1000:.1f} | {r['p99'] / 1000:.1f} | {share:.0f} % | {r['non2xx']} |")
    pools = {r["pool"] for r in results if "pool" in r}
    if pools:
        lines += ["", f"Firing: ministry_decline on a pool of {pools.pop()} prepared nominations, taken in turn "
                  "(when a run outlasts the pool, later requests are refused with 422 and count as non-2xx)."]
    return lines


def counts_table(db_name: str, small: dict, large: dict, rows_small: dict, rows_large: dict) -> list[str]:
    lines = [f"### {db_name}: SQL statements per page", "",
             f"| page | small ({rows_small['nominations']} nominations) | national ({rows_large['nominations']}) |",
             "| --- | ---: | ---: |"]
    lines += [f"| {page} | {small[page]} | {large[page]} |" for page in small]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("postgresql", "sqlite", "both"), default="both")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-bundles", action="store_true")
    parser.add_argument("--reuse", metavar="DATABASE_URL",
                        help="a PostgreSQL database that already holds the national data set (national.py): no "
                             "generation; pages with the page cache off, then on, at 16 connections")
    args = parser.parse_args()
    if args.reuse:
        return reuse_main(args)
    kinds = ("postgresql", "sqlite") if args.db == "both" else (args.db,)
    report = ["# Load benchmark: the national data set", "",
              f"- machine: {machine()}",
              f"- command: `{' '.join(['.venv/bin/python benchmarks/run.py', *sys.argv[1:]])}`",
              f"- gunicorn {args.workers} sync workers; wrk 1 thread, {args.duration} s per run, loopback", ""]
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            url = fresh_database(kind, Path(tmp))
            app = bench_app(url)
            print(f"[{kind}] small data set, statement counts …", flush=True)
            rows_small, small, _ = load_data(app, SMALL_SIZES)
            print(f"[{kind}] national data set …", flush=True)
            rows, large, tokens = load_data(app, None)
            print(f"[{kind}] loaded in {rows['seconds']} s: {rows}", flush=True)
            grown = [p for p in small if large[p] != small[p]]
            failed += [f"{kind}: {p} ({small[p]} → {large[p]} statements)" for p in grown]
            bundles = []
            if kind == "postgresql" and not args.skip_bundles:  # before the event runs change states
                import bundle

                print("[bundles] Shanxi demo and national …", flush=True)
                bundles = ["## Bundles", "", *bundle.report_lines(bundle.shanxi_bundle()),
                           *bundle.report_lines(bundle.national_bundle(url)), ""]
            results = load_runs(app, url, tokens, args.duration, args.workers)
            report += table(kind, results) + [""] + counts_table(kind, small, large, rows_small, rows) + [""]
            report.append(f"National data set on {kind}: " + ", ".join(f"{k} {v}" for k, v in rows.items()) + "\n")
            (HERE / "results" / f"load-{kind}.json").write_text(json.dumps(
                {"rows": rows, "statements": {"small": small, "national": large}, "runs": results},
                ensure_ascii=False, indent=1), encoding="utf-8")
            with app.app_context():
                db.engine.dispose()
            report += bundles
    if failed:
        report += ["**Statement counts grew with the data:** " + "; ".join(failed)]
    text = "\n".join(report) + "\n"
    (HERE / "results" / "load.md").write_text(text, encoding="utf-8")
    print(text)
    return 1 if failed else 0


def reuse_main(args) -> int:
    """The cache comparison on an existing national database: every page with the cache off, then warm."""
    url = args.reuse
    app = bench_app(url)
    with app.app_context():
        db.create_all()  # tables added since the data set was generated (data_versions)
        tokens, counts = tokens_and_counts(app)
    results = []
    for cache in ("0", "1"):
        results += load_runs(app, url, tokens, args.duration, args.workers, cache=cache, connections=(16,),
                             fire=False)
    report = ["# Load benchmark: the national data set, page cache off and on", "",
              f"- machine: {machine()}",
              f"- command: `{' '.join(['.venv/bin/python benchmarks/run.py', *sys.argv[1:]])}`",
              f"- gunicorn {args.workers} sync workers; wrk 1 thread, {args.duration} s per run, loopback", "",
              *table("postgresql", results), "",
              *paired_shares(app, url, tokens, args.workers), "", "SQL statements per page (cache off): " +
              ", ".join(f"{k} {v}" for k, v in counts.items()), ""]
    text = "\n".join(report) + "\n"
    (HERE / "results" / "load-cache.md").write_text(text, encoding="utf-8")
    (HERE / "results" / "load-cache.json").write_text(json.dumps({"statements": counts, "runs": results},
                                                                 ensure_ascii=False, indent=1), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
