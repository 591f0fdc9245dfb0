"""The visits pane (key 3) and the visit wizard at 80×24, driven as a manager would: prepare a visit from the
brief, take notes during it (望闻问切), leave in the middle and come back to every word, finish it into
follow-ups and the next contact, learn from a failure, amend a finished visit, read the pipeline, and walk a
complaint through its six steps. Screen and book are both checked."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input, TextArea

from tests.test_tui_books import SIZE, TODAY, built, screen_text, settle, small_book
from workbench.i18n import set_lang
from workbench.services import planner, visits
from workbench.store.models import Client, Complaint, FollowUp, Note, Visit
from workbench.tui.app import WorkbenchApp
from workbench.tui.client360 import Client360Screen
from workbench.tui.complaints import AddComplaintDialog, StepDialog
from workbench.tui.visit_widgets import AnswerRow, Choice, NeedRow, RowList
from workbench.tui.visits import VisitsPane
from workbench.tui.wizard import AmendDialog, VisitWizard

pytestmark = pytest.mark.usefixtures("chinese")

SAVED = 0.4  # seconds: past the wizard's save delay


async def open_visits(pilot) -> VisitsPane:
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)
    return await built(pilot, VisitsPane)


async def open_wizard(pilot) -> VisitWizard:
    """Enter on the selected visit of the visits pane."""
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, VisitWizard)
    return screen


def field(screen: VisitWizard, selector: str) -> str:
    widget = screen.query_one(selector)
    return widget.text if isinstance(widget, TextArea) else widget.value  # type: ignore[union-attr]


def answer_row(screen: VisitWizard, ident: str) -> AnswerRow:
    return next(r for r in screen.query(AnswerRow) if r.ident == ident)


def finished_visit(client_id: int, **fields: object) -> int:
    """A visit saved and finished through the services; its id."""
    started = visits.start_visit(client_id)
    visits.save(started.id, **fields)
    visits.finish(started.id)
    return started.id


# --- the three stages -------------------------------------------------------------------------------------------


@pytest.mark.slow  # about 45 keys, on purpose: the whole of a visit as typed
async def test_walk_the_stages_and_leave_in_the_middle_of_the_visit(book) -> None:
    ids = small_book()
    visit_id = visits.start_visit(ids["王小明"], reasons=["理财 100万 11月28日到期"]).id
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await open_visits(pilot)
        assert "王小明" in screen_text(app) and "准备" in screen_text(app)
        wizard = await open_wizard(pilot)
        text = screen_text(app)
        assert "1 准备" in text and "2 拜访中" in text and "3 总结" in text
        assert "理财 100万 11月28日到期" in text and "话题" in text and "可推荐" in text  # the brief
        # 1 准备: the goal, two questions (Enter goes to the next; Enter in the empty one leaves the list)
        await pilot.press(*"续作", "enter", *"支出", "enter", *"收益", "enter", "enter", *"单页")
        await settle(pilot, SAVED)
        assert "已保存" in screen_text(app)
        # 2 拜访中: 望 and 闻 (lines of text), 问 each question (skip one, confirm a gap's answer)
        await pilot.press("ctrl+right")
        await settle(pilot)
        assert wizard.stage == "during" and Visit.get_by_id(visit_id).stage == "during"
        await pilot.press(*"放松", "tab", *"出国", "enter", "稳", "tab")
        await pilot.press(*"学费", "enter", "ctrl+t", "enter")  # question 1 answered, question 2 skipped
        assert "已跳过" in screen_text(app)
        await pilot.press("ctrl+t", "enter", *"西湖", "ctrl+o")  # 证件号码 skipped, 地址 answered and confirmed
        # 3 总结: the outcome (←/→) and why
        await pilot.press("ctrl+right")
        await settle(pilot)
        assert wizard.stage == "after"
        await pilot.press("right", "right", "enter", *"商量")
        # back to 2 for 切, and leave while the need is still being typed (not saved yet)
        await pilot.press("ctrl+left")
        await settle(pilot)
        wizard.set_focus(wizard.query_one("#f-confirm", RowList).rows()[0].first_input())
        await pilot.press(*"留学", "ctrl+n", "ctrl+o", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, VisitWizard)
        assert "进行中" in screen_text(app)  # the pane read the list again
        wizard = await open_wizard(pilot)  # back where it was left, with what was typed
        assert wizard.stage == "during" and field(wizard, "#f-listen") == "出国\n稳"
        assert answer_row(wizard, "1").skipped and answer_row(wizard, "address").confirmed
        assert wizard.query_one("#f-confirm", RowList).rows()[0].value() == {
            "need": "留学",
            "kind": "wish",
            "agreed": True,
        }

    saved = visits.get(visit_id)
    assert saved.stage == "during" and not saved.finished
    assert {k: saved.data[k] for k in ("goal", "questions", "materials", "observe", "listen")} == {
        "goal": "续作",
        "questions": ["支出", "收益"],
        "materials": "单页",
        "observe": "放松",
        "listen": "出国\n稳",
    }
    assert saved.data["answers"] == {
        "0": {"answer": "学费", "status": "answered"},
        "1": {"answer": "", "status": "skipped"},
    }
    assert saved.data["gap_answers"] == {
        "id_number": {"answer": "", "confirmed": False},
        "address": {"answer": "西湖", "confirmed": True},
    }
    assert saved.data["confirm"] == [{"need": "留学", "kind": "wish", "agreed": True}]
    assert (saved.data["outcome"], saved.data["why"]) == ("partly", "商量")


async def test_reopened_from_the_pane_every_field_is_as_typed(book) -> None:
    ids = small_book()
    visit_id = visits.start_visit(ids["王小明"]).id
    visits.save(
        visit_id,
        goal="续作",
        questions=["支出", "收益"],
        materials="单页",
        observe="放松",
        listen="出国\n稳",
        answers={"0": {"answer": "学费", "status": "answered"}, "1": {"answer": "", "status": "skipped"}},
        gap_answers={"id_number": {"answer": "", "confirmed": False}, "address": {"answer": "西湖", "confirmed": True}},
        confirm=[{"need": "留学", "kind": "wish", "agreed": True}],
        outcome="partly",
        why="商量",
        follow_ups=[{"text": "寄资料", "due": "2026-11-30"}],
        opportunities=[{"product": "基金", "stage": "execute"}],
        next_contact="2026-12-07",
        lesson={"situation": "初次", "cause": "没备好"},
    )
    visits.set_stage(visit_id, "during")
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await open_visits(pilot)
        wizard = await open_wizard(pilot)
        assert wizard.stage == "during" and app.focused is wizard.query_one("#f-observe")
        assert (field(wizard, "#f-observe"), field(wizard, "#f-listen")) == ("放松", "出国\n稳")
        assert answer_row(wizard, "0").box.value == "学费" and answer_row(wizard, "1").skipped
        assert answer_row(wizard, "id_number").skipped and not answer_row(wizard, "id_number").confirmed
        address = answer_row(wizard, "address")
        assert address.box.value == "西湖" and address.confirmed and not address.skipped
        row = wizard.query_one("#f-confirm", RowList).rows()[0]
        assert isinstance(row, NeedRow) and (row.first_input().value, row.kind, row.agreed) == ("留学", "wish", True)
        wizard.set_focus(row.first_input())
        await settle(pilot)
        assert "留学" in screen_text(app) and "愿望" in screen_text(app) and "☑认可" in screen_text(app)
        wizard.set_focus(None)
        await pilot.press("1")  # outside a text field: a stage by its number
        await settle(pilot)
        assert wizard.stage == "before"
        assert (field(wizard, "#f-goal"), field(wizard, "#f-materials")) == ("续作", "单页")
        questions = [r.first_input().value for r in wizard.query_one("#f-questions", RowList).rows()]
        assert questions == ["支出", "收益", ""]  # and an empty one for the next
        await pilot.press("f3", "f3")  # F3 = ctrl+→, for terminals that keep ctrl+arrows
        await settle(pilot)
        assert wizard.stage == "after"
        assert wizard.query_one("#f-outcome", Choice).value == "partly" and field(wizard, "#f-why") == "商量"
        follow_up = wizard.query_one("#f-follow_ups", RowList).rows()[0]
        assert follow_up.value() == {"text": "寄资料", "due": "2026-11-30"}
        opportunity = wizard.query_one("#f-opportunities", RowList).rows()[0]
        assert opportunity.value() == {"product": "基金", "stage": "execute"}
        assert field(wizard, "#f-next_contact") == "2026-12-07"
        assert (field(wizard, "#lesson-situation"), field(wizard, "#lesson-cause")) == ("初次", "没备好")
        wizard.set_focus(wizard.query_one("#f-next_contact"))
        await pilot.press("end", "9", "ctrl+s")  # 2026-12-079: not a day, said, kept out, and no finishing
        await settle(pilot, SAVED)
        assert "约定下次联系" in screen_text(app) and "不是日期" in screen_text(app)
        saved = visits.get(visit_id)
        assert saved.data["next_contact"] == "2026-12-07" and not saved.finished
        assert saved.data["listen"] == "出国\n稳"  # opening saved nothing over what was there


async def test_quitting_the_app_while_typing_loses_nothing(book) -> None:
    ids = small_book()
    visit_id = visits.start_visit(ids["王芳"]).id
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await open_visits(pilot)
        await open_wizard(pilot)
        await pilot.press(*"定投", "ctrl+q")  # before the save delay is over
        await pilot.pause()
    assert visits.get(visit_id).data["goal"] == "定投"


async def test_finish_makes_follow_ups_and_sets_the_next_contact(book) -> None:
    ids = small_book()
    visit_id = visits.start_visit(ids["李娜"]).id
    visits.set_stage(visit_id, "after")  # prepared and visited: the wizard opens on 总结
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_visits(pilot)
        wizard = await open_wizard(pilot)
        assert "总结" in screen_text(app) and isinstance(app.focused, Choice)
        await pilot.press("right", "enter", "tab", "tab")  # 成功; past why and the needs found
        await pilot.press(*"寄资料", "enter", *"+3", "enter", "enter")  # a follow-up in three days
        await pilot.press(*"基金", "enter", "right", "enter", "enter")  # an opportunity at 执行方案
        await pilot.press(*"+14", "ctrl+s")  # the agreed next contact; finish
        await settle(pilot)
        assert wizard.finished
        text = screen_text(app)
        assert "已完成" in text and "拜访已完成" in text and "寄资料 — 2026-11-26" in text

    due = TODAY + dt.timedelta(days=3)
    follow_up = FollowUp.get(FollowUp.visit == visit_id)
    assert (follow_up.client_id, follow_up.due, follow_up.text) == (ids["李娜"], due, "寄资料")
    plan = planner.today_plan(due)
    row = next(r for r in plan.items if r.client_id == ids["李娜"])
    assert any("寄资料" in reason.text("zh") for reason in row.reasons)
    assert Client.get_by_id(ids["李娜"]).next_contact == TODAY + dt.timedelta(days=14)
    assert visits.get(visit_id).data["opportunities"] == [{"product": "基金", "stage": "execute"}]


async def test_a_failed_visit_will_not_finish_without_its_lesson(book) -> None:
    ids = small_book()
    visit_id = visits.start_visit(ids["陈静"]).id
    visits.set_stage(visit_id, "after")
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_visits(pilot)
        wizard = await open_wizard(pilot)
        await pilot.press("left", "left")  # 未成
        assert "拜访未成：必须写下经验教训" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, VisitWizard) and not wizard.finished
        assert "拜访未成，必须写下教训" in screen_text(app)
        assert not visits.get(visit_id).finished
        assert app.focused is wizard.query_one("#lesson-situation", Input)  # taken to the lesson
        await pilot.press(*"被抢先", "enter", "enter", "enter", *"没问", "ctrl+s")
        await settle(pilot)
        assert wizard.finished and visits.get(visit_id).finished
    lesson = Note.get(Note.visit == visit_id)
    assert (lesson.kind, lesson.situation, lesson.cause) == ("lesson", "被抢先", "没问")


async def test_a_finished_visit_is_read_only_and_an_amendment_is_recorded(book) -> None:
    ids = small_book()
    visit_id = finished_visit(ids["王芳"], goal="介绍定投", outcome="succeeded", why="客户有闲钱")
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_visits(pilot)
        assert "已完成" in screen_text(app) and "成功" in screen_text(app)
        wizard = await open_wizard(pilot)
        text = screen_text(app)
        assert "目标：介绍定投" in text and "只读" in text and "修改记录（0）" in text
        assert not wizard.query(Input)  # nothing to type into
        await pilot.press("x", "ctrl+s")
        await settle(pilot)
        assert visits.get(visit_id).data["goal"] == "介绍定投"
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, AmendDialog)
        assert app.screen.query_one("#amend-value", Input).value == "介绍定投"
        await pilot.press("ctrl+u", *"介绍基金定投", "enter")
        await settle(pilot)
        assert isinstance(app.screen, VisitWizard)
        amended = visits.get(visit_id)
        assert amended.data["goal"] == "介绍基金定投"
        assert [(a["field"], a["old"], a["new"]) for a in amended.amendments] == [("goal", "介绍定投", "介绍基金定投")]
        text = screen_text(app)
        assert "修改记录（1）" in text and "目标：介绍定投 → 介绍基金定投" in text


async def test_planner_and_client_view_open_the_wizard_on_the_same_visit(book) -> None:
    ids = small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1", "enter")  # the first client of the list is 王小明 (黑金)
        await settle(pilot)
        assert isinstance(app.screen, Client360Screen) and app.screen.client_id == ids["王小明"]
        await pilot.press("v")
        await settle(pilot)
        wizard = app.screen
        assert isinstance(wizard, VisitWizard) and "王小明 · 11-23" in screen_text(app)
        await pilot.press(*"谈续作")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, Client360Screen)
        await pilot.press("escape", "2")
        await settle(pilot)
        pane = app.query_one("#planner-pane")
        names = [r.name for r in pane.data.plan.items]  # type: ignore[attr-defined]
        pane.table.move_cursor(row=names.index("王小明"))  # type: ignore[attr-defined]
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, VisitWizard) and app.screen.visit_id == wizard.visit_id
        assert field(app.screen, "#f-goal") == "谈续作"
        assert Visit.select().count() == 1
        await pilot.press("escape")  # nothing typed: it closes at once
        await settle(pilot)
        assert not isinstance(app.screen, VisitWizard) and app.pane == "planner"


async def test_the_pipeline_lists_opportunities_under_their_stage(book) -> None:
    ids = small_book()
    started = visits.start_visit(ids["王小明"])
    visits.save(started.id, opportunities=[{"product": "稳健理财续作", "stage": "execute"}])
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await open_visits(pilot)
        await pilot.press("p")
        await settle(pilot)
        lines = screen_text(app).splitlines()
        assert any("销售漏斗 · 1 个机会" in line for line in lines)
        heading = next(i for i, line in enumerate(lines) if "3 执行方案（1）" in line)
        assert "王小明 · 稳健理财续作 · 11-23" in lines[heading + 1]
        assert any("2 接触与需求评估（0）" in line for line in lines)
        await pilot.press("p")
        await settle(pilot)
        assert "拜访 · 1 次" in screen_text(app)


async def test_a_complaint_added_and_walked_to_its_solution(book) -> None:
    from workbench.services import complaints

    ids = small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await open_visits(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert "没有投诉" in screen_text(app)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AddComplaintDialog)
        await pilot.press(*"wxm")
        await settle(pilot)
        assert "王小明" in screen_text(app)
        await pilot.press("enter", *"到账慢", "enter")
        await settle(pilot)
        complaint = Complaint.get()
        assert (complaint.client_id, complaint.text, complaint.step) == (ids["王小明"], "到账慢", "安抚")
        assert "投诉 · 1 件（处理中 1）" in screen_text(app) and "安抚" in screen_text(app)
        await pilot.press("enter")  # 安抚, with what was done
        await settle(pilot)
        assert isinstance(app.screen, StepDialog) and "安抚：先让客户平静下来" in screen_text(app)
        await pilot.press(*"致歉", "enter")
        await settle(pilot)
        assert Complaint.get().step == "接受" and "接受" in screen_text(app)
        for _step in ("接受", "判定", "确定部门"):  # done on other days
            complaints.complete_step(complaint.id)
        await pilot.press("f5", "s")  # 解决方案 resolves it
        await settle(pilot)
        assert isinstance(app.screen, StepDialog) and "完成「解决方案」" in screen_text(app)
        await pilot.press(*"加急", "enter")
        await settle(pilot)
        complaint = Complaint.get()
        assert complaint.resolved_at == TODAY and complaint.step == "分析原因"
        text = screen_text(app)
        assert "✓分析原因" in text and "已解决" in text and "加急" in text  # the steps done, under the list


async def test_the_cause_is_required_and_filed_as_a_lesson(book) -> None:
    from workbench.services import complaints

    ids = small_book()
    complaint_id = complaints.add(ids["王小明"], "到账慢").id
    for note in ("致歉", "", "", "", "加急"):
        complaints.complete_step(complaint_id, note)
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_visits(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("l")  # no cause yet
        await settle(pilot)
        assert "先完成「分析原因」" in screen_text(app)
        await pilot.press("s", "enter")
        await settle(pilot)
        assert isinstance(app.screen, StepDialog) and "分析原因必须写下原因" in screen_text(app)
        await pilot.press(*"在意时效", "enter")
        await settle(pilot)
        assert "六步已完成" in screen_text(app)
        await pilot.press("l")
        await settle(pilot)
        assert "原因已记为教训" in screen_text(app)
    lesson = Note.get(Note.kind == "lesson")
    assert lesson.cause == "在意时效" and "加急" in (lesson.action or "")


async def test_visits_in_english(book) -> None:
    set_lang("en")
    ids = small_book()
    visits.start_visit(ids["王小明"])
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await open_visits(pilot)
        text = screen_text(app)
        assert "Visits · 1 (1 open)" in text and "Preparing" in text and "p Pipeline" in text
        await open_wizard(pilot)
        text = screen_text(app)
        assert "1 Prepare" in text and "2 Visit" in text and "3 Wrap-up" in text and "Goal" in text
        await pilot.press("ctrl+right", "ctrl+right")
        await settle(pilot)
        assert "Succeeded  Partly  Failed  Postponed" in screen_text(app)
