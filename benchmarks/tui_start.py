"""Time to first paint: a bare Textual app that paints one word vs Workbench on a 10,000-client book.

Target (issue 3): Workbench's first screen *with its data* within 1.5× the bare app's first paint.

Method. Each app runs as its own process in a pseudo-terminal of 80×24 (TERM=xterm-256color,
TEXTUAL_ANIMATIONS=none), exactly as a manager starts it. The clock starts just before the process is
spawned and stops when the terminal output first contains a marker that is only painted once the screen is
ready: for the bare app its one word ("Ready"); for Workbench the status line of the portfolio pane
("rows 1–200 of 9,917"), which is written in the same frame as the first page of the table, after the
page has been queried in its worker. So the Workbench figure includes Python's start, every import, opening
(and migrating) the book, composing the app and the first query. Workbench is started the way `wb` starts
it (`python -m workbench --db BOOK`), with the daily automatic backup turned off (it runs once a day, not on
every start). Then ctrl+q is sent and the process is reaped. Runs alternate A B A B … after one warm-up
each; the medians and the median of the pairwise ratios are printed, with Workbench's first frame (its
header, before the page arrives) shown too.

Run: .venv/bin/python benchmarks/tui_start.py [--runs 7] [--clients 10000]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Sequence

from harness import book, env

BARE_APP = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("Ready")

Bare().run()
"""
COLUMNS, LINES = 80, 24
QUIT = b"\x11"  # ctrl+q
TIMEOUT = 60.0
TARGET = 1.5
# what a manager's terminal says of itself (the daily backup runs once a day, not on every timed start)
TERMINAL = {
    "TERM": "xterm-256color",
    "TEXTUAL_ANIMATIONS": "none",
    "COLUMNS": str(COLUMNS),
    "LINES": str(LINES),
    "WORKBENCH_LANG": "en",
    "WORKBENCH_NO_AUTO_BACKUP": "1",
}


def first_paint(
    cmd: Sequence[str],
    environ: dict[str, str],
    marker: bytes,
    shell: bytes | None = None,
    *,
    settle: float = 0.0,
    probe: Callable[[int], object] | None = None,
) -> tuple[float, float, object]:
    """Seconds from spawning ``cmd`` in an 80×24 pseudo-terminal until ``shell`` (the first frame) and until
    ``marker`` (the frame with the data) are written to it; then, after ``settle`` more seconds of reading its
    output, what ``probe(pid)`` says of the process (its memory, for benchmarks/scale.py) before ctrl+q."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, env=environ, start_new_session=True)
    os.close(slave)
    seen = b""
    painted: float | None = None
    framed: float | None = None
    probed: object = None
    try:
        deadline = started + TIMEOUT
        while time.perf_counter() < deadline:
            if painted is not None and time.perf_counter() >= started + painted + settle:
                break
            ready, _, _ = select.select([master], [], [], 0.1)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen = seen[-4096:] + chunk
            if framed is None and (shell or marker) in seen:
                framed = time.perf_counter() - started
            if painted is None and marker in seen:
                painted = time.perf_counter() - started
        if painted is None:
            tail = seen[-400:].decode("utf-8", "replace")
            raise RuntimeError(f"{cmd[0]}: no {marker!r} within {TIMEOUT:.0f} s; last output: {tail!r}")
        if probe is not None:
            if proc.poll() is not None:
                raise RuntimeError(f"{cmd[0]}: exited {settle:.1f} s after its first page")
            probed = probe(proc.pid)
        os.write(master, QUIT)
        _drain_until_exit(proc, master)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return framed or painted, painted, probed


def _drain_until_exit(proc: subprocess.Popen[bytes], master: int, limit: float = 10.0) -> None:
    """Keep reading the terminal (so the app never blocks on a full buffer) until it exits."""
    deadline = time.perf_counter() + limit
    while proc.poll() is None and time.perf_counter() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                os.read(master, 65536)
            except OSError:
                break


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--clients", type=int, default=10_000)
    args = parser.parse_args()

    path = book(args.clients)
    bare_env = dict(env(), **TERMINAL)
    wb_env = dict(env(path), **TERMINAL)
    cases = {
        "bare": ([sys.executable, "-c", BARE_APP], bare_env, b"Ready", None),
        "wb": (
            [sys.executable, "-m", "workbench", "--db", str(path)],
            wb_env,
            "rows 1–".encode(),  # (the count is the active clients': a demo book has lost some)
            b"Workbench",
        ),
    }
    frames: dict[str, list[float]] = {name: [] for name in cases}
    data: dict[str, list[float]] = {name: [] for name in cases}
    for case in cases.values():  # warm-up: page cache, .pyc files
        first_paint(*case)
    for _ in range(args.runs):
        for name, case in cases.items():
            frame, painted, _ = first_paint(*case)
            frames[name].append(frame)
            data[name].append(painted)

    bare = data["bare"]
    print(f"\nTime to first paint at {COLUMNS}×{LINES}, {args.runs} runs each (min/median/max, ratio to bare)")
    rows = [
        ("bare Textual app, one word", bare),
        ("Workbench: first frame (shell)", frames["wb"]),
        (f"Workbench: first frame with data ({args.clients:,} clients)", data["wb"]),
    ]
    for label, values in rows:
        low, mid, high = min(values), statistics.median(values), max(values)
        ratio = mid / statistics.median(bare)
        print(f"  {label:<52} {low * 1000:6.0f} {mid * 1000:6.0f} {high * 1000:6.0f} ms  {ratio:5.2f}x")
    paired = statistics.median(w / b for w, b in zip(data["wb"], bare, strict=True))
    ratio = statistics.median(data["wb"]) / statistics.median(bare)
    verdict = "ok" if ratio <= TARGET else f"OVER the {TARGET}x target"
    print(f"  with data: ratio of medians {ratio:.2f}x, median of paired ratios {paired:.2f}x ({verdict})")


if __name__ == "__main__":
    main()
