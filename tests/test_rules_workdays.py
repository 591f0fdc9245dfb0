"""The work calendar (official, estimated, local corrections) and the greeting holidays."""

from __future__ import annotations

import datetime as dt
import warnings

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.rules import workdays
from workbench.rules.workdays import GREETINGS, WorkCalendar, greeting_days, qingming_day

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from lunardate import LunarDate

D = dt.date
CAL = WorkCalendar()


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def test_spring_festival_2026_official() -> None:
    off = days(D(2026, 2, 15), D(2026, 2, 23))
    assert all(chinese_calendar.holidays.get(d) == "Spring Festival" for d in off)  # the package agrees
    assert not any(CAL.is_workday(d) for d in off)
    assert CAL.info(D(2026, 2, 17)) == workdays.DayInfo(D(2026, 2, 17), False, "春节", "official")
    for saturday in (D(2026, 2, 14), D(2026, 2, 28)):  # 调休上班
        assert saturday.weekday() == 5 and saturday in chinese_calendar.workdays
        assert CAL.info(saturday) == workdays.DayInfo(saturday, True, "春节", "official")
    assert CAL.is_workday(D(2026, 2, 13)) and CAL.is_workday(D(2026, 2, 24))
    assert not CAL.is_workday(D(2026, 3, 1))  # an ordinary Sunday
    assert CAL.info(D(2026, 3, 1)).source == "weekend" and CAL.info(D(2026, 3, 2)).source == "weekday"


@pytest.mark.parametrize(
    ("first", "last", "swapped"),
    [
        (D(2025, 10, 1), D(2025, 10, 8), (D(2025, 9, 28), D(2025, 10, 11))),
        (D(2026, 10, 1), D(2026, 10, 7), (D(2026, 9, 20), D(2026, 10, 10))),
    ],
)
def test_national_day(first: dt.date, last: dt.date, swapped: tuple[dt.date, ...]) -> None:
    assert not any(CAL.is_workday(d) for d in days(first, last))
    assert CAL.is_workday(first - dt.timedelta(days=1)) or first - dt.timedelta(days=1) in swapped
    for day in swapped:
        assert day.weekday() >= 5
        assert CAL.info(day) == workdays.DayInfo(day, True, "国庆节", "official")
    assert CAL.info(D(2025, 10, 6)).name == "中秋节"  # 2025: Mid-Autumn inside the Golden Week


def test_weekday_holiday_and_walking_across_a_long_holiday() -> None:
    assert D(2026, 1, 2).weekday() == 4 and not CAL.is_workday(D(2026, 1, 2))
    assert CAL.info(D(2026, 1, 2)).name == "元旦"
    assert CAL.workday_on_or_before(D(2026, 2, 20)) == D(2026, 2, 14)
    assert CAL.workday_on_or_before(D(2026, 2, 24)) == D(2026, 2, 24)
    assert CAL.next_workday(D(2026, 2, 14)) == D(2026, 2, 24)
    assert CAL.previous_workday(D(2026, 2, 24)) == D(2026, 2, 14)
    assert CAL.next_workday(D(2026, 9, 30)) == D(2026, 10, 8)
    assert CAL.workdays_between(D(2026, 2, 14), D(2026, 2, 28)) == 6  # Sat 14, Tue 24 – Fri 27, Sat 28
    assert CAL.workdays_between(D(2026, 2, 15), D(2026, 2, 23)) == 0
    assert CAL.workdays_between(D(2026, 3, 2), D(2026, 3, 1)) == 0


@given(st.dates(D(2003, 1, 1), D(2028, 12, 31)), st.integers(0, 800))
def test_workdays_between_counts_days(first: dt.date, length: int) -> None:
    last = first + dt.timedelta(days=length)
    assert CAL.workdays_between(first, last) == sum(CAL.is_workday(d) for d in days(first, last))


def test_official_matches_the_package_for_its_years() -> None:
    first, last = min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year
    assert CAL.known(first) and CAL.known(last) and not CAL.known(first - 1) and not CAL.known(last + 1)
    for day in days(D(first, 1, 1), D(last, 12, 31)):
        assert CAL.is_workday(day) == chinese_calendar.is_workday(day)


def test_special_days_list() -> None:
    special = CAL.special_days(2026)
    assert special == sorted(special, key=lambda info: info.day)
    listed = {info.day for info in special}
    assert D(2026, 2, 14) in listed and D(2026, 2, 16) in listed and D(2026, 2, 15) in listed  # Sunday, named
    assert D(2026, 3, 2) not in listed
    assert all(info.source == "official" for info in special)
    assert CAL.special_days(0) == [] and CAL.special_days(10000) == []


def test_year_beyond_the_package_is_estimated() -> None:
    assert not CAL.known(2027)
    assert CAL.unknown_years(D(2026, 12, 1), D(2028, 1, 1)) == [2027, 2028]
    new_year = LunarDate(2027, 1, 1).to_solar_date()
    assert new_year == D(2027, 2, 6)
    assert LunarDate(2026, 12, 29).to_solar_date() == D(2027, 2, 5)  # 除夕 on 腊月廿九: the month has 29 days
    with pytest.raises(ValueError):
        LunarDate(2026, 12, 30).to_solar_date()
    assert [d for d in days(D(2027, 2, 1), D(2027, 2, 12)) if not CAL.is_workday(d)] == days(
        D(2027, 2, 5), D(2027, 2, 8)
    )
    assert CAL.info(D(2027, 2, 5)) == workdays.DayInfo(D(2027, 2, 5), False, "春节", "estimated")
    assert CAL.info(D(2027, 1, 1)) == workdays.DayInfo(D(2027, 1, 1), False, "元旦", "estimated")
    assert D(2027, 1, 6).weekday() == 2 and CAL.is_workday(D(2027, 1, 6))
    assert CAL.info(D(2027, 1, 6)).source == "weekday"
    assert not CAL.is_workday(D(2027, 4, 5))  # 清明 (a Monday)
    assert not CAL.is_workday(D(2027, 6, 9)) and not CAL.is_workday(D(2027, 9, 15))  # 端午, 中秋 (Wednesdays)
    # 国庆 Fri 1 – Sun 3; no make-up day off or swapped workday is guessed, so Mon 4 is a workday
    assert [CAL.is_workday(D(2027, 10, d)) for d in range(1, 6)] == [False, False, False, True, True]
    names = {info.name for info in CAL.special_days(2027)}
    assert names == {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}
    assert CAL.info(D(2027, 5, 1)).name == "劳动节" and CAL.is_workday(D(2027, 5, 3))


def test_outside_the_lunar_tables_only_weekends_and_solar_festivals() -> None:
    special = CAL.special_days(2150)
    assert {info.name for info in special} == {"元旦", "劳动节", "国庆节"}
    assert len(special) == 6


def test_local_corrections_win_both_ways() -> None:
    cal = WorkCalendar({D(2026, 2, 16): True, D(2026, 3, 4): False, D(2027, 3, 6): True})
    assert cal.info(D(2026, 2, 16)) == workdays.DayInfo(D(2026, 2, 16), True, "春节", "local")
    assert not cal.is_workday(D(2026, 3, 4))
    assert cal.info(D(2026, 3, 4)) == workdays.DayInfo(D(2026, 3, 4), False, None, "local")
    assert cal.is_workday(D(2027, 3, 6)) and D(2027, 3, 6).weekday() == 5
    assert cal.workday_on_or_before(D(2026, 2, 20)) == D(2026, 2, 16)
    assert cal.previous_workday(D(2026, 3, 5)) == D(2026, 3, 3)
    assert cal.workdays_between(D(2026, 3, 2), D(2026, 3, 8)) == 4
    assert [i.day for i in cal.special_days(2026) if i.source == "local"] == [D(2026, 2, 16), D(2026, 3, 4)]
    assert cal.unknown_years(D(2027, 1, 1), D(2027, 12, 31)) == [2027]  # corrections do not make a year known
    assert CAL.is_workday(D(2026, 3, 4))  # another calendar is unaffected


def test_edges_of_the_date_range() -> None:
    assert CAL.next_workday(dt.date.max) == dt.date.max
    assert CAL.previous_workday(dt.date.min) == dt.date.min
    assert CAL.workday_on_or_before(dt.date.min) == dt.date.min  # Jan 1 of year 1 is 元旦
    assert not CAL.is_workday(dt.date.min)
    assert CAL.info(dt.date.max).workday  # a Friday


@given(st.dates())
def test_never_raises(day: dt.date) -> None:
    info = CAL.info(day)
    assert info.day == day and CAL.is_workday(day) == info.workday
    assert CAL.workday_on_or_before(day) <= day
    assert CAL.next_workday(day) >= day and CAL.previous_workday(day) <= day
    later = dt.date.max if dt.date.max - day < dt.timedelta(days=400) else day + dt.timedelta(days=400)
    assert 0 <= CAL.workdays_between(day, later) <= (later - day).days + 1
    assert all(info.day.year == day.year for info in CAL.special_days(day.year))
    assert CAL.unknown_years(day, day) == ([] if CAL.known(day.year) else [day.year])
    assert all(day <= found <= later for found, _ in greeting_days(day, later))


def test_qingming_formula_matches_the_package() -> None:
    first, last = min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year
    for year in range(max(first, 2005), last + 1):
        ((day, name),) = chinese_calendar.get_solar_terms(D(year, 4, 1), D(year, 4, 10))
        assert name == "清明" and qingming_day(year) == day
        if year >= 2008:  # a holiday since 2008
            assert chinese_calendar.holidays[day] == "Tomb-sweeping Day"
    for year in range(1901, 2100):
        terms = dict(chinese_calendar.get_solar_terms(D(year, 4, 1), D(year, 4, 10)))
        assert terms[qingming_day(year)] == "清明"
    assert qingming_day(1900) is None and qingming_day(2100) is None


def test_greetings_table() -> None:
    assert [g.key for g in GREETINGS] == [
        "new_year",
        "spring_festival",
        "lantern",
        "womens_day",
        "arbor_day",
        "dragon_boat",
        "childrens_day",
        "mid_autumn",
        "national_day",
        "double_ninth",
        "christmas",
    ]
    audiences = {g.key: g.audience for g in GREETINGS if g.audience != "all"}
    assert audiences == {"womens_day": "women", "childrens_day": "parents", "double_ninth": "elders"}


def test_greeting_days_across_a_lunar_new_year() -> None:
    found = [(day, g.zh) for day, g in greeting_days(D(2026, 12, 1), D(2027, 2, 28))]
    assert found == [
        (D(2026, 12, 25), "圣诞节"),
        (D(2027, 1, 1), "元旦"),
        (D(2027, 2, 6), "春节"),
        (D(2027, 2, 20), "元宵节"),
    ]
    assert LunarDate(2027, 1, 15).to_solar_date() == D(2027, 2, 20)


def test_greeting_days_autumn_2026_and_keys() -> None:
    assert LunarDate(2026, 8, 15).to_solar_date() == D(2026, 9, 25)
    assert LunarDate(2026, 9, 9).to_solar_date() == D(2026, 10, 18)
    found = [(day, g.key) for day, g in greeting_days(D(2026, 9, 1), D(2026, 10, 31))]
    assert found == [
        (D(2026, 9, 25), "mid_autumn"),
        (D(2026, 10, 1), "national_day"),
        (D(2026, 10, 18), "double_ninth"),
    ]
    only = greeting_days(D(2026, 1, 1), D(2027, 12, 31), keys=["double_ninth"])
    assert [day for day, _ in only] == [D(2026, 10, 18), LunarDate(2027, 9, 9).to_solar_date()]
    assert greeting_days(D(2026, 1, 1), D(2026, 12, 31), keys=[]) == []
    with pytest.raises(ValueError):
        greeting_days(D(2026, 1, 1), D(2026, 12, 31), keys=["easter"])
    assert greeting_days(D(2026, 1, 2), D(2026, 1, 1)) == []


def test_greeting_days_beyond_the_lunar_tables() -> None:
    keys = {g.key for _, g in greeting_days(D(2150, 1, 1), D(2150, 12, 31))}
    assert keys == {"new_year", "womens_day", "arbor_day", "childrens_day", "national_day", "christmas"}
    # both ends on the same day (a lunar new year's day)
    assert [g.key for _, g in greeting_days(D(2027, 2, 6), D(2027, 2, 6))] == ["spring_festival"]
