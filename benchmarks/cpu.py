"""CPU per request of every main page, with the page cache off and warm, against a bare view, in one run.

    .venv/bin/python benchmarks/cpu.py postgresql://postgres@127.0.0.1:5432/nominate_bench [--n 100] [--rounds 3]

The database holds the national data set (benchmarks/national.py). ``time.process_time`` around a Flask
test-client call (the database server's own CPU is not counted). The bare view is the floor a page could
reach: one SELECT of the board's rows, one compiled Jinja template, a body of the board's size; the floor
``/healthz`` does no database work at all. Writes benchmarks/results/cpu.md.
"""
from __future__ import annotations

import argparse
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


def main() -> int:
    from benchmarks.national import benchmark_pages
    from nominate.accounts.models import User
    from nominate.accounts.operations import issue_token
    from nominate.campaigns.models import Campaign

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url")
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3, help="rounds per page; each figure is the fastest")
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "NOMINATE_TODAY": "2021-10-20", "JOBS_WORKER_THREAD": "0",
                      "PAGE_CACHE": "1"})
    state = app.extensions["nominate.page_cache"]
    with app.app_context():
        db.create_all()
        pages = benchmark_pages()
        campaign_id = db.session.scalar(sa.select(Campaign.id).filter_by(key="shanxi-2021"))
        users = dict(db.session.execute(sa.select(User.username, User.id)).all())
        token = issue_token(None, db.session.get(User, users["shanxi-province_office"]), "cpu-bench")
        db.session.commit()
        db.session.remove()
    size = {"bytes": 0}
    bare_view_app(app, campaign_id, size)
    client = app.test_client()

    signed: dict[str, dict] = {}

    def login(username):
        """Sign in as a person does (the password, then the TOTP code where the role needs it), once per user."""
        from benchmarks.national import enrol_for_benchmark, totp_code

        with client.session_transaction() as s:
            s.clear()
            s.update(signed.get(username, {}))
        if username in signed:
            return
        client.post("/login", data={"username": username, "password": "Sx-Pingxuan-2021"})
        with app.app_context():
            secret = enrol_for_benchmark(username)
            code = totp_code(secret, username) if secret else None
            db.session.remove()
        if code:
            client.post("/login/two-factor", data={"code": code})
        with client.session_transaction() as s:
            signed[username] = dict(s)

    login("shanxi-province_office")
    state.enabled = False
    board_size = size["bytes"] = len(client.get("/province/board").get_data())
    bare_size = len(client.get("/bench/bare").get_data())

    def bare_ms() -> float:
        login("shanxi-province_office")
        state.enabled = False
        return cpu_ms(client, "/bench/bare", args.n)

    # Each page is measured in --rounds rounds, each round the bare view just before it, then the page with the
    # cache off and warm; each figure is the fastest of its rounds (the machine's noise only ever adds time), and
    # each page's ratios are to the bare view of its own rounds, not to one measurement taken minutes earlier.
    rows = []
    floor = min(cpu_ms(client, "/healthz", args.n * 5) for _ in range(args.rounds))
    for name, (username, path) in pages.items():
        headers = {"Authorization": f"Bearer {token}"} if username is None else {}
        cached = getattr(_view(app, path), "page_cached", False)
        bares, offs, ons = [], [], []
        for _ in range(args.rounds):
            bares.append(bare_ms())
            if username:
                login(username)
            state.enabled = False
            offs.append(cpu_ms(client, path, args.n, headers))
            if cached:
                state.enabled = True
                ons.append(cpu_ms(client, path, args.n, headers))
        bare, off, on = min(bares), min(offs), (min(ons) if ons else None)
        rows.append((name, bare, off, on))
        print(name, round(bare, 2), round(off, 2), on and round(on, 2), flush=True)
    lines = ["# CPU per request (ms), one run", "",
             f"- floor `/healthz`: {floor:.2f} ms; bare view (one SELECT, a compiled template, {bare_size} bytes like "
             f"the board's {board_size}): {min(r[1] for r in rows):.2f}–{max(r[1] for r in rows):.2f} ms; "
             f"{args.n} requests per measurement, the fastest of {args.rounds} rounds, each page's bare view measured "
             "in its own rounds", "",
             "| page | bare view | cache off | × bare | cache warm | × bare |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, bare, off, on in rows:
        lines.append(f"| {name} | {bare:.2f} | {off:.2f} | {off / bare:.1f}× | "
                     + (f"{on:.2f} | {on / bare:.1f}× |" if on is not None else "— | — |"))
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
