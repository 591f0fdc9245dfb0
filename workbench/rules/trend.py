"""Value trend over the last months, and the churn warning (DOMAIN.md §3: AUM falling month after month,
large withdrawals)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

RISING, FLAT, FALLING = "rising", "flat", "falling"


@dataclass(frozen=True)
class TrendPolicy:
    months: int = 6  # how far back the trend looks
    flat_band: float = 0.05  # a change within ±5% over the window is flat
    falling_streak: int = 3  # this many consecutive monthly falls is a churn warning
    large_drop: float = 0.30  # the latest month 30% below the peak of the three before it: churn warning


@dataclass(frozen=True)
class Trend:
    direction: str | None  # rising | flat | falling | None when there is not enough history
    change: float | None  # relative change over the window (-0.25 = down 25%)
    churn: bool
    churn_reason: str | None  # "streak:N" | "drop:P" (percent)


def trend(history: Sequence[Decimal | int | float | None], policy: TrendPolicy | None = None) -> Trend:
    """Trend of monthly AUM, oldest first. Missing months (None) count as zero."""
    policy = policy or TrendPolicy()
    values = [float(v or 0) for v in history][-policy.months :]
    if len(values) < 2:
        return Trend(None, None, False, None)
    first, last = values[0], values[-1]
    if first <= 0:
        change = None if last <= 0 else 1.0
    else:
        change = (last - first) / first
    if change is None or abs(change) <= policy.flat_band:
        direction = FLAT
    else:
        direction = RISING if change > 0 else FALLING

    streak = 0
    for prev, cur in zip(values[-2::-1], values[::-1], strict=False):
        if cur < prev:
            streak += 1
        else:
            break
    peak_before = max(values[-4:-1]) if len(values) >= 2 else 0
    drop = (peak_before - last) / peak_before if peak_before > 0 else 0.0
    if drop >= policy.large_drop:
        return Trend(direction, change, True, f"drop:{round(drop * 100)}")
    if streak >= policy.falling_streak:
        return Trend(direction, change, True, f"streak:{streak}")
    return Trend(direction, change, False, None)


def churn_words(code: str | None) -> tuple[str, str]:
    """A churn reason as (Chinese, English) sentences: 'streak:3' → 金融资产连续3个月下降; 'drop:35' →
    金融资产较近期高点下降35%. Anything else is returned as it is."""
    kind, _, n = (code or "").partition(":")
    if kind == "streak":
        return f"金融资产连续{n}个月下降", f"AUM down {n} months in a row"
    if kind == "drop":
        return f"金融资产较近期高点下降{n}%", f"AUM {n}% below its recent peak"
    return code or "", code or ""
