"""Snapshots of every pane and the main dialogs at 80×24, in Chinese and in English (issue 9).

Each test starts the app on the same generated book and day, presses the keys a manager would, and compares
the screen with the SVG kept in ``tests/__snapshots__/`` (pytest-textual-snapshot). A change to what the
screen shows fails here; when the change is meant, look at the report and accept it with
``pytest tests/test_tui_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.test_tui_books import SIZE, settle
from workbench.i18n import set_lang
from workbench.services import demo
from workbench.store.db import open_database
from workbench.tui.app import PANES, WorkbenchApp

TODAY = "2026-11-23"
LANGS = ("zh", "en")
# (name, keys): what each snapshot shows
VIEWS = [(pane, [str(number)]) for number, pane in enumerate(PANES, 1)] + [
    ("client360", ["1", "enter"]),
    ("help", ["question_mark"]),
    ("search", ["1", "slash", "z", "h", "a", "n", "g"]),
]


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("snap") / "book.sqlite3"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WORKBENCH_TODAY", TODAY)
        book = open_database(str(path))
        demo.generate(120, seed=7)
        book.close()
    return path


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("view", "keys"), VIEWS, ids=[v for v, _ in VIEWS])
def test_snapshot(snap_compare, demo_path, monkeypatch: pytest.MonkeyPatch, lang: str, view: str, keys: list) -> None:
    monkeypatch.setenv("WORKBENCH_TODAY", TODAY)
    set_lang(lang)
    book = open_database(str(demo_path))

    async def ready(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot, 0.05)
        if "slash" in keys:
            await settle(pilot, 0.4)  # past search-as-you-type's pause
        for field in pilot.app.query(Input):
            field.cursor_blink = False  # a blinking cursor is on or off depending on the moment
        await settle(pilot)

    try:
        assert snap_compare(WorkbenchApp(book), terminal_size=SIZE, run_before=ready)
    finally:
        set_lang(None)
        book.close()
