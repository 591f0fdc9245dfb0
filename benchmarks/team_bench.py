"""Capture, search and planning on both backends, side by side in one run: SQLite books against the same books
moved into a PostgreSQL team database (row-level security on, a manager's role), each case timed as a whole
`wb` process, interleaved, medians.

    .venv/bin/python benchmarks/team_bench.py [--runs 7] [--big 100000] [--notes 1000000]

Targets (issues 4, 5, 8): on each backend, `wb today` on the big book ≤ 1.3× on 1,000 clients; `wb search`
on 1,000,000 notes ≤ 1.3× on 10,000 and under 50 ms inside the search. `wb note` is compared with what
starting its driver costs (`import sqlite3`, `import psycopg`).

The PostgreSQL cluster lives in benchmarks/.books/pg (made with initdb on first use, kept); each book is
copied into it once with `wb migrate-to`, as the manager `bench`, and reused.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from harness import BOOKS, WB, book, compare, env, report

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests import pgcluster

MANAGER = "bench"


def team_copy(admin: str, source: Path) -> str:
    """The URL (as the manager) of a team database holding ``source``, made once."""
    import psycopg

    name = "t_" + source.stem.replace("-", "_")
    base = admin.rsplit("/", 1)[0]
    mine = base.replace("wb@", f"{MANAGER}@") + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return mine
        conn.execute(f"CREATE DATABASE {name}")
    started = time.perf_counter()
    owner = f"{base}/{name}"
    for args in (["team", "init"], ["team", "add", MANAGER]):
        subprocess.run([*WB, "--db", owner, *args], env=env(), check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*WB, "--db", str(source), "migrate-to", mine], env=env(), check=True, stdout=subprocess.DEVNULL)
    with psycopg.connect(owner, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"  (copied {source.name} into PostgreSQL in {time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return mine


def inside(target: str, query: str, runs: int) -> float:
    """Median milliseconds of services.search.search() in one process, on one open connection (as the TUI
    searches), after a first call."""
    code = (
        "import time, statistics, sys\n"
        "from workbench.services import search\n"
        "from workbench.services.book import open_book\n"
        "from workbench.store import lite\n"
        "conn = lite.open_lite(sys.argv[2])\n"
        "if conn is None:\n"
        "    open_book(sys.argv[2])\n"
        "    run = lambda: search.search_open_book(sys.argv[1])\n"
        "else:\n"
        "    run = lambda: search.search(sys.argv[1], conn=conn)\n"
        "run()\n"
        "times = []\n"
        f"for _ in range({runs}):\n"
        "    t = time.perf_counter()\n"
        "    run()\n"
        "    times.append(time.perf_counter() - t)\n"
        "print(statistics.median(times) * 1000)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, query, target], env=env(), capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--big", type=int, default=100_000, help="clients in the big planning book")
    parser.add_argument("--notes", type=int, default=1_000_000, help="notes in the big search book")
    args = parser.parse_args()
    from workbench.store.db import use_psycopg

    use_psycopg()
    small, big = book(1_000), book(args.big)
    few, many = book(1_000, 10_000), book(1_000, args.notes)
    with pgcluster.serve(str(BOOKS / "pg"), settings="-c shared_buffers=256MB") as admin:
        pg = {path: team_copy(admin, path) for path in (small, big, few, many)}
        both = {"sqlite": {p: str(p) for p in pg}, "postgresql": pg}
        for backend, where in both.items():
            cases = {}
            for path, label in ((small, "1,000 clients"), (big, f"{args.big:,} clients")):
                cases[f"wb today @ {label}"] = ([*WB, "today"], env_for(where[path]))
            report(f"wb today on {backend} (median)", compare(cases, args.runs), "wb today @ 1,000 clients", 1.3)
        for backend, where in both.items():
            cases = {}
            for path, label in ((few, "10,000 notes"), (many, f"{args.notes:,} notes")):
                cases[f"wb search 理财 @ {label}"] = ([*WB, "search", "理财"], env_for(where[path]))
            report(f"wb search on {backend} (median)", compare(cases, args.runs), "wb search 理财 @ 10,000 notes", 1.3)
            for query in ("理财", "大额存单", "孩子明年出国"):
                ms = inside(where[many], query, args.runs)
                print(
                    f"  inside search({query}) @ {args.notes:,} notes {ms:8.1f} ms  {'ok' if ms < 50 else 'OVER 50 ms'}"
                )
        floors = {
            "python -c 'import sqlite3'": ([sys.executable, "-c", "import sqlite3"], env()),
            "python -c 'import psycopg'": ([sys.executable, "-c", "import psycopg"], env()),
        }
        scratch = BOOKS / "note-scratch.sqlite3"  # notes pile up: not in a book other benchmarks read
        shutil.copy(small, scratch)
        note = [*WB, "note", "基准测试记录 @不存在"]
        notes = {"wb note @ sqlite": (note, env_for(str(scratch))), "wb note @ postgresql": (note, env_for(pg[small]))}
        medians = compare({**floors, **notes}, args.runs)
        report("wb note (median)", medians, "python -c 'import sqlite3'")
        ratio = medians["wb note @ postgresql"] / medians["python -c 'import psycopg'"]
        print(f"  wb note on PostgreSQL / importing its driver: {ratio:.2f}x")


def env_for(target: str) -> dict[str, str]:
    e = env()
    e["WORKBENCH_DB"] = target
    return e


if __name__ == "__main__":
    main()
