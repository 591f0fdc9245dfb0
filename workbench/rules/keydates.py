"""Key dates (birthdays, anniversaries) on the solar or lunar calendar: when each next falls."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workbench.rules import lunar
from workbench.rules.dates import checked_date, next_anniversary

SOLAR, LUNAR = "solar", "lunar"
KINDS = ("birthday", "anniversary", "other")


@dataclass(frozen=True)
class KeyDay:
    kind: str  # birthday | anniversary | other
    calendar: str  # solar | lunar
    month: int
    day: int
    leap: bool = False
    year: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown key date kind {self.kind!r}")
        if self.calendar == SOLAR:
            checked_date(self.year or 2000, self.month, self.day)  # 2000 is a leap year: 29 Feb is fine
        elif self.calendar == LUNAR:
            lunar.LunarDay(self.month, self.day, self.leap, self.year)
        else:
            raise ValueError(f"unknown calendar {self.calendar!r}")

    def next_date(self, today: dt.date) -> dt.date | None:
        """The next solar date it falls on, today or later (None beyond the lunar tables)."""
        if self.calendar == SOLAR:
            return next_anniversary(self.month, self.day, today)
        return lunar.next_observed(lunar.LunarDay(self.month, self.day, self.leap), today)

    def label(self, lang: str = "zh") -> str:
        if self.calendar == LUNAR:
            text = lunar.LunarDay(self.month, self.day, self.leap).label()
            return f"农历{text}" if lang == "zh" else f"lunar {self.month}/{self.day}{' (leap)' if self.leap else ''}"
        return f"{self.month}月{self.day}日" if lang == "zh" else f"{self.month:02d}-{self.day:02d}"


def from_solar(kind: str, day: dt.date) -> KeyDay:
    return KeyDay(kind, SOLAR, day.month, day.day, year=day.year)


def from_lunar(kind: str, value: lunar.LunarDay) -> KeyDay:
    return KeyDay(kind, LUNAR, value.month, value.day, value.leap, value.year)


def observed_between(first: dt.date, last: dt.date) -> dict[tuple[str, int, int, bool], dt.date]:
    """Which key dates are observed on a day of [first, last], as {(calendar, month, day, leap): solar date}.

    The planner asks the book for exactly these (month, day) pairs, so it needs no stored "next date" that
    would go stale. The observation rules are those of ``KeyDay.next_date``: 29 February falls on 28 February
    in other years; a lunar 30th of a 29-day month on its 29th; a leap-month date in the ordinary month of a
    year without that leap month. Lunar days beyond the tables are left out."""
    out: dict[tuple[str, int, int, bool], dt.date] = {}
    day = first
    while day <= last:
        out[(SOLAR, day.month, day.day, False)] = day
        if day.month == 2 and day.day == 28 and not _leap_year(day.year):
            out[(SOLAR, 2, 29, False)] = day
        ld = lunar.to_lunar(day)
        if ld is not None:
            short = ld.day == 29 and lunar.lunar_month_length(ld.year or day.year, ld.month, ld.leap) == 29
            days = (ld.day, 30) if short else (ld.day,)
            has_leap = ld.leap or lunar.leap_month(ld.year or day.year) == ld.month
            for d in days:
                out[(LUNAR, ld.month, d, ld.leap)] = day
                if not ld.leap and not has_leap:  # a leap-month date in a year without that leap month
                    out[(LUNAR, ld.month, d, True)] = day
        day += dt.timedelta(days=1)
    return out


def _leap_year(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
