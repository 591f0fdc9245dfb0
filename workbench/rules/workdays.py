"""The Chinese work calendar (工作日/调休) and the holidays worth a greeting.

Official schedules come from the chinesecalendar package for the years it covers. Other years are estimated:
weekends off plus the statutory festivals as legislated from 2025 (元旦 1, 春节 4 from 除夕, 清明 1, 劳动节 2,
端午 1, 中秋 1, 国庆 3 days); no swapped workdays or make-up days off are guessed. Local corrections always win.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workbench.rules import lunar

OFFICIAL, ESTIMATED, LOCAL, WEEKEND, WEEKDAY = "official", "estimated", "local", "weekend", "weekday"
_ONE = dt.timedelta(days=1)
_FULL_NAMES = {"Tomb-sweeping Day": "清明节", "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节"}


@dataclass(frozen=True)
class DayInfo:
    """One day of the work calendar.

    ``name``: the holiday's Chinese name on a holiday day off, or on a swapped workday (调休上班) the holiday it
    serves; None on ordinary days. ``source``: official | estimated | local | weekend | weekday.
    """

    day: dt.date
    workday: bool
    name: str | None
    source: str


@functools.cache
def _official() -> dict[int, dict[dt.date, DayInfo]]:
    """The package's special days by year; every year it covers is a key (possibly with no special day)."""
    import chinese_calendar  # lazy: keeps importing this module cheap

    names = {h.value: _FULL_NAMES.get(h.value, h.chinese) for h in chinese_calendar.Holiday}
    years: dict[int, dict[dt.date, DayInfo]] = {}
    for table, workday in ((chinese_calendar.holidays, False), (chinese_calendar.workdays, True)):
        for day, value in table.items():
            years.setdefault(day.year, {})[day] = DayInfo(day, workday, names.get(value, value), OFFICIAL)
    for year in range(min(years), max(years) + 1):
        years.setdefault(year, {})
    return years


def qingming_day(year: int) -> dt.date | None:
    """The Qingming solar term (寿星公式: [Y·0.2422 + C] − [Y/4]), 1901–2099; None outside."""
    if not lunar.FIRST_YEAR <= year <= lunar.LAST_YEAR:
        return None
    y = year % 100
    return dt.date(year, 4, int(y * 0.2422 + (4.81 if year >= 2000 else 5.59)) - y // 4)


def _estimated(year: int) -> dict[dt.date, DayInfo]:
    """The statutory festivals of a year the package does not know (lunar ones only within the lunar tables)."""
    days: dict[dt.date, DayInfo] = {}

    def off(day: dt.date | None, name: str) -> None:
        if day is not None:
            days[day] = DayInfo(day, False, name, ESTIMATED)

    off(dt.date(year, 1, 1), "元旦")
    off(qingming_day(year), "清明节")
    for d in (1, 2):
        off(dt.date(year, 5, d), "劳动节")
    new_year = lunar.observed_in_year(lunar.LunarDay(1, 1), year)
    if new_year is not None:
        for i in range(-1, 3):  # 除夕 (the last day of the 12th month) through 正月初三
            off(new_year + i * _ONE, "春节")
        off(lunar.observed_in_year(lunar.LunarDay(5, 5), year), "端午节")
        off(lunar.observed_in_year(lunar.LunarDay(8, 15), year), "中秋节")
    for d in (1, 2, 3):
        off(dt.date(year, 10, d), "国庆节")
    return days


class WorkCalendar:
    """Which days are workdays; ``local`` maps a day to True (workday) or False (day off) and always wins."""

    def __init__(self, local: Mapping[dt.date, bool] | None = None) -> None:
        self._local: dict[int, dict[dt.date, bool]] = {}
        for day, workday in (local or {}).items():
            self._local.setdefault(day.year, {})[day] = bool(workday)
        self._years: dict[int, dict[dt.date, DayInfo]] = {}

    def _special(self, year: int) -> dict[dt.date, DayInfo]:
        days = self._years.get(year)
        if days is None:
            official = _official()
            days = dict(official[year]) if year in official else _estimated(year)
            for day, workday in self._local.get(year, {}).items():
                base = days.get(day)
                days[day] = DayInfo(day, workday, base.name if base else None, LOCAL)
            self._years[year] = days
        return days

    def known(self, year: int) -> bool:
        """True when the official schedule of ``year`` is in the package's data."""
        return year in _official()

    def unknown_years(self, first: dt.date, last: dt.date) -> list[int]:
        """Years in [first, last] without an official schedule (local corrections notwithstanding)."""
        return [year for year in range(first.year, last.year + 1) if not self.known(year)]

    def is_workday(self, day: dt.date) -> bool:
        special = self._special(day.year).get(day)
        return special.workday if special is not None else day.weekday() < 5

    def info(self, day: dt.date) -> DayInfo:
        special = self._special(day.year).get(day)
        if special is not None:
            return special
        weekend = day.weekday() >= 5
        return DayInfo(day, not weekend, None, WEEKEND if weekend else WEEKDAY)

    def _walk(self, day: dt.date, step: dt.timedelta) -> dt.date:
        """The first workday from ``day`` (inclusive) going by ``step``; the range's bound when there is none."""
        try:
            while not self.is_workday(day):
                day += step
        except OverflowError:
            return dt.date.min if step < dt.timedelta(0) else dt.date.max
        return day

    def workday_on_or_before(self, day: dt.date) -> dt.date:
        return self._walk(day, -_ONE)

    def next_workday(self, day: dt.date) -> dt.date:
        """The first workday strictly after ``day`` (dt.date.max when there is none)."""
        return dt.date.max if day == dt.date.max else self._walk(day + _ONE, _ONE)

    def previous_workday(self, day: dt.date) -> dt.date:
        """The last workday strictly before ``day`` (dt.date.min when there is none)."""
        return dt.date.min if day == dt.date.min else self._walk(day - _ONE, -_ONE)

    def workdays_between(self, first: dt.date, last: dt.date) -> int:
        """Workdays in [first, last], both included (0 when last < first)."""
        if last < first:
            return 0
        weeks, rest = divmod((last - first).days + 1, 7)
        start = first.weekday()
        count = weeks * 5 + sum((start + i) % 7 < 5 for i in range(rest))
        for year in range(first.year, last.year + 1):
            for day, special in self._special(year).items():
                if first <= day <= last:
                    count += special.workday - (day.weekday() < 5)
        return count

    def special_days(self, year: int) -> list[DayInfo]:
        """Every day of ``year`` not following the plain weekday/weekend rule alone (holidays, 调休, corrections)."""
        if not dt.MINYEAR <= year <= dt.MAXYEAR:
            return []
        return sorted(self._special(year).values(), key=lambda info: info.day)


@dataclass(frozen=True)
class Greeting:
    """A holiday worth greeting clients on; ``audience``: all | women | parents | elders."""

    key: str
    zh: str
    en: str
    calendar: str  # solar | lunar
    month: int
    day: int
    audience: str = "all"


GREETINGS: tuple[Greeting, ...] = (
    Greeting("new_year", "元旦", "New Year's Day", "solar", 1, 1),
    Greeting("spring_festival", "春节", "Spring Festival", "lunar", 1, 1),
    Greeting("lantern", "元宵节", "Lantern Festival", "lunar", 1, 15),
    Greeting("womens_day", "妇女节", "Women's Day", "solar", 3, 8, "women"),
    Greeting("arbor_day", "植树节", "Arbor Day", "solar", 3, 12),
    Greeting("dragon_boat", "端午节", "Dragon Boat Festival", "lunar", 5, 5),
    Greeting("childrens_day", "儿童节", "Children's Day", "solar", 6, 1, "parents"),
    Greeting("mid_autumn", "中秋节", "Mid-Autumn Festival", "lunar", 8, 15),
    Greeting("national_day", "国庆节", "National Day", "solar", 10, 1),
    Greeting("double_ninth", "重阳节", "Double Ninth Festival", "lunar", 9, 9, "elders"),
    Greeting("christmas", "圣诞节", "Christmas", "solar", 12, 25),
)
_ORDER = {g.key: i for i, g in enumerate(GREETINGS)}


def greeting_days(first: dt.date, last: dt.date, keys: Iterable[str] | None = None) -> list[tuple[dt.date, Greeting]]:
    """Every greeting holiday in [first, last], by date then GREETINGS order; lunar ones beyond the tables skipped."""
    wanted = GREETINGS
    if keys is not None:
        chosen = set(keys)
        if unknown := chosen - _ORDER.keys():
            raise ValueError(f"unknown greeting(s): {', '.join(sorted(unknown))}")
        wanted = tuple(g for g in GREETINGS if g.key in chosen)
    found: list[tuple[dt.date, Greeting]] = []
    for greeting in wanted:
        if greeting.calendar == "solar":
            days = [dt.date(y, greeting.month, greeting.day) for y in range(first.year, last.year + 1)]
        else:  # a lunar year starts in one solar year and may end in the next
            lunar_day = lunar.LunarDay(greeting.month, greeting.day)
            days = [lunar.observed_in_year(lunar_day, y) for y in range(first.year - 1, last.year + 1)]
        found += [(day, greeting) for day in days if day is not None and first <= day <= last]
    return sorted(found, key=lambda pair: (pair[0], _ORDER[pair[1].key]))
