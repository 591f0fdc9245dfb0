"""The planning rules (DOMAIN.md §3, CLI.md Planner): the reasons, their sentences and channels, key dates on
non-workdays, the lunar calendar's edge cases, cadence, determinism and the share of the day between tiers.

Pure: no database. Every date is explicit; 2026-11-23 is a Monday."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.rules import lunar
from workbench.rules.cadence import DEFAULT_INTERVALS, CadencePolicy
from workbench.rules.cadence import next_due as cadence_next_due
from workbench.rules.keydates import KeyDay, observed_between
from workbench.rules.planner import (
    CHANNELS,
    DEFAULT_WEIGHTS,
    REASON_KINDS,
    Candidate,
    FollowUpDue,
    KeyEvent,
    Maturity,
    OpenComplaint,
    PlanInputs,
    PlanItem,
    PlanPolicy,
    Reason,
    balance,
    period_end,
    plan,
    planned_on,
    reasons_by_client,
    score,
)
from workbench.rules.tiers import TIER_KEYS, TIER_RANK
from workbench.rules.workdays import WorkCalendar, greeting_days

D = dt.date
CAL = WorkCalendar()
TODAY = D(2026, 11, 23)  # a Monday
POLICY = PlanPolicy()
PLATINUM_AND_UP = {t for t in TIER_KEYS if TIER_RANK[t] >= TIER_RANK["platinum"]}


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def quiet(cid: int, tier: str = "platinum", today: dt.date = TODAY, **kw) -> Candidate:
    """A client with nothing to say by itself: contacted ten days ago (every interval is longer), so its
    cadence is not due and no dated window (at most seven days) saw the contact."""
    last = kw.pop("last_contact", today - days(10))
    due = kw.pop("next_due", cadence_next_due(tier, last, today))
    return Candidate(
        id=cid,
        name=kw.pop("name", f"客户{cid}"),
        tier=tier,
        client_no=f"C{cid:04d}",
        last_contact=last,
        next_due=due,
        **kw,
    )


def make_inputs(today: dt.date, *cands: Candidate, calendar: WorkCalendar = CAL, **kw) -> PlanInputs:
    return PlanInputs(today=today, calendar=calendar, candidates={c.id: c for c in cands}, **kw)


def plan_for(today: dt.date, *cands: Candidate, policy: PlanPolicy | None = None, **kw) -> list[PlanItem]:
    return plan(make_inputs(today, *cands, **kw), policy)


def only(today: dt.date, c: Candidate, policy: PlanPolicy | None = None, **kw) -> PlanItem:
    items = plan_for(today, c, policy=policy, **kw)
    assert len(items) == 1, items
    return items[0]


def reason(item: PlanItem, kind: str) -> Reason:
    found = [r for r in item.reasons if r.kind == kind]
    assert len(found) == 1, item.reasons
    return found[0]


def kinds(today: dt.date, c: Candidate, policy: PlanPolicy | None = None, **kw) -> list[str]:
    got = reasons_by_client(make_inputs(today, c, **kw), policy or POLICY)
    return [r.kind for r in got.get(c.id, [])]


def label_zh(kd: KeyDay) -> str:
    """The key date's label as the planner service hands it over (the 农历 prefix is the rule's)."""
    return kd.label("zh").removeprefix("农历")


# --- one test per reason kind ------------------------------------------------------------------------------


def test_quiet_client_has_no_reason() -> None:
    for tier in TIER_KEYS:
        assert plan_for(TODAY, quiet(1, tier)) == []


def test_cadence_reason() -> None:
    last = D(2026, 10, 7)  # platinum: ideal 45 days → due 11-21, latest 60 days
    c = quiet(1, "platinum", last_contact=last, next_due=cadence_next_due("platinum", last, TODAY))
    assert c.next_due == D(2026, 11, 21)
    item = only(TODAY, c)
    r = reason(item, "cadence")
    assert [x.kind for x in item.reasons] == ["cadence"]
    assert r.zh == "白金客户每 45 天联系一次（上次联系 10月7日）"
    assert "45" in r.en and "Oct 7" in r.en
    assert item.channel == "phone"
    assert 20 <= r.urgency <= 40
    # the channel follows the tier: a visit from diamond up, wechat below gold+
    assert only(TODAY, quiet(2, "diamond", next_due=TODAY)).channel == "visit"
    assert only(TODAY, quiet(3, "gold", next_due=TODAY)).channel == "wechat"
    never = only(TODAY, Candidate(4, "新客户", "standard", next_due=TODAY))
    assert reason(never, "cadence").zh == "普通客户每 180 天联系一次（从未联系）"


def test_agreed_date_is_a_cadence_reason_on_the_day() -> None:
    c = quiet(1, "gold", last_contact=D(2026, 11, 16), next_due=TODAY, agreed=True)
    r = reason(only(TODAY, c), "cadence")
    assert r.zh == "约定今天联系（上次联系 11月16日）" and r.urgency == 40


def test_overdue_reason() -> None:
    last = TODAY - days(70)  # platinum: latest day 60 → overdue by 10
    assert last == D(2026, 9, 14)
    item = only(TODAY, quiet(1, "platinum", last_contact=last))
    r = reason(item, "overdue")
    assert r.zh == "已超期 10 天（上次联系 9月14日）"
    assert r.urgency == 55 and item.channel == "phone"
    assert only(TODAY, quiet(2, "black", last_contact=last)).channel == "visit"
    assert only(TODAY, quiet(3, "standard", last_contact=TODAY - days(300))).channel == "wechat"


def test_maturity_reason() -> None:
    today = D(2026, 11, 27)
    m = Maturity(1, "大额存单2024第3期", Decimal(1_000_000), D(2026, 12, 3), "大额存单")
    item = only(today, quiet(1, "black", today), maturities=[m])
    r = reason(item, "maturity")
    assert r.zh == "大额存单 100万 12月3日到期"
    assert "100万" in r.zh and "12月3日" in r.zh
    assert "1M" in r.en and "Dec 3" in r.en
    assert item.channel == "phone"  # whatever the tier
    # no product type: the product's name; on the day itself it says so
    on_day = Maturity(1, "稳利理财", Decimal("350000"), today)
    assert reason(only(today, quiet(1, "gold", today), maturities=[on_day]), "maturity").zh == (
        "稳利理财 35万 11月27日到期（今天）"
    )
    # outside the seven days' lead, or already matured: nothing
    assert plan_for(today, quiet(1, "black", today), maturities=[Maturity(1, "x", Decimal(1), D(2026, 12, 5))]) == []
    assert plan_for(today, quiet(1, "black", today), maturities=[Maturity(1, "x", Decimal(1), D(2026, 11, 26))]) == []


def test_maturity_urgency_grows_as_the_day_nears_and_with_the_amount() -> None:
    def urgency(today: dt.date, amount: int = 100_000) -> float:
        m = Maturity(1, "定期", Decimal(amount), D(2026, 12, 3))
        return reason(
            only(today, quiet(1, "gold", today, last_contact=D(2026, 11, 1)), maturities=[m]), "maturity"
        ).urgency

    nearing = [urgency(D(2026, 12, 3) - days(n)) for n in range(7, -1, -1)]
    assert nearing == sorted(nearing) and len(set(nearing)) == len(nearing)
    assert urgency(D(2026, 12, 1), 2_000_000) > urgency(D(2026, 12, 1), 100_000)


def test_solar_birthday_reason_and_channels() -> None:
    kd = KeyDay("birthday", "solar", 12, 3)
    event = KeyEvent(1, "birthday", D(2026, 12, 3), label_zh(kd), kd.label("en"))
    today = D(2026, 12, 1)
    for tier, channel in (("black", "visit"), ("diamond", "visit"), ("platinum", "phone"), ("gold", "wechat")):
        item = only(today, quiet(1, tier, today), key_events=[event])
        r = reason(item, "birthday")
        assert r.zh == "生日 12月3日"
        assert "Dec 3" in r.en
        assert item.channel == channel, tier
    on_day = reason(only(D(2026, 12, 3), quiet(1, "gold", D(2026, 12, 3)), key_events=[event]), "birthday")
    assert on_day.zh == "生日 12月3日（今天）"


def test_lunar_birthday_reason() -> None:
    kd = KeyDay("birthday", "lunar", 8, 15)
    when = kd.next_date(D(2026, 1, 1))
    assert when == D(2026, 9, 25)  # 中秋 2026
    event = KeyEvent(1, "birthday", when, label_zh(kd), kd.label("en"), lunar=True)
    today = D(2026, 9, 23)
    item = only(today, quiet(1, "diamond", today), key_events=[event])
    r = reason(item, "birthday")
    assert r.zh == "农历生日 八月十五（9月25日）"
    assert "lunar" in r.en and "Sep 25" in r.en
    assert item.channel == "visit"
    on_day = only(when, quiet(1, "diamond", when), key_events=[event])
    assert reason(on_day, "birthday").zh == "农历生日 八月十五（今天）"


def test_anniversary_reason() -> None:
    kd = KeyDay("anniversary", "solar", 12, 3)
    event = KeyEvent(1, "anniversary", D(2026, 12, 3), label_zh(kd), kd.label("en"))
    item = only(D(2026, 12, 2), quiet(1, "platinum", D(2026, 12, 2)), key_events=[event])
    r = reason(item, "anniversary")
    assert r.zh == "结婚纪念日 12月3日"
    assert item.channel == "phone"
    assert only(D(2026, 12, 2), quiet(1, "black", D(2026, 12, 2)), key_events=[event]).channel == "visit"


def test_key_date_urgency_grows_towards_the_day() -> None:
    event = KeyEvent(1, "birthday", D(2026, 12, 3), "12月3日", "12-03")
    u = [
        reason(only(day, quiet(1, "gold", day, last_contact=D(2026, 11, 1)), key_events=[event]), "birthday").urgency
        for day in (D(2026, 11, 30), D(2026, 12, 1), D(2026, 12, 2), D(2026, 12, 3))
    ]
    assert u == sorted(u) and u[0] < u[-1]
    assert plan_for(D(2026, 11, 29), quiet(1, "gold", D(2026, 11, 29)), key_events=[event]) == []
    assert plan_for(D(2026, 12, 4), quiet(1, "gold", D(2026, 12, 4)), key_events=[event]) == []


def test_holiday_greeting_reason_and_channels() -> None:
    today = D(2026, 12, 22)  # Christmas is a Friday: the window opens three days before
    greetings = greeting_days(today, today + days(15))
    assert [g.key for _d, g in greetings] == ["christmas", "new_year"]
    item = only(today, quiet(1, "platinum", today), greetings=greetings)
    r = reason(item, "holiday")
    assert r.zh == "圣诞节问候（12月25日）"
    assert "Christmas" in r.en and "Dec 25" in r.en
    assert item.channel == "wechat"
    # greetings go one by one from platinum up by default; below that only with a lower policy, by SMS
    assert plan_for(today, quiet(2, "gold", today), greetings=greetings) == []
    everyone = PlanPolicy(holiday_min_tier="standard")
    low = only(today, quiet(2, "gold", today), policy=everyone, greetings=greetings)
    assert reason(low, "holiday").zh == "圣诞节问候（12月25日）" and low.channel == "sms"


def test_greetings_follow_their_audience() -> None:
    today = D(2026, 3, 6)  # Women's Day is a Sunday → handled on Friday 3-6
    greetings = [(day, g) for day, g in greeting_days(today, today + days(15)) if g.key == "womens_day"]
    assert greetings
    woman = quiet(1, "black", today, gender="女")
    man = quiet(2, "black", today, gender="男")
    assert [i.client.id for i in plan_for(today, woman, man, greetings=greetings)] == [1]
    today = D(2026, 10, 16)  # 重阳 (10-18) for clients of sixty and over
    greetings = [(day, g) for day, g in greeting_days(today, today + days(15)) if g.key == "double_ninth"]
    old = quiet(1, "platinum", today, birth_year=1960)
    young = quiet(2, "platinum", today, birth_year=1980)
    unknown = quiet(3, "platinum", today)
    assert [i.client.id for i in plan_for(today, old, young, unknown, greetings=greetings)] == [1]
    today = D(2026, 5, 29)  # Children's Day for parents
    greetings = [(day, g) for day, g in greeting_days(today, today + days(15)) if g.key == "childrens_day"]
    parent = quiet(1, "platinum", today, family="已婚，一子在读初中")
    single = quiet(2, "platinum", today, family="单身")
    assert [i.client.id for i in plan_for(today, parent, single, greetings=greetings)] == [1]


@pytest.mark.parametrize(
    ("today", "kind", "last", "word"),
    [
        (D(2026, 11, 27), "month", D(2026, 11, 30), "月末时点（11月30日）"),
        (D(2026, 9, 28), "quarter", D(2026, 9, 30), "季末时点（9月30日）"),
        (D(2026, 12, 29), "year", D(2026, 12, 31), "年末时点（12月31日）"),
    ],
)
def test_period_end_reason(today: dt.date, kind: str, last: dt.date, word: str) -> None:
    assert period_end(today, CAL, POLICY.period_lead) == (kind, last)
    c = quiet(1, "platinum", today, deposits=Decimal(3_000_000))
    item = only(today, c)
    r = reason(item, "period_end")
    assert r.zh == f"{word}：存款 300万"
    if [x.kind for x in item.reasons] == ["period_end"]:
        assert item.channel == "phone"
    assert POLICY.channel("period_end", "black") == "phone"
    # below platinum, or with no deposits: not a period-end call
    assert "period_end" not in kinds(today, quiet(2, "gold", today, deposits=Decimal(3_000_000)))
    assert "period_end" not in kinds(today, quiet(3, "black", today))


def test_period_end_window_and_weights() -> None:
    assert period_end(D(2026, 11, 26), CAL, 3) is None
    assert period_end(D(2026, 11, 27), CAL, 3) == ("month", D(2026, 11, 30))
    assert period_end(D(2026, 12, 1), CAL, 3) is None
    # May 2026 ends on a Sunday: the last workday is Friday 29th, so the window opens on the 26th
    assert period_end(D(2026, 5, 25), CAL, 3) is None
    assert period_end(D(2026, 5, 26), CAL, 3) == ("month", D(2026, 5, 31))
    assert period_end(D(2026, 5, 31), CAL, 3) == ("month", D(2026, 5, 31))

    def urgency(today: dt.date) -> float:
        c = quiet(1, "platinum", today, deposits=Decimal(1))
        return reason(only(today, c), "period_end").urgency

    assert urgency(D(2026, 11, 30)) < urgency(D(2026, 9, 30)) < urgency(D(2026, 12, 31))


def test_churn_risk_reason() -> None:
    c = quiet(1, "platinum", churn=True, churn_reason="streak:3", trend_change=-0.2)
    item = only(TODAY, c)
    r = reason(item, "churn_risk")
    assert r.zh == "流失预警：金融资产连续3个月下降"
    assert item.channel == "visit"
    drop = quiet(2, "gold", churn=True, churn_reason="drop:35", trend_change=-0.35)
    item = only(TODAY, drop)
    assert reason(item, "churn_risk").zh == "流失预警：金融资产较近期高点下降35%" and item.channel == "phone"
    # not repeated within a week of a contact
    assert kinds(TODAY, quiet(3, "gold", churn=True, last_contact=TODAY - days(7))) == []
    assert kinds(TODAY, quiet(3, "gold", churn=True, last_contact=TODAY - days(8))) == ["churn_risk"]


def test_follow_up_reason() -> None:
    due_today = FollowUpDue(1, "送理财产品资料", TODAY)
    item = only(TODAY, quiet(1, "black"), follow_ups=[due_today])
    r = reason(item, "follow_up")
    assert r.zh == "跟进：送理财产品资料（今天到期）" and item.channel == "phone"
    late = reason(only(TODAY, quiet(1), follow_ups=[FollowUpDue(1, "回电", TODAY - days(3))]), "follow_up")
    assert late.zh == "跟进：回电（已过期 3 天）" and late.urgency > r.urgency
    assert plan_for(TODAY, quiet(1), follow_ups=[FollowUpDue(1, "明天的事", TODAY + days(1))]) == []


def test_complaint_reason() -> None:
    x = OpenComplaint(1, "柜面排队太久", D(2026, 11, 20), "接受")
    item = only(TODAY, quiet(1, "platinum"), complaints=[x])
    r = reason(item, "complaint")
    assert r.zh == "投诉处理中（11月20日起，当前：接受）：柜面排队太久"
    assert item.channel == "visit"
    item = only(TODAY, quiet(1, "standard"), complaints=[OpenComplaint(1, "短信太多", D(2026, 11, 20))])
    assert reason(item, "complaint").zh == "投诉处理中（11月20日起）：短信太多" and item.channel == "phone"
    assert kinds(TODAY, quiet(1, last_contact=TODAY - days(3)), complaints=[x]) == []


def test_most_urgent_reason_first_and_picks_the_channel() -> None:
    today = D(2026, 11, 27)
    c = quiet(1, "black", today, last_contact=D(2026, 10, 1), deposits=Decimal(5_000_000))
    m = Maturity(1, "定期", Decimal(500_000), D(2026, 11, 30))
    item = only(today, c, maturities=[m], complaints=[OpenComplaint(1, "利率", D(2026, 11, 25))])
    assert item.reasons[0].kind == "complaint" and item.channel == "visit"
    assert [r.urgency for r in item.reasons] == sorted((r.urgency for r in item.reasons), reverse=True)
    assert {r.kind for r in item.reasons} == {"complaint", "maturity", "overdue", "period_end"}
    assert item.score == score(item.reasons, POLICY.weight("black"))


def test_score_is_the_top_reason_plus_a_third_of_the_rest_times_the_weight() -> None:
    rs = [Reason("cadence", 30, "a", "a"), Reason("maturity", 60, "b", "b"), Reason("holiday", 30, "c", "c")]
    assert score(rs, 2.0) == 160.0
    assert score([], 3.0) == 0.0
    assert set(REASON_KINDS) == {"cadence", "overdue", "maturity", "birthday", "anniversary", "holiday"} | {
        "period_end",
        "churn_risk",
        "follow_up",
        "complaint",
        "prospect",
        "invite",
    }


# --- key dates on non-workdays -----------------------------------------------------------------------------


def test_birthday_on_a_saturday_is_planned_on_the_friday() -> None:
    saturday = D(2026, 12, 5)
    assert saturday.weekday() == 5
    assert planned_on(saturday, CAL) == D(2026, 12, 4)
    event = KeyEvent(1, "birthday", saturday, "12月5日", "12-05")
    on_the_day = PlanPolicy(key_date_lead=0)
    assert plan_for(D(2026, 12, 3), quiet(1, "gold", D(2026, 12, 3)), policy=on_the_day, key_events=[event]) == []
    item = only(D(2026, 12, 4), quiet(1, "gold", D(2026, 12, 4)), policy=on_the_day, key_events=[event])
    assert reason(item, "birthday").zh == "生日 12月5日"
    # with the default lead, the window opens three days before the Friday
    assert plan_for(D(2026, 11, 30), quiet(1, "gold", D(2026, 11, 30)), key_events=[event]) == []
    assert only(D(2026, 12, 1), quiet(1, "gold", D(2026, 12, 1)), key_events=[event])


def test_birthday_during_spring_festival_is_planned_on_the_last_workday_before() -> None:
    birthday = D(2026, 2, 18)  # 春节 2026: Sunday 15 – Monday 23 off; Saturday 14 is a swapped workday
    expected = CAL.workday_on_or_before(birthday)
    assert expected == D(2026, 2, 14) and CAL.is_workday(D(2026, 2, 14)) and D(2026, 2, 14).weekday() == 5
    assert planned_on(birthday, CAL) == expected
    event = KeyEvent(1, "birthday", birthday, "2月18日", "02-18")
    on_the_day = PlanPolicy(key_date_lead=0)
    assert plan_for(D(2026, 2, 13), quiet(1, "black", D(2026, 2, 13)), policy=on_the_day, key_events=[event]) == []
    item = only(expected, quiet(1, "black", expected), policy=on_the_day, key_events=[event])
    assert reason(item, "birthday").zh == "生日 2月18日" and item.channel == "visit"


def test_local_correction_moves_the_planned_day() -> None:
    cal = WorkCalendar({D(2026, 12, 4): False})  # the Friday made a day off
    assert planned_on(D(2026, 12, 5), cal) == D(2026, 12, 3)
    event = KeyEvent(1, "birthday", D(2026, 12, 5), "12月5日", "12-05")
    lead0 = PlanPolicy(key_date_lead=0)
    assert only(D(2026, 12, 3), quiet(1, "gold", D(2026, 12, 3)), policy=lead0, calendar=cal, key_events=[event])


def test_holiday_on_a_non_workday_opens_from_the_workday_before() -> None:
    new_year = D(2027, 1, 1)  # 2027 is estimated: 元旦 off, Thursday 12-31 the workday before
    greetings = greeting_days(D(2026, 12, 20), D(2027, 1, 10), keys=["new_year"])
    assert planned_on(new_year, CAL) == D(2026, 12, 31)
    assert plan_for(D(2026, 12, 27), quiet(1, "black", D(2026, 12, 27)), greetings=greetings) == []
    item = only(D(2026, 12, 28), quiet(1, "black", D(2026, 12, 28)), greetings=greetings)
    assert reason(item, "holiday").zh == "元旦问候（1月1日）"


# --- lunar edge cases --------------------------------------------------------------------------------------


def test_mid_autumn_lunar_birthday() -> None:
    kd = KeyDay("birthday", "lunar", 8, 15)
    assert kd.label() == "农历八月十五"
    assert kd.next_date(D(2026, 1, 1)) == D(2026, 9, 25)
    assert kd.next_date(D(2026, 9, 25)) == D(2026, 9, 25)
    assert kd.next_date(D(2026, 9, 26)) == D(2027, 9, 15)
    seen = observed_between(D(2026, 9, 1), D(2026, 9, 30))
    assert seen[("lunar", 8, 15, False)] == D(2026, 9, 25)
    assert seen[("solar", 9, 25, False)] == D(2026, 9, 25)


def test_last_day_of_a_short_twelfth_month() -> None:
    assert lunar.lunar_month_length(2026, 12) == 29  # lunar 2026's 腊月 has no 三十
    kd = KeyDay("birthday", "lunar", 12, 30)
    assert kd.label() == "农历腊月三十"
    day = kd.next_date(TODAY)
    assert day == D(2027, 2, 5)
    assert lunar.to_lunar(day) == lunar.LunarDay(12, 29, False, 2026)  # observed on 廿九
    seen = observed_between(D(2027, 2, 1), D(2027, 2, 10))
    assert seen[("lunar", 12, 30, False)] == day == seen[("lunar", 12, 29, False)]
    # in a year whose 腊月 has thirty days it is the thirtieth
    assert lunar.lunar_month_length(2029, 12) == 30
    later = kd.next_date(D(2029, 6, 1))
    assert lunar.to_lunar(later) == lunar.LunarDay(12, 30, False, 2029)
    assert observed_between(later, later)[("lunar", 12, 30, False)] == later


def test_leap_month_birthday() -> None:
    assert lunar.leap_month(2025) == 6 and lunar.leap_month(2026) is None
    kd = KeyDay("birthday", "lunar", 6, 10, leap=True)
    assert kd.label() == "农历闰六月初十"
    in_leap_year = kd.next_date(D(2025, 1, 1))
    assert in_leap_year == D(2025, 8, 3) and lunar.to_lunar(in_leap_year) == lunar.LunarDay(6, 10, True, 2025)
    ordinary = KeyDay("birthday", "lunar", 6, 10)
    assert ordinary.next_date(D(2025, 1, 1)) == D(2025, 7, 4)
    # 2026 has no leap sixth month: the ordinary one
    assert kd.next_date(D(2026, 1, 1)) == ordinary.next_date(D(2026, 1, 1)) == D(2026, 7, 23)
    assert observed_between(D(2026, 7, 1), D(2026, 7, 31))[("lunar", 6, 10, True)] == D(2026, 7, 23)
    seen_2025 = observed_between(D(2025, 6, 25), D(2025, 8, 10))
    assert seen_2025[("lunar", 6, 10, True)] == D(2025, 8, 3)
    assert seen_2025[("lunar", 6, 10, False)] == D(2025, 7, 4)


def test_leap_thirtieth_in_a_short_month() -> None:
    kd = KeyDay("birthday", "lunar", 6, 30, leap=True)
    for first in (D(2025, 1, 1), D(2026, 1, 1), D(2028, 1, 1)):
        day = kd.next_date(first)
        assert day is not None
        observed = lunar.to_lunar(day)
        assert observed.month == 6 and observed.day in (29, 30)
        assert observed_between(day, day)[("lunar", 6, 30, True)] == day


def test_twenty_ninth_of_february() -> None:
    kd = KeyDay("birthday", "solar", 2, 29)
    assert kd.next_date(D(2027, 1, 1)) == D(2027, 2, 28)
    assert kd.next_date(D(2028, 1, 1)) == D(2028, 2, 29)
    assert observed_between(D(2027, 2, 28), D(2027, 2, 28))[("solar", 2, 29, False)] == D(2027, 2, 28)
    assert observed_between(D(2028, 2, 28), D(2028, 2, 28)).get(("solar", 2, 29, False)) is None


@st.composite
def key_days(draw: st.DrawFn) -> KeyDay:
    if draw(st.booleans()):
        month = draw(st.integers(1, 12))
        day = draw(st.integers(1, 29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31))
        return KeyDay("birthday", "solar", month, day)
    return KeyDay("birthday", "lunar", draw(st.integers(1, 12)), draw(st.integers(1, 30)), draw(st.booleans()))


@settings(max_examples=150, deadline=None)
@given(key_days(), st.dates(D(1902, 1, 1), D(2097, 12, 31)), st.integers(0, 250))
def test_observed_between_agrees_with_next_date(kd: KeyDay, first: dt.date, span: int) -> None:
    last = first + days(span)
    seen = observed_between(first, last)
    key = (kd.calendar, kd.month, kd.day, kd.leap)
    nxt = kd.next_date(first)
    assert nxt is not None
    if nxt <= last:
        assert seen.get(key) == nxt
    else:
        assert key not in seen


# --- cadence -----------------------------------------------------------------------------------------------

tiers = st.sampled_from(TIER_KEYS)
todays = st.dates(D(2020, 1, 1), D(2030, 12, 31))


@given(tiers, todays, st.integers(1, 1000))
def test_never_planned_for_cadence_within_the_interval(tier: str, today: dt.date, since: int) -> None:
    interval = DEFAULT_INTERVALS[tier]
    since = 1 + since % (interval - 1)  # contacted 1 … interval-1 days ago
    last = today - days(since)
    c = Candidate(1, "甲", tier, last_contact=last, next_due=cadence_next_due(tier, last, today))
    assert reasons_by_client(make_inputs(today, c), POLICY) == {}
    assert plan(make_inputs(today, c)) == []


@given(tiers, todays, st.integers(0, 600))
def test_cadence_or_overdue_once_the_interval_is_reached(tier: str, today: dt.date, extra: int) -> None:
    cadence = CadencePolicy()
    since = cadence.interval(tier) + extra
    last = today - days(since)
    c = Candidate(1, "甲", tier, last_contact=last, next_due=cadence_next_due(tier, last, today))
    got = [r.kind for r in reasons_by_client(make_inputs(today, c), POLICY)[1]]
    assert got == (["overdue"] if since > cadence.latest_day(tier) else ["cadence"])


def test_overdue_urgency_grows_with_days_overdue() -> None:
    grace = CadencePolicy().grace("platinum")

    def urgency(late: int) -> float:
        c = Candidate(1, "甲", "platinum", last_contact=TODAY - days(45 + late), next_due=TODAY - days(late))
        return reasons_by_client(make_inputs(TODAY, c), POLICY)[1][0].urgency

    within = [urgency(late) for late in range(grace + 1)]
    beyond = [urgency(grace + over) for over in range(1, 60)]
    assert within == sorted(within) and within[-1] <= 40
    assert all(a < b for a, b in itertools.pairwise(beyond[:45]))  # strictly, until the cap
    assert beyond == sorted(beyond) and beyond[0] > within[-1]
    assert max(beyond) == 90


def test_a_contact_restarts_the_cadence() -> None:
    tier = "diamond"
    old = quiet(1, tier, last_contact=TODAY - days(40))
    assert kinds(TODAY, old) == ["overdue"]
    yesterday = TODAY - days(1)
    fresh = quiet(1, tier, last_contact=yesterday, next_due=cadence_next_due(tier, yesterday, TODAY))
    assert fresh.next_due == yesterday + days(21)
    assert kinds(TODAY, fresh) == []
    assert kinds(fresh.next_due, fresh) == ["cadence"]


# --- determinism -------------------------------------------------------------------------------------------


def busy_day() -> PlanInputs:
    today = D(2026, 11, 27)  # month end window, maturities, birthdays, overdue clients, a complaint
    cands = []
    for cid in range(1, 61):
        tier = TIER_KEYS[cid % len(TIER_KEYS)]
        cands.append(
            quiet(
                cid,
                tier,
                today,
                last_contact=today - days(cid * 5),
                deposits=Decimal(cid * 100_000),
                churn=cid % 11 == 0,
                churn_reason="streak:3" if cid % 11 == 0 else None,
                trend_change=-0.1 if cid % 11 == 0 else None,
            )
        )
    return PlanInputs(
        today=today,
        calendar=CAL,
        candidates={c.id: c for c in cands},
        maturities=[Maturity(cid, "定期", Decimal(cid * 10_000), today + days(cid % 8)) for cid in range(2, 60, 3)],
        key_events=[KeyEvent(cid, "birthday", today + days(cid % 4), "x", "x") for cid in range(1, 60, 4)],
        follow_ups=[FollowUpDue(cid, "回电", today - days(cid % 3)) for cid in range(5, 60, 9)],
        complaints=[OpenComplaint(7, "排队", D(2026, 11, 20)), OpenComplaint(50, "利率", D(2026, 11, 1))],
        greetings=greeting_days(today, today + days(15)),
    )


def signature(items: list[PlanItem]) -> list[tuple]:
    return [(i.client.id, i.score, i.channel, i.reasons, i.done) for i in items]


@settings(max_examples=30, deadline=None)
@given(st.randoms(use_true_random=False))
def test_same_inputs_same_list_in_the_same_order(rnd) -> None:
    base = busy_day()
    expected = signature(plan(base))
    assert len(expected) == POLICY.capacity
    ids = list(base.candidates)
    rnd.shuffle(ids)
    shuffled = PlanInputs(
        today=base.today,
        calendar=WorkCalendar(),
        candidates={cid: base.candidates[cid] for cid in ids},
        maturities=rnd.sample(list(base.maturities), len(base.maturities)),
        key_events=rnd.sample(list(base.key_events), len(base.key_events)),
        follow_ups=rnd.sample(list(base.follow_ups), len(base.follow_ups)),
        complaints=rnd.sample(list(base.complaints), len(base.complaints)),
        greetings=base.greetings,
    )
    assert signature(plan(shuffled)) == expected
    assert signature(plan(base, limit=25)) == signature(plan(shuffled, limit=25))


def test_ties_fall_to_the_client_id() -> None:
    same = [quiet(cid, "gold", next_due=TODAY) for cid in (9, 3, 7, 1)]
    assert [i.client.id for i in plan_for(TODAY, *same)] == [1, 3, 7, 9]


# --- balance between tiers ---------------------------------------------------------------------------------


def crowd(per_tier: int, tiers_: tuple[str, ...] = TIER_KEYS, low_first: bool = True) -> list[Candidate]:
    """Overdue clients in every tier; with ``low_first`` the lowest tiers are the most overdue, so a plain
    ranking by score would not give the top tiers their share."""
    out = []
    cid = 0
    for tier in tiers_:
        for n in range(per_tier):
            cid += 1
            late = 400 - 50 * TIER_RANK[tier] + n if low_first else 100 + n
            out.append(Candidate(cid, f"客户{cid}", tier, next_due=TODAY - days(late)))
    return out


def shares(items: list[PlanItem]) -> Counter:
    return Counter(i.client.tier for i in items)


def test_every_tier_gets_its_share_and_seventy_percent_go_to_platinum_and_above() -> None:
    items = plan_for(TODAY, *crowd(6))
    assert len(items) == 10
    got = shares(items)
    total = sum(DEFAULT_WEIGHTS.values())
    for tier in TIER_KEYS:
        assert got[tier] >= int(10 * DEFAULT_WEIGHTS[tier] / total), (tier, got)
        assert got[tier] >= 1
    assert sum(got[t] for t in PLATINUM_AND_UP) == 7
    assert got == Counter(black=2, diamond=2, platinum_plus=2, platinum=1, gold_plus=1, gold=1, standard=1)


def test_shares_hold_on_a_larger_day() -> None:
    policy = PlanPolicy(capacity=100)
    items = plan_for(TODAY, *crowd(40), policy=policy)
    got = shares(items)
    assert len(items) == 100
    total = sum(DEFAULT_WEIGHTS.values())
    for tier in TIER_KEYS:
        exact = 100 * DEFAULT_WEIGHTS[tier] / total
        assert int(exact) <= got[tier] <= int(exact) + 1
    assert 70 <= sum(got[t] for t in PLATINUM_AND_UP) <= 74


def test_capacity_and_limit_are_respected() -> None:
    people = crowd(5)
    assert len(plan_for(TODAY, *people)) == 10
    assert len(plan_for(TODAY, *people, policy=PlanPolicy(capacity=4))) == 4
    assert len(plan(make_inputs(TODAY, *people), limit=3)) == 3
    assert len(plan(make_inputs(TODAY, *people), limit=100)) == len(people)
    assert plan(make_inputs(TODAY, *people), limit=0) == []
    assert len(plan_for(TODAY, *people[:4])) == 4  # a quiet day: everyone with a reason


def test_a_tier_without_candidates_leaves_its_places_to_the_others() -> None:
    no_black = crowd(6, tuple(t for t in TIER_KEYS if t != "black"))
    items = plan_for(TODAY, *no_black)
    assert len(items) == 10 and shares(items)["black"] == 0
    # a tier with fewer candidates than its share: its places go to the best of the rest
    people = [*crowd(6, tuple(t for t in TIER_KEYS if t != "black")), Candidate(999, "黑", "black", next_due=TODAY)]
    items = plan_for(TODAY, *people)
    assert len(items) == 10 and shares(items)["black"] == 1
    only_standard = crowd(20, ("standard",))
    assert shares(plan_for(TODAY, *only_standard)) == Counter(standard=10)


def test_balance_keeps_the_best_of_each_tier_and_orders_by_score() -> None:
    items = plan_for(TODAY, *crowd(6))
    assert [i.score for i in items] == sorted((i.score for i in items), reverse=True)
    all_items = plan(make_inputs(TODAY, *crowd(6)), limit=1000)
    for tier in TIER_KEYS:
        chosen = [i.client.id for i in items if i.client.tier == tier]
        best = [i.client.id for i in all_items if i.client.tier == tier][: len(chosen)]
        assert sorted(chosen) == sorted(best), tier
    assert balance([], POLICY, 10) == []


# --- handled and held --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "opens", "kind", "extra"),
    [
        (
            D(2026, 11, 27),
            D(2026, 11, 26),
            "maturity",
            {"maturities": [Maturity(1, "定期", Decimal(9), D(2026, 12, 3))]},
        ),
        (
            D(2026, 12, 2),
            D(2026, 12, 1),
            "birthday",
            {"key_events": [KeyEvent(1, "birthday", D(2026, 12, 5), "x", "x")]},
        ),
        (D(2026, 12, 23), D(2026, 12, 22), "holiday", {"greetings": greeting_days(D(2026, 12, 23), D(2026, 12, 26))}),
        (D(2026, 11, 30), D(2026, 11, 27), "period_end", {}),
    ],
)
def test_dated_reason_dropped_once_contacted_since_its_window_opened(
    today: dt.date, opens: dt.date, kind: str, extra: dict
) -> None:
    def client(last: dt.date) -> Candidate:
        deposits = Decimal(10**6) if kind == "period_end" else Decimal(0)
        return quiet(1, "black", today, last_contact=last, next_due=today + days(30), deposits=deposits)

    assert kinds(today, client(opens - days(1)), **extra) == [kind]
    assert kinds(today, client(opens), **extra) == []
    assert kinds(today, client(today - days(1)), **extra) == []


def test_held_clients_never_appear() -> None:
    people = crowd(3)
    held = frozenset(c.id for c in people if c.tier in ("black", "standard"))
    m = [Maturity(c.id, "定期", Decimal(10**7), TODAY) for c in people]
    inputs = make_inputs(TODAY, *people, held=held, maturities=m, complaints=[OpenComplaint(1, "x", TODAY)])
    items = plan(inputs, limit=100)
    assert items and not {i.client.id for i in items} & held
    assert not set(reasons_by_client(inputs, POLICY)) & held
    assert len(plan(inputs)) == 10  # the others fill the day


def test_contacted_today_is_marked_done_and_kept() -> None:
    c = quiet(1, "gold", next_due=TODAY - days(3), contacted_today=True)
    item = only(TODAY, c)
    assert item.done and reason(item, "cadence")


# --- policy ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"capacity": 0}, "capacity"),
        ({"capacity": -3}, "capacity"),
        ({"weights": {"silver": 1.0}}, "silver"),
        ({"holiday_min_tier": "vip"}, "vip"),
        ({"period_min_tier": "gold_plus_plus"}, "gold_plus_plus"),
        ({"channels": {"birthday": (("diamond", "pigeon"),)}}, "pigeon"),
        ({"channels": {"birthday": (("vip", "visit"),)}}, "vip"),
    ],
)
def test_policy_validation(kwargs: dict, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        PlanPolicy(**kwargs)


def test_policy_channels_and_custom_rules() -> None:
    assert all(POLICY.channel(kind, tier) in CHANNELS for kind in REASON_KINDS for tier in TIER_KEYS)
    assert POLICY.channel("maturity", "black") == "phone"
    assert POLICY.channel("holiday", "platinum") == "wechat" and POLICY.channel("holiday", "gold") == "sms"
    custom = PlanPolicy(channels={"maturity": (("diamond", "visit"), ("standard", "sms"))})
    assert custom.channel("maturity", "black") == "visit" and custom.channel("maturity", "gold") == "sms"
    assert custom.channel("birthday", "black") == "visit"  # kinds it does not name keep the defaults
    assert PlanPolicy(capacity=1).capacity == 1


def test_a_last_contact_in_another_year_says_the_year() -> None:
    c = quiet(1, "standard", last_contact=D(2025, 12, 12), next_due=D(2026, 6, 10))
    r = reason(only(TODAY, c), "overdue")
    assert r.zh == "已超期 76 天（上次联系 2025年12月12日）"
    assert r.en == "overdue 76 d (last contact Dec 12, 2025)"
