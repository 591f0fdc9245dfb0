"""The app shell at 80×24: panes on 1–4, help, quitting, the command palette, the
empty-book demo offer, and English."""

from __future__ import annotations

import pytest
from textual.binding import Binding

from tests.test_tui_books import SIZE, screen_text, settle, small_book
from workbench.i18n import set_lang, t
from workbench.services import demo
from workbench.store.models import Client
from workbench.tui.app import DEMO_CLIENTS, WorkbenchApp
from workbench.tui.client360 import Client360Screen
from workbench.tui.demo_offer import DemoOffer
from workbench.tui.help import HelpScreen
from workbench.tui.keys import key_rows
from workbench.tui.tables import ClientTable

pytestmark = pytest.mark.usefixtures("chinese")


def header(app: WorkbenchApp) -> str:
    return screen_text(app).splitlines()[0]


async def test_panes_switch_on_number_keys(book) -> None:
    small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "1 客户" in header(app) and "4 日志" in header(app) and "8 位客户" in header(app)
        await pilot.press("2")
        await settle(pilot)
        assert "今日联系" in screen_text(app) and "本月联系" in screen_text(app)
        assert app.pane == "planner"
        await pilot.press("3")
        await settle(pilot)
        assert "还没有拜访" in screen_text(app) and app.pane == "visits"
        assert "王小明" not in screen_text(app)  # no fake content: the book has no visits yet
        await pilot.press("4")
        await settle(pilot)
        assert "收件箱是空的" in screen_text(app) and app.pane == "journal"
        await pilot.press("1")
        assert "王小明" in screen_text(app)
        assert app.focused is app.query_one(ClientTable)


async def test_help_lists_every_binding(book) -> None:
    small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        pages = [screen_text(app)]
        for _ in range(12):  # read the help page by page, as a manager scrolls it
            await pilot.press("pagedown")
            pages.append(screen_text(app))
        shown = "\n".join(pages)
        for title, bindings in app.help_sections():
            assert title in shown
            for row in key_rows(bindings, app.get_key_display):
                assert row.description in shown, row
        assert "按键一览" in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_every_binding_has_an_id_and_a_translated_description(book) -> None:
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _title, bindings in app.help_sections():
            for binding in bindings:
                assert isinstance(binding, Binding) and binding.id, binding
                assert binding.description.startswith("tui.") or binding.description.startswith("col.")
                assert t(binding.description) != binding.description, binding


async def test_q_quits(book) -> None:
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape")  # decline the demo offer on this empty book
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_command_palette_switches_panes_and_finds_clients(book) -> None:
    ids = small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"计划")
        await settle(pilot, 0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert app.pane == "planner"

        await pilot.press("ctrl+p")
        await pilot.press(*"zwm")
        await settle(pilot, 0.5)
        assert "张伟明" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Client360Screen)
        assert app.screen.client_id == ids["张伟明"]


async def test_empty_book_offers_a_demo_and_makes_it(book) -> None:
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DemoOffer)
        assert "客户簿是空的" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        await settle(pilot)
        assert not isinstance(app.screen, DemoOffer)
        assert Client.select().where(Client.status != "prospect").count() == DEMO_CLIENTS  # and a few prospects
        active = Client.select().where(Client.status == "active").count()  # (a few were lost this year)
        assert DEMO_CLIENTS - 5 < active < DEMO_CLIENTS
        assert f"{active} 位客户" in header(app)
        assert f"第 1–200 行，共 {active} 位" in screen_text(app)
        footer = screen_text(app).splitlines()[-1]
        assert "⏎ 查看" in footer and "/ 搜索" in footer  # the list's keys, not the app's alone
        await pilot.press("down", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "Client360Screen"


async def test_empty_book_declined_stays_empty(book) -> None:
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DemoOffer)
        await pilot.press("n")
        await settle(pilot)
        assert not isinstance(app.screen, DemoOffer)
        assert Client.select().count() == 0
        assert "客户簿是空的：用 wb import 导入客户" in screen_text(app)
        assert "0 位客户" in header(app)


async def test_demo_failure_is_shown_not_raised(book, monkeypatch) -> None:
    def refuse(**_kwargs: object) -> None:
        from workbench.errors import Conflict

        raise Conflict("the book already has 1 clients")

    monkeypatch.setattr(demo, "generate", refuse)
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "生成演示客户簿失败" in screen_text(app)
        assert Client.select().count() == 0


async def test_english_titles_and_panes(book) -> None:
    set_lang("en")
    small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        top = header(app)
        for title in ("Portfolio", "Planner", "Visits", "Journal"):
            assert title in top
        assert "8 clients" in top
        assert "rows 1–8 of 8" in screen_text(app)
        assert "Search" in screen_text(app)  # the footer, from the same bindings
        await pilot.press("2")
        await settle(pilot)
        text = screen_text(app)
        assert "to contact" in text and "Month 1/300" in text and "l Log" in text
        await pilot.press("3")
        await settle(pilot)
        assert "No visits yet" in screen_text(app)
        await pilot.press("1", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Profile" in text and "Assets" in text and "missing" in text


def test_the_tui_asks_services_and_never_the_store() -> None:
    """No TUI module imports peewee, sqlite3 or the store (a type-only import of ``Book`` aside)."""
    import ast
    from pathlib import Path

    import workbench.tui

    for path in Path(workbench.tui.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        type_only = {
            id(node)
            for block in ast.walk(tree)
            if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
            for node in ast.walk(block)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in type_only:
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                for name in names:
                    assert not name.startswith(("peewee", "sqlite3", "workbench.store")), (path.name, name)


async def test_the_app_opens_the_book_itself_after_its_first_paint(db_path) -> None:
    from workbench.services import demo as demo_service
    from workbench.store.db import open_database

    open_database(str(db_path)).close()
    opened = open_database(str(db_path))
    demo_service.generate(30, seed=2)
    opened.close()
    app = WorkbenchApp(target=str(db_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(50):  # the book opens in a worker, then the first page loads in another
            if app.book is not None and "30" in header(app):
                break
            await pilot.pause(0.05)
        await settle(pilot)
        assert app.book is not None and "30" in header(app)
        assert app.query_one(ClientTable).row_count == 30


async def test_a_damaged_book_ends_the_app_with_a_message(tmp_path) -> None:
    bad = tmp_path / "damaged.sqlite3"
    bad.write_bytes(b"this is not a database at all\n" * 100)
    app = WorkbenchApp(target=str(bad))
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(50):
            if app.return_code is not None:
                break
            await pilot.pause(0.05)
    assert app.return_code == 1
    assert bad.read_bytes() == b"this is not a database at all\n" * 100
