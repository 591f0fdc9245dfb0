"""The dashboard's arithmetic: which month is meant, and how a figure changed."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

_MONTH = re.compile(r"^\s*(\d{4})[-/.年](\d{1,2})月?\s*$")


def parse_month(text: str) -> dt.date:
    """'2026-11', '2026/3', '2026年3月' as the month's first day; ValueError saying why otherwise."""
    found = _MONTH.match(text)
    if not found:
        raise ValueError("not a month (use YYYY-MM)")
    year, month = int(found[1]), int(found[2])
    if not 1 <= month <= 12:
        raise ValueError(f"there is no month {month}")
    if not 1900 <= year <= 2999:
        raise ValueError(f"the year {year} is out of range")
    return dt.date(year, month, 1)


def change(now: Decimal | int, before: Decimal | int) -> float | None:
    """The relative change from ``before`` to ``now`` (0.1 is +10%); None when there was nothing before."""
    if not before:
        return None
    return float((Decimal(now) - Decimal(before)) / Decimal(before))


def change_text(now: Decimal | int, before: Decimal | int) -> str:
    """'+12%', '−3%', '0%', or '新' / 'new' is left to the face: '—' when there was nothing before."""
    value = change(now, before)
    if value is None:
        return "—" if not now else "+∞"
    percent = round(value * 100)
    return f"+{percent}%" if percent > 0 else f"−{-percent}%" if percent < 0 else "0%"
