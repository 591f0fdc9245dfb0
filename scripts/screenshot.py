"""Save the README's screenshot: the portfolio pane on a 300-client demo book, as SVG.

The book is generated into a temporary directory with a fixed seed and a fixed "today", so the picture is
the same on every machine. Run: .venv/bin/python scripts/screenshot.py [--size 80x24] [--lang zh]
[--out docs/screenshot.svg] [--client N] (with --client, the 360 view of the N-th row instead).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-23"


async def shoot(size: tuple[int, int], out: Path, client_row: int | None) -> None:
    from workbench.services import demo
    from workbench.services.book import open_book
    from workbench.tui.app import WorkbenchApp

    with tempfile.TemporaryDirectory() as tmp:
        book = open_book(str(Path(tmp) / "demo.sqlite3"))
        try:
            demo.generate(clients=300, seed=7)
            app = WorkbenchApp(book)
            async with app.run_test(size=size) as pilot:
                await _settle(pilot)
                if client_row is not None:
                    await pilot.press(*["down"] * client_row, "enter")
                    await _settle(pilot)
                out.parent.mkdir(parents=True, exist_ok=True)
                app.save_screenshot(filename=out.name, path=str(out.parent))
        finally:
            book.close()


async def _settle(pilot: object) -> None:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    for _ in range(10):
        await pilot.pause(0.05)
        await pilot.app.workers.wait_for_complete()
        if not any(w.is_running for w in pilot.app.workers):
            break
    await pilot.pause(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="80x24", help="COLUMNSxLINES (default 80x24)")
    parser.add_argument("--lang", default="zh", choices=("zh", "en"))
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshot.svg"))
    parser.add_argument("--client", type=int, default=None, help="open the client on this row (0 = first)")
    args = parser.parse_args()
    columns, lines = (int(n) for n in args.size.lower().split("x"))
    os.environ["WORKBENCH_TODAY"] = TODAY
    os.environ["WORKBENCH_LANG"] = args.lang
    asyncio.run(shoot((columns, lines), Path(args.out), args.client))
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
