"""Starting the TUI the way `wb` does: the first page read with sqlite3 alone while Textual starts, the full
store opened once the first screen is painted (tui.opening, services.client_rows)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_tui_books import SIZE, big_book, screen_text, settle, small_book
from workbench.services import portfolio
from workbench.services.client_rows import first_page_lite
from workbench.store.db import open_database
from workbench.store.models import Client, Meta
from workbench.tui.app import WorkbenchApp
from workbench.tui.opening import FIRST_PAGE, PAGE_SIZE, Opening
from workbench.tui.tables import ClientTable

pytestmark = pytest.mark.usefixtures("chinese")


def test_the_quick_first_page_is_the_list_as_it_opens(db_path: Path) -> None:
    book = open_database(str(db_path))
    ids = big_book(260)  # more than a page, every tier, ties in tier broken by AUM and name
    ids += small_book().values()
    Client.update(status="lost").where(Client.id == ids[0]).execute()
    Client.update(status="prospect").where(Client.id == ids[1]).execute()
    expected = portfolio.list_clients(**FIRST_PAGE), portfolio.count_clients()
    book.close()
    quick = first_page_lite(str(db_path), PAGE_SIZE)
    assert quick is not None and len(quick[0]) == PAGE_SIZE
    assert quick == expected
    assert all("****" in r.phone for r in quick[0] if r.phone)  # masked, as the list shows them


def test_no_quick_page_for_a_new_book_an_older_one_or_a_server(db_path: Path, tmp_path: Path) -> None:
    assert first_page_lite(str(tmp_path / "none.sqlite3"), PAGE_SIZE) is None
    assert first_page_lite("postgresql://nobody@127.0.0.1:1/x", PAGE_SIZE) is None
    book = open_database(str(db_path))
    small_book()
    Meta.update(value="7").where(Meta.key == "schema_version").execute()
    book.close()
    assert first_page_lite(str(db_path), PAGE_SIZE) is None  # the full open migrates it first


async def test_the_first_page_shows_before_the_store_loads_and_the_book_opens_after(db_path: Path) -> None:
    book = open_database(str(db_path))
    small_book()
    book.close()
    opening = Opening(str(db_path))
    app = WorkbenchApp(target=str(db_path), opening=opening)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 0.1)
        assert "王小明" in screen_text(app)
        for _ in range(100):  # the full store opens once the page is on the screen
            if app.book is not None:
                break
            await pilot.pause(0.05)
        assert app.book is not None
        await settle(pilot)
        assert "8 位客户" in screen_text(app).splitlines()[0]
        await pilot.press("slash", *"ouyang")
        await settle(pilot, 0.3)
        table = app.query_one(ClientTable)
        assert table.row_count == 1 and "欧阳娜娜" in screen_text(app)


async def test_keys_pressed_on_the_quick_page_wait_for_the_book(db_path: Path, monkeypatch) -> None:
    book = open_database(str(db_path))
    small_book()
    book.close()
    monkeypatch.setattr(Opening, "PAINT_WAIT", 3.0)  # (long enough for a slow CI to show the page first)
    opening = Opening(str(db_path))
    opening.painted = lambda: None  # the store loads only after PAINT_WAIT: the search comes first
    app = WorkbenchApp(target=str(db_path), opening=opening)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(100):
            if "王小明" in screen_text(app):
                break
            await pilot.pause(0.02)
        assert "王小明" in screen_text(app) and app.book is None and opening.book is None  # the page first
        await pilot.press("slash", *"zwm")
        for _ in range(80):  # the search waits for the book, PAINT_WAIT after the start
            if app.book is not None and "张伟明" in screen_text(app) and "王小明" not in screen_text(app):
                break
            await pilot.pause(0.1)
        await settle(pilot)
        assert app.book is not None and "张伟明" in screen_text(app)
        assert app.query_one(ClientTable).row_count == 1
