"""Amounts, dates, lunar dates, IDs and phones as bank systems write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.rules import identity
from workbench.rules.dates import add_months, excel_serial, next_anniversary, parse_date
from workbench.rules.lunar import LunarDay, lunar_month_length, next_observed, observed_in_year, parse_lunar
from workbench.rules.money import json_amount, parse_amount, short_amount

cents = st.integers(min_value=-(10**13), max_value=10**13).map(lambda c: Decimal(c) / 100)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1234.56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("¥1,234.56", "1234.56"),
        ("￥1,234", "1234.00"),
        ("123.4万", "1234000.00"),
        ("1.2亿", "120000000.00"),
        ("-1,000", "-1000.00"),
        ("(500)", "-500.00"),
        (" 88 元", "88.00"),
        ("RMB 10", "10.00"),
        ("0", "0.00"),
        ("12,800,000.00", "12800000.00"),
    ],
)
def test_amounts(text: str, value: str) -> None:
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize("text", ["1,2,3", "-¥", "", "abc", "1.2.3", "12,34", "万", "1e5", "¥¥"])
def test_bad_amounts(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


@given(cents)
def test_amount_round_trips_grouped(value: Decimal) -> None:
    assert parse_amount(f"{value:,.2f}") == value
    assert parse_amount(f"¥{value:,.2f}") == value if value >= 0 else True
    assert Decimal(json_amount(value)) == value


@given(st.integers(min_value=0, max_value=10**8))
def test_wan_amounts(n: int) -> None:
    assert parse_amount(f"{Decimal(n) / 100}万") == Decimal(n) * 100


def test_short_amount() -> None:
    assert short_amount(Decimal(12_800_000)) == "1280万"
    assert short_amount(Decimal(350_000_000)) == "3.5亿"
    assert short_amount(Decimal(12_800_000), "en") == "12.8M"


dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31))


@given(dates)
def test_every_date_format_round_trips(d: dt.date) -> None:
    for text in (
        d.isoformat(),
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year}-{d.month}-{d.day}",
        f"{d.year}年{d.month}月{d.day}日",
        d.strftime("%Y%m%d"),
        f"{d.year}.{d.month:02d}.{d.day:02d}",
        f"{d.isoformat()} 00:00:00",
    ):
        assert parse_date(text) == d


@given(st.integers(min_value=1900, max_value=2199), st.integers(1, 12), st.integers(29, 40))
def test_impossible_dates_say_why(year: int, month: int, day: int) -> None:
    try:
        d = dt.date(year, month, day)
    except ValueError:
        with pytest.raises(ValueError, match=r"days|month"):
            parse_date(f"{year}-{month}-{day}")
    else:
        assert parse_date(f"{year}-{month}-{day}") == d


@pytest.mark.parametrize("text", ["2024-02-30", "20241399", "2024-13-01", "yesterday", "", "2024/02", "1800-01-01"])
def test_bad_dates(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_excel_serial_and_months() -> None:
    assert excel_serial(45358) == dt.date(2024, 3, 7)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert next_anniversary(2, 29, dt.date(2026, 11, 23)) == dt.date(2027, 2, 28)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("农历八月十五", LunarDay(8, 15)),
        ("八月十五", LunarDay(8, 15)),
        ("闰四月初八", LunarDay(4, 8, True)),
        ("农历1990-08-15", LunarDay(8, 15, year=1990)),
        ("腊月三十", LunarDay(12, 30)),
        ("正月初一", LunarDay(1, 1)),
        ("冬月廿三", LunarDay(11, 23)),
        ("农历十一月二十一", LunarDay(11, 21)),
        ("1990年八月十五", LunarDay(8, 15, year=1990)),
    ],
)
def test_lunar_parsing(text: str, value: LunarDay) -> None:
    assert parse_lunar(text) == value


@pytest.mark.parametrize("text", ["农历十三月初一", "农历八月三十五", "农历", "八月", "农历1990-13-01"])
def test_bad_lunar(text: str) -> None:
    with pytest.raises(ValueError):
        parse_lunar(text)


def test_lunar_edge_cases() -> None:
    # 八月十五 (Mid-Autumn) 2026 falls on 25 September.
    assert observed_in_year(LunarDay(8, 15), 2026) == dt.date(2026, 9, 25)
    # 腊月三十 in a year whose twelfth month has 29 days is observed on the 29th (除夕 2025: 28 January).
    assert lunar_month_length(2024, 12) == 29
    assert observed_in_year(LunarDay(12, 30), 2024) == dt.date(2025, 1, 28)
    # A leap-month date in a year without that leap month falls in the ordinary month.
    assert observed_in_year(LunarDay(6, 1, leap=True), 2025) == dt.date(2025, 7, 25)
    assert observed_in_year(LunarDay(6, 1, leap=False), 2025) == dt.date(2025, 6, 25)
    assert observed_in_year(LunarDay(4, 8, leap=True), 2026) == observed_in_year(LunarDay(4, 8), 2026)
    # Beyond the tables: no crash, no date.
    assert next_observed(LunarDay(8, 15), dt.date(2150, 1, 1)) is None


@given(
    st.dates(min_value=dt.date(1902, 1, 1), max_value=dt.date(2098, 6, 1)),
    st.integers(1, 12),
    st.integers(1, 30),
)
def test_next_lunar_observance_is_today_or_later(today: dt.date, month: int, day: int) -> None:
    nxt = next_observed(LunarDay(month, day), today)
    assert nxt is not None and today <= nxt <= today + dt.timedelta(days=400)


def test_ids_and_phones() -> None:
    assert identity.id_checksum_ok("11010519491231002X") is True
    assert identity.id_checksum_ok("110105194912310021") is False
    assert identity.normalize_id(110105194912310021) == "110105194912310021"
    assert identity.normalize_phone("0571-88886666") == "0571-88886666"
    assert identity.normalize_phone("057188886666") == "0571-88886666"
    assert identity.normalize_phone("010-12345678") == "010-12345678"
    assert identity.normalize_phone(13812345678.0) == "13812345678"
    assert identity.normalize_phone("+86 138 1234 5678") == "13812345678"
    assert identity.mask_phone("13812345678") == "138****5678"
    assert identity.mask_id("330106199001011234") == "3301**********1234"
    for bad in ("12345", "phone", "1381234567890123"):
        with pytest.raises(ValueError):
            identity.normalize_phone(bad)


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_generated_ids_pass_their_checksum(first17: str) -> None:
    assert identity.id_checksum_ok(first17 + identity.id_check_digit(first17)) is True
