"""Lunar (农历) key dates: parsing them as written and finding the solar day they fall on in a year.

A lunar date that does not exist in a given year — the 30th of a month that has 29 days, or a leap month the
year lacks — is observed on the last day of that month, or in the ordinary month (DOMAIN.md §8).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from lunardate import LunarDate

FIRST_YEAR, LAST_YEAR = 1901, 2099  # what the lunar tables cover

_MONTHS = {
    "正": 1,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "冬": 11,
    "十二": 12,
    "腊": 12,
    "臘": 12,
}
_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
MONTH_NAMES = ("正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊")


@dataclass(frozen=True)
class LunarDay:
    month: int
    day: int
    leap: bool = False
    year: int | None = None  # the lunar year of birth, when known

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"lunar month {self.month} does not exist")
        if not 1 <= self.day <= 30:
            raise ValueError(f"lunar day {self.day} does not exist (1–30)")

    def label(self) -> str:
        """Chinese label: 八月十五, 闰四月初八, 腊月三十."""
        leap = "闰" if self.leap else ""
        return f"{leap}{MONTH_NAMES[self.month - 1]}月{day_name(self.day)}"


def day_name(day: int) -> str:
    if day <= 10:
        return "初" + ("十" if day == 10 else "一二三四五六七八九"[day - 1])
    if day < 20:
        return "十" + "一二三四五六七八九"[day - 11]
    if day == 20:
        return "二十"
    if day < 30:
        return "廿" + "一二三四五六七八九"[day - 21]
    return "三十"


def _day_from_words(text: str) -> int:
    if text.startswith("初"):
        rest = text[1:]
        return 10 if rest == "十" else _DIGITS[rest]
    if text in ("十", "二十", "三十"):
        return {"十": 10, "二十": 20, "三十": 30}[text]
    if text.startswith("廿"):
        return 20 + _DIGITS[text[1:]]
    if text.startswith("二十"):
        return 20 + _DIGITS[text[2:]]
    if text.startswith("十"):
        return 10 + _DIGITS[text[1:]]
    raise KeyError(text)


_WORDS = re.compile(r"^(闰)?(正|一|二|三|四|五|六|七|八|九|十一|十二|十|冬|腊|臘)月(.+)$")
_NUMERIC = re.compile(r"^(?:(\d{4})\s*[-/.年]\s*)?(闰)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_lunar(text: str) -> LunarDay:
    """Parse 农历八月十五, 八月十五, 闰四月初八, 农历1990-08-15, 1990年八月十五, 08-15 (with a 农历 column)."""
    s = str(text).strip().replace(" ", "")
    for prefix in ("农历", "阴历", "農曆"):
        if s.startswith(prefix):
            s = s[len(prefix) :]
    year = None
    m_year = re.match(r"^(\d{4})年(?=\D)", s)
    if m_year:
        year, s = int(m_year.group(1)), s[m_year.end() :]
    m = _WORDS.match(s)
    if m:
        try:
            day = _day_from_words(m.group(3))
        except KeyError:
            raise ValueError(f"lunar day {m.group(3)!r} not understood (初一 … 三十)") from None
        return LunarDay(month=_MONTHS[m.group(2)], day=day, leap=bool(m.group(1)), year=year)
    m = _NUMERIC.match(s)
    if m:
        y = int(m.group(1)) if m.group(1) else year
        if y is not None and not FIRST_YEAR <= y <= LAST_YEAR:
            raise ValueError(f"lunar year {y} is outside {FIRST_YEAR}–{LAST_YEAR}")
        return LunarDay(month=int(m.group(3)), day=int(m.group(4)), leap=bool(m.group(2)), year=y)
    raise ValueError("not a lunar date (e.g. 农历八月十五, 农历1990-08-15, 闰四月初八)")


def lunar_month_length(year: int, month: int, leap: bool = False) -> int:
    """29 or 30."""
    try:
        start = LunarDate(year, month, 1, leap).to_solar_date()
    except ValueError:
        raise ValueError(f"lunar year {year} has no {'leap ' if leap else ''}month {month}") from None
    nxt = LunarDate.from_solar_date(
        (start + dt.timedelta(days=29)).year,
        (start + dt.timedelta(days=29)).month,
        (start + dt.timedelta(days=29)).day,
    )
    return 29 if nxt.day == 1 else 30


def leap_month(year: int) -> int | None:
    return LunarDate.leap_month_for_year(year)


def observed_in_year(lunar: LunarDay, year: int) -> dt.date | None:
    """The solar date on which a lunar anniversary is observed in lunar year ``year``.

    A leap-month date is observed in the leap month when the year has it, otherwise in the ordinary month;
    a 30th in a 29-day month is observed on the 29th. None outside the tables' range.
    """
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    leap = lunar.leap and leap_month(year) == lunar.month
    day = min(lunar.day, lunar_month_length(year, lunar.month, leap))
    return LunarDate(year, lunar.month, day, leap).to_solar_date()


def next_observed(lunar: LunarDay, today: dt.date) -> dt.date | None:
    """The next solar date (today or later) on which this lunar date is observed."""
    if not FIRST_YEAR <= today.year <= LAST_YEAR:
        return None
    current = LunarDate.from_solar_date(today.year, today.month, today.day).year
    for year in (current - 1, current, current + 1):
        solar = observed_in_year(lunar, year)
        if solar is not None and solar >= today:
            return solar
    return None


def to_lunar(day: dt.date) -> LunarDay | None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    ld = LunarDate.from_solar_date(day.year, day.month, day.day)
    return LunarDay(month=ld.month, day=ld.day, leap=bool(ld.isLeapMonth), year=ld.year)
