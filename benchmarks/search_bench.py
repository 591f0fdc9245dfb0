"""`wb search` on 1,000,000 notes vs 10,000 (target: ≤ 1.3×, whole process) and the search itself in-process
(target: under 50 ms), for Chinese words of 2, 3 and 6 characters and an English word.

    .venv/bin/python benchmarks/search_bench.py [--runs 7] [--notes 10000,1000000]

The books are `wb demo --clients 1000 --notes N`, made once and cached in benchmarks/.books/.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from harness import WB, book, compare, env, report

QUERIES = ("理财", "大额存单", "孩子明年出国", "wechat")


def inside(db: str, query: str, runs: int) -> float:
    """Median milliseconds of services.search.search() in one process (the first call opens the book)."""
    code = (
        "import time, statistics, sys\n"
        "from workbench.services import search\n"
        "from workbench.store import lite\n"
        "conn = lite.open_lite(sys.argv[2])\n"
        "search.search(sys.argv[1], conn=conn)\n"
        "times = []\n"
        f"for _ in range({runs}):\n"
        "    t = time.perf_counter()\n"
        "    search.search(sys.argv[1], conn=conn)\n"
        "    times.append(time.perf_counter() - t)\n"
        "print(statistics.median(times) * 1000)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, query, db], env=env(), capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--notes", default="10000,1000000")
    args = parser.parse_args()
    sizes = [int(n) for n in args.notes.split(",")]
    started = time.perf_counter()
    books = {n: book(1000, notes=n) for n in sizes}
    print(f"  (books ready in {time.perf_counter() - started:.1f} s)", file=sys.stderr)
    print("\nthe search itself (in-process, median ms; target < 50 ms)")
    for q in QUERIES:
        row = "  ".join(f"{n:>9,} notes {inside(str(books[n]), q, args.runs):6.1f} ms" for n in sizes)
        print(f"  {q:<14} {row}")
    for q in QUERIES[:2]:
        cases = {}
        for n in sizes:
            cases[f"wb search {q} @ {n:,} notes"] = ([*WB, "search", q, "--json"], env(books[n]))
        medians = compare(cases, args.runs)
        report(f"wb search {q} (whole process, median)", medians, f"wb search {q} @ {sizes[0]:,} notes", target=1.3)


if __name__ == "__main__":
    main()
