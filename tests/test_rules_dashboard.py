"""The dashboard's arithmetic (rules.dashboard)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.rules.dashboard import change, change_text, parse_month


def test_months_as_managers_write_them() -> None:
    assert parse_month("2026-11") == dt.date(2026, 11, 1)
    assert parse_month("2026/3") == parse_month("2026年3月") == dt.date(2026, 3, 1)
    for bad, why in (("2026-13", "no month 13"), ("abc", "not a month"), ("0999-01", "out of range"), ("", "not")):
        with pytest.raises(ValueError, match=why):
            parse_month(bad)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)))
def test_every_month_reads_back(day: dt.date) -> None:
    assert parse_month(f"{day:%Y-%m}") == day.replace(day=1)


def test_changes() -> None:
    assert change(110, 100) == pytest.approx(0.1) and change(90, 100) == pytest.approx(-0.1)
    assert change(5, 0) is None
    assert change_text(Decimal("112.4"), 100) == "+12%" and change_text(97, 100) == "−3%"
    assert change_text(100, 100) == "0%" and change_text(0, 0) == "—" and change_text(3, 0) == "+∞"


@given(st.integers(0, 10**12), st.integers(1, 10**12))
def test_a_change_applied_gives_the_figure_back(now: int, before: int) -> None:
    value = change(now, before)
    assert value is not None and before * (1 + value) == pytest.approx(now, rel=1e-9, abs=1e-3)
    assert change_text(now, before)[0] in "+−0"
