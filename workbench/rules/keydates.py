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
