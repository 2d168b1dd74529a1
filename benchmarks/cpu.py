"""CPU per request of every main page, with the page cache off and warm, against a bare view, in one run.

    .venv/bin/python benchmarks/cpu.py postgresql://postgres@127.0.0.1:5432/nominate_bench [--n 100] [--rounds 3]

The database holds the national data set (benchmarks/national.py). ``time.process_time`` around a Flask
test-client call (the database server's own CPU is not counted). The bare view is the floor a page could
reach: one SELECT of the board's rows, one compiled Jinja template, a body of the board's size; the floor
``/healthz`` does no database work at all. Writes benchmarks/results/cpu.md.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from jinja2 import Template  # noqa: E402

from nominate import create_app  # noqa: E402
from nominate.extensions import db  # noqa: E402

BARE = Template("""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>差额评选</title></head><body>
<table>{% for r in rows %}<tr><td>{{ loop.index }}</td><td>{{ r.person_name or r.window_name }}</td>
<td>{{ r.kind }}</td><td>{{ r.state }}</td><td>{{ r.rank }}</td></tr>{% endfor %}</table>
<p>{{ pad }}</p></body></html>""")


def bare_view_app(app, campaign_id: int, size: dict):
    """Add the bare view (benchmark only) to ``app``."""
    from nominate.nominations.models import Nomination

    stmt = (sa.select(Nomination.id, Nomination.person_name, Nomination.window_name, Nomination.kind,
                      Nomination.state, Nomination.rank)
            .where(Nomination.campaign_id == campaign_id, Nomination.selected_at.is_not(None)).limit(15))
    pad = "窗" * 10

    def bare():
        rows = db.session.execute(stmt).all()
        body = BARE.render(rows=rows, pad="")
        return BARE.render(rows=rows, pad=pad * max(0, (size["bytes"] - len(body.encode())) // 30))

    app.add_url_rule("/bench/bare", "bench_bare", bare)


def cpu_ms(client, path: str, n: int, headers: dict | None = None) -> float:
    resp = client.get(path, headers=headers or {})
    if resp.status_code != 200:
        raise AssertionError(f"{path} answered {resp.status_code}")
    start = time.process_time()
    for _ in range(n):
        client.get(path, headers=headers or {})
    return (time.process_time() - start) / n * 1000


class Bench:
    """The app on the national data set, a test client, the pages, and sign-in as each of their users."""

    def __init__(self, url: str):
        from benchmarks.national import benchmark_pages
        from nominate.accounts.models import User
        from nominate.accounts.operations import issue_token
        from nominate.campaigns.models import Campaign

        self.app = app = create_app({
            "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False, "NOMINATE_TODAY": "2021-10-20", "JOBS_WORKER_THREAD": "0",
            "PAGE_CACHE": "1"})
        self.state = app.extensions["nominate.page_cache"]
        with app.app_context():
            db.create_all()
            self.pages = benchmark_pages()
            campaign_id = db.session.scalar(sa.select(Campaign.id).filter_by(key="shanxi-2021"))
            users = dict(db.session.execute(sa.select(User.username, User.id)).all())
            self.token = issue_token(None, db.session.get(User, users["shanxi-province_office"]), "cpu-bench")
            db.session.commit()
            db.session.remove()
        self.size = {"bytes": 0}
        bare_view_app(app, campaign_id, self.size)
        self.client = app.test_client()
        self.signed: dict[str, dict] = {}
        self.login("shanxi-province_office")
        self.state.enabled = False
        self.board_size = self.size["bytes"] = len(self.client.get("/province/board").get_data())
        self.bare_size = len(self.client.get("/bench/bare").get_data())

    def login(self, username: str) -> None:
        """Sign in as a person does (the password, then the TOTP code where the role needs it), once per user."""
        from benchmarks.national import enrol_for_benchmark, totp_code

        client, app = self.client, self.app
        with client.session_transaction() as s:
            s.clear()
            s.update(self.signed.get(username, {}))
        if username in self.signed:
            return
        client.post("/login", data={"username": username, "password": "Sx-Pingxuan-2021"})
        with app.app_context():
            secret = enrol_for_benchmark(username)
            code = totp_code(secret, username) if secret else None
            db.session.remove()
        if code:
            client.post("/login/two-factor", data={"code": code})
        with client.session_transaction() as s:
            self.signed[username] = dict(s)

    def headers(self, username: str | None) -> dict:
        return {"Authorization": f"Bearer {self.token}"} if username is None else {}

    def cached(self, path: str) -> bool:
        return getattr(_view(self.app, path), "page_cached", False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url")
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3, help="rounds per page; each figure is the fastest")
    args = parser.parse_args()
    bench = Bench(args.url)
    client, state, pages, login = bench.client, bench.state, bench.pages, bench.login
    board_size, bare_size = bench.board_size, bench.bare_size

    # The bare view and the page are measured in pairs, request by request (bare, page, bare, page …), each with
    # its own client and session: this machine's speed changes by twofold within minutes, and only requests
    # made side by side see the same speed. Measured one after the other, the bare view of one run ranged from
    # 2.7 to 6.5 ms and a page's ratio moved by ±40 % between runs. Each page is measured in --rounds rounds;
    # its ratio is the median of its rounds' ratios, its times the fastest of its rounds.
    login("shanxi-province_office")
    bare_client = bench.app.test_client()
    with bare_client.session_transaction() as s:
        s.update(bench.signed["shanxi-province_office"])

    def paired(path: str, headers: dict) -> tuple[float, float]:
        for _ in range(3):  # warm both: the statement cache, the kept links, the page cache when on
            bare_client.get("/bench/bare")
            if client.get(path, headers=headers).status_code != 200:
                raise AssertionError(f"{path} did not answer 200")
        clock = time.process_time
        bare = page = 0.0
        for _ in range(args.n):
            t0 = clock()
            bare_client.get("/bench/bare")
            t1 = clock()
            client.get(path, headers=headers)
            t2 = clock()
            bare += t1 - t0
            page += t2 - t1
        return bare / args.n * 1000, page / args.n * 1000

    rows = []
    floor = min(cpu_ms(client, "/healthz", args.n * 5) for _ in range(args.rounds))
    for name, (username, path) in pages.items():
        headers = bench.headers(username)
        cached = bench.cached(path)
        if username:
            login(username)
        offs, ons = [], []
        for _ in range(args.rounds):
            state.enabled = False
            offs.append(paired(path, headers))
            if cached:
                state.enabled = True
                ons.append(paired(path, headers))
        state.enabled = False
        bare = min(b for b, _ in offs + ons)
        off, off_ratio = min(p for _, p in offs), statistics.median(p / b for b, p in offs)
        on, on_ratio = ((min(p for _, p in ons), statistics.median(p / b for b, p in ons)) if ons else (None, None))
        rows.append((name, bare, off, off_ratio, on, on_ratio))
        print(name, round(bare, 2), round(off, 2), round(off_ratio, 2), on and round(on, 2),
              on_ratio and round(on_ratio, 2), flush=True)
    lines = ["# CPU per request (ms), one run", "",
             f"- floor `/healthz`: {floor:.2f} ms; bare view (one SELECT, a compiled template, {bare_size} bytes like "
             f"the board's {board_size}): {min(r[1] for r in rows):.2f}–{max(r[1] for r in rows):.2f} ms; "
             f"{args.n} pairs of requests per round (the bare view, then the page), {args.rounds} rounds; times: the "
             "fastest round; ratios: the median of the rounds' ratios", "",
             "| page | bare view | cache off | × bare | cache warm | × bare |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, bare, off, off_ratio, on, on_ratio in rows:
        lines.append(f"| {name} | {bare:.2f} | {off:.2f} | {off_ratio:.2f}× | "
                     + (f"{on:.2f} | {on_ratio:.2f}× |" if on is not None else "— | — |"))
    text = "\n".join(lines) + "\n"
    (ROOT / "benchmarks" / "results").mkdir(exist_ok=True)
    (ROOT / "benchmarks" / "results" / "cpu.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


def _view(app, path):
    adapter = app.url_map.bind("localhost")
    endpoint, _ = adapter.match(path.split("?")[0])
    return app.view_functions[endpoint]


if __name__ == "__main__":
    sys.exit(main())
