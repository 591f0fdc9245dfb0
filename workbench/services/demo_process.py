"""Generating a large demo book in a forked helper process while this one inserts, so the two halves of the
work overlap (Linux only; used from 5,000 clients, when nothing else runs in this process)."""

from __future__ import annotations

import multiprocessing
import queue
import sys
import threading
from collections.abc import Callable
from typing import Any

from workbench.errors import StoreError

PARALLEL_FROM = 5_000  # clients (a note counts a quarter) from which a helper process generates


def worthwhile(job: Any) -> bool:
    """A second process pays off for large books, on Linux, when nothing else runs in this one."""
    large = job.clients + job.notes // 4 >= PARALLEL_FROM
    return large and sys.platform.startswith("linux") and threading.active_count() == 1


def in_helper(job: Any, sink: Callable[[Any, list[tuple]], None]) -> dict[str, int]:
    """Generate in a forked helper process while this one inserts, so the two halves of the work overlap.

    The helper never touches the database (it inherits the open connection and exits without closing it).
    It sends the same rows, in the same order, as generating in this process would produce, through a queue
    whose feeder thread lets it run a few chunks ahead."""
    ctx = multiprocessing.get_context("fork")
    rows: multiprocessing.Queue = ctx.Queue(maxsize=40)
    helper = ctx.Process(target=_helper, args=(job, rows), daemon=True)
    helper.start()
    try:
        while True:
            try:
                target, payload = rows.get(timeout=1)
            except queue.Empty:
                if helper.is_alive():
                    continue
                raise StoreError("the demo generator stopped unexpectedly; nothing was written") from None
            if target == "done":
                return payload
            if target == "error":
                raise StoreError(f"the demo generator failed ({payload}); nothing was written")
            sink(target, payload)
    finally:
        if helper.is_alive():
            helper.kill()
        helper.join()
        rows.close()


def _helper(job: Any, rows: multiprocessing.Queue) -> None:  # the helper process
    try:
        rows.put(("done", job.run(lambda target, batch: rows.put((target, batch.copy())))))
    except BaseException as exc:  # the parent raises it
        rows.put(("error", f"{type(exc).__name__}: {exc}"))
