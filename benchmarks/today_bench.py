"""`wb today` on 100,000 clients with 1,000,000 contacts vs 1,000 clients (target: ≤ 1.3×), with bare Python
as a floor. The planner reads only what can have a reason today, through indexes (services/planner.py).

Run: .venv/bin/python benchmarks/today_bench.py [--sizes 1000,100000] [--runs 7]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys

from harness import WB, book, compare, env, report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    books = {n: book(n) for n in sizes}
    for n, path in books.items():
        with sqlite3.connect(path) as db:
            clients, contacts = (db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("client", "contact"))
        print(f"  book {n:,}: {clients:,} clients, {contacts:,} contacts", file=sys.stderr)
    cases = {"python -c pass (floor)": ([sys.executable, "-c", "pass"], env())}
    for n in sizes:
        cases[f"wb today @ {n:,}"] = ([*WB, "today"], env(books[n]))
    for n in sizes:
        cases[f"wb today --json @ {n:,}"] = ([*WB, "today", "--json"], env(books[n]))
    medians = compare(cases, args.runs)
    report("wb today (whole process, median)", medians, f"wb today @ {sizes[0]:,}", target=1.3)


if __name__ == "__main__":
    main()
