"""The TUI under the user's settings: remapped keys (pressed, in the footer, in ? help), the light theme,
no animations unless asked for, the user's tier names."""

from __future__ import annotations

import pytest

from tests.test_tui_books import SIZE, screen_text, settle, small_book
from workbench.services import config
from workbench.tui.app import WorkbenchApp
from workbench.tui.help import HelpScreen
from workbench.tui.keys import KEYMAP

pytestmark = pytest.mark.usefixtures("chinese")


def settings(text: str) -> None:
    config.path().parent.mkdir(parents=True, exist_ok=True)
    config.path().write_text(text, encoding="utf-8")
    config.reload()


@pytest.fixture(autouse=True)
def _no_keymap_left():
    yield
    KEYMAP.clear()


async def test_a_remapped_key_works_and_is_shown_where_keys_are(book) -> None:
    small_book()
    settings('[keys]\n"pane.planner" = "f2"\n"portfolio.search" = "f"\n"app.help" = "f1"\n')
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lines = screen_text(app).splitlines()
        assert "f 搜索" in lines[-1] and "/ 搜索" not in lines[-1]
        assert "f2 计划" in lines[0] and "按 f 搜索" in lines[1]
        await pilot.press("f", *"ouyang")
        await settle(pilot, 0.3)
        assert "欧阳娜娜" in screen_text(app) and "王小明" not in screen_text(app)
        await pilot.press("escape", "escape")
        await pilot.press("2")  # the old key does nothing now
        await settle(pilot)
        assert app.pane == "portfolio"
        await pilot.press("f2")
        await settle(pilot)
        assert app.pane == "planner"
        await pilot.press("question_mark")  # nor does the old help key
        await settle(pilot)
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        rows = [line.split("│")[1].split()[:2] for line in screen_text(app).splitlines() if line.count("│") >= 2]
        assert ["f2", "计划"] in rows and ["f1", "帮助"] in rows and ["2", "计划"] not in rows


async def test_the_light_theme_no_animations_and_the_users_tier_names(book) -> None:
    small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark" and app.animation_level == "none"
    settings('theme = "light"\nanimations = true\n[tiers.names.zh]\nblack = "私行"\n')
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "textual-light" and app.animation_level == "full"
        assert "私行" in screen_text(app)  # 王小明 is black
