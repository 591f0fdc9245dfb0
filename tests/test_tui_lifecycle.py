"""A client's life in the TUI at 80×24: the prospects' own list in the portfolio pane (key p), converting a
prospect and marking a client lost from the 360 view, as a manager types them; screen and book checked."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.test_tui_books import SIZE, screen_text, settle, small_book
from workbench.services import lifecycle
from workbench.store.models import Client, Contact, Event, FollowUp, Invitation
from workbench.tui.app import WorkbenchApp
from workbench.tui.client360 import Client360Screen
from workbench.tui.events import EventsScreen
from workbench.tui.tables import ClientTable

pytestmark = pytest.mark.usefixtures("chinese")
TODAY = dt.date(2026, 11, 23)


def shown(app: WorkbenchApp) -> list[str]:
    return [r.name for r in app.query_one(ClientTable)._rows]


async def test_prospects_have_their_own_list_and_convert_in_one_action(book) -> None:
    ids = small_book()
    lifecycle.add_prospect("李明", next_step="电话约见", referred_by=ids["王小明"])
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "李明" not in shown(app)
        await pilot.press("p")
        await settle(pilot)
        text = screen_text(app)
        assert shown(app) == ["李明"] and "目标客户" in text and "下一步" in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Client360Screen)
        text = screen_text(app)
        assert "介绍人：王小明" in text and "电话约见" in text
        assert "c 转为客户" in text  # the footer offers it: a prospect
        await pilot.press("v")  # the same visit wizard, its brief saying how the prospect came
        await settle(pilot)
        assert "介绍人：王小明" in screen_text(app) and "下一步：电话约见" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, Client360Screen)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press(*"c7788", "enter")
        await settle(pilot)
        row = Client.get(Client.name == "李明")
        assert (row.status, row.client_no) == ("active", "C7788")
        assert FollowUp.select().where(FollowUp.client == ids["王小明"]).exists()
        assert "c 转为客户" not in screen_text(app) and "由目标客户转为客户" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert shown(app) == []  # the prospects' list, now empty
        await pilot.press("p", "p")
        await settle(pilot)
        assert "李明" in shown(app)


async def test_marking_a_client_lost_asks_why_and_whether_it_was_normal(book) -> None:
    ids = small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # 王小明, the first row
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press(*"另谋他就", "enter", "enter")  # no answer to "normal?": refused, nothing saved
        await settle(pilot)
        assert "y（正常）或 n（非正常）" in screen_text(app)
        assert Client.get_by_id(ids["王小明"]).status == "active"
        await pilot.press("n", "enter")
        await settle(pilot)
        row = Client.get_by_id(ids["王小明"])
        assert (row.status, row.lost_reason, row.lost_normal, row.lost_tier) == ("lost", "另谋他就", False, "black")
        assert "已流失" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert "王小明" not in shown(app)
        await pilot.press("p", "p")
        await settle(pilot)
        assert shown(app) == ["王小明"]
        line = next(x for x in screen_text(app).splitlines() if "王小明" in x)
        assert "黑金" in line and "11-23" in line and "另谋他就" in line  # the tier then, the day, the reason
        await pilot.press("s")  # sorting on from the latest loss: by tier, as the book is
        await settle(pilot)
        assert shown(app) == ["王小明"]


async def test_who_introduced_a_client_is_chosen_by_name_and_shown_both_ways(book) -> None:
    ids = small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # 王小明
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await pilot.press(*"zwm")  # initials, as in a quick note
        await settle(pilot, 0.2)
        await pilot.press("enter")
        await settle(pilot)
        assert lifecycle.referred_by(ids["王小明"]).name == "张伟明"
        assert "介绍人：张伟明" in screen_text(app)
    assert [r.name for r in lifecycle.referred(ids["张伟明"])] == ["王小明"]


async def test_an_event_is_added_invited_by_the_rules_and_attendance_counts_as_a_contact(book) -> None:
    ids = small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3", "e")
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen) and "还没有活动" in screen_text(app)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"年终答谢会", "enter", *"2026-11-23", "enter", "enter")  # the kind proposed: 答谢会
        await settle(pilot)
        event = Event.get()
        assert (event.name, event.kind, event.date) == ("年终答谢会", "appreciation", TODAY)
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("enter", "enter", "enter", "enter")  # from 白金 up, any interest, seen or not, at most 20
        await settle(pilot)
        invited = {i.client_id for i in Invitation.select()}
        high = {c.id for c in Client.select().where(Client.tier_rank >= 3, Client.status == "active")}
        assert invited == high and "王小明" in screen_text(app)
        await pilot.press("tab", "m")  # the first guest, the highest tier: 王小明
        await settle(pilot)
        assert Invitation.get(Invitation.client == ids["王小明"]).status == "attended"
        assert Contact.get(Contact.client == ids["王小明"], Contact.channel == "event").date == TODAY
        assert Client.get_by_id(ids["王小明"]).last_contact == TODAY
        assert "已出席" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, EventsScreen)


async def test_the_planner_lists_a_prospect_on_its_next_step_by_its_approach(book) -> None:
    small_book()
    lifecycle.add_prospect("李明", approach="cold_visit", next_step="借商会名义登门", next_date=TODAY)
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        text = screen_text(app)
        line = next(x for x in text.splitlines() if "李明" in x)
        assert "目标客户" in line and "拜访" in line and "借商会名义登门" in line
