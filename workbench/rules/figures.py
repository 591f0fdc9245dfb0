"""What a client's balance history says: current figures, tier with its pending downgrade, trend and churn.
Computed when data changes and stored on the client, so lists and the planner never recompute it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from workbench.rules.tiers import TIER_RANK, TierPolicy, rate
from workbench.rules.trend import TrendPolicy, trend


@dataclass(frozen=True)
class Snapshot:
    month: dt.date
    aum: Decimal
    deposits: Decimal = Decimal(0)
    loans: Decimal = Decimal(0)


@dataclass(frozen=True)
class Figures:
    tier: str
    tier_rank: int
    tier_pending: str | None
    tier_pending_months: int
    aum: Decimal
    deposits: Decimal
    loans: Decimal
    balance_month: dt.date | None
    trend: str | None
    trend_change: float | None
    churn: bool
    churn_reason: str | None


def figures(history: Sequence[Snapshot], tiers: TierPolicy | None = None, trends: TrendPolicy | None = None) -> Figures:
    """Figures from monthly snapshots in any order."""
    ordered = sorted(history, key=lambda s: s.month)
    state = rate([s.aum for s in ordered], tiers)
    tr = trend([s.aum for s in ordered], trends)
    last = ordered[-1] if ordered else None
    return Figures(
        tier=state.tier,
        tier_rank=TIER_RANK[state.tier],
        tier_pending=state.pending,
        tier_pending_months=state.months_left,
        aum=last.aum if last else Decimal(0),
        deposits=last.deposits if last else Decimal(0),
        loans=last.loans if last else Decimal(0),
        balance_month=last.month if last else None,
        trend=tr.direction,
        trend_change=None if tr.change is None else round(tr.change, 4),
        churn=tr.churn,
        churn_reason=tr.churn_reason,
    )
