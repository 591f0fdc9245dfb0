"""Contact cadence per tier (DOMAIN.md §3): how often each tier is contacted, restarting from the last real
contact. The planner issue builds its scoring on these intervals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_INTERVALS: dict[str, int] = {  # days between contacts
    "black": 14,
    "diamond": 21,
    "platinum_plus": 30,
    "platinum": 45,
    "gold_plus": 60,
    "gold": 90,
    "standard": 180,
}


@dataclass(frozen=True)
class CadencePolicy:
    intervals: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_INTERVALS))

    def interval(self, tier: str) -> int:
        return int(self.intervals.get(tier, DEFAULT_INTERVALS["standard"]))


def next_due(
    tier: str,
    last_contact: dt.date | None,
    today: dt.date,
    policy: CadencePolicy | None = None,
    override: dt.date | None = None,
) -> dt.date:
    """When the client is next due: an agreed next date wins; else the tier interval after the last contact;
    a client never contacted is due today."""
    if override is not None:
        return override
    if last_contact is None:
        return today
    policy = policy or CadencePolicy()
    return last_contact + dt.timedelta(days=policy.interval(tier))
