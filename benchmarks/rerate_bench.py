"""Re-rating a book after a settings change (issue 9: "changing a threshold re-rates tiers").

`wb clients --limit 1` on a copy of a generated book under the default settings (nothing to re-rate) and under
a settings file that lowers the platinum threshold (every client rated again, in one transaction), side by
side, a fresh copy each run.

Run: .venv/bin/python benchmarks/rerate_bench.py [--clients 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from harness import WB, book, env, time_once

LOWER = "[tiers.thresholds]\nplatinum = 800000\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    source = book(args.clients)
    with tempfile.TemporaryDirectory() as tmp:
        plain, changed = Path(tmp) / "plain", Path(tmp) / "changed"
        (changed / "workbench").mkdir(parents=True)
        (changed / "workbench" / "config.toml").write_text(LOWER, encoding="utf-8")
        plain.mkdir()
        times: dict[str, list[float]] = {"default settings (no re-rating)": [], "platinum lowered (re-rated)": []}
        for _ in range(args.runs):
            for samples, config in zip(times.values(), (plain, changed), strict=True):
                copy = Path(tmp) / "book.sqlite3"
                shutil.copyfile(source, copy)
                settings = dict(env(copy), XDG_CONFIG_HOME=str(config))
                samples.append(time_once([*WB, "clients", "--limit", "1"], settings))
    print(f"\nwb clients --limit 1 on {args.clients:,} clients, a fresh copy each run ({args.runs} runs, median)")
    base = statistics.median(next(iter(times.values())))
    for label, samples in times.items():
        mid = statistics.median(samples)
        print(f"  {label:<36} {mid:7.2f} s  {mid / base:5.2f}x")


if __name__ == "__main__":
    sys.exit(main())
