"""Prospects, referrals, events and loss through the services and `wb` (DOMAIN.md §9), on both backends.
Today is 2026-11-23, a Monday (conftest)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from workbench.errors import BadInput, Conflict
from workbench.services import brief, dashboard, events, figures, lifecycle, planner, portfolio
from workbench.store.db import transaction
from workbench.store.models import Balance, Client, Complaint, Contact, FollowUp, Invitation

BACKENDS = ("sqlite", "postgresql")

D = dt.date
TODAY = D(2026, 11, 23)


@pytest.fixture
def people(book) -> dict[str, int]:
    """张伟明 (diamond, last seen in August: overdue), 王芳 (platinum, called last week), 赵强 (gold)."""
    with transaction():
        ids = {}
        for no, name, aum, last in (
            ("C001", "张伟明", 6_000_000, D(2026, 8, 1)),
            ("C002", "王芳", 2_000_000, D(2026, 11, 16)),
            ("C003", "赵强", 300_000, D(2026, 11, 2)),
        ):
            c = Client.create(client_no=no, name=name, hobbies="高尔夫" if name != "赵强" else "钓鱼")
            for months_ago in range(6):
                month = D(2026, 10 - months_ago, 1)
                Balance.create(client=c, month=month, aum=Decimal(aum) * (10 + months_ago) / 10, deposits=1)
            Contact.create(client=c, date=last, channel="phone", outcome="问候")
            ids[name] = c.id
        figures.refresh(today=TODAY)
    return ids


def test_a_prospect_is_listed_planned_by_its_next_step_and_converts_keeping_history(people) -> None:
    added = lifecycle.add_prospect(
        "李明",
        phone="13912345678",
        approach="cold_visit",
        next_step="借商会名义登门",
        next_date=TODAY,
        referred_by=people["张伟明"],
    )
    pid = added.client_id
    row = Client.get_by_id(pid)
    assert (row.status, row.source, row.approach) == ("prospect", "referral", "cold_visit")
    assert row.next_due == TODAY  # due on its next step, not by cadence
    assert portfolio.count_clients(status="prospect") == 1 and portfolio.count_clients() == 3
    assert [p.name for p in lifecycle.prospects()] == ["李明"]
    assert lifecycle.prospects()[0].referrer == "张伟明"
    plan = planner.today_plan(TODAY, limit=10)
    item = next(i for i in plan.items if i.client_id == pid)
    assert item.prospect and item.channel == "visit" and item.reasons[0].kind == "prospect"
    assert "借商会名义登门" in item.reasons[0].zh
    assert "介绍人：张伟明" in brief.to_markdown(brief.build(pid))
    planner.log_contact(pid, "visit", "见到了，约下周详谈")
    done = lifecycle.convert(pid, client_no="c9001")
    assert done.status == "active" and done.referrer == "张伟明"
    row = Client.get_by_id(pid)
    assert (row.status, row.client_no, row.converted_at) == ("active", "C9001", TODAY)
    assert Contact.select().where(Contact.client == pid).count() == 1  # its history stays
    thanks = FollowUp.get(FollowUp.client == people["张伟明"])
    assert "李明" in thanks.text and thanks.due == TODAY
    with pytest.raises(Conflict):  # converting again is refused
        lifecycle.convert(pid)
    assert lifecycle.top_referrers()[0].name == "张伟明" and lifecycle.top_referrers()[0].converted == 1


def test_prospect_input_is_checked(people) -> None:
    with pytest.raises(BadInput, match="--source"):
        lifecycle.add_prospect("李明", source="天上")
    with pytest.raises(BadInput):
        lifecycle.add_prospect("   ")
    with pytest.raises(Conflict):
        lifecycle.set_prospect(people["王芳"], next_step="x")
    assert Client.select().count() == 3


def test_a_lost_client_leaves_the_plan_and_the_tier_counts_keeping_its_history(people) -> None:
    cid = people["张伟明"]
    assert any(i.client_id == cid for i in planner.today_plan(TODAY).items)
    before = portfolio.tier_counts()
    with transaction():
        Complaint.create(client=cid, opened=D(2026, 11, 1), text="理财亏损")
    with pytest.raises(BadInput, match="normal"):
        lifecycle.mark_lost(cid, "被挖走", None)  # a reason of one's own: normal or not must be said
    lifecycle.mark_lost(cid, "转投他行", None)
    row = Client.get_by_id(cid)
    assert (row.status, row.lost_normal, row.lost_tier, row.next_due) == ("lost", False, "diamond", None)
    assert not any(i.client_id == cid for i in planner.today_plan(TODAY).items)
    after = portfolio.tier_counts()
    assert after["diamond"] == before["diamond"] - 1
    assert Contact.select().where(Contact.client == cid).count() == 1
    d = dashboard.dashboard()
    assert [x.name for x in d.losses] == ["张伟明"]
    review = d.losses[0]
    assert review.contacts[0][0] == D(2026, 8, 1) and review.complaints[0][2] == "理财亏损" and review.falling
    assert sum(t.clients for t in d.tiers) == 2
    lifecycle.win_back(cid)
    assert Client.get_by_id(cid).status == "active" and Client.get_by_id(cid).next_due is not None


def test_events_invite_by_the_rules_and_attending_counts_as_a_contact(people) -> None:
    e = events.add("年终答谢会", D(2026, 12, 10), kind="答谢会", place="国宾馆")
    chosen = events.propose(e.id, min_tier="platinum", interest="高尔夫")
    assert [c.name for c in chosen] == ["张伟明", "王芳"]
    plan = planner.today_plan(TODAY, limit=10)
    zhang = next(i for i in plan.items if i.client_id == people["张伟明"])
    assert any(r.kind == "invite" and "年终答谢会" in r.zh for r in zhang.reasons)  # overdue: proposed
    assert events.invite(e.id, [c.id for c in chosen]) == 2
    assert events.invite(e.id, [people["张伟明"]]) == 0  # once
    zhang = next(i for i in planner.today_plan(TODAY, limit=10).items if i.client_id == people["张伟明"])
    assert not any(r.kind == "invite" for r in zhang.reasons)
    with pytest.raises(BadInput):
        events.record(e.id, [people["王芳"]], "attended")  # the event is still to come
    past = events.add("客户沙龙", D(2026, 11, 20), kind="salon")
    assert events.record(past.id, [people["赵强"]], "attended") == 1
    assert events.record(past.id, [people["赵强"]], "attended") == 0  # recording it again changes nothing
    contact = Contact.get(Contact.client == people["赵强"], Contact.channel == "event")
    assert contact.date == D(2026, 11, 20) and Client.get_by_id(people["赵强"]).last_contact == D(2026, 11, 20)
    events.record(past.id, [people["赵强"]], "absent")  # a mistake put right: the contact goes
    assert not Contact.select().where(Contact.client == people["赵强"], Contact.channel == "event").exists()
    assert Invitation.get(Invitation.client == people["赵强"]).status == "absent"
    assert [r.name for r in events.list_events()] == ["年终答谢会", "客户沙龙"]


def test_key_fields_and_the_completion_question(people) -> None:
    with transaction():
        Client.update(address="杭州", phone="13812345678", employer="某银行").where(
            Client.id == people["王芳"]
        ).execute()
        figures.refresh(today=TODAY)
    share = dashboard.dashboard().key_fields
    assert (share.clients, share.complete) == (3, 1)
    plan = planner.today_plan(TODAY, limit=10)
    zhang = next(i for i in plan.items if i.client_id == people["张伟明"])
    assert zhang.ask == "address" and zhang.as_json()["ask"]["question"]


def test_the_commands(people, wb) -> None:
    code, out, err = wb(
        "prospect",
        "add",
        "李明",
        "--source",
        "扫楼扫街·四进",
        "--next-step",
        "电话约见",
        "--next-date",
        "2026-11-25",
        "--referred-by",
        "张伟明",
    )
    assert code == 0 and "李明" in out and "张伟明" in out, err
    code, out, _ = wb("clients", "--status", "prospect", "--json")
    assert [c["name"] for c in json.loads(out)] == ["李明"]
    code, out, _ = wb("prospects", "--json")
    assert json.loads(out)[0]["source"] == "campaign" and json.loads(out)[0]["referred_by"] == "张伟明"
    code, out, _ = wb("prospect", "convert", "李明", "--json")
    assert code == 0 and json.loads(out)["follow_up"]
    code, out, err = wb("lost", "王芳", "--reason", "另有原因")
    assert code == 1 and "--normal" in err and err.count("\n") == 1
    code, out, _ = wb("lost", "王芳", "--reason", "moved", "--json")
    assert code == 0 and json.loads(out)["status"] == "lost"
    code, out, _ = wb("clients", "--status", "lost", "--json")
    assert [c["name"] for c in json.loads(out)] == ["王芳"]
    code, out, err = wb("event", "add", "新年沙龙", "--on", "2026-12-20", "--kind", "沙龙")
    assert code == 0 and "新年沙龙" in out
    code, out, _ = wb("event", "invite", "新年沙龙", "--overdue", "--json")
    assert json.loads(out)["invited"] == 2  # 张伟明, overdue since the autumn, and 李明, a client never contacted
    code, out, _ = wb("event", "show", "新年沙龙", "--json")
    assert {g["name"] for g in json.loads(out)["guests"]} == {"张伟明", "李明"}
    code, out, err = wb("event", "invite", "没有这个活动")
    assert code == 1 and "没有这个活动" in err
    code, out, _ = wb("events", "--json")
    assert json.loads(out)[0]["counts"] == {"invited": 2}
    code, out, _ = wb("referrals", "--json")
    assert json.loads(out)[0]["name"] == "张伟明"
    code, out, _ = wb("report", "--json")
    assert code == 0 and json.loads(out)["movement"]["converted"] == 1 and json.loads(out)["losses"] == []
    code, out, _ = wb("client", "李明", "--json")
    assert json.loads(out)["life"]["referred_by"]["name"] == "张伟明"
