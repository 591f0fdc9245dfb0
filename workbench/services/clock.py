"""What day it is for the book: a module of its own so the quick paths (`wb note`) load nothing else."""

from __future__ import annotations

import datetime as dt
import os
import sys


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
