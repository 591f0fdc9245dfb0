"""Contact cadence per tier (DOMAIN.md §3): how often each tier is contacted, restarting from the last real
contact. Each tier has an ideal interval (the day it falls due) and a latest one (after it, overdue)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

CHANNELS = ("phone", "visit", "wechat", "sms", "email", "event")  # how a client is contacted
DEFAULT_INTERVALS: dict[str, int] = {  # days from a contact to the ideal next one
    "black": 14,
    "diamond": 21,
    "platinum_plus": 30,
    "platinum": 45,
    "gold_plus": 60,
    "gold": 90,
    "standard": 180,
}
DEFAULT_LATEST: dict[str, int] = {  # days from a contact after which the client is overdue
    "black": 21,
    "diamond": 30,
    "platinum_plus": 45,
    "platinum": 60,
    "gold_plus": 90,
    "gold": 120,
    "standard": 270,
}


@dataclass(frozen=True)
class CadencePolicy:
    intervals: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_INTERVALS))
    latest: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_LATEST))

    def __post_init__(self) -> None:
        for tier, ideal in self.intervals.items():
            if int(ideal) < 1:
                raise ValueError(f"cadence interval for {tier} must be at least 1 day")
            if int(self.latest.get(tier, ideal)) < int(ideal):
                raise ValueError(f"cadence latest day for {tier} comes before its ideal day")

    def interval(self, tier: str) -> int:
        return int(self.intervals.get(tier, DEFAULT_INTERVALS["standard"]))

    def latest_day(self, tier: str) -> int:
        """Days after a contact by which the next one must happen (never before the ideal day)."""
        ideal = self.interval(tier)
        return max(ideal, int(self.latest.get(tier, DEFAULT_LATEST.get(tier, ideal))))

    def grace(self, tier: str) -> int:
        """Days between the ideal and the latest day."""
        return self.latest_day(tier) - self.interval(tier)


def next_due(
    tier: str,
    last_contact: dt.date | None,
    today: dt.date,
    policy: CadencePolicy | None = None,
    override: dt.date | None = None,
    since: dt.date | None = None,
) -> dt.date:
    """When the client is next due: an agreed next date wins; else the tier interval after the last contact;
    a client never contacted has been due since it entered the book (``since``; today when unknown)."""
    if override is not None:
        return override
    if last_contact is None:
        return min(since, today) if since is not None else today
    policy = policy or CadencePolicy()
    return last_contact + dt.timedelta(days=policy.interval(tier))
