"""The dashboard pane (5) at 80×24: the month's figures and charts, months stepped with [ and ], both
languages."""

from __future__ import annotations

import pytest

from tests.test_dashboard import month_book  # noqa: F401  (the fixture)
from tests.test_tui_books import SIZE, screen_text, settle
from workbench.i18n import set_lang
from workbench.tui.app import WorkbenchApp
from workbench.tui.dashboard import DashboardPane

pytestmark = pytest.mark.usefixtures("chinese")


async def open_dashboard(pilot) -> DashboardPane:
    await settle(pilot)
    await pilot.press("5")
    for _ in range(100):
        found = pilot.app.query(DashboardPane)
        if found and found.first().data is not None:
            break
        await pilot.pause(0.05)
    await settle(pilot)
    return pilot.app.query_one(DashboardPane)


async def page(pilot) -> str:
    """Every line of the pane, scrolling through it from the top as a manager would."""
    app = pilot.app
    body = app.query_one("#dashboard-body")
    body.scroll_home(animate=False)
    await pilot.pause()
    seen: list[str] = []
    for _ in range(12):
        seen += screen_text(app).splitlines()[2:-1]
        if body.scroll_y >= body.max_scroll_y:
            break
        body.scroll_page_down(animate=False)
        await pilot.pause()
    return "\n".join(seen)


async def test_the_months_figures_and_charts(book, month_book) -> None:  # noqa: F811
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_dashboard(pilot)
        assert app.pane == "dashboard" and "5 看板" in screen_text(app).splitlines()[0]
        head = screen_text(app).splitlines()[1]
        assert "2026-11 月报" in head and "截至 2026-11-23" in head and "4 位客户" in head
        shown = await page(pilot)
        assert "白金" in shown and "+100%" in shown  # 白金 went from 1 client to 2
        assert "升级 1：吴升" in shown and "待降级 1：郑降" in shown and "降级 1：王落" in shown
        assert "已联系 3 · 计划 160 · 月目标 300" in shown
        assert "郑降 · 钻石 · 400万 · 金融资产连续3个月下降" in shown  # the churn watch, with its reason
        assert "各层级客户数" in shown and "近 12 个月金融资产" in shown  # the charts' titles
        assert "接触与需求评估 1 → 执行方案 1" in shown and "本月写下 1 条经验教训" in shown
        assert pane.data is not None and pane.data.month.month == 11


async def test_months_step_back_and_not_past_this_one(book, month_book) -> None:  # noqa: F811
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_dashboard(pilot)
        await pilot.press("right_square_bracket")  # no month to come
        await settle(pilot)
        assert pane.data is not None and f"{pane.data.month:%Y-%m}" == "2026-11"
        await pilot.press("left_square_bracket")
        await settle(pilot, 0.1)
        assert f"{pane.data.month:%Y-%m}" == "2026-10" and "2026-10 月报" in screen_text(app)
        assert "截至 2026-10-31" in screen_text(app)
        await pilot.press("right_square_bracket")
        await settle(pilot, 0.1)
        assert f"{pane.data.month:%Y-%m}" == "2026-11"


async def test_in_english(book, month_book) -> None:  # noqa: F811
    set_lang("en")
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot)
        assert "5 Dashboard" in screen_text(app).splitlines()[0]
        assert "2026-11 · as of 2026-11-23 · 4 clients" in screen_text(app)
        shown = await page(pilot)
        assert "Platinum" in shown and "made 3 · planned 160 · target 300" in shown


async def test_the_palette_reaches_the_dashboards_actions(book, month_book) -> None:  # noqa: F811
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.palette_commands()}
        for pane, action in (("看板", "上月"), ("看板", "下月"), ("计划", "记联系"), ("拜访", "销售漏斗")):
            assert f"{pane}：{action}" in titles
        await pilot.press("ctrl+p", *"上月")
        await settle(pilot, 0.5)
        await pilot.press("enter")
        for _ in range(100):
            found = app.query(DashboardPane)
            if found and found.first().data is not None and found.first().data.month.month == 10:
                break
            await pilot.pause(0.05)
        assert app.pane == "dashboard" and found.first().data.month.month == 10
