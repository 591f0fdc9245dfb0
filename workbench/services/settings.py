"""The policies the rules take, built from the user's settings (services.config; defaults are DOMAIN.md's).

A setting each rule checks on its own (thresholds that must rise, a latest day before the ideal one) is
refused here with the key and the file named, as a wrong type is by services.config.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from workbench.errors import BadFile
from workbench.rules.cadence import CadencePolicy
from workbench.rules.tiers import TIER_KEYS, TierPolicy, set_names
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

    def fingerprint(self) -> str:
        return fingerprint(self.tiers, self.cadence)


def fingerprint(tiers: TierPolicy, cadence: CadencePolicy) -> str:
    """What the figures stored on each client depend on (tier, pending downgrade, next due day): when it
    changes, the book is re-rated (services.rerate)."""
    thresholds = sorted((k, str(Decimal(v).quantize(Decimal("0.01")))) for k, v in tiers.thresholds.items())
    intervals = sorted((k, cadence.interval(k)) for k in TIER_KEYS)
    text = repr((thresholds, tiers.downgrade_months, intervals))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


DEFAULT_FINGERPRINT = fingerprint(TierPolicy(), CadencePolicy())


def _table(prefix: str) -> dict[str, object]:
    from workbench.services import config

    return {tier: config.get(f"{prefix}.{tier}") for tier in TIER_KEYS if f"{prefix}.{tier}" in config.KEYS}


@lru_cache(maxsize=1)
def _figure_policies() -> tuple[TierPolicy, CadencePolicy]:
    """The tier and cadence policies (and the tiers' names), which the stored figures depend on."""
    from workbench.services import config

    table, where = _table, str(config.path())
    try:
        set_names(table("tiers.names.zh"), table("tiers.names.en"))  # type: ignore[arg-type]
    except ValueError as exc:
        raise BadFile(f"[tiers.names]: {exc}", file=where) from None
    try:
        tiers = TierPolicy(table("tiers.thresholds"), int(config.get("tiers.downgrade_months")))  # type: ignore[arg-type]
    except ValueError as exc:
        raise BadFile(f"[tiers.thresholds]: {exc}", file=where) from None
    try:
        cadence = CadencePolicy(table("cadence.interval"), table("cadence.latest"))  # type: ignore[arg-type]
    except ValueError as exc:
        why = f"[cadence]: {exc} (cadence.latest is the overdue day, on or after cadence.interval)"
        raise BadFile(why, file=where) from None
    return tiers, cadence


def current_fingerprint() -> str:
    """The fingerprint of the settings in force (without building the planner's policy)."""
    return fingerprint(*_figure_policies())


@lru_cache(maxsize=1)
def policies() -> Policies:
    """The policies in force, from the settings file (built once; config.reload() drops them)."""
    from workbench.rules.planner import PlanPolicy
    from workbench.services import config

    tiers, cadence = _figure_policies()
    where = str(config.path())

    try:
        plan = PlanPolicy(
            capacity=int(config.get("planner.daily_capacity")),  # type: ignore[call-overload]
            cadence=cadence,
            maturity_lead=int(config.get("planner.maturity_lead")),  # type: ignore[call-overload]
            key_date_lead=int(config.get("planner.key_date_lead")),  # type: ignore[call-overload]
            holiday_lead=int(config.get("planner.holiday_lead")),  # type: ignore[call-overload]
            period_lead=int(config.get("planner.period_lead")),  # type: ignore[call-overload]
            holiday_min_tier=str(config.get("planner.greet_min_tier")),
            allowed=tuple(config.get("planner.channels")),  # type: ignore[call-overload]
            greet=tuple(config.get("planner.greet")),  # type: ignore[call-overload]
        )
    except ValueError as exc:
        raise BadFile(f"[planner]: {exc}", file=where) from None
    return Policies(
        tiers=tiers,
        cadence=cadence,
        plan=plan,
        monthly_contacts=int(config.get("planner.monthly_target")),  # type: ignore[call-overload]
    )
