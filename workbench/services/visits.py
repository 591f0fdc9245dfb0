"""Visits (DOMAIN.md §4–6). So far: starting one from a planned contact; the wizard builds on these records."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from workbench.errors import NotFound
from workbench.rules.text import clean_input
from workbench.services.settings import today as _today
from workbench.store.db import transaction
from workbench.store.models import Client, Visit


@dataclass(frozen=True)
class StartedVisit:
    id: int
    client_id: int
    name: str
    date: dt.date
    created: bool  # False: an unfinished visit for that client and day already existed


def start_visit(client_id: int, day: dt.date | None = None, reasons: list[str] | None = None) -> StartedVisit:
    """A visit in its first stage (before) for the client on ``day``, noting why it was planned. Starting it
    twice the same day gives the same visit."""
    day = day or _today()
    with transaction():
        client = Client.get_or_none(Client.id == client_id)
        if client is None:
            raise NotFound(f"no client #{client_id}")
        existing = (
            Visit.select()
            .where(Visit.client == client_id, Visit.date == day, Visit.finished_at.is_null())
            .order_by(Visit.id)
            .first()
        )
        if existing is not None:
            return StartedVisit(existing.id, client_id, client.name, day, False)
        data = {"planned_because": [clean_input(r) for r in reasons or []]}
        visit = Visit.create(client=client_id, date=day, stage="before", data=json.dumps(data, ensure_ascii=False))
    return StartedVisit(visit.id, client_id, client.name, day, True)
