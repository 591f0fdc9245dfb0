"""Tiers (分层) by AUM, with immediate upgrade and delayed downgrade (DOMAIN.md §2).

A client moves up the month their AUM crosses a threshold and moves down only after staying below it for
``downgrade_months`` consecutive months. That rule is exactly: the tier is the highest tier the raw monthly
AUM reached over the last ``downgrade_months`` snapshots. ``rate`` computes it that way; the property tests
check it against a month-by-month simulation of the rule as the method states it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

TIER_KEYS: tuple[str, ...] = (
    "standard",
    "gold",
    "gold_plus",
    "platinum",
    "platinum_plus",
    "diamond",
    "black",
)
TIER_RANK: dict[str, int] = {key: rank for rank, key in enumerate(TIER_KEYS)}

TIER_NAMES_ZH: dict[str, str] = {
    "standard": "普通",
    "gold": "金",
    "gold_plus": "卓越金",
    "platinum": "白金",
    "platinum_plus": "卓越白金",
    "diamond": "钻石",
    "black": "黑金",
}
TIER_NAMES_EN: dict[str, str] = {
    "standard": "Standard",
    "gold": "Gold",
    "gold_plus": "Gold+",
    "platinum": "Platinum",
    "platinum_plus": "Platinum+",
    "diamond": "Diamond",
    "black": "Black",
}

DEFAULT_THRESHOLDS: dict[str, Decimal] = {
    "gold": Decimal(200_000),
    "gold_plus": Decimal(500_000),
    "platinum": Decimal(1_000_000),
    "platinum_plus": Decimal(3_000_000),
    "diamond": Decimal(5_000_000),
    "black": Decimal(10_000_000),
}


@dataclass(frozen=True)
class TierPolicy:
    """Thresholds (minimum AUM in CNY for each tier above standard) and the downgrade delay."""

    thresholds: Mapping[str, Decimal] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    downgrade_months: int = 3

    def __post_init__(self) -> None:
        keys = [k for k in TIER_KEYS[1:] if k in self.thresholds]
        unknown = set(self.thresholds) - set(TIER_KEYS[1:])
        if unknown:
            raise ValueError(f"unknown tier(s): {', '.join(sorted(unknown))}")
        values = [Decimal(self.thresholds[k]) for k in keys]
        if any(v <= 0 for v in values):
            raise ValueError("tier thresholds must be positive")
        if values != sorted(values) or len(set(values)) != len(values):
            raise ValueError("tier thresholds must rise strictly from gold to black")
        if self.downgrade_months < 1:
            raise ValueError("downgrade_months must be at least 1")

    def raw_tier(self, aum: Decimal | int | float | None) -> str:
        """The tier a single month's AUM reaches, ignoring history."""
        if aum is None:
            return "standard"
        value = Decimal(aum)
        best = "standard"
        for key in TIER_KEYS[1:]:
            limit = self.thresholds.get(key)
            if limit is not None and value >= Decimal(limit):
                best = key
        return best


@dataclass(frozen=True)
class TierState:
    tier: str
    raw: str  # the tier the latest month alone reaches
    pending: str | None = None  # the tier the client will fall to if nothing changes
    months_left: int = 0  # months until that downgrade takes effect


def rate(history: Sequence[Decimal | int | float | None], policy: TierPolicy | None = None) -> TierState:
    """Rate a client from monthly AUM snapshots, oldest first."""
    policy = policy or TierPolicy()
    if not history:
        return TierState(tier="standard", raw="standard")
    raws = [TIER_RANK[policy.raw_tier(v)] for v in history]
    window = raws[-policy.downgrade_months :]
    tier = max(window)
    latest = raws[-1]
    if latest >= tier:
        return TierState(tier=TIER_KEYS[tier], raw=TIER_KEYS[latest])
    # Months since the last one that reached the current tier; the downgrade lands when it leaves the window.
    last_at_tier = max(i for i, r in enumerate(raws) if r >= tier)
    months_below = len(raws) - 1 - last_at_tier
    after = raws[last_at_tier + 1 :]
    return TierState(
        tier=TIER_KEYS[tier],
        raw=TIER_KEYS[latest],
        pending=TIER_KEYS[max(after)],
        months_left=policy.downgrade_months - months_below,
    )


# The names in use: DOMAIN.md's, or the user's own (settings ``[tiers.names.zh]``/``[tiers.names.en]``, applied
# by services.settings when it builds the policies). The defaults above stay the names of data interchange.
_names: dict[str, dict[str, str]] = {"zh": dict(TIER_NAMES_ZH), "en": dict(TIER_NAMES_EN)}


def set_names(zh: Mapping[str, str], en: Mapping[str, str]) -> None:
    """Name the tiers (a name per tier key and language; keys left out keep DOMAIN.md's name)."""
    for lang, given, default in (("zh", zh, TIER_NAMES_ZH), ("en", en, TIER_NAMES_EN)):
        if set(given) - set(TIER_KEYS):
            raise ValueError(f"unknown tier(s): {', '.join(sorted(set(given) - set(TIER_KEYS)))}")
        names = {**default, **{k: v.strip() for k, v in given.items()}}
        if any(not v for v in names.values()) or len(set(names.values())) != len(names):
            raise ValueError(f"tier names ({lang}) must be given and all different")
        _names[lang] = names


def tier_name(key: str, lang: str = "zh") -> str:
    return _names["zh" if lang == "zh" else "en"].get(key, key)


def tier_from_text(text: str) -> str:
    """Accept a tier key, an English name or a Chinese name (as typed on the command line)."""
    t = text.strip()
    low = t.lower().replace("+", "_plus").replace("-", "_").replace(" ", "_")
    if low in TIER_RANK:
        return low
    for names in (_names["zh"], _names["en"], TIER_NAMES_ZH, TIER_NAMES_EN):
        for key, name in names.items():
            if name.lower() == t.lower():
                return key
    raise ValueError(f"unknown tier {text!r}; one of: {', '.join(TIER_KEYS)}")
