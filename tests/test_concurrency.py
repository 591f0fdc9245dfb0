"""Several processes writing one book at once while the TUI is open: no write lost, no "database is locked",
and the open TUI shows what the others wrote (it watches PRAGMA data_version)."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_tui_books import SIZE, screen_text, settle
from workbench.services import demo
from workbench.store.db import open_database
from workbench.tui.app import WorkbenchApp

pytestmark = [pytest.mark.usefixtures("chinese"), pytest.mark.slow]

NOTES = 8
IMPORTED = 3_000


def clients_csv(path: Path, rows: int) -> None:
    lines = ["客户号,客户名称,手机号码"]
    lines += [f"X{i:07d},测试客户{i},139{i:08d}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def wb(*args: str, db: Path) -> subprocess.Popen:
    env = dict(os.environ, WORKBENCH_DB=str(db), WORKBENCH_NO_AUTO_BACKUP="1")
    return subprocess.Popen(
        [sys.executable, "-m", "workbench", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    """Notes, an import and a demo-sized write from separate processes, all at the same moment."""
    db = tmp_path / "book.sqlite3"
    open_database(str(db)).close()
    clients_csv(tmp_path / "clients.csv", IMPORTED)
    procs = [wb("import", "clients", str(tmp_path / "clients.csv"), db=db)]
    procs += [wb("note", f"并发记录 {n}：客户来电问理财", db=db) for n in range(NOTES)]
    procs += [wb("holidays", "add", "2026-12-31", "--off", db=db)]
    results = [(p.args, p.wait(timeout=120), *p.communicate()) for p in procs]
    for args, code, out, err in results:
        assert code == 0, (args, out, err)
        assert "locked" not in (out + err).lower(), (args, err)
    conn = sqlite3.connect(db)
    notes = {r[0] for r in conn.execute("SELECT text FROM note")}
    assert notes == {f"并发记录 {n}：客户来电问理财" for n in range(NOTES)}
    assert conn.execute("SELECT COUNT(*) FROM client").fetchone()[0] == IMPORTED
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


async def test_the_open_tui_shows_what_other_processes_write(tmp_path: Path) -> None:
    db = tmp_path / "book.sqlite3"
    book = open_database(str(db))
    demo.generate(clients=40, seed=3)
    clients_csv(tmp_path / "clients.csv", IMPORTED)
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "40 位客户" in screen_text(app).splitlines()[0]
        procs = [wb("import", "clients", str(tmp_path / "clients.csv"), db=db)]
        procs += [wb("note", f"TUI 开着时的记录 {n}", db=db) for n in range(NOTES)]
        while any(p.poll() is None for p in procs):  # the manager keeps moving about the list meanwhile
            await pilot.press("down")
            await asyncio.sleep(0.05)
        for p in procs:
            out, err = p.communicate()
            assert p.returncode == 0 and "locked" not in err.lower(), (p.args, out, err)
        wanted = f"{40 + IMPORTED:,} 位客户"
        for _ in range(60):
            await pilot.pause(0.1)
            if wanted in screen_text(app).splitlines()[0]:
                break
        assert wanted in screen_text(app).splitlines()[0]
        await pilot.press("4")  # the journal, built now, shows the notes written elsewhere
        await settle(pilot)
        assert "TUI 开着时的记录" in screen_text(app)
    book.close()
