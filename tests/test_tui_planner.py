"""The planner pane (key 2) at 80×24, driven as a manager would: read the day's list, log a contact in a
few keys, snooze, skip, start a visit, open a client, look at the week. Screen and book are both checked."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.test_tui_books import SIZE, TODAY, built, screen_text, settle, small_book
from workbench.store.models import Client, Contact, PlanMark, Visit
from workbench.tui.app import WorkbenchApp
from workbench.tui.client360 import Client360Screen
from workbench.tui.plan_dialogs import LogDialog, SkipDialog, SnoozeDialog
from workbench.tui.planner import PlannerPane, PlanTable

pytestmark = pytest.mark.usefixtures("chinese")


async def open_planner(pilot) -> PlannerPane:
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    return await built(pilot, PlannerPane)


def planned_names(pane: PlannerPane) -> list[str]:
    assert pane.data is not None
    return [r.name for r in pane.data.plan.items]


async def move_to(pilot, pane: PlannerPane, name: str) -> None:
    names = planned_names(pane)
    table = pane.query_one(PlanTable)
    table.move_cursor(row=names.index(name))
    await settle(pilot)


async def test_the_day_shows_reasons_tier_and_channel(book) -> None:
    small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_planner(pilot)
        text = screen_text(app)
        assert "2026-11-23 周一" in text and "今日联系" in text
        assert "王小明" in text and "黑金" in text
        # 王小明: a 100万 理财 maturing in 5 days; the detail box lists the reasons in plain sentences
        await move_to(pilot, pane, "王小明")
        text = screen_text(app)
        assert "理财 100万 11月28日到期" in text
        assert "拜访" in text  # overdue black-tier client → visit
        assert "本月联系" in text and "/300" in text


async def test_logging_a_contact_takes_three_keys_plus_the_outcome(book) -> None:
    ids = small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_planner(pilot)
        await move_to(pilot, pane, "王小明")
        before = list(planned_names(pane))
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LogDialog)
        assert "方式：拜访" in screen_text(app)  # a black-tier client, overdue: a visit is proposed
        await pilot.press("down")
        assert "方式：微信" in screen_text(app)
        await pilot.press("up", "up")
        assert "方式：电话" in screen_text(app)
        await pilot.press(*"电话沟通续作理财")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, LogDialog)
        contact = Contact.select().where(Contact.client == ids["王小明"]).order_by(Contact.id.desc()).get()
        assert (contact.date, contact.channel, contact.outcome) == (TODAY, "phone", "电话沟通续作理财")
        client = Client.get_by_id(ids["王小明"])
        assert client.last_contact == TODAY and client.next_due == TODAY + dt.timedelta(days=14)
        # the list holds still for the day; the client is marked done
        assert planned_names(pane) == before
        assert next(r for r in pane.data.plan.items if r.name == "王小明").done
        assert "已完成 1" in screen_text(app)


async def test_an_empty_outcome_is_refused_and_escape_saves_nothing(book) -> None:
    ids = small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_planner(pilot)
        await move_to(pilot, pane, "王小明")
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LogDialog)  # still open, saying what is missing
        assert "结果（必填）" in screen_text(app)
        await pilot.press(*"有下次日期")
        await pilot.press("tab", *"2026-02-30", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LogDialog)
        assert "2026年2月只有 28 天" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert Contact.select().where(Contact.client == ids["王小明"], Contact.date == TODAY).count() == 0


async def test_log_with_an_agreed_next_date(book) -> None:
    ids = small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_planner(pilot)
        await move_to(pilot, pane, "王小明")
        await pilot.press("l")
        await settle(pilot)
        await pilot.press(*"约了下周", "tab", *"+10", "enter")
        await settle(pilot)
        client = Client.get_by_id(ids["王小明"])
        assert client.next_contact == TODAY + dt.timedelta(days=10)
        assert client.next_due == TODAY + dt.timedelta(days=10)


async def test_snooze_to_a_day_hides_the_client_until_then(book) -> None:
    ids = small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_planner(pilot)
        await move_to(pilot, pane, "王小明")
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SnoozeDialog)
        assert "2026-11-24" in screen_text(app)  # the next workday is proposed
        await pilot.press("ctrl+u", *"2026-11-30", "enter")
        await settle(pilot)
        mark = PlanMark.get(PlanMark.client == ids["王小明"])
        assert (mark.action, mark.until) == ("snooze", dt.date(2026, 11, 30))
        assert "王小明" not in planned_names(pane)


async def test_skip_needs_a_reason_and_lasts_the_day(book) -> None:
    ids = small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_planner(pilot)
        await move_to(pilot, pane, "王小明")
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, SkipDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SkipDialog)
        await pilot.press(*"客户出差", "enter")
        await settle(pilot)
        mark = PlanMark.get(PlanMark.client == ids["王小明"])
        assert (mark.action, mark.reason, mark.until) == ("skip", "客户出差", TODAY + dt.timedelta(days=1))
        assert "王小明" not in planned_names(pane)


async def test_visit_open_client_and_week(book) -> None:
    ids = small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_planner(pilot)
        await move_to(pilot, pane, "王小明")
        await pilot.press("v")
        await settle(pilot)
        visit = Visit.get(Visit.client == ids["王小明"])
        assert (visit.date, visit.stage) == (TODAY, "before") and "理财" in visit.data
        from workbench.tui.wizard import VisitWizard

        assert isinstance(app.screen, VisitWizard)  # v opens the wizard on the new visit
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Client360Screen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        text = screen_text(app)
        assert "11-28 周六" in text and "产品到期" in text
        assert "王小明 生日" not in text or "生日" in text
        await pilot.press("w")
        await settle(pilot)
        assert "王小明" in screen_text(app)


async def test_keys_typed_ahead_in_one_burst_reach_their_own_fields(book) -> None:
    """Over SSH keystrokes arrive in packets: "outcome<Tab>+10<Enter>" read at once must still put +10 in the
    date field (Tab moves on before the keys after it are handed to a field)."""
    from textual import events

    ids = small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_planner(pilot)
        await move_to(pilot, pane, "王小明")
        await pilot.press("l")
        await settle(pilot)
        for key, char in [*((c, c) for c in "ok"), ("tab", None), *((c, c) for c in "+10"), ("enter", None)]:
            app.post_message(events.Key(key, char))  # all queued before any is handled, as a terminal burst is
        await settle(pilot)
        client = Client.get_by_id(ids["王小明"])
        assert client.next_contact == TODAY + dt.timedelta(days=10)
        assert Contact.select().where(Contact.client == ids["王小明"]).order_by(Contact.id.desc()).get().outcome == "ok"
