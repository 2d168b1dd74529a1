"""Instructions per request of every main page, cache off and warm, against the bare view: callgrind's count.

    .venv/bin/python benchmarks/instructions.py postgresql://postgres@127.0.0.1:5432/nominate_bench [--n 10]

``cpu.py`` measures seconds, and on a shared machine whose speed moves twofold within minutes a change worth
10 % cannot be seen in them. This counts the instructions the request process executes instead
(``valgrind --tool=callgrind``), which is the same for the same code and data whatever else the machine does
(the cyclic garbage collector is off while a page is counted). It re-runs itself under valgrind with instrumentation off during
start-up; around each page's requests it zeroes callgrind's counters and dumps them with the page's name
(client requests from ``callgrind_marks.c``, compiled here with the system's gcc and valgrind headers). The
database server's work is not counted, as in ``cpu.py``. Needs ``valgrind`` and ``gcc``; about 10 minutes.
Writes benchmarks/results/instructions.md.
"""
from __future__ import annotations

import argparse
import ctypes
import gc
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HERE = Path(__file__).resolve().parent


def build_marks(directory: Path) -> Path:
    out = directory / "callgrind_marks.so"
    subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-o", str(out), str(HERE / "callgrind_marks.c")], check=True)
    return out


def measure(args) -> None:
    """Inside valgrind: the pages, each with its counters zeroed before and dumped after."""
    marks = ctypes.CDLL(os.environ["NOMINATE_MARKS"])
    marks.marks_dump.argtypes = [ctypes.c_char_p]
    from benchmarks.cpu import Bench

    bench = Bench(args.url)
    marks.marks_start()
    client, state = bench.client, bench.state

    def run(label: str, path: str, headers: dict) -> None:
        for _ in range(3):  # warm: the statement cache, the kept links, the page cache when on
            resp = client.get(path, headers=headers)
            assert resp.status_code == 200, (path, resp.status_code)
        # the cyclic garbage collector off while counting: a full collection (millions of instructions) would land
        # in whichever page happens to cross its allocation threshold, and two runs would not agree
        gc.collect()
        gc.disable()
        marks.marks_zero()
        for _ in range(args.n):
            client.get(path, headers=headers)
        marks.marks_dump(label.encode())
        gc.enable()

    bench.login("shanxi-province_office")
    state.enabled = False
    run("floor", "/healthz", {})
    for name, (username, path) in bench.pages.items():
        bench.login("shanxi-province_office")
        state.enabled = False
        run(f"bare|{name}", "/bench/bare", {})
        if username:
            bench.login(username)
        run(f"off|{name}", path, bench.headers(username))
        if bench.cached(path):
            state.enabled = True
            run(f"on|{name}", path, bench.headers(username))
            state.enabled = False


def read_dumps(directory: Path) -> dict[str, int]:
    counts = {}
    for f in sorted(directory.glob("callgrind.out.*")):
        text = f.read_text(errors="replace")
        label = re.search(r"^desc: Trigger: Client Request: (.*)$", text, re.M)
        total = re.search(r"^(?:summary|totals): (\d+)", text, re.M)
        if label and total:
            counts[label.group(1)] = int(total.group(1))
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url")
    parser.add_argument("--n", type=int, default=10, help="requests per measurement")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        measure(args)
        return 0
    if not shutil.which("valgrind") or not shutil.which("gcc"):
        print("needs valgrind and gcc", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="nominate-callgrind-") as tmp:
        directory = Path(tmp)
        env = dict(os.environ, NOMINATE_MARKS=str(build_marks(directory)), PYTHONHASHSEED="0")
        subprocess.run(["valgrind", "--tool=callgrind", "--instr-atstart=no", "--dump-line=no",
                        f"--callgrind-out-file={directory}/callgrind.out", sys.executable, __file__, args.url,
                        "--n", str(args.n), "--inside"], env=env, check=True, stderr=subprocess.DEVNULL)
        counts = read_dumps(directory)
    per = {label: total / args.n for label, total in counts.items()}
    floor = per["floor"]
    lines = ["# Instructions per request (millions), callgrind, one run", "",
             f"- floor `/healthz`: {floor / 1e6:.2f} M; {args.n} requests per measurement after 3 warm ones; "
             "the request process only (the database server not counted)", "",
             "| page | bare view | cache off | × bare | cache warm | × bare | × floor |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    names = [label.split("|", 1)[1] for label in per if label.startswith("off|")]
    for name in names:
        bare, off, on = per[f"bare|{name}"], per[f"off|{name}"], per.get(f"on|{name}")
        lines.append(f"| {name} | {bare / 1e6:.2f} | {off / 1e6:.2f} | {off / bare:.2f}× | "
                     + (f"{on / 1e6:.2f} | {on / bare:.2f}× | {on / floor:.1f}× |" if on else "— | — | — |"))
    text = "\n".join(lines) + "\n"
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "instructions.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
