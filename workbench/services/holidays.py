"""The work calendar in force: the official schedule (rules.workdays) with the book's local corrections
(`wb holidays add`), and the listing `wb holidays list YEAR` prints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workbench.errors import BadInput
from workbench.rules.dates import parse_date
from workbench.rules.text import clean_input
from workbench.rules.workdays import DayInfo, WorkCalendar
from workbench.store import bulk
from workbench.store.db import transaction
from workbench.store.models import Holiday

MAX_SPAN = 366  # days one `wb holidays add FROM..TO` may cover


@dataclass(frozen=True)
class HolidayRow:
    day: dt.date
    workday: bool
    name: str | None
    source: str  # official | estimated | local
    note: str = ""

    def as_json(self) -> dict[str, object]:
        return {
            "date": self.day.isoformat(),
            "workday": self.workday,
            "name": self.name,
            "source": self.source,
            "note": self.note,
        }


def local_corrections() -> dict[dt.date, tuple[bool, str]]:
    """The book's corrections: day → (is a workday, note)."""
    return {bulk.as_date(h.day): (not h.off, h.note) for h in Holiday.select()}


def calendar() -> WorkCalendar:
    """The official calendar with this book's corrections (read afresh: another process may have added some)."""
    return WorkCalendar({day: workday for day, (workday, _note) in local_corrections().items()})


def parse_span(text: str) -> tuple[dt.date, dt.date]:
    """DAY or FROM..TO, inclusive."""
    first_text, sep, last_text = text.partition("..")
    try:
        first = parse_date(first_text.strip())
        last = parse_date(last_text.strip()) if sep else first
    except ValueError as exc:
        raise BadInput(exc, value=text) from None
    if last < first:
        raise BadInput(f"{text}: the range ends before it starts", value=text)
    if (last - first).days >= MAX_SPAN:
        raise BadInput(f"{text}: at most {MAX_SPAN} days at a time", value=text)
    return first, last


def add(span: str, off: bool, note: str = "") -> list[dt.date]:
    """Mark every day of DAY or FROM..TO as a day off (``off``) or a workday, replacing earlier corrections."""
    first, last = parse_span(span)
    note = clean_input(note)[:200]
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    with transaction():
        for day in days:
            Holiday.insert(day=day, off=off, note=note).on_conflict(
                conflict_target=[Holiday.day], update={Holiday.off: off, Holiday.note: note}
            ).execute()
    return days


def remove(span: str) -> int:
    """Forget the corrections of DAY or FROM..TO: the official schedule applies again."""
    first, last = parse_span(span)
    with transaction():
        return Holiday.delete().where(Holiday.day.between(first, last)).execute()


def year_list(year: int) -> tuple[list[HolidayRow], bool]:
    """Every day of ``year`` that is not a plain weekday or weekend, and whether the official schedule is known."""
    if not 1 <= year <= 9998:
        raise BadInput(f"{year}: not a year", value=str(year))
    local = local_corrections()
    cal = WorkCalendar({day: workday for day, (workday, _n) in local.items()})
    rows = [_row(info, local) for info in cal.special_days(year)]
    return rows, cal.known(year)


def _row(info: DayInfo, local: dict[dt.date, tuple[bool, str]]) -> HolidayRow:
    note = local[info.day][1] if info.day in local else ""
    return HolidayRow(info.day, info.workday, info.name, info.source, note)
