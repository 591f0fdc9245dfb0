"""rules.lifecycle: words typed into keys, which status may become which, who is invited, which losses are
reviewed, the share of key fields, and the one question a planned contact may add."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.rules import lifecycle as rules
from workbench.rules.tiers import TIER_KEYS, TIER_RANK

D = dt.date
TODAY = D(2026, 11, 23)


def test_sources_approaches_and_kinds_read_keys_and_both_languages() -> None:
    assert rules.source_key("referral") == rules.source_key("客户转介绍") == "referral"
    assert rules.approach_key("电话约见") == "phone" and rules.approach_key("SEMINAR") == "seminar"
    assert rules.event_kind_key("答谢会") == "appreciation" and rules.event_kind_key("沙龙") == "salon"
    with pytest.raises(rules.LifecycleError, match="one of: media"):
        rules.source_key("天上掉下来")


def test_a_known_loss_reason_says_whether_it_is_normal_and_any_other_is_kept() -> None:
    assert rules.loss_reason("moved") == ("迁居外地", True)
    assert rules.loss_reason("转投他行") == ("转投他行", False)
    assert rules.loss_reason("  被竞争对手挖走 ") == ("被竞争对手挖走", None)
    with pytest.raises(rules.LifecycleError):
        rules.loss_reason("   ")
    with pytest.raises(rules.LifecycleError, match="at most"):
        rules.loss_reason("长" * 501)


@pytest.mark.parametrize(
    ("status", "to", "ok"),
    [
        ("prospect", "active", True),
        ("prospect", "lost", True),
        ("active", "lost", True),
        ("lost", "active", True),
        ("active", "prospect", False),
        ("active", "active", False),
        ("lost", "prospect", False),
        ("lost", "lost", False),
    ],
)
def test_status_transitions(status: str, to: str, ok: bool) -> None:
    if ok:
        rules.check_transition(status, to)
    else:
        with pytest.raises(rules.LifecycleError):
            rules.check_transition(status, to)


def test_the_approach_chooses_the_planner_channel() -> None:
    assert rules.approach_channel("cold_visit") == "visit"
    assert rules.approach_channel("seminar") == "event"
    assert rules.approach_channel(None) == "phone"


PEOPLE = [
    rules.Invitee(1, "王芳", "diamond", D(2026, 11, 20), D(2026, 12, 11), "高尔夫 红酒"),
    rules.Invitee(2, "李强", "platinum", D(2026, 8, 1), D(2026, 9, 1), "书法、茶"),
    rules.Invitee(3, "赵敏", "platinum", None, D(2026, 1, 1), "高尔夫"),
    rules.Invitee(4, "孙丽", "gold", D(2026, 6, 1), D(2026, 7, 1), "亲子 烘焙"),
    rules.Invitee(5, "周杰", "black", D(2026, 10, 1), D(2026, 10, 15), ""),
]


def test_invitees_by_tier_highest_first_then_longest_without_contact() -> None:
    chosen = rules.choose_invitees(PEOPLE, min_tier="platinum")
    assert [c.name for c in chosen] == ["周杰", "王芳", "赵敏", "李强"]  # 赵敏 never contacted: before 李强


def test_invitees_by_interest_last_contact_overdue_and_exclusions() -> None:
    assert [c.id for c in rules.choose_invitees(PEOPLE, interest="高尔夫")] == [1, 3]
    assert [c.id for c in rules.choose_invitees(PEOPLE, interest="茶，烘焙")] == [2, 4]
    assert [c.id for c in rules.choose_invitees(PEOPLE, contacted_before=D(2026, 9, 1))] == [3, 2, 4]
    assert [c.id for c in rules.choose_invitees(PEOPLE, overdue_on=TODAY)] == [5, 3, 2, 4]
    assert [c.id for c in rules.choose_invitees(PEOPLE, tiers=["platinum"], exclude=[3])] == [2]
    assert len(rules.choose_invitees(PEOPLE, limit=2)) == 2


invitees = st.lists(
    st.builds(
        rules.Invitee,
        id=st.integers(1, 10_000),
        name=st.just("某"),
        tier=st.sampled_from(TIER_KEYS),
        last_contact=st.none() | st.dates(D(2024, 1, 1), D(2026, 11, 23)),
        next_due=st.none() | st.dates(D(2024, 1, 1), D(2027, 6, 1)),
        interests=st.sampled_from(["", "高尔夫", "茶 书法", "golf tea"]),
    ),
    max_size=30,
    unique_by=lambda c: c.id,
)


@given(invitees, st.sampled_from(TIER_KEYS), st.none() | st.dates(D(2025, 1, 1), D(2026, 11, 23)))
def test_invitees_always_meet_every_condition_in_order(people, floor, before) -> None:
    chosen = rules.choose_invitees(people, min_tier=floor, contacted_before=before, overdue_on=TODAY)
    for c in chosen:
        assert TIER_RANK[c.tier] >= TIER_RANK[floor]
        assert before is None or c.last_contact is None or c.last_contact < before
        assert c.next_due is not None and c.next_due <= TODAY
    keys = [(-TIER_RANK[c.tier], c.last_contact or D.min, c.id) for c in chosen]
    assert keys == sorted(keys)
    left_out = {c.id for c in people} - {c.id for c in chosen}
    for c in people:
        if c.id in left_out:  # whoever was left out failed a condition
            assert (
                TIER_RANK[c.tier] < TIER_RANK[floor]
                or (before is not None and c.last_contact is not None and c.last_contact >= before)
                or c.next_due is None
                or c.next_due > TODAY
            )


def test_losses_reviewed_are_abnormal_platinum_and_up_this_year_latest_first() -> None:
    losses = [
        rules.Loss(1, "甲", "diamond", D(2026, 3, 1), "转投他行", False),
        rules.Loss(2, "乙", "platinum", D(2026, 10, 1), "服务不满意", None),  # not said: reviewed
        rules.Loss(3, "丙", "diamond", D(2026, 5, 1), "迁居外地", True),  # normal
        rules.Loss(4, "丁", "gold_plus", D(2026, 6, 1), "转投他行", False),  # below 白金
        rules.Loss(5, "戊", "black", D(2025, 12, 31), "转投他行", False),  # last year
        rules.Loss(6, "己", None, D(2026, 7, 1), "转投他行", False),  # a prospect lost: no tier
        rules.Loss(7, "庚", "black", D(2026, 12, 1), "转投他行", False),  # after the day asked about
    ]
    assert [x.client_id for x in rules.reviewed(losses, TODAY)] == [2, 1]


def test_key_field_share_counts_gold_and_up() -> None:
    rows = [
        ("diamond", {"address": "杭州", "phone": "138", "employer": "某公司"}),
        ("gold", {"address": "杭州", "phone": "138", "employer": " "}),
        ("standard", {"address": "", "phone": "", "employer": ""}),  # not counted
    ]
    share = rules.key_field_share(rows)
    assert (share.clients, share.complete, share.by_field) == (2, 1, {"address": 2, "phone": 2, "employer": 1})
    assert share.share == 0.5
    assert rules.key_field_share([]).share == 1.0


def test_the_completion_question_asks_a_key_field_first() -> None:
    assert rules.completion_field(["hobbies", "employer", "address"]) == "address"
    assert rules.completion_field(["hobbies", "income"]) == "hobbies"
    assert rules.completion_field([]) is None
