"""The policies the rules take. Defaults are DOMAIN.md's; the settings issue will read them from config."""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from workbench.rules.cadence import CadencePolicy
from workbench.rules.tiers import TierPolicy
from workbench.rules.trend import TrendPolicy

if TYPE_CHECKING:
    from workbench.rules.planner import PlanPolicy


def _plan_policy() -> PlanPolicy:
    from workbench.rules.planner import PlanPolicy  # the planner's rules load only where a plan is made

    return PlanPolicy()


@dataclass(frozen=True)
class Policies:
    tiers: TierPolicy = field(default_factory=TierPolicy)
    trends: TrendPolicy = field(default_factory=TrendPolicy)
    cadence: CadencePolicy = field(default_factory=CadencePolicy)
    plan: PlanPolicy = field(default_factory=_plan_policy)
    monthly_contacts: int = 300  # the month's contact target (DOMAIN.md §3)


@lru_cache(maxsize=1)
def policies() -> Policies:
    """The policies in force (built once: a TierPolicy validates its thresholds when made)."""
    return Policies()


def today() -> dt.date:
    """Today, or WORKBENCH_TODAY (YYYY-MM-DD) for demos and tests; --date sets it for one command. When
    pendulum is loaded its clock is asked, so its test helpers (pendulum.travel_to) freeze the day too."""
    forced = os.environ.get("WORKBENCH_TODAY", "").strip()
    if forced:
        return dt.date.fromisoformat(forced)
    pendulum = sys.modules.get("pendulum")
    if pendulum is not None:
        now = pendulum.today()
        return dt.date(now.year, now.month, now.day)  # a plain date: drivers do not adapt pendulum's Date
    return dt.date.today()
