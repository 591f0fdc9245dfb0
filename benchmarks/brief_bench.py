"""`wb brief` for a client of a 100,000-client, 1,000,000-note book vs one of a 1,000-client book (target:
≤ 1.3×), whole processes, interleaved; plus the brief itself in-process.

    .venv/bin/python benchmarks/brief_bench.py [--runs 7]

The client briefed is, in each book, the wealthiest individual and the wealthiest company (those carry the
most holdings, contacts and notes). Books are `wb demo`, made once and cached in benchmarks/.books/.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys

from harness import WB, book, compare, env, report


def wealthiest(db: str, kind: str) -> str:
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT client_no FROM client WHERE kind = ? ORDER BY tier_rank DESC, aum DESC, id LIMIT 1", (kind,)
        ).fetchone()
    return row[0]


def inside(db: str, ref: str, runs: int) -> float:
    code = (
        "import sys, time, statistics\n"
        "from workbench.services import book, brief, portfolio\n"
        "book.open_book(sys.argv[1]); cid = portfolio.find_client(sys.argv[2]); brief.build(cid)\n"
        "times = []\n"
        f"for _ in range({runs}):\n"
        "    t = time.perf_counter(); brief.build(cid); times.append(time.perf_counter() - t)\n"
        "print(statistics.median(times) * 1000)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, db, ref], env=env(), capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    small, big = str(book(1000)), str(book(100_000, notes=1_000_000))
    cases = {}
    print("\nthe brief itself (in-process, median ms)")
    for kind in ("individual", "corporate"):
        refs = {"1,000 clients": (small, wealthiest(small, kind)), "100,000 clients": (big, wealthiest(big, kind))}
        row = "  ".join(f"{n}: {inside(db, ref, args.runs):6.1f} ms" for n, (db, ref) in refs.items())
        print(f"  {kind:<11} {row}")
        for name, (db, ref) in refs.items():
            cases[f"wb brief ({kind}) @ {name}"] = ([*WB, "brief", ref], env(db))
    medians = compare(cases, args.runs)
    for kind in ("individual", "corporate"):
        mine = {k: v for k, v in medians.items() if f"({kind})" in k}
        report(f"wb brief, {kind} (whole process, median)", mine, f"wb brief ({kind}) @ 1,000 clients", target=1.3)


if __name__ == "__main__":
    main()
