"""The quick note (n), the journal pane (key 4) and search (/) at 80×24, driven as a manager would: jot a note
from any pane with @-completion, come back to a draft, sort the inbox (link, follow up, file a lesson,
archive), read the week, find a word. Screen and book are both checked."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.test_tui_books import SIZE, TODAY, add_client, refresh, screen_text, settle, small_book
from workbench.i18n import set_lang
from workbench.services import capture, planner
from workbench.store.models import FollowUp, Note, NoteClient, NoteTag
from workbench.tui.app import WorkbenchApp
from workbench.tui.capture import CaptureScreen, NoteInput
from workbench.tui.client360 import Client360Screen
from workbench.tui.journal import JournalPane
from workbench.tui.journal_dialogs import FollowUpDialog, LessonDialog, LinkDialog, ReaderScreen, StageChoice
from workbench.tui.search import HitList, SearchScreen

pytestmark = pytest.mark.usefixtures("chinese")


def jot(book, text: str) -> int:
    """A note captured the way `wb note` and `n` do; its id."""
    saved = capture.capture(text, target=book.target, source="cli")
    assert saved.note_id is not None
    return saved.note_id


async def open_journal(pilot) -> JournalPane:
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    return pilot.app.query_one(JournalPane)


def inbox_ids(pane: JournalPane) -> list[int]:
    assert pane.data is not None and pane.data.view == "inbox"
    return [n.id for n in pane.data.notes]


async def select(pilot, pane: JournalPane, note_id: int) -> None:
    pane.table.move_cursor(row=inbox_ids(pane).index(note_id))
    await settle(pilot)


# --- the quick note ----------------------------------------------------------------------------------------


async def test_n_from_the_portfolio_completes_names_and_saves(book) -> None:
    ids = small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "n 记笔记" in screen_text(app)  # in the footer
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, CaptureScreen)
        box = app.screen.query_one(NoteInput)
        await pilot.press("@", "w")
        await settle(pilot)
        text = screen_text(app)
        assert "王芳" in text and "王小明" in text  # wang…: both, the shorter name first
        await pilot.press("down", "down", "enter")  # choose the second, Enter takes it
        assert box.value == "@王小明 "
        await pilot.press("backspace", *"和@zw")  # initials of 张伟明; Tab takes the first
        await settle(pilot)
        assert "张伟明" in screen_text(app)
        await pilot.press("tab")
        assert box.value == "@王小明和@张伟明 "
        await pilot.press(*"约4号 q #理财", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, CaptureScreen)
        assert app.pane == "portfolio"  # "4" and "q" were text, not keys
        note = Note.get()
        assert note.text == "@王小明和@张伟明 约4号 q #理财" and note.source == "tui"
        linked = {nc.client_id for nc in NoteClient.select().where(NoteClient.note == note.id, NoteClient.resolved)}
        assert linked == {ids["王小明"], ids["张伟明"]}
        assert note.status == "filed"
        text = screen_text(app)
        assert f"已保存笔记 #{note.id}" in text and "@王小明 → 王小明" in text


async def test_escape_keeps_the_draft_and_enter_puts_the_note_in_the_inbox(book) -> None:
    small_book()
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_journal(pilot)
        assert "收件箱是空的" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"理财收益低")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, CaptureScreen)
        assert Note.select().count() == 0
        await pilot.press("n")
        await settle(pilot)
        box = app.screen.query_one(NoteInput)
        assert box.value == "理财收益低" and box.cursor_position == len(box.value)
        await pilot.press(*" 回访 @马哥", "enter")
        await settle(pilot)
        note = Note.get()
        assert (note.text, note.status) == ("理财收益低 回访 @马哥", "inbox")
        assert app.note_draft == ""
        assert inbox_ids(pane) == [note.id]
        text = screen_text(app)
        assert "理财收益低 回访" in text and "⚠@马哥" in text and "收件箱 · 1 条待整理" in text
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.query_one(NoteInput).value == ""  # saved: the draft is gone


async def test_a_note_that_cannot_be_written_is_spooled_and_said(book, monkeypatch) -> None:
    from workbench.errors import Locked

    def busy(_target: object) -> None:
        raise Locked("the book is busy")

    monkeypatch.setattr(capture, "_connect", busy)
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("escape")  # no demo book
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"不能丢的笔记", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, CaptureScreen)
        assert "笔记已暂存" in screen_text(app)
        assert list(capture.spool_dir(book.target).glob("note-*.json"))


# --- sorting the inbox ---------------------------------------------------------------------------------------


async def test_link_an_ambiguous_mention_to_the_right_client(book) -> None:
    small_book()
    other = add_client("李娜", aum=[300_000] * 6, client_no="C0099")
    refresh([other])
    note_id = jot(book, "见了@李娜 聊基金定投")
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        pane = await open_journal(pilot)
        assert "⚠@李娜" in screen_text(app)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, LinkDialog)
        text = screen_text(app)
        assert "确认 @李娜 是哪位客户" in text and "C0004" in text and "C0099" in text
        await pilot.press("down", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, LinkDialog)
        mention = NoteClient.get(NoteClient.note == note_id)
        assert (mention.client_id, mention.resolved) == (other, True)
        assert Note.get_by_id(note_id).status == "filed"
        assert inbox_ids(pane) == []
        assert "笔记已关联到 李娜（C0099）" in screen_text(app)


async def test_follow_up_with_a_date_for_the_linked_client_or_one_chosen(book) -> None:
    ids = small_book()
    linked = jot(book, "@王小明 和 @小马哥 吃饭，想了解养老规划")
    loose = jot(book, "有位客户说理财收益太低")
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_journal(pilot)
        await select(pilot, pane, linked)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FollowUpDialog)
        assert "跟进：王小明" in screen_text(app) and "+7" in screen_text(app)
        await pilot.press("ctrl+u", *"2026-12-01", "enter", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, FollowUpDialog)
        fu = FollowUp.get(FollowUp.note == linked)
        assert (fu.client_id, fu.due) == (ids["王小明"], dt.date(2026, 12, 1))
        assert fu.text == "@王小明 和 @小马哥 吃饭，想了解养老规划"  # the note's own text
        assert inbox_ids(pane) == [loose]  # the cursor stays on what is left

        await pilot.press("f")  # no client yet: the dialog asks which
        await settle(pilot)
        await pilot.press(*"wxm", "enter")
        await settle(pilot)
        await pilot.press("enter")  # +7
        await settle(pilot)
        await pilot.press("ctrl+u", *"回访", "enter")
        await settle(pilot)
        fu = FollowUp.get(FollowUp.note == loose)
        assert (fu.client_id, fu.due, fu.text) == (ids["王小明"], TODAY + dt.timedelta(days=7), "回访")
        assert inbox_ids(pane) == []


async def test_file_a_lesson_from_the_template_with_a_stage(book) -> None:
    small_book()
    note_id = jot(book, "@王小明 和 @小马哥：理财到期没提前提醒，客户转去他行")
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_journal(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LessonDialog)
        text = screen_text(app)
        assert "当时是什么情况？" in text and "下次我会怎么做？" in text
        assert "层级:黑金" in text and "产品:理财" in text  # the client's facets, filled in
        for answer in ("到期", "当天", "转走", "晚了", "提前"):
            await pilot.press(*answer, "enter")
        assert isinstance(app.focused, StageChoice)
        await pilot.press("right", "right", "right")
        assert "执行方案" in screen_text(app)
        await pilot.press("enter", "enter")  # to the facets, then save
        await settle(pilot)
        assert not isinstance(app.screen, LessonDialog)
        note = Note.get_by_id(note_id)
        assert (note.kind, note.status) == ("lesson", "filed")
        assert (note.situation, note.action, note.result, note.cause, note.next_time) == (
            "到期",
            "当天",
            "转走",
            "晚了",
            "提前",
        )
        tags = {t.tag for t in NoteTag.select().where(NoteTag.note == note_id)}
        assert {"stage:execute", "tier:black", "product:理财"} <= tags
        assert inbox_ids(pane) == []
        await pilot.press("L")
        await settle(pilot)
        text = screen_text(app)
        assert "经验教训 · 1 条" in text and "到期" in text and "执行方案" in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert "下次怎么做：提前" in screen_text(app)


async def test_a_lesson_needs_something_and_ctrl_s_saves(book) -> None:
    small_book()
    note_id = jot(book, "会议纪要")
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, LessonDialog) and "至少填一项" in screen_text(app)
        await pilot.press("tab", *"先问预算")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, LessonDialog)
        note = Note.get_by_id(note_id)
        assert (note.kind, note.situation, note.action) == ("lesson", None, "先问预算")


async def test_archive_and_the_weekly_review(book) -> None:
    ids = small_book()
    planner.log_contact(ids["王小明"], "phone", "约了下周见面")
    first = jot(book, "随手记：网点周六有活动")
    jot(book, "@小马哥 介绍了朋友")
    jot(book, "@王小明 #教训 到期前一周就该提醒")
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        pane = await open_journal(pilot)
        assert "收件箱 · 2 条待整理" in screen_text(app)
        await select(pilot, pane, first)
        await pilot.press("a")
        await settle(pilot)
        assert Note.get_by_id(first).status == "archived"
        assert "收件箱 · 1 条待整理" in screen_text(app)
        assert f"笔记 #{first} 已归档" in screen_text(app)
        await pilot.press("w")
        await settle(pilot)
        text = screen_text(app)
        assert "本周回顾 · 11-23 周一 至 11-29 周日" in text
        assert "已联系 1 次" in text
        assert "新增笔记      3 条" in text
        assert "新的教训      1 条" in text and "到期前一周就该提醒（王小明）" in text
        assert "超期未联系" in text and "收件箱待整理  1 条" in text
        await pilot.press("w")  # again: back to the inbox
        await settle(pilot)
        assert "收件箱 · 1 条待整理" in screen_text(app)


# --- search --------------------------------------------------------------------------------------------------


async def test_search_finds_a_two_character_word_and_highlights_it(book) -> None:
    ids = small_book()
    jot(book, "客户说理财收益太低【重要】")
    jot(book, "@王小明 想买基金")
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"理财")
        await settle(pilot, 0.3)
        text = screen_text(app)
        assert "客户说理财收益太低【重要】" in text  # brackets written in the note stay; the marks go
        assert "【理财】" not in text and "笔记" in text
        hits = app.screen.query_one(HitList)
        prompt = hits.get_option_at_index(0).prompt
        marked = [prompt.plain[s.start : s.end] for s in prompt.spans if s.style and "bold" in str(s.style)]
        assert "理财" in marked
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+u", *"王小明")
        await settle(pilot, 0.3)
        assert "[客户]" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Client360Screen) and app.screen.client_id == ids["王小明"]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, SearchScreen)


async def test_an_old_answer_never_replaces_a_newer_one(book) -> None:
    small_book()
    jot(book, "客户说理财收益太低")
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        await pilot.press("slash")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"理财")
        await settle(pilot, 0.3)
        assert screen.query_one(HitList).hits
        serial = screen._serial
        screen.post_message(SearchScreen.Found(serial - 1, "旧", ["旧"], []))  # late answer to an old query
        await settle(pilot)
        assert screen.query_one(HitList).hits and "客户说理财收益太低" in screen_text(app)


# --- text from the book is shown as text ------------------------------------------------------------------------


async def test_escape_sequences_and_markup_never_reach_the_screen_raw(book) -> None:
    small_book()
    Note.create(date=TODAY, text="警告\x1b[31m红字\x1b[0m 结束", source="import")
    jot(book, "[bold]粗体[/bold] 和 [link=http://x]链接[/link]")
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        text = screen_text(app)
        assert "\x1b" not in text and "␛[31m红字" in text
        assert "[bold]粗体[/bold]" in text
        await pilot.press("down", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert isinstance(app.screen, ReaderScreen)
        assert "\x1b" not in text and "␛[31m红字␛[0m 结束" in text


async def test_the_journal_in_english(book) -> None:
    set_lang("en")
    small_book()
    jot(book, "@小马哥 introduced a friend")
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        text = screen_text(app)
        assert "Inbox · 1 to sort" in text and "⚠@小马哥" in text
        assert "c Link" in text and "? Help" in text  # the footer fits at 80 columns (q is in the help)
        await pilot.press("l")
        await settle(pilot)
        text = screen_text(app)
        assert "What was the situation?" in text and "Next time" in text


async def test_the_palette_reaches_the_journal_and_the_help_lists_it(book) -> None:
    small_book()
    jot(book, "@王小明 #教训 到期前一周就该提醒")
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"本周回顾")
        await settle(pilot, 0.3)
        assert "日志：本周回顾" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.pane == "journal" and app.query_one(JournalPane).view == "review"
        assert "新的教训      1 条" in screen_text(app)
        titles = [title for title, _bindings in app.help_sections()]
        assert {"日志", "记笔记（n）", "整理笔记的对话框", "全文搜索（日志页 /）"} <= set(titles)


async def test_numbers_in_a_note_are_masked_in_the_list(book) -> None:
    small_book()
    jot(book, "客户手机 13812345678 身份证 330106199001011234")
    app = WorkbenchApp(book)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        text = screen_text(app)
        assert "138****5678" in text and "13812345678" not in text and "330106199001011234" not in text
        await pilot.press("enter")  # the note itself, opened on purpose, as written
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen) and "13812345678" in screen_text(app)
    assert Note.get(Note.text.contains("138")).text.startswith("客户手机 13812345678")  # the note as written
