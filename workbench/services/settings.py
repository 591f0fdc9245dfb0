"""The policies the rules take. Defaults are DOMAIN.md's; the settings issue will read them from config."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from workbench.rules.cadence import CadencePolicy
from workbench.rules.tiers import TierPolicy
from workbench.rules.trend import TrendPolicy
from workbench.services.clock import today  # noqa: F401  (one clock; re-exported for the services)

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
