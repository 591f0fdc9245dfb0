"""Tier hysteresis: upgrade at once, downgrade only after N months below (DOMAIN.md §2)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.rules.tiers import TIER_KEYS, TIER_RANK, TierPolicy, rate, tier_from_text

M = 1_000_000
amounts = st.integers(min_value=0, max_value=20 * M)
histories = st.lists(amounts, min_size=1, max_size=30)
delays = st.integers(min_value=1, max_value=6)


def simulate(history: list[int], policy: TierPolicy) -> tuple[str, int]:
    """The rule as the method states it, month by month: a reference model for the property tests."""
    current, below = None, 0
    raws = [TIER_RANK[policy.raw_tier(v)] for v in history]
    for i, raw in enumerate(raws):
        if current is None or raw > current:
            current, below = raw, 0
        elif raw == current:
            below = 0
        else:
            below += 1
            if below >= policy.downgrade_months:
                window = raws[i - policy.downgrade_months + 1 : i + 1]
                current = max(window)
                below = 0
                for r in reversed(window):  # months since the new tier was last reached
                    if r >= current:
                        break
                    below += 1
    return TIER_KEYS[current], below


@given(histories, delays)
def test_rate_matches_the_month_by_month_rule(history: list[int], n: int) -> None:
    policy = TierPolicy(downgrade_months=n)
    tier, below = simulate(history, policy)
    state = rate(history, policy)
    assert state.tier == tier
    if below:
        assert state.pending is not None and state.months_left == n - below
    else:
        assert state.pending is None


@given(histories, delays)
def test_upgrade_is_immediate_and_tier_never_below_latest(history: list[int], n: int) -> None:
    policy = TierPolicy(downgrade_months=n)
    state = rate(history, policy)
    assert TIER_RANK[state.tier] >= TIER_RANK[policy.raw_tier(history[-1])]


@given(histories, delays, st.integers(min_value=0, max_value=20 * M))
def test_one_bad_month_never_demotes(history: list[int], n: int, dip: int) -> None:
    policy = TierPolicy(downgrade_months=n)
    before = rate(history, policy)
    if n > 1 and before.pending is None:  # at its tier now: a single dip keeps it there
        assert TIER_RANK[rate([*history, dip], policy).tier] >= TIER_RANK[before.tier]


@given(histories, delays)
def test_downgrade_after_n_months_below(history: list[int], n: int) -> None:
    policy = TierPolicy(downgrade_months=n)
    low = 0  # standard
    state = rate([*history, *([low] * n)], policy)
    assert state.tier == "standard" and state.pending is None


def test_domain_example_diamond_with_pending_downgrade() -> None:
    # 钻石 three months ago, below 5M for only two months: still 钻石, downgrade pending.
    state = rate([Decimal(6 * M), Decimal(4 * M), Decimal(4 * M)])
    assert (state.tier, state.pending, state.months_left) == ("diamond", "platinum_plus", 1)
    assert rate([6 * M, 4 * M, 4 * M, 4 * M]).tier == "platinum_plus"


def test_thresholds_are_configurable_and_checked() -> None:
    policy = TierPolicy(thresholds={"gold": Decimal(100_000), "black": Decimal(2 * M)})
    assert policy.raw_tier(150_000) == "gold"
    assert policy.raw_tier(2 * M) == "black"
    with pytest.raises(ValueError, match="rise"):
        TierPolicy(thresholds={"gold": Decimal(M), "platinum": Decimal(500_000)})
    with pytest.raises(ValueError, match="unknown"):
        TierPolicy(thresholds={"silver": Decimal(1)})
    with pytest.raises(ValueError):
        TierPolicy(downgrade_months=0)


def test_default_thresholds_match_the_contract() -> None:
    policy = TierPolicy()
    cases = {
        199_999.99: "standard",
        200_000: "gold",
        500_000: "gold_plus",
        1 * M: "platinum",
        3 * M: "platinum_plus",
        5 * M: "diamond",
        10 * M: "black",
    }
    for aum, key in cases.items():
        assert policy.raw_tier(Decimal(str(aum))) == key


def test_tier_names_parse() -> None:
    assert tier_from_text("钻石") == "diamond"
    assert tier_from_text("Platinum+") == "platinum_plus"
    assert tier_from_text("gold_plus") == "gold_plus"
    with pytest.raises(ValueError):
        tier_from_text("silver")


def test_empty_history_is_standard() -> None:
    assert rate([]).tier == "standard"
