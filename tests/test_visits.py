"""Visits (DOMAIN.md §4–6): fields saved as typed, stages, a visit closed half-way resumes, and what finishing
means for the book (a contact, follow-ups in the plan, the agreed next contact, the lesson, confirmed profile
answers); amendments, the visit list and the sales pipeline; bad values refused.
Today is 2026-11-23, a Monday (conftest)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from workbench.errors import BadInput, Conflict, NotFound
from workbench.services import brief, figures, journal, planner, search, visits
from workbench.store.db import open_database, transaction
from workbench.store.models import Balance, Client, Contact, DecisionMaker, FollowUp, Note, NoteClient, NoteTag, Visit

BACKENDS = ("sqlite", "postgresql")

D = dt.date
TODAY = D(2026, 11, 23)


def add_client(no: str, name: str, aum: int, **profile: object) -> int:
    c = Client.create(client_no=no, name=name, **profile)
    Balance.create(client=c, month=D(2026, 10, 1), aum=Decimal(aum), deposits=Decimal(aum) / 4)
    return c.id


@pytest.fixture
def people(book) -> dict[str, int]:
    """王芳 (platinum, a teacher's industry 教育, last called on 1 November), 陈静 (gold, also 教育), 赵强
    (standard) and 杭州未来科技 (a software company with no decision maker recorded)."""
    with transaction():
        ids = {
            "王芳": add_client("C001", "王芳", 2_000_000, industry="教育"),
            "陈静": add_client("C002", "陈静", 300_000, industry="教育"),
            "赵强": add_client("C003", "赵强", 50_000),
            "杭州未来科技": add_client("E001", "杭州未来科技", 800_000, kind="corporate", industry=" 软件 "),
        }
        Contact.create(client=ids["王芳"], date=D(2026, 11, 1), channel="phone", outcome="问候")
        figures.refresh(today=TODAY)
    return ids


def counts() -> tuple[int, int, int, int]:
    return Contact.select().count(), FollowUp.select().count(), Note.select().count(), NoteTag.select().count()


def finished_visit(cid: int, **fields: object) -> visits.VisitView:
    v = visits.start_visit(cid)
    visits.save(v.id, **{"outcome": "succeeded", **fields})
    return visits.finish(v.id)


# --- starting and saving -------------------------------------------------------------------------------------


def test_start_a_visit_once_a_day(people) -> None:
    first = visits.start_visit(people["王芳"], reasons=[" 大额存单到期 \x1b", "生日"])
    assert (first.client_id, first.name, first.date, first.created) == (people["王芳"], "王芳", TODAY, True)
    again = visits.start_visit(people["王芳"])
    assert (again.id, again.created) == (first.id, False)
    view = visits.get(first.id)
    assert (view.stage, view.outcome, view.finished, view.amendments) == ("before", None, False, [])
    assert view.data == {"planned_because": ["大额存单到期", "生日"]}
    tomorrow = visits.start_visit(people["王芳"], day=TODAY + dt.timedelta(days=1))
    assert tomorrow.created and tomorrow.id != first.id
    with pytest.raises(NotFound):
        visits.start_visit(999_999)
    for call in (visits.get, visits.finish, lambda i: visits.save(i, goal="x"), lambda i: visits.set_stage(i, "after")):
        with pytest.raises(NotFound):
            call(999_999)


def test_every_field_is_saved_as_typed(people) -> None:
    v = visits.start_visit(people["王芳"])
    typed = {
        "goal": "  谈大额存单续作\x07 ",
        "questions": ["资金什么时候用？", "  ", "家里谁做主？"],
        "materials": "产品说明书、礼品",
        "observe": "办公室很整洁",
        "listen": "提到女儿明年出国",
        "answers": {0: {"answer": "明年六月", "status": "answered"}, "1": {"status": "skipped"}},
        "gap_answers": {"occupation": {"answer": "中学教师", "confirmed": True}, "employer": {"answer": "二中"}},
        "confirm": [{"need": "留学资金", "kind": "need", "agreed": True}, {"need": "高收益", "kind": "wish"}],
        "outcome": "partly",
        "why": "收益率比他行低",
        "needs_found": "留学换汇、教育金",
        "follow_ups": [{"text": "寄资料", "due": "2026/11/26"}, {"text": "约下次", "due": D(2026, 12, 1)}],
        "opportunities": [{"product": "大额存单", "stage": "execute"}, {"product": "教育金保险"}],
        "next_contact": "2026年12月3日",
        "lesson": {"situation": "客户比较收益", "next_time": "先问用途"},
    }
    assert set(typed) == set(visits.FIELDS)
    stored = {
        "goal": "谈大额存单续作",
        "questions": ["资金什么时候用？", "家里谁做主？"],
        "materials": "产品说明书、礼品",
        "observe": "办公室很整洁",
        "listen": "提到女儿明年出国",
        "answers": {"0": {"answer": "明年六月", "status": "answered"}, "1": {"answer": "", "status": "skipped"}},
        "gap_answers": {
            "occupation": {"answer": "中学教师", "confirmed": True},
            "employer": {"answer": "二中", "confirmed": False},
        },
        "confirm": [
            {"need": "留学资金", "kind": "need", "agreed": True},
            {"need": "高收益", "kind": "wish", "agreed": False},
        ],
        "outcome": "partly",
        "why": "收益率比他行低",
        "needs_found": "留学换汇、教育金",
        "follow_ups": [{"text": "寄资料", "due": "2026-11-26"}, {"text": "约下次", "due": "2026-12-01"}],
        "opportunities": [{"product": "大额存单", "stage": "execute"}, {"product": "教育金保险", "stage": "assess"}],
        "next_contact": "2026-12-03",
        "lesson": {"situation": "客户比较收益", "next_time": "先问用途"},
    }
    for key, value in typed.items():  # one field at a time, as the manager types
        view = visits.save(v.id, **{key: value})
        assert view.data[key] == stored[key], key
    view = visits.get(v.id)
    assert view.data == {"planned_because": [], **stored}
    assert view.outcome == "partly" and not view.finished
    row = Visit.get_by_id(v.id)
    assert (row.goal, row.outcome) == ("谈大额存单续作", "partly")
    assert counts() == (1, 0, 0, 0)  # saving writes nothing but the visit


def test_stages_and_a_visit_closed_half_way_resumes_exactly(people, book, target: str) -> None:
    v = visits.start_visit(people["王芳"])
    assert visits.set_stage(v.id, "during").stage == "during"
    visits.save(v.id, goal="谈续作", questions=["什么时候用钱？"], observe="心情不错")
    visits.save(v.id, answers={0: {"answer": "明年"}}, confirm=[{"need": "流动性", "agreed": True}])
    before = visits.get(v.id)
    book.close()  # the manager closes the app half-way through the visit
    reopened = open_database(target)
    try:
        after = visits.get(v.id)
        assert after == before
        assert after.stage == "during" and after.data["observe"] == "心情不错"
        assert after.data["answers"] == {"0": {"answer": "明年", "status": "answered"}}
        assert visits.set_stage(v.id, "after").stage == "after"
        assert visits.set_stage(v.id, "before").stage == "before"  # going back is allowed
        for stage in ("done", "closing", ""):
            with pytest.raises(BadInput, match="stage"):
                visits.set_stage(v.id, stage)
        assert visits.get(v.id).stage == "before"
    finally:
        reopened.close()


# --- finishing -----------------------------------------------------------------------------------------------


def test_finish_records_a_visit_contact_that_restarts_the_cadence(people) -> None:
    cid = people["王芳"]
    assert Client.get_by_id(cid).next_due == D(2026, 11, 1) + dt.timedelta(days=45)  # platinum: every 45 days
    view = finished_visit(cid, goal="谈续作", why="客户满意", needs_found="教育金")
    assert (view.stage, view.outcome, view.finished) == ("done", "succeeded", True)
    contact = Contact.select().order_by(Contact.id.desc()).first()
    assert (contact.client_id, contact.date, contact.channel) == (cid, TODAY, "visit")
    assert contact.outcome == "拜访成功；目标：谈续作；原因：客户满意；需求：教育金"
    c = Client.get_by_id(cid)
    assert c.last_contact == TODAY and c.next_due == TODAY + dt.timedelta(days=45)
    assert counts()[1:] == (0, 0, 0)  # no follow-ups, no lesson asked for


def test_finish_follow_ups_appear_in_the_plan_on_their_day(people) -> None:
    cid = people["赵强"]
    v = finished_visit(
        cid, follow_ups=[{"text": "寄理财资料", "due": "2026-11-26"}, {"text": "回访", "due": "2026-12-01"}]
    )
    rows = [(f.client_id, f.due, f.text, f.visit_id) for f in FollowUp.select().order_by(FollowUp.due)]
    assert rows == [(cid, D(2026, 11, 26), "寄理财资料", v.id), (cid, D(2026, 12, 1), "回访", v.id)]

    def reasons(day: dt.date) -> list[tuple[str, str]]:
        rows = {r.client_id: r for r in planner.today_plan(day).items}
        return [(x.kind, x.zh) for x in rows[cid].reasons] if cid in rows else []

    assert not any(kind == "follow_up" for kind, _ in reasons(D(2026, 11, 25)))
    assert ("follow_up", "跟进：寄理财资料（今天到期）") in reasons(D(2026, 11, 26))
    assert ("follow_up", "跟进：回访（今天到期）") in reasons(D(2026, 12, 1))
    assert ("follow_up", "跟进：寄理财资料（已过期 5 天）") in reasons(D(2026, 12, 1))


def test_finish_sets_the_agreed_next_contact_over_the_cadence(people) -> None:
    cid = people["王芳"]
    finished_visit(cid, next_contact="2026-12-03")
    c = Client.get_by_id(cid)
    assert c.next_contact == D(2026, 12, 3) == c.next_due  # not 45 days on
    assert cid not in {r.client_id for r in planner.today_plan(D(2026, 12, 2)).items}
    row = {r.client_id: r for r in planner.today_plan(D(2026, 12, 3)).items}[cid]
    assert row.reasons[0].zh == "约定今天联系（上次联系 11月23日）"


@pytest.mark.parametrize("day", ["2026-11-23", "2026-11-01"])
def test_a_next_contact_not_after_the_visit_is_refused(people, day: str) -> None:
    cid = people["王芳"]
    before = counts()
    with pytest.raises(BadInput, match="next_contact"):
        finished_visit(cid, next_contact=day)
    assert counts() == before and Client.get_by_id(cid).next_contact is None


def test_finish_files_the_lesson_tagged_linked_and_searchable(people, target: str) -> None:
    cid = people["王芳"]
    v = finished_visit(
        cid,
        outcome="failed",
        why="收益率比他行低",
        opportunities=[{"product": "大额存单", "stage": "execute"}, {"product": "基金定投", "stage": "assess"}],
        lesson={
            "situation": "客户拿他行利率比较",
            "cause": "没先问资金用途",
            "next_time": "先问用途再报价",
            "action": "",
        },
    )
    note = Note.get(Note.visit == v.id)
    assert (note.kind, note.status, note.source, note.date) == ("lesson", "filed", "visit", TODAY)
    assert note.text == "拜访 王芳：客户拿他行利率比较"
    assert (note.situation, note.cause, note.next_time, note.action, note.result) == (
        "客户拿他行利率比较",
        "没先问资金用途",
        "先问用途再报价",
        None,
        None,
    )
    tags = {t.tag for t in NoteTag.select().where(NoteTag.note == note.id)}
    assert tags == {"教训", "tier:platinum", "industry:教育", "stage:execute", "stage:assess"}
    assert [(r.client_id, r.resolved) for r in NoteClient.select().where(NoteClient.note == note.id)] == [(cid, True)]
    assert [r.id for r in journal.lessons(tag="stage:execute")] == [note.id]
    hits = [h for h in search.search("资金用途", target=target) if h.kind == "lesson"]
    assert [(h.id, h.client) for h in hits] == [(note.id, "王芳")]
    # the brief finds it: for 王芳 as her own, for 陈静 through the shared industry
    assert [(x.id, x.why) for x in brief.build(cid).lessons] == [(note.id, "client")]
    assert [(x.id, x.why) for x in brief.build(people["陈静"]).lessons] == [(note.id, "industry")]
    assert brief.build(people["赵强"]).lessons == []  # another tier, no industry


def test_a_company_lesson_is_tagged_with_its_trimmed_industry(people) -> None:
    v = finished_visit(people["杭州未来科技"], lesson={"result": "约到了财务总监"})
    note = Note.get(Note.visit == v.id)
    assert note.text == "拜访 杭州未来科技：约到了财务总监"
    assert {t.tag for t in NoteTag.select().where(NoteTag.note == note.id)} == {
        "教训",
        "tier:gold_plus",
        "industry:软件",
    }


def test_finish_applies_confirmed_gap_answers_only(people) -> None:
    cid = people["陈静"]
    asked = [g.field for g in brief.build(cid).gaps]
    assert {"occupation", "employer", "hobbies", "risk_profile"} <= set(asked)
    before = Client.get_by_id(cid).completeness
    finished_visit(
        cid,
        gap_answers={
            "occupation": {"answer": "会计师", "confirmed": True},
            "risk_profile": {"answer": "稳健", "confirmed": True},
            "employer": {"answer": "好像在四大", "confirmed": False},
            "hobbies": {"answer": "", "confirmed": True},
        },
    )
    c = Client.get_by_id(cid)
    assert (c.occupation, c.risk_profile, c.employer, c.hobbies) == ("会计师", "稳健", None, None)
    assert c.completeness > before
    after = [g.field for g in brief.build(cid).gaps]
    assert "occupation" not in after and "risk_profile" not in after
    assert "employer" in after and "hobbies" in after
    assert "固收类理财（风险偏好稳健）" in brief.build(cid).products


def test_a_confirmed_decision_maker_answer_finishes_the_visit(people) -> None:
    cid = people["杭州未来科技"]
    v = visits.start_visit(cid)
    visits.save(v.id, outcome="succeeded", gap_answers={"decision_makers": {"answer": "张总", "confirmed": True}})
    assert visits.finish(v.id).finished
    assert [d.name for d in DecisionMaker.select().where(DecisionMaker.client == cid)] == ["张总"]


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({}, "outcome"),
        ({"outcome": ""}, "outcome"),
        ({"outcome": "failed"}, "lesson"),
        ({"outcome": "failed", "lesson": {"situation": "  ", "cause": ""}}, "lesson"),
        ({"outcome": "succeeded", "follow_ups": [{"text": "寄资料"}]}, "寄资料"),
    ],
)
def test_finish_refuses_an_incomplete_visit_and_writes_nothing(people, fields: dict, says: str) -> None:
    cid = people["王芳"]
    v = visits.start_visit(cid)
    visits.save(v.id, goal="谈续作", next_contact="2026-12-03", **fields)
    before, client = counts(), Client.get_by_id(cid)
    with pytest.raises(BadInput, match=says):
        visits.finish(v.id)
    assert counts() == before
    after = Client.get_by_id(cid)
    assert (after.last_contact, after.next_due, after.next_contact) == (
        client.last_contact,
        client.next_due,
        client.next_contact,
    )
    view = visits.get(v.id)
    assert not view.finished and view.stage == "before"
    visits.save(v.id, outcome="postponed", lesson={"situation": "客户临时出差"}, follow_ups=[])
    assert visits.finish(v.id).finished  # once complete it finishes


# --- after finishing -----------------------------------------------------------------------------------------


def test_a_finished_visit_is_read_only_and_amendments_are_recorded(people) -> None:
    cid = people["王芳"]
    v = finished_visit(cid, why="客户满意", goal="谈续作")
    contacts = counts()
    with pytest.raises(Conflict):
        visits.save(v.id, why="改一下")
    with pytest.raises(Conflict):
        visits.set_stage(v.id, "after")
    with pytest.raises(Conflict):
        visits.finish(v.id)
    assert counts() == contacts
    amended = visits.amend(v.id, why="其实是看在老关系上", needs_found="教育金")
    assert amended.data["why"] == "其实是看在老关系上" and amended.data["needs_found"] == "教育金"
    assert [(a["field"], a["old"], a["new"]) for a in amended.amendments] == [
        ("why", "客户满意", "其实是看在老关系上"),
        ("needs_found", None, "教育金"),
    ]
    for a in amended.amendments:
        assert set(a) == {"at", "field", "old", "new"}
        assert dt.datetime.fromisoformat(str(a["at"]))
    again = visits.amend(v.id, why="再改")
    assert [a["old"] for a in again.amendments] == ["客户满意", None, "其实是看在老关系上"]
    assert "amendments" not in again.data and again.stage == "done"
    with pytest.raises(BadInput):
        visits.amend(v.id, outcome="great")
    assert len(visits.get(v.id).amendments) == 3
    open_visit = visits.start_visit(people["赵强"])
    with pytest.raises(Conflict):
        visits.amend(open_visit.id, why="x")


def test_amending_the_outcome_and_goal_shows_everywhere(people) -> None:
    v = finished_visit(people["王芳"], goal="谈续作")
    view = visits.amend(v.id, outcome="partly", goal="谈续作和基金")
    assert view.data["outcome"] == "partly" and view.outcome == "partly"
    row = next(r for r in visits.list_visits() if r.id == v.id)
    assert (row.outcome, row.goal) == ("partly", "谈续作和基金")


# --- lists ---------------------------------------------------------------------------------------------------


def test_list_visits_puts_unfinished_first(people) -> None:
    def started(name: str, day: dt.date, goal: str) -> int:
        v = visits.start_visit(people[name], day=day)
        visits.save(v.id, goal=goal, outcome="succeeded")
        return v.id

    old_open = started("王芳", D(2026, 11, 10), "旧的没写完")
    done_early = started("赵强", D(2026, 11, 5), "早完成")
    new_open = started("陈静", D(2026, 11, 20), "新的没写完")
    done_late = started("王芳", D(2026, 11, 18), "晚完成")
    visits.finish(done_early)
    visits.finish(done_late)
    rows = visits.list_visits()
    assert [r.id for r in rows] == [old_open, new_open, done_late, done_early]
    assert [(r.client, r.stage, r.goal) for r in rows] == [
        ("王芳", "before", "旧的没写完"),
        ("陈静", "before", "新的没写完"),
        ("王芳", "done", "晚完成"),
        ("赵强", "done", "早完成"),
    ]
    assert [r.id for r in visits.list_visits(limit=3)] == [old_open, new_open, done_late]


def test_pipeline_groups_opportunities_by_the_latest_stage(people) -> None:
    def visit(name: str, day: dt.date, *opportunities: tuple[str, str]) -> None:
        v = visits.start_visit(people[name], day=day)
        visits.save(v.id, opportunities=[{"product": p, "stage": s} for p, s in opportunities])

    visit("王芳", D(2026, 11, 2), ("大额存单", "plan"), ("基金定投", "assess"))
    visit("王芳", D(2026, 11, 20), ("大额存单", "execute"))  # later: 大额存单 moves on, 基金定投 stays
    visit("陈静", D(2026, 11, 10), ("大额存单", "follow_up"))
    visit("陈静", D(2026, 11, 5), ("大额存单", "assess"))  # earlier day, started later: not the latest
    visit("赵强", D(2026, 11, 15))  # no opportunities
    got = visits.pipeline()
    assert list(got) == ["plan", "assess", "execute", "follow_up", "celebrate"]
    assert {k: sorted(v) for k, v in got.items()} == {
        "plan": [],
        "assess": [("王芳", "基金定投", D(2026, 11, 2))],
        "execute": [("王芳", "大额存单", D(2026, 11, 20))],
        "follow_up": [("陈静", "大额存单", D(2026, 11, 10))],
        "celebrate": [],
    }


# --- bad values ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "column"),
    [
        ({"outcome": "great"}, "outcome"),
        ({"outcome": ["failed"]}, "outcome"),
        ({"opportunities": [{"product": "理财", "stage": "closing"}]}, "opportunities"),
        ({"confirm": [{"need": "高收益", "kind": "desire"}]}, "confirm"),
        ({"next_contact": "2026-02-30"}, "next_contact"),
        ({"next_contact": "明天"}, "next_contact"),
        ({"follow_ups": [{"text": "寄资料", "due": "2026-13-01"}]}, "follow_ups"),
        ({"why": "字" * 6_000}, "why"),
        ({"goal": "字" * 5_001}, "goal"),
        ({"questions": ["问" * 6_000]}, "questions"),
        ({"lesson": {"situation": "况" * 6_000}}, "lesson"),
        ({"lesson": {"feeling": "累"}}, "lesson"),
        ({"answers": {"0": {"answer": "x", "status": "maybe"}}}, "answers"),
        ({"answers": {"first": {"answer": "x"}}}, "answers"),
        ({"gap_answers": {"colour": {"answer": "红"}}}, "gap_answers"),
        ({"follow_ups": "寄资料"}, "follow_ups"),
        ({"mood": "好"}, "mood"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(people, fields: dict, column: str) -> None:
    v = visits.start_visit(people["王芳"])
    visits.save(v.id, goal="谈续作")
    before = visits.get(v.id)
    with pytest.raises(BadInput, match=column) as caught:
        visits.save(v.id, **{"materials": "这句不该存下", **fields})
    assert "Traceback" not in str(caught.value) and "\n" not in str(caught.value)
    assert visits.get(v.id) == before
    assert visits.save(v.id, goal="x" * 5_000).data["goal"] == "x" * 5_000  # exactly the limit is fine


def test_a_bad_value_names_its_field_once(people) -> None:
    v = visits.start_visit(people["王芳"])
    with pytest.raises(BadInput) as caught:
        visits.save(v.id, outcome="great")
    assert str(caught.value) == "outcome: one of succeeded, partly, failed, postponed"
