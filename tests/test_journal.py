"""The journal service: inbox triage (link, follow-up, lesson, archive), lessons tagged by client, tier, industry,
product and stage, the weekly review, and @-completion. Notes come in through quick capture, as in use.
Today is 2026-11-23, a Monday (conftest)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from workbench.errors import BadInput, NotFound
from workbench.services import capture, figures, journal, planner, search
from workbench.store.db import transaction
from workbench.store.models import Balance, Client, Contact, FollowUp, Holding, Note, NoteClient, NoteTag

BACKENDS = ("sqlite", "postgresql")

D = dt.date
TODAY = D(2026, 11, 23)


@pytest.fixture
def people(book) -> dict[str, int]:
    """王小明 (black, seen last Friday, holds 理财) and 王晓明 share their pinyin; 张伟明 was last seen in January
    2025 (overdue); 陈静 and 李娜 were never contacted; 杭州未来科技 is a software company."""
    ids: dict[str, int] = {}
    with transaction():
        for no, name in (
            ("C0001", "王小明"),
            ("C0002", "王晓明"),
            ("C0003", "张伟明"),
            ("C0004", "陈静"),
            ("C0005", "李娜"),
        ):
            ids[name] = Client.create(client_no=no, name=name).id
        ids["杭州未来科技"] = Client.create(
            client_no="E0001", name="杭州未来科技", kind="corporate", industry=" 软件 "
        ).id
        Balance.create(client=ids["王小明"], month=D(2026, 10, 1), aum=Decimal(12_000_000), deposits=0)
        Holding.create(client=ids["王小明"], product="稳健理财90天", product_type="理财", amount=Decimal(1_000_000))
        Holding.create(client=ids["王小明"], product="大额存单", product_type="大额存单", amount=Decimal(500_000))
        Contact.create(client=ids["王小明"], date=D(2026, 11, 20), channel="phone", outcome="问候")
        Contact.create(client=ids["张伟明"], date=D(2025, 1, 1), channel="phone", outcome="很久以前")
        figures.refresh()
    return ids


@pytest.fixture
def note(target: str):
    def run(text: str, day: dt.date | None = None) -> int:
        saved = capture.capture(text, target=target, day=day)
        assert saved.note_id is not None
        return saved.note_id

    return run


def status(note_id: int) -> str:
    return Note.get_by_id(note_id).status


# --- link ----------------------------------------------------------------------------------------------------


def test_link_settles_an_ambiguous_mention_and_files_the_note(people, note, target: str) -> None:
    a = note("@wxm 来电说下周到期")
    row = journal.get(a)
    assert (row.status, row.clients, row.unresolved) == ("inbox", (), ("@wxm",))
    assert [r.id for r in journal.inbox()] == [a]
    row = journal.link(a, people["王小明"])
    assert row.status == "filed"
    assert row.clients == ((people["王小明"], "王小明"),) and row.unresolved == ()
    assert journal.inbox() == [] and journal.count_inbox() == 0
    assert [(r.client_id, r.mention, r.resolved) for r in NoteClient.select()] == [(people["王小明"], "@wxm", True)]
    (hit,) = search.search("到期", target=target)
    assert (hit.kind, hit.id, hit.client) == ("note", a, "王小明")  # search shows whom it is about now


def test_link_settles_the_named_mention_and_files_when_none_is_left(people, note) -> None:
    a = note("@wxm 和 @赵六 一起来的")
    row = journal.link(a, people["陈静"], mention="@赵六")
    assert row.status == "inbox" and row.unresolved == ("@wxm",)
    assert row.clients == ((people["陈静"], "陈静"),)
    row = journal.link(a, people["王晓明"])
    assert row.status == "filed" and row.unresolved == ()
    assert set(row.clients) == {(people["陈静"], "陈静"), (people["王晓明"], "王晓明")}


def test_link_a_note_without_mentions_once(people, note) -> None:
    a = note("下午去网点")
    journal.link(a, people["李娜"])
    row = journal.link(a, people["李娜"])
    assert row.status == "filed" and row.clients == ((people["李娜"], "李娜"),)
    assert NoteClient.select().count() == 1


def test_link_refuses_an_unknown_client_or_note(people, note) -> None:
    a = note("@wxm 来电")
    with pytest.raises(NotFound):
        journal.link(a, 999)
    with pytest.raises(NotFound):
        journal.link(999, people["王小明"])
    assert journal.get(a).unresolved == ("@wxm",) and status(a) == "inbox"
    with pytest.raises(NotFound):
        journal.get(999)


# --- follow-ups ----------------------------------------------------------------------------------------------


def test_a_follow_up_needs_a_linked_client(people, note) -> None:
    a = note("@wxm 想要理财到期提醒")
    with pytest.raises(BadInput, match="client"):
        journal.follow_up(a, D(2026, 11, 25))
    assert FollowUp.select().count() == 0 and status(a) == "inbox"


def test_a_follow_up_enters_the_plan_on_its_due_day(people, note) -> None:
    a = note("@wxm 想要理财到期提醒")
    journal.link(a, people["王小明"])
    fu_id = journal.follow_up(a, D(2026, 11, 25))
    fu = FollowUp.get_by_id(fu_id)
    assert (fu.client_id, fu.note_id, str(fu.due)) == (people["王小明"], a, "2026-11-25")
    assert fu.text == "@wxm 想要理财到期提醒"  # the note's text unless told otherwise
    assert journal.get(a).follow_ups == 1

    def reasons(day: dt.date) -> list[str]:
        rows = {r.client_no: r for r in planner.today_plan(day).items}
        return [x.kind for x in rows["C0001"].reasons] if "C0001" in rows else []

    assert "follow_up" not in reasons(TODAY)  # seen on Friday: nothing else brings 王小明 up this week
    assert "follow_up" in reasons(D(2026, 11, 25))


def test_a_follow_up_for_a_named_client_files_an_inbox_note(people, note) -> None:
    a = note("@赵六 说让他表哥陈静下周办")
    fu_id = journal.follow_up(a, D(2026, 11, 30), text="  给陈静打电话\x1b[31m ", client_id=people["陈静"])
    fu = FollowUp.get_by_id(fu_id)
    assert fu.client_id == people["陈静"] and fu.text == "给陈静打电话[31m"
    assert status(a) == "filed"
    with pytest.raises(BadInput):
        journal.follow_up(a, D(2026, 11, 30), text=" \n ", client_id=people["陈静"])


# --- lessons -------------------------------------------------------------------------------------------------


def test_make_lesson_files_the_template_with_its_facets(people, note) -> None:
    a = note("拜访王小明，理财续期没谈成")
    facets = journal.suggested_facets(people["王小明"])
    assert facets == [("tier", "black"), ("product", "大额存单"), ("product", "理财")]
    assert journal.suggested_facets(people["杭州未来科技"]) == [("tier", "standard"), ("industry", "软件")]
    row = journal.make_lesson(
        a,
        {"situation": "客户嫌收益低", "action": "只讲了收益", "cause": "没先问期限", "next_time": "先问资金用途"},
        [*facets, ("stage", "follow_up")],
        client_id=people["王小明"],
    )
    assert (row.kind, row.status) == ("lesson", "filed")
    assert row.text == "拜访王小明，理财续期没谈成"
    assert row.lesson == {
        "situation": "客户嫌收益低",
        "action": "只讲了收益",
        "result": None,
        "cause": "没先问期限",
        "next_time": "先问资金用途",
    }
    assert set(row.tags) == {"tier:black", "product:大额存单", "product:理财", "stage:follow_up"}
    assert row.clients == ((people["王小明"], "王小明"),)
    assert [r.id for r in journal.lessons(tag="stage:follow_up")] == [a]
    assert [r.id for r in journal.lessons(tag="product:理财")] == [a]
    assert journal.lessons(tag="stage:plan") == []
    assert journal.count_inbox() == 0
    again = journal.make_lesson(a, {"result": "客户转去他行"}, [("stage", "follow_up")], client_id=people["王小明"])
    assert again.lesson["result"] == "客户转去他行" and again.lesson["situation"] == "客户嫌收益低"
    assert NoteTag.select().where(NoteTag.note == a).count() == 4 and NoteClient.select().count() == 1


@pytest.mark.parametrize(
    ("fields", "facets", "message"),
    [
        ({"feeling": "很累"}, [], "feeling"),
        ({"situation": "  ", "action": "\x07"}, [], "lesson"),
        ({}, [], "lesson"),
        ({"situation": "客户嫌收益低"}, [("stage", "closing")], "closing"),
        ({"situation": "客户嫌收益低"}, [("color", "red")], "color"),
        ({"situation": "客户嫌收益低"}, [("industry", "  ")], "industry"),
    ],
)
def test_make_lesson_validates_fields_and_facets(people, note, fields, facets, message) -> None:
    a = note("@陈静 没谈成")
    with pytest.raises(BadInput, match=message):
        journal.make_lesson(a, fields, facets)
    n = Note.get_by_id(a)
    assert (n.kind, n.status, n.situation) == ("note", "filed", None)
    assert NoteTag.select().count() == 0


def test_make_lesson_cleans_and_bounds_its_fields(people, note) -> None:
    a = note("记一下")
    row = journal.make_lesson(a, {"situation": " \x1b[2J情况\x07 ", "next_time": "下" * 6_000})
    assert row.lesson["situation"] == "[2J情况"
    assert len(row.lesson["next_time"]) == journal.MAX_FIELD
    with pytest.raises(NotFound):
        journal.make_lesson(999, {"situation": "x"})


def test_a_captured_lesson_lists_with_the_lessons(people, note) -> None:
    a = note("#教训 @王小明 先讲风险", day=D(2026, 11, 20))
    b = note("#lesson 提前确认时间")
    note("普通笔记")
    assert [r.id for r in journal.lessons()] == [b, a]
    assert [r.id for r in journal.lessons(tag="教训")] == [a]


# --- archive, edit -------------------------------------------------------------------------------------------


def test_archive_takes_a_note_out_of_the_inbox(people, note) -> None:
    a = note("@赵六 不知道是谁")
    b = note("@wxm 也不知道是哪个")
    assert journal.count_inbox() == 2
    assert journal.archive(a).status == "archived"
    assert [r.id for r in journal.inbox()] == [b] and journal.count_inbox() == 1
    with pytest.raises(NotFound):
        journal.archive(999)


def test_edit_text_checks_what_it_keeps(people, note) -> None:
    a = note("原文")
    assert journal.edit_text(a, " \x1b[1m改过\x07 ").text == "[1m改过"
    for bad in ("", " \n\t", "\x1b"):
        with pytest.raises(BadInput):
            journal.edit_text(a, bad)
    with pytest.raises(BadInput, match="100,000"):
        journal.edit_text(a, "字" * 100_001)
    assert Note.get_by_id(a).text == "[1m改过"


# --- the week ------------------------------------------------------------------------------------------------


def test_week_review_counts_the_week_so_far(people, note, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_TODAY", "2026-11-26")  # Thursday
    planner.log_contact(people["陈静"], "phone", "周一问候", day=D(2026, 11, 23))
    planner.log_contact(people["陈静"], "visit", "周三上门", day=D(2026, 11, 25))
    old = note("#教训 上周的", day=D(2026, 11, 20))
    new = note("#教训 @王小明 先讲风险", day=D(2026, 11, 24))
    note("@赵六 待整理")
    done = note("@wxm 已归档")
    journal.archive(done)
    review = journal.week_review()
    assert (review.start, review.end) == (D(2026, 11, 23), D(2026, 11, 29))
    assert review.contacts_made == 2  # 王小明's call last Friday is last week's
    assert review.contacts_planned == 10 * 4  # the daily capacity, Monday to Thursday
    assert [r.id for r in review.new_lessons] == [new] and old not in [r.id for r in review.new_lessons]
    assert review.notes_added == 3
    assert review.overdue_clients == 1  # 张伟明
    assert review.inbox == 1
    monday = journal.week_review(D(2026, 11, 23))
    assert (monday.contacts_made, monday.contacts_planned) == (1, 10)


# --- completing @names ---------------------------------------------------------------------------------------


def test_complete_mention_by_name_pinyin_and_initials(people) -> None:
    assert [name for _, name, _ in journal.complete_mention("wx")] == ["王小明", "王晓明"]
    assert [name for _, name, _ in journal.complete_mention("王")][:2] == ["王小明", "王晓明"]
    assert [(no, name) for _, name, no in journal.complete_mention("zhangw")] == [("C0003", "张伟明")]
    assert journal.complete_mention("") == [] and journal.complete_mention("qqq") == []
    assert len(journal.complete_mention("w", limit=1)) == 1
