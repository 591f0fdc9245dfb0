"""The dashboard's figures (services.dashboard, what pane 5 and `wb report` show) on books of 1,000 to 100,000
clients, beside a one-query baseline (the tier counts the portfolio's header shows) in the same run.

Run: .venv/bin/python benchmarks/dashboard_bench.py [--sizes 1000,10000,100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from harness import TODAY, book


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ["WORKBENCH_TODAY"] = TODAY
    from workbench.services import dashboard, portfolio
    from workbench.store.db import open_database

    print(f"\ndashboard() vs portfolio.tier_counts(), {args.runs} runs each (median ms)")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "book.sqlite3"
            shutil.copyfile(book(size), copy)
            opened = open_database(str(copy))
            times: dict[str, list[float]] = {"tier_counts": [], "dashboard": []}
            dashboard.dashboard()  # warm: the page cache, as the pane's second look would be
            for _ in range(args.runs):
                for name, call in (("tier_counts", portfolio.tier_counts), ("dashboard", dashboard.dashboard)):
                    started = time.perf_counter()
                    call()
                    times[name].append(time.perf_counter() - started)
            opened.close()
        base, dash = (statistics.median(times[k]) * 1000 for k in ("tier_counts", "dashboard"))
        print(f"  {size:>7,} clients   tier counts {base:7.1f} ms   dashboard {dash:7.1f} ms   {dash / base:6.1f}x")


if __name__ == "__main__":
    main()
