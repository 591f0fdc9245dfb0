"""The portfolio pane and the client 360 view, driven as a manager would at 80×24: keys in, screen and book
checked."""

from __future__ import annotations

import pytest

from tests.test_tui_books import LONG_COMPANY, SIZE, big_book, cells, screen_lines, screen_text, settle, small_book
from workbench.rules import profile
from workbench.rules.text import width
from workbench.services import portfolio
from workbench.store.models import Client
from workbench.tui.app import WorkbenchApp
from workbench.tui.client360 import Client360Screen
from workbench.tui.portfolio import PortfolioPane
from workbench.tui.tables import ClientTable

pytestmark = pytest.mark.usefixtures("chinese")


def names(app: WorkbenchApp) -> list[str]:
    """The clients in the table, in order (the row keys, read back as names from the page)."""
    table = app.query_one(ClientTable)
    return [r.name for r in table._rows]


def status(app: WorkbenchApp) -> str:
    return app.query_one(PortfolioPane).rows_text()


async def type_text(pilot, text: str) -> None:
    """Characters as a terminal delivers them, an IME's committed Chinese included."""
    await pilot.press(*list(text))


async def test_list_shows_the_book_with_marks(book) -> None:
    small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "8 位客户" in text
        assert "第 1–8 行，共 8 位" in text
        assert names(app)[:2] == ["王小明", "张伟明"]  # tier, highest first
        assert "钻石▾" in text  # 张伟明's downgrade is pending
        assert "↓!" in text  # falling five months: churn warning
        assert "黑金" in text and "1400万" in text


def assert_columns_line_up(app: WorkbenchApp, columns: int) -> None:
    """Every row is exactly as wide as the terminal and its tier starts in the same cell."""
    table = app.query_one(ClientTable)
    start = 1 + table._widths["name"] + 2  # cell padding: one cell each side of a column
    lines = screen_lines(app)[3 : 3 + len(names(app))]
    assert any(LONG_COMPANY[:6] in line for line in lines)
    for line in lines:
        assert width(line) == columns
        assert cells(line, start, start + 4).strip() in {"黑金", "钻石", "卓越", "白金", "金", "普通"}, line


async def test_wide_names_never_shift_columns(book) -> None:
    small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert_columns_line_up(app, 80)
        narrow = app.query_one(ClientTable)._widths["name"]

        await pilot.resize_terminal(100, 30)  # the same page, laid out again for the new width
        await settle(pilot)
        assert app.query_one(ClientTable)._widths["name"] == narrow + 20
        assert_columns_line_up(app, 100)


async def test_search_by_chinese_pinyin_and_initials(book) -> None:
    small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "欧阳")
        await settle(pilot, 0.3)
        assert names(app) == ["欧阳娜娜"]
        assert "第 1–1 行，共 1 位" in screen_text(app)

        await pilot.press("escape")  # clears the search and goes back to the list
        await settle(pilot, 0.3)
        assert len(names(app)) == 8
        assert app.focused is app.query_one(ClientTable)

        await pilot.press("slash")
        await type_text(pilot, "wang")
        await settle(pilot, 0.3)
        assert sorted(names(app)) == ["王小明", "王芳"]

        await pilot.press(*["backspace"] * 4)
        await type_text(pilot, "zwm")
        await settle(pilot, 0.3)
        assert names(app) == ["张伟明"]

        await pilot.press("enter")  # keeps the search, back to the list, Enter opens the client
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Client360Screen)


async def test_tier_filter_cycles(book) -> None:
    small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert names(app) == ["王小明"]
        assert "层级：黑金" in screen_text(app)
        await pilot.press("t")
        await settle(pilot)
        assert names(app) == ["张伟明"]
        await pilot.press("T", "T")
        await settle(pilot)
        assert len(names(app)) == 8
        assert "层级：全部" in screen_text(app)


async def test_sorting_changes_order(book) -> None:
    small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")  # by AUM, largest first
        await settle(pilot)
        assert "排序：金融资产↓" in screen_text(app)
        assert names(app)[0] == "王小明" and names(app)[-1] == "王芳"
        await pilot.press("S")  # smallest first
        await settle(pilot)
        assert names(app)[0] == "王芳"
        await pilot.press("s")  # by name (pinyin)
        await settle(pilot)
        assert "排序：客户↑" in screen_text(app)
        assert names(app)[0] == "Acme 贸易（上海）有限公司 International Trading"
        assert names(app)[1] == "陈静"


async def test_paging_through_450_clients(book) -> None:
    big_book(450)
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "第 1–200 行，共 450 位" in screen_text(app)
        assert app.query_one(ClientTable).row_count == 200

        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert "第 201–400 行，共 450 位" in screen_text(app)
        expected = [r.name for r in portfolio.list_clients(limit=200, offset=200)]
        assert names(app) == expected

        await pilot.press("end", "pagedown")  # PageDown on the last row: next page
        await settle(pilot)
        assert "第 401–450 行，共 450 位" in screen_text(app)
        assert app.query_one(ClientTable).row_count == 50

        await pilot.press("pageup")  # PageUp on the first row: previous page, cursor on its last row
        await settle(pilot)
        assert "第 201–400 行" in screen_text(app)
        assert app.query_one(ClientTable).cursor_row == 199

        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "第 1–200 行" in screen_text(app)


async def test_client_view_marks_gaps_masks_and_reveals(book) -> None:
    ids = small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the first row: 王小明
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, Client360Screen) and screen.client_id == ids["王小明"]
        text = screen_text(app)
        assert "王小明" in text and "C0001" in text and "黑金" in text
        assert "缺" in text
        assert "138****5678" in text and "13812345678" not in text

        await pilot.press("r")
        await settle(pilot)
        assert "13812345678" in screen_text(app)
        await pilot.press("r")
        await settle(pilot)
        assert "13812345678" not in screen_text(app)

        await pilot.press("2")  # assets: sparkline, a holding maturing in 5 days
        await settle(pilot)
        text = screen_text(app)
        assert "2026-06 至 2026-11" in text
        assert "稳健理财90天" in text and "5 天" in text

        await pilot.press("3")  # dates: the lunar birthday and its next solar date
        await settle(pilot)
        text = screen_text(app)
        assert "农历八月十五" in text and "2027-09-15" in text


async def test_corporate_view_masks_decision_makers_phones(book) -> None:
    small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert LONG_COMPANY[:8] in screen_text(app)
        await pilot.press("4")
        await settle(pilot)
        text = screen_text(app)
        assert "赵总" in text and "139****2222" in text and "13911112222" not in text


async def move_to_field(pilot, name: str) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, Client360Screen) and screen.view is not None
    index = [f.name for f in screen.view.profile].index(name)
    await pilot.press("home", *["down"] * index)


async def test_editing_a_field_saves_and_refreshes(book) -> None:
    ids = small_book()
    before = Client.get_by_id(ids["王小明"]).completeness
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert f"完整度 {before}%" in screen_text(app)

        await move_to_field(pilot, "occupation")
        await pilot.press("e")
        await type_text(pilot, "教师")
        await pilot.press("enter")
        await settle(pilot)

        stored = Client.get_by_id(ids["王小明"])
        assert stored.occupation == "教师"
        assert stored.completeness > before
        text = screen_text(app)
        assert f"完整度 {stored.completeness}%" in text
        assert "教师" in text

        await pilot.press("escape")  # back to the list, which shows the new completeness
        await settle(pilot)
        assert not isinstance(app.screen, Client360Screen)
        assert f"{stored.completeness}%" in screen_text(app)


async def test_a_refused_value_shows_why_and_keeps_the_text(book) -> None:
    ids = small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await move_to_field(pilot, "risk_profile")
        await pilot.press("enter")
        await type_text(pilot, "随便")
        await pilot.press("enter")
        await settle(pilot)

        text = screen_text(app)
        assert "未保存" in text and "保守" in text
        assert app.screen.query_one("#editor-input").value == "随便"
        assert Client.get_by_id(ids["王小明"]).risk_profile is None

        await pilot.press("escape")  # cancels the edit, stays in the view
        await settle(pilot)
        assert isinstance(app.screen, Client360Screen)
        assert app.screen.editor.field is None
        assert profile.BY_NAME["risk_profile"].choices[0] == "保守"


async def test_escape_returns_to_the_same_row(book) -> None:
    small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.view.name == "陈静"
        await pilot.press("escape")
        await settle(pilot)
        table = app.query_one(ClientTable)
        assert app.focused is table
        assert table.cursor_row == 3
        assert names(app)[table.cursor_row] == "陈静"


async def test_keys_arriving_together_are_not_lost(book) -> None:
    """Over SSH several keys often arrive in one read: "/zwm" or "e教师" must not lose what follows the key
    that moves the focus."""
    from textual import events

    def burst(app: WorkbenchApp, text: str, first: str | None = None) -> None:
        keys = [first] if first else []
        for key in [*keys, *text]:
            app.post_message(events.Key(key, "/" if key == "slash" else key))

    ids = small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "zwm", first="slash")
        await settle(pilot, 0.3)
        assert app.query_one("#search").value == "zwm"
        assert names(app) == ["张伟明"]

        await pilot.press("enter", "enter")
        await settle(pilot)
        await move_to_field(pilot, "occupation")
        burst(app, "教师", first="e")
        await pilot.press("enter")
        await settle(pilot)
        assert Client.get_by_id(ids["张伟明"]).occupation == "教师"
