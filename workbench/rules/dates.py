"""Dates as bank systems write them: 2024-03-07, 2024/3/7, 2024.3.7, 2024年3月7日, 20240307, Excel serials."""

from __future__ import annotations

import datetime as dt
import re

from workbench.errors import Invalid

_SEPARATED = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(value: str | dt.date | dt.datetime | int | float) -> dt.date:
    """Parse one solar date; raise ValueError saying why (e.g. 'February 2024 has 29 days')."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise Invalid("err.date.format")
    if isinstance(value, int | float):
        return excel_serial(value)
    s = str(value).strip()
    # A trailing time of day ("2024-03-07 00:00:00") as spreadsheets write it.
    s = re.sub(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", "", s)
    m = _SEPARATED.match(s) or _COMPACT.match(s)
    if not m:
        raise Invalid("err.date.format")
    return checked_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def checked_date(year: int, month: int, day: int) -> dt.date:
    if not 1900 <= year <= 2200:
        raise Invalid("err.date.year", year=year)
    if not 1 <= month <= 12:
        raise Invalid("err.date.month", month=month)
    last = days_in_month(year, month)
    if not 1 <= day <= last:
        raise Invalid("err.date.days", year=year, month=month, last=last, day=day)
    return dt.date(year, month, day)


def days_in_month(year: int, month: int) -> int:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).day


def excel_serial(value: int | float) -> dt.date:
    """An Excel day number (1900 date system) as a date."""
    if value != value or not 1 <= value < 2_958_466:
        raise Invalid("err.date.excel", value=value)
    return _EXCEL_EPOCH + dt.timedelta(days=int(value))


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(day.day, days_in_month(year, month)))


def next_anniversary(month: int, day: int, today: dt.date) -> dt.date:
    """The next date (today or later) with this month and day; 29 February falls on 28 February."""
    for year in (today.year, today.year + 1):
        d = min(day, days_in_month(year, month))
        candidate = dt.date(year, month, d)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def parse_day_input(text: str, today: dt.date) -> dt.date:
    """A day typed in a form: any date parse_date reads, or +N (N days from today); ValueError saying why."""
    value = text.strip()
    if value.startswith("+") and value[1:].strip().isdigit():
        days = int(value[1:])
        if days > 3660:
            raise ValueError(f"{value}: at most ten years ahead")
        return today + dt.timedelta(days=days)
    return parse_date(value)


_WEEKDAYS_ZH = "一二三四五六日"


def weekday_name(day: dt.date, lang: str = "zh") -> str:
    """周一 … 周日, or Mon … Sun."""
    return f"周{_WEEKDAYS_ZH[day.weekday()]}" if lang == "zh" else day.strftime("%a")


def as_date(value: object) -> dt.date | None:
    """A date as a database's raw read gives it: ISO text (SQLite), a date or a datetime (PostgreSQL)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
