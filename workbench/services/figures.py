"""Keep each client's stored figures current: tier, trend, churn, completeness, next due date, search keys.

Called after anything that changes them (import, a contact, a profile edit). Works in bulk: one query per
table for the whole set of clients, never one per client.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from peewee import fn

from workbench.rules import pinyin, profile
from workbench.rules.cadence import next_due
from workbench.rules.figures import Snapshot, figures
from workbench.services.settings import Policies, policies
from workbench.store import bulk
from workbench.store.models import (
    Affiliate,
    Balance,
    Client,
    Contact,
    DecisionMaker,
    KeyDate,
    SearchKey,
    now,
)

CHUNK = 500


def refresh(client_ids: Iterable[int] | None = None, today: dt.date | None = None,
            pol: Policies | None = None, keys: bool = True) -> int:
    """Recompute stored figures for these clients (all when None). Call inside a write transaction."""
    from workbench.services.settings import today as _today

    today = today or _today()
    pol = pol or policies()
    ids = list(client_ids) if client_ids is not None else [c.id for c in Client.select(Client.id)]
    for start in range(0, len(ids), CHUNK):
        _refresh_chunk(ids[start : start + CHUNK], today, pol, keys)
    return len(ids)


def _refresh_chunk(ids: list[int], today: dt.date, pol: Policies, keys: bool) -> None:
    if not ids:
        return
    history: dict[int, list[Snapshot]] = defaultdict(list)
    for cid, month, aum, dep, loans in (
        Balance.select(Balance.client, Balance.month, Balance.aum, Balance.deposits, Balance.loans)
        .where(Balance.client.in_(ids))
        .tuples()
    ):
        history[cid].append(Snapshot(month, aum, dep, loans))
    counts = {
        name: dict(model.select(model.client, fn.COUNT(model.id)).where(model.client.in_(ids))
                   .group_by(model.client).tuples())
        for name, model in (("decision_makers", DecisionMaker), ("affiliates", Affiliate))
    }
    birthdays = set(
        KeyDate.select(KeyDate.client).where(KeyDate.client.in_(ids), KeyDate.kind == "birthday").tuples()
    )
    birthdays = {b[0] for b in birthdays}
    last = dict(
        Contact.select(Contact.client, fn.MAX(Contact.date)).where(Contact.client.in_(ids))
        .group_by(Contact.client).tuples()
    )
    columns = [f.name for f in profile.COLUMN_FIELDS]
    stamp = now()
    for client in Client.select().where(Client.id.in_(ids)):
        fig = figures(history.get(client.id, []), pol.tiers, pol.trends)
        values = {c: getattr(client, c) for c in columns}
        values["decision_makers"] = counts["decision_makers"].get(client.id, 0)
        values["affiliates"] = counts["affiliates"].get(client.id, 0)
        values["birthday"] = client.id in birthdays
        pct, missing = profile.completeness(client.kind, values)
        last_contact = _as_date(last.get(client.id))
        override = client.next_contact if client.next_contact and client.next_contact >= today else None
        Client.update(
            tier=fig.tier, tier_rank=fig.tier_rank, tier_pending=fig.tier_pending,
            tier_pending_months=fig.tier_pending_months, aum=fig.aum, deposits=fig.deposits, loans=fig.loans,
            balance_month=fig.balance_month, trend=fig.trend, trend_change=fig.trend_change, churn=fig.churn,
            churn_reason=fig.churn_reason, completeness=pct, missing=",".join(missing),
            last_contact=last_contact, next_due=next_due(fig.tier, last_contact, today, pol.cadence, override),
            sort_key=pinyin.sort_key(client.name), updated_at=stamp,
        ).where(Client.id == client.id).execute()
    if keys:
        write_keys(Client.select(Client.id, Client.name, Client.client_no, Client.phone)
                   .where(Client.id.in_(ids)).tuples())


def write_keys(rows: Iterable[tuple[int, str, str | None, str | None]]) -> None:
    """Replace the search keys of these clients."""
    rows = list(rows)
    ids = [r[0] for r in rows]
    for start in range(0, len(ids), CHUNK):
        SearchKey.delete().where(SearchKey.client.in_(ids[start : start + CHUNK])).execute()
    bulk.insert_rows(SearchKey, ("key", "client"),
                     ((key, cid) for cid, name, no, phone in rows for key in pinyin.client_keys(name, no, phone)))


def _as_date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value  # type: ignore[return-value]
    return dt.date.fromisoformat(str(value)[:10])
