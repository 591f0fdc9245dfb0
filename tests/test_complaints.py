"""Complaints (DOMAIN.md §6): six steps in order, each with its date — 安抚 接受 判定 确定部门 解决方案 分析原因;
resolving takes the client off the plan for it; the cause becomes a lesson. Through the service and through
`wb complaint` / `wb complaints`. Today is 2026-11-23, a Monday (conftest)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from workbench.errors import BadInput, Conflict, NotFound
from workbench.services import brief, complaints, figures, journal, planner, search
from workbench.store.db import transaction
from workbench.store.models import Balance, Client, Complaint, Contact, Note, NoteClient, NoteTag

BACKENDS = ("sqlite", "postgresql")

D = dt.date
TODAY = D(2026, 11, 23)
FRIDAY = D(2026, 11, 20)
STEPS = ["安抚", "接受", "判定", "确定部门", "解决方案", "分析原因"]


@pytest.fixture
def people(book) -> dict[str, int]:
    """王芳 (platinum, last called on 1 November: not due for weeks) and 赵强 (gold, seen on Friday)."""
    with transaction():
        ids = {}
        for no, name, aum, last in (("C001", "王芳", 2_000_000, D(2026, 11, 1)), ("C002", "赵强", 300_000, FRIDAY)):
            c = Client.create(client_no=no, name=name)
            Balance.create(client=c, month=D(2026, 10, 1), aum=Decimal(aum), deposits=Decimal(aum) / 4)
            Contact.create(client=c, date=last, channel="phone", outcome="问候")
            ids[name] = c.id
        figures.refresh(today=TODAY)
    return ids


def one_line_error(code: int, err: str) -> None:
    assert code == 1, err
    assert err.startswith("wb: ") and "Traceback" not in err and len(err.strip().splitlines()) == 1


def reasons(cid: int, day: dt.date = TODAY) -> list[tuple[str, str]]:
    rows = {r.client_id: r for r in planner.today_plan(day).items}
    return [(x.kind, x.zh) for x in rows[cid].reasons] if cid in rows else []


# --- the service ---------------------------------------------------------------------------------------------


def test_add_a_complaint(people) -> None:
    row = complaints.add(people["王芳"], "  网点排队两小时\x1b[31m \n")
    assert (row.client_id, row.client, row.opened, row.text) == (people["王芳"], "王芳", TODAY, "网点排队两小时[31m")
    assert (row.step, row.done, row.resolved_at) == ("安抚", [], None)
    assert row.as_json() == {
        "id": row.id,
        "client": "王芳",
        "opened": "2026-11-23",
        "text": "网点排队两小时[31m",
        "step": "安抚",
        "steps": [],
        "resolved": None,
    }
    earlier = complaints.add(people["赵强"], "短信扣费", day=D(2026, 11, 2))
    assert earlier.opened == D(2026, 11, 2)
    assert complaints.get(row.id) == row


@pytest.mark.parametrize(
    ("client", "text", "error"),
    [
        ("王芳", "", BadInput),
        ("王芳", " \n\x07 ", BadInput),
        ("王芳", "字" * 5_001, BadInput),
        (None, "找不到人", NotFound),
    ],
)
def test_add_refuses_bad_input_and_writes_nothing(people, client, text: str, error: type) -> None:
    cid = people[client] if client else 999_999
    with pytest.raises(error):
        complaints.add(cid, text)
    assert Complaint.select().count() == 0
    assert complaints.add(people["王芳"], "字" * 5_000).text == "字" * 5_000  # exactly the limit


def test_the_six_steps_in_order_with_dates(people) -> None:
    c = complaints.add(people["王芳"], "理财到期未到账", day=D(2026, 11, 16))
    notes = ["电话致歉", "登记受理", "属实：系统延迟", "转运营部", "当日补记利息", "客户最在意资金安全"]
    for n, (step, note) in enumerate(zip(STEPS, notes, strict=True)):
        assert complaints.get(c.id).step == step
        row = complaints.complete_step(c.id, note, day=D(2026, 11, 16 + n))
        assert row.done[-1] == {"step": step, "date": f"2026-11-{16 + n}", "note": note}
        assert len(row.done) == n + 1
        expect_resolved = D(2026, 11, 20) if n >= 4 else None  # 解决方案 (the fifth step) resolves it
        assert row.resolved_at == expect_resolved, step
        assert row.step == STEPS[min(n + 1, 5)]
    assert [d["step"] for d in row.done] == STEPS
    assert row.as_json()["resolved"] == "2026-11-20" and row.as_json()["step"] == "分析原因"
    with pytest.raises(Conflict):  # past the last step
        complaints.complete_step(c.id, "还想再做点什么")
    assert complaints.get(c.id) == row
    with pytest.raises(NotFound):
        complaints.complete_step(999_999, "x")
    with pytest.raises(NotFound):
        complaints.get(999_999)


def test_finding_the_cause_needs_a_note(people) -> None:
    c = complaints.add(people["王芳"], "柜员态度差")
    for _ in range(5):
        row = complaints.complete_step(c.id)  # the other steps may be done without a word
    assert row.step == "分析原因" and row.resolved_at == TODAY
    for empty in ("", "  \n", "\x1b"):
        with pytest.raises(BadInput, match="cause"):
            complaints.complete_step(c.id, empty)
    assert len(complaints.get(c.id).done) == 5
    assert complaints.complete_step(c.id, "客户看重被尊重").done[-1]["note"] == "客户看重被尊重"


def test_an_open_complaint_keeps_the_client_on_the_plan_until_resolved(people) -> None:
    cid = people["王芳"]
    assert not any(kind == "complaint" for kind, _ in reasons(cid))
    c = complaints.add(cid, "手机银行转账失败", day=D(2026, 11, 20))
    assert ("complaint", "投诉处理中（11月20日起，当前：安抚）：手机银行转账失败") in reasons(cid)
    for note in ("致歉", "受理", "属实", "转科技部"):
        complaints.complete_step(c.id, note)
    assert ("complaint", "投诉处理中（11月20日起，当前：解决方案）：手机银行转账失败") in reasons(cid)
    complaints.complete_step(c.id, "已修复并补偿")  # 解决方案: resolved
    assert not any(kind == "complaint" for kind, _ in reasons(cid))
    assert not any(kind == "complaint" for kind, _ in reasons(cid, TODAY + dt.timedelta(days=7)))
    complaints.complete_step(c.id, "客户担心资金安全")  # 分析原因 after resolving does not bring it back
    assert not any(kind == "complaint" for kind, _ in reasons(cid))


def test_the_brief_shows_open_complaints_with_their_step(people) -> None:
    cid = people["王芳"]
    c = complaints.add(cid, "排队太久", day=D(2026, 11, 20))
    complaints.complete_step(c.id, "致歉")
    assert brief.build(cid).as_json()["complaints"] == [{"opened": "2026-11-20", "text": "排队太久", "step": "接受"}]
    for _ in range(4):
        complaints.complete_step(c.id, "处理")
    assert brief.build(cid).complaints == []


def test_list_complaints_open_first(people) -> None:
    old_open = complaints.add(people["王芳"], "老投诉", day=D(2026, 11, 1))
    resolved = complaints.add(people["赵强"], "已解决的", day=D(2026, 11, 22))
    new_open = complaints.add(people["赵强"], "新投诉", day=D(2026, 11, 20))
    for _ in range(5):
        complaints.complete_step(resolved.id, "处理")
    assert [r.id for r in complaints.list_complaints()] == [new_open.id, old_open.id, resolved.id]
    assert [r.id for r in complaints.list_complaints(open_only=True)] == [new_open.id, old_open.id]


def test_cause_to_lesson_files_a_lesson_about_the_client(people, target: str) -> None:
    cid = people["王芳"]
    c = complaints.add(cid, "理财亏损没人解释")
    for note in ("上门致歉", "", "部分属实", "转财富管理部", "重新做风险测评"):
        complaints.complete_step(c.id, note)
    with pytest.raises(BadInput, match="分析原因"):
        complaints.cause_to_lesson(c.id)
    assert Note.select().count() == 0
    complaints.complete_step(c.id, "客户不理解净值波动，购买前没讲透")
    note_id = complaints.cause_to_lesson(c.id)
    n = Note.get_by_id(note_id)
    assert (n.kind, n.status, n.source, n.date) == ("lesson", "filed", "complaint", TODAY)
    assert n.text == "投诉：理财亏损没人解释"
    assert (n.situation, n.cause) == ("理财亏损没人解释", "客户不理解净值波动，购买前没讲透")
    assert n.action == "安抚：上门致歉；判定：部分属实；确定部门：转财富管理部；解决方案：重新做风险测评"
    assert {t.tag for t in NoteTag.select().where(NoteTag.note == note_id)} == {"教训", "投诉", "tier:platinum"}
    assert [(r.client_id, r.resolved) for r in NoteClient.select().where(NoteClient.note == note_id)] == [(cid, True)]
    assert [r.id for r in journal.lessons(tag="投诉")] == [note_id]
    assert [(x.id, x.why) for x in brief.build(cid).lessons] == [(note_id, "client")]
    hits = [h for h in search.search("净值波动", target=target) if h.kind == "lesson"]
    assert [(h.id, h.client) for h in hits] == [(note_id, "王芳")]
    with pytest.raises(NotFound):
        complaints.cause_to_lesson(999_999)


# --- wb complaint, wb complaints -----------------------------------------------------------------------------


def test_wb_complaint_add_step_and_list(people, wb) -> None:
    code, out, err = wb("complaint", "add", "王芳", "网点", "排队两小时")
    assert code == 0 and err == ""
    assert "王芳" in out and "安抚" in out and "网点 排队两小时" in out
    (c,) = complaints.list_complaints()
    assert c.text == "网点 排队两小时"
    code, out, _ = wb("complaint", "step", str(c.id), "电话致歉", "--json")
    assert code == 0
    assert json.loads(out) == {
        "id": c.id,
        "client": "王芳",
        "opened": "2026-11-23",
        "text": "网点 排队两小时",
        "step": "接受",
        "steps": [{"step": "安抚", "date": "2026-11-23", "note": "电话致歉"}],
        "resolved": None,
    }
    assert wb("--date", "2026-11-24", "complaint", "step", str(c.id), "受理")[0] == 0
    code, out, err = wb("complaints", "--json")
    assert code == 0 and err == ""
    (row,) = json.loads(out)
    assert set(row) == {"id", "client", "opened", "text", "step", "steps", "resolved"}
    assert row["step"] == "判定" and row["steps"][1] == {"step": "接受", "date": "2026-11-24", "note": "受理"}
    assert "网点" in out  # UTF-8, not ASCII-escaped
    code, out, _ = wb("complaints")
    assert code == 0 and f"#{c.id} 2026-11-23 王芳 [判定] 网点 排队两小时" in out
    assert "2026-11-24 接受 受理" in out


def test_wb_complaint_walks_to_the_lesson(people, wb) -> None:
    assert wb("complaint", "add", "C002", "短信扣费")[0] == 0
    (c,) = complaints.list_complaints()
    for note in ("致歉", "受理", "属实", "转卡部", "退费"):
        assert wb("complaint", "step", str(c.id), note)[0] == 0
    code, _, err = wb("complaint", "step", str(c.id))  # 分析原因 without the cause
    one_line_error(code, err)
    assert wb("complaint", "step", str(c.id), "客户对收费很敏感")[0] == 0
    code, _, err = wb("complaint", "step", str(c.id), "再来一步")
    one_line_error(code, err)
    assert json.loads(wb("complaints", "--open", "--json")[1]) == []
    done = json.loads(wb("complaints", "--json")[1])[0]
    assert done["resolved"] == "2026-11-23" and [s["step"] for s in done["steps"]] == STEPS
    code, out, _ = wb("complaint", "lesson", str(c.id))
    assert code == 0 and "教训" in out
    assert [r.text for r in journal.lessons(tag="投诉")] == ["投诉：短信扣费"]


@pytest.mark.parametrize(
    "args",
    [
        ("complaint", "add", "王五", "没有这个人"),
        ("complaint", "add", "王芳"),
        ("complaint", "step", "abc", "x"),
        ("complaint", "step", "999", "x"),
        ("complaint", "lesson", "999"),
        ("complaint", "close", "1"),
    ],
)
def test_wb_complaint_errors_are_one_line(people, wb, args: tuple[str, ...]) -> None:
    code, out, err = wb(*args)
    one_line_error(code, err)
    assert out == "" and Complaint.select().count() == 0


def test_wb_complaints_empty(people, wb) -> None:
    assert wb("complaints")[1].strip() == "没有投诉"
    assert json.loads(wb("complaints", "--json")[1]) == []
