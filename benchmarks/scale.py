"""Scale (issue 7): the cost of start, capture, plan, search, client 360 and brief on books of 1,000, 10,000 and
100,000 clients, side by side in one run, with the ratio of the largest to the smallest (target ≤ 1.3× each),
and the TUI's peak resident memory at each size (target < 200 MB at 100,000 clients).

    .venv/bin/python benchmarks/run [--runs 5] [--sizes 1000,10000,100000] [--notes-per-client 10]

Books. Every book has the same shape, so only its size changes: `wb demo --clients N --notes 10·N` (about ten
contacts per client is the demo's default), i.e. 10,000 / 100,000 / 1,000,000 notes and contacts. They are
made once and cached in benchmarks/.books/ (the 100,000-client one takes minutes); each run works on a copy
of each in a temporary directory, so `wb note` appends to the copy and the cache stays pristine. Every command
of a size runs against that size's copy.

Method. Each cost is a whole `wb` process timed from outside. The TUI's start is its first paint with data in
an 80×24 pseudo-terminal (`tui_start.first_paint`: until the portfolio's status line "rows 1–200 of N" is
written); the others run to exit with output to /dev/null. After one warm-up of every case, the cases run in
turn (start@1k start@10k start@100k capture@1k … brief@100k, then again), so a busy moment of the shared
machine falls on every size alike; medians are printed. The client of `wb client` and `wb brief` is each
book's first client (`ORDER BY id LIMIT 1`). Bytecode: the commands run with PYTHONPYCACHEPREFIX set to
benchmarks/.books/pycache (and without PYTHONDONTWRITEBYTECODE; see harness.env), so the warm-up compiles
every module once and the timed runs load .pyc files as an installed `wb` does, whatever the shell's
settings and without writing into the source tree. Memory is a separate pass after the timings: the TUI is started,
its first page awaited, one more second left for it to settle, then VmHWM (peak resident set) is read from
/proc/PID/status just before ctrl+q.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

from harness import WB, book, env, time_once
from tui_start import TERMINAL, first_paint

TARGET_RATIO = 1.3
TARGET_RSS_MB = 200.0
NOTE = "@zwm 来电 #理财 约下周"


class Book:
    """One size: the cached book, the working copy and what the commands need from it."""

    def __init__(self, clients: int, notes: int | None, workdir: Path) -> None:
        self.size = clients
        self.cached = book(clients, notes)
        self.path = workdir / f"{clients}.sqlite3"
        shutil.copyfile(self.cached, self.path)  # copies of the files, so nothing opens the cached book
        wal = self.cached.with_name(self.cached.name + "-wal")
        if wal.exists() and wal.stat().st_size:  # transactions not yet checkpointed into the book: they count
            shutil.copyfile(wal, self.path.with_name(self.path.name + "-wal"))
        with contextlib.closing(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)) as db:
            self.client_no = db.execute("SELECT client_no FROM client ORDER BY id LIMIT 1").fetchone()[0]
            self.counts = {
                table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("client", "contact", "note")
            }
        self.env = dict(env(self.path), **TERMINAL)  # (bytecode cached as installed: harness.env)

    @property
    def label(self) -> str:
        return f"{self.size:,}"

    def tui(self) -> tuple[list[str], dict[str, str], bytes]:
        """The TUI as `wb` starts it, and what it writes once the first page of clients is shown."""
        return [*WB, "--db", str(self.path)], self.env, f"of {self.counts['client']:,}".encode()


# The rows of the table: (cost, the command as printed, the argv after `wb` for a book).
COSTS: list[tuple[str, str, Callable[[Book], list[str] | None]]] = [
    ("start", "wb (TUI first paint with data)", lambda b: None),
    ("capture", f'wb note "{NOTE}"', lambda b: ["note", NOTE]),
    ("plan", "wb today", lambda b: ["today"]),
    ("search", "wb search 理财", lambda b: ["search", "理财"]),
    ("search", "wb clients --search 王芳 --limit 50", lambda b: ["clients", "--search", "王芳", "--limit", "50"]),
    ("client 360", "wb client <first client>", lambda b: ["client", b.client_no]),
    ("brief", "wb brief <first client>", lambda b: ["brief", b.client_no]),
]


def _case(b: Book, argv: list[str] | None) -> Callable[[], float]:
    """One timed run of a cost on a book: the TUI's first paint with data, or a command run to exit."""
    if argv is None:
        cmd, environ, marker = b.tui()
        return lambda: first_paint(cmd, environ, marker)[1]
    return lambda: time_once([*WB, *argv], b.env)


def interleave(cases: dict[tuple[int, int], Callable[[], float]], runs: int) -> dict[tuple[int, int], list[float]]:
    """Seconds of every run of each case: one warm-up each, then the cases in turn, `runs` times."""
    samples: dict[tuple[int, int], list[float]] = {key: [] for key in cases}
    for run in cases.values():
        run()
    for i in range(runs):
        started = time.perf_counter()
        for key, run in cases.items():
            samples[key].append(run())
        print(f"  (round {i + 1}/{runs}: {time.perf_counter() - started:.1f} s)", file=sys.stderr, flush=True)
    return samples


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in kB."""
    out: dict[str, int] = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
    return out


def tui_memory(cmd: list[str], environ: dict[str, str], marker: bytes, settle: float = 1.0) -> dict[str, int]:
    """Start the TUI in an 80×24 pseudo-terminal, wait for its first page, let it settle for ``settle`` seconds
    (still reading its output), then read its memory just before sending ctrl+q."""
    return first_paint(cmd, environ, marker, settle=settle, probe=_status)[2]  # type: ignore[return-value]


def _verdict(ratio: float) -> str:
    return "ok" if ratio <= TARGET_RATIO else f"OVER {TARGET_RATIO}x"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="benchmarks/run",
        description="Start, capture, plan, search, client 360 and brief at each book size, side by side; the TUI's"
        " memory. See benchmarks/scale.py.",
    )
    parser.add_argument("--runs", type=int, default=5, help="timed rounds after the warm-up (default 5)")
    parser.add_argument("--sizes", default="1000,10000,100000", help="clients per book (default 1000,10000,100000)")
    parser.add_argument(
        "--notes-per-client",
        type=int,
        default=10,
        help="notes generated per client (default 10: 1,000,000 at 100,000 clients); 0 = the demo's default",
    )
    parser.add_argument("--memory-runs", type=int, default=3, help="TUI starts per size for the memory pass")
    args = parser.parse_args(argv)
    sizes = sorted(int(s.replace(",", "").replace("_", "")) for s in args.sizes.split(","))

    started = time.perf_counter()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="wb-scale-") as tmp:
        books = [Book(n, n * args.notes_per_client or None, Path(tmp)) for n in sizes]
        print(f"  (books ready and copied in {time.perf_counter() - started:.1f} s)", file=sys.stderr, flush=True)

        cases = {(row, i): _case(b, make(b)) for row, (_, _, make) in enumerate(COSTS) for i, b in enumerate(books)}
        samples = interleave(cases, args.runs)
        medians = {key: statistics.median(values) for key, values in samples.items()}

        memory: dict[int, list[dict[str, int]]] = {}
        for b in books:
            cmd, environ, marker = b.tui()
            memory[b.size] = [tui_memory(cmd, environ, marker) for _ in range(args.memory_runs)]

    first, last = books[0], books[-1]
    ratio_name = f"{_short(last.size)}/{_short(first.size)}"
    print(f"\nScale: whole `wb` processes, median of {args.runs} interleaved runs after a warm-up (ms)")
    for b in books:
        c = b.counts
        print(
            f"  book {b.label:>7} clients: {c['contact']:>9,} contacts {c['note']:>9,} notes"
            f"   first client {b.client_no}   ({b.cached.name})"
        )
    head = f"  {'cost':<11} {'command':<38}" + "".join(f"{b.label:>10}" for b in books)
    print(f"\n{head} {ratio_name:>9}  {'target':<10} {'fastest runs':>12}")
    rows = []
    for row, (cost, shown, _) in enumerate(COSTS):
        ms = [medians[(row, i)] * 1000 for i in range(len(books))]
        ratio = ms[-1] / ms[0]
        fastest = min(samples[(row, len(books) - 1)]) / min(samples[(row, 0)])
        rows.append((cost, shown, ms, ratio))
        cells = "".join(f"{v:10.0f}" for v in ms)
        print(f"  {cost:<11} {_pad(shown, 38)}{cells} {ratio:8.2f}x  {_verdict(ratio):<10} {fastest:11.2f}x")
    print(f"  (fastest runs: the ratio of the quickest run at each size; load average {load[0]:.1f} at the start,")
    print(f"  {os.getloadavg()[0]:.1f} at the end, on {os.cpu_count()} cores)")

    peaks = {size: max(m["VmHWM"] for m in runs) / 1024 for size, runs in memory.items()}
    rss = {size: max(m["VmRSS"] for m in runs) / 1024 for size, runs in memory.items()}
    mem_cells = "  ".join(f"{b.label}: {peaks[b.size]:.0f} MB (RSS {rss[b.size]:.0f})" for b in books)
    big = peaks[last.size]
    mem_verdict = "ok" if big < TARGET_RSS_MB else f"OVER {TARGET_RSS_MB:.0f} MB"
    print(f"\n  TUI peak resident memory (VmHWM, max of {args.memory_runs} starts): {mem_cells}")
    print(f"  TUI at {last.label} clients: {big:.0f} MB peak  {mem_verdict} (target < {TARGET_RSS_MB:.0f} MB)")

    print("\nMarkdown:\n")
    print("| cost | command | " + " | ".join(f"{b.label} clients" for b in books) + f" | {ratio_name} | target |")
    print("| --- | --- | " + " | ".join("---:" for _ in books) + " | ---: | --- |")
    for cost, shown, ms, ratio in rows:
        cells = " | ".join(f"{v:.0f} ms" for v in ms)
        mark = "ok" if ratio <= TARGET_RATIO else "**over**"
        print(f"| {cost} | `{shown}` | {cells} | {ratio:.2f}× | ≤ {TARGET_RATIO}× {mark} |")
    cells = " | ".join(f"{peaks[b.size]:.0f} MB" for b in books)
    mark = "ok" if big < TARGET_RSS_MB else "**over**"
    print(f"| TUI memory | peak resident set after the first page | {cells} | {big / peaks[first.size]:.2f}× |", end="")
    print(f" < {TARGET_RSS_MB:.0f} MB at {last.label} {mark} |")
    print(f"\n  (whole run {time.perf_counter() - started:.0f} s)", file=sys.stderr)


def _pad(text: str, width: int) -> str:
    """`text` left-aligned in `width` terminal columns (CJK characters take two)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 0)


def _short(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


if __name__ == "__main__":
    main()
