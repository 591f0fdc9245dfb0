"""Amounts as bank systems write them: 1234.56, 1,234.56, ¥1,234.56, 123.4万, 1.2亿."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from workbench.errors import Invalid

CENT = Decimal("0.01")
_UNITS = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "千": Decimal(1000), "元": Decimal(1)}
_NUMBER = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def parse_amount(text: str | int | float | Decimal) -> Decimal:
    """Parse an amount in CNY; raise ValueError saying why. Result rounded to cents."""
    if isinstance(text, bool):
        raise Invalid("err.amount.format")
    if isinstance(text, int | Decimal):
        return Decimal(text).quantize(CENT, ROUND_HALF_UP)
    if isinstance(text, float):
        if text != text or text in (float("inf"), float("-inf")):
            raise Invalid("err.amount.finite")
        return Decimal(repr(text)).quantize(CENT, ROUND_HALF_UP)
    s = str(text).strip().replace("，", ",").replace("．", ".").replace(" ", "").replace("\u00a0", "")
    if not s:
        raise Invalid("err.amount.empty")
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if s[:1] in "-−":
        negative, s = True, s[1:]
    elif s[:1] == "+":
        s = s[1:]
    s = s.lstrip("¥￥")
    if s.upper().startswith(("CNY", "RMB")):
        s = s[3:]
    unit = Decimal(1)
    while s and s[-1] in _UNITS:
        unit *= _UNITS[s[-1]]
        s = s[:-1]
    if s.upper().endswith(("CNY", "RMB")):
        s = s[:-3]
    if not s:
        raise Invalid("err.amount.digits")
    if not _NUMBER.match(s):
        raise Invalid("err.amount.format")
    try:
        value = Decimal(s.replace(",", "")) * unit
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid decimals
        raise Invalid("err.amount.format") from exc
    if value >= Decimal("1e15"):
        raise Invalid("err.amount.large")
    value = value.quantize(CENT, ROUND_HALF_UP)
    return -value if negative else value


def to_cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value(ROUND_HALF_UP))


def from_cents(cents: int | None) -> Decimal | None:
    return None if cents is None else (Decimal(cents) / 100).quantize(CENT)


def json_amount(value: Decimal | None) -> str | None:
    """Money in JSON: a decimal string with two places, never a float."""
    return None if value is None else f"{value.quantize(CENT):f}"


def short_amount(value: Decimal | None, lang: str = "zh") -> str:
    """A compact figure for narrow columns: 1280万, 3.5亿, 8,500 (zh); 12.8M, 850K (en)."""
    if value is None:
        return "—"
    v = Decimal(value)
    sign = "-" if v < 0 else ""
    v = abs(v)
    if lang == "zh":
        if v >= 100_000_000:
            return f"{sign}{_trim(v / 100_000_000)}亿"
        if v >= 10_000:
            return f"{sign}{_trim(v / 10_000)}万"
        return f"{sign}{v:,.0f}"
    if v >= 1_000_000:
        return f"{sign}{_trim(v / 1_000_000)}M"
    if v >= 1_000:
        return f"{sign}{_trim(v / 1_000)}K"
    return f"{sign}{v:,.0f}"


def _trim(v: Decimal) -> str:
    text = f"{v:.1f}" if v < 100 else f"{v:.0f}"
    return text[:-2] if text.endswith(".0") else text
