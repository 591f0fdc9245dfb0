"""Timing whole `wb` processes the way a user meets them: interleaved runs, medians, ratios to a baseline.

Books are generated once per size into benchmarks/.books/ (ignored by git) and reused.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
BOOKS = HERE / ".books"
WB = [sys.executable, "-m", "workbench"]
TODAY = "2026-11-23"


def env(db: Path | None = None) -> dict[str, str]:
    """The environment of a timed process. Bytecode is cached as an installed `wb` caches it (in a folder of
    its own under .books/, so nothing is written into the source tree): with PYTHONDONTWRITEBYTECODE set,
    every run would compile Workbench's modules again while the baselines' come compiled from site-packages."""
    e = dict(os.environ, WORKBENCH_TODAY=TODAY, TEXTUAL_ANIMATIONS="none", PYTHONPYCACHEPREFIX=str(BOOKS / "pycache"))
    e.pop("PYTHONDONTWRITEBYTECODE", None)
    if db is not None:
        e["WORKBENCH_DB"] = str(db)
    return e


def book(clients: int, notes: int | None = None) -> Path:
    """A generated book of this size (made once, then reused)."""
    BOOKS.mkdir(exist_ok=True)
    path = BOOKS / f"book-{clients}{'-n' + str(notes) if notes else ''}.sqlite3"
    if not path.exists():
        cmd = [*WB, "demo", "--clients", str(clients), "--seed", "1"]
        if notes:
            cmd += ["--notes", str(notes)]
        started = time.perf_counter()
        subprocess.run(cmd, env=env(path), check=True, stdout=subprocess.DEVNULL)
        print(f"  (generated {path.name} in {time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return path


def time_once(cmd: Sequence[str], environ: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, env=environ, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def compare(cases: dict[str, tuple[Sequence[str], dict[str, str]]], runs: int = 7) -> dict[str, float]:
    """Median seconds of each case, running the cases in turn (A B C A B C …) after one warm-up each."""
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for cmd, environ in cases.values():
        time_once(cmd, environ)
    for _ in range(runs):
        for name, (cmd, environ) in cases.items():
            samples[name].append(time_once(cmd, environ))
    return {name: statistics.median(values) for name, values in samples.items()}


def report(title: str, medians: dict[str, float], baseline: str, target: float | None = None) -> None:
    print(f"\n{title}")
    base = medians[baseline]
    for name, value in medians.items():
        ratio = value / base if base else float("nan")
        mark = ""
        if target is not None and name != baseline:
            mark = "  ok" if ratio <= target else f"  OVER target {target}x"
        print(f"  {name:<44} {value * 1000:8.1f} ms   {ratio:5.2f}x{mark}")
