"""`wb clients --search wang` on 100,000 clients vs 1,000 (target: ≤ 1.3×), with bare Python as a floor.

Run: .venv/bin/python benchmarks/clients_bench.py [--sizes 1000,100000] [--runs 7]
"""

from __future__ import annotations

import argparse
import sys

from harness import WB, book, compare, env, report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    books = {n: book(n) for n in sizes}
    cases = {"python -c pass (floor)": ([sys.executable, "-c", "pass"], env())}
    for n in sizes:
        cases[f"wb clients --search wang @ {n:,}"] = ([*WB, "clients", "--search", "wang"], env(books[n]))
    for n in sizes:
        cases[f"wb clients --search zwm --json @ {n:,}"] = (
            [*WB, "clients", "--search", "zwm", "--json"],
            env(books[n]),
        )
    medians = compare(cases, args.runs)
    report(
        "wb clients --search (whole process, median)",
        medians,
        f"wb clients --search wang @ {sizes[0]:,}",
        target=1.3,
    )


if __name__ == "__main__":
    main()
