"""Keep each client's stored figures current: tier, trend, churn, completeness, next due date, search keys.

``derive`` computes every stored column of one client from its data (pure; the demo generator and the
importer call it too, so a book made any way agrees with ``refresh``). ``refresh`` recomputes them in bulk:
a handful of reads per chunk of clients and one batched UPDATE, never a statement per client.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from peewee import fn

from workbench.rules import pinyin, profile
from workbench.rules.cadence import next_due
from workbench.rules.figures import Snapshot, figures
from workbench.services.settings import Policies, policies
from workbench.store import bulk
from workbench.store.models import Affiliate, Balance, Client, Contact, DecisionMaker, KeyDate, SearchKey, now

CHUNK = 2000
PROFILE_COLUMNS: tuple[str, ...] = tuple(f.name for f in profile.COLUMN_FIELDS)
DERIVED: tuple[str, ...] = (
    "tier",
    "tier_rank",
    "tier_pending",
    "tier_pending_months",
    "aum",
    "deposits",
    "loans",
    "balance_month",
    "trend",
    "trend_change",
    "churn",
    "churn_reason",
    "completeness",
    "missing",
    "last_contact",
    "next_due",
    "sort_key",
)


@dataclass(frozen=True)
class Related:
    """What a client's related records contribute to completeness."""

    decision_makers: int = 0
    affiliates: int = 0
    birthday: bool = False


def derive(
    kind: str,
    values: Mapping[str, object],
    history: Sequence[Snapshot],
    related: Related,
    last_contact: dt.date | None,
    next_contact: dt.date | None,
    today: dt.date,
    pol: Policies | None = None,
    since: dt.date | None = None,
    status: str = "active",
    next_step: dt.date | None = None,
) -> dict[str, object]:
    """Every stored, derived column of one client (Python values), keyed as in ``DERIVED``. ``since``: the day
    the client entered the book (a client never contacted is due from then). A prospect is due on its next
    step's date, never by cadence; a lost client is not due at all and carries no churn warning."""
    pol = pol or policies()
    fig = figures(history, pol.tiers, pol.trends) if history else _no_history(pol)
    pct, missing = profile.completeness(
        kind,
        values,
        {"decision_makers": related.decision_makers, "affiliates": related.affiliates, "birthday": related.birthday},
    )
    # an agreed date counts until it has passed or a contact on or after it has been made
    agreed = next_contact and next_contact >= today and (last_contact is None or next_contact > last_contact)
    override = next_contact if agreed else None
    if status == "active":
        due = next_due(fig.tier, last_contact, today, pol.cadence, override, since)
    else:
        due = next_step if status == "prospect" else None
    return {
        "tier": fig.tier,
        "tier_rank": fig.tier_rank,
        "tier_pending": fig.tier_pending,
        "tier_pending_months": fig.tier_pending_months,
        "aum": fig.aum,
        "deposits": fig.deposits,
        "loans": fig.loans,
        "balance_month": fig.balance_month,
        "trend": fig.trend,
        "trend_change": fig.trend_change,
        "churn": fig.churn and status == "active",
        "churn_reason": fig.churn_reason if status == "active" else None,
        "completeness": pct,
        "missing": ",".join(missing),
        "last_contact": last_contact,
        "next_due": due,
        "sort_key": pinyin.sort_key(str(values.get("name") or "")),
    }


_NO_HISTORY: list[object] = [None, None]  # (policies, their figures for a client without balances)


def _no_history(pol: Policies):
    """The figures of a client without balances (every new client of an import): the same for all."""
    if _NO_HISTORY[0] is not pol:
        _NO_HISTORY[:] = [pol, figures((), pol.tiers, pol.trends)]
    return _NO_HISTORY[1]


def refresh(
    client_ids: Iterable[int] | None = None,
    today: dt.date | None = None,
    pol: Policies | None = None,
    keys: bool = True,
) -> int:
    """Recompute stored figures (and search keys) for these clients, all when None. Call in a transaction."""
    from workbench.services.settings import today as _today

    today = today or _today()
    pol = pol or policies()
    ids = sorted(set(client_ids)) if client_ids is not None else [r[0] for r in Client.select(Client.id).tuples()]
    for start in range(0, len(ids), CHUNK):
        _refresh_chunk(ids[start : start + CHUNK], today, pol, keys)
    return len(ids)


def _refresh_chunk(ids: list[int], today: dt.date, pol: Policies, keys: bool) -> None:
    # Raw rows and literal id lists: on 100,000 clients peewee's per-value work cost more than the SQL.
    within = bulk.id_list(ids)
    history: dict[int, list[Snapshot]] = defaultdict(list)
    for cid, month, aum, dep, loans in bulk.raw(
        Balance.select(Balance.client, Balance.month, Balance.aum, Balance.deposits, Balance.loans).where(
            Balance.client.in_(within)
        )
    ):
        history[cid].append(Snapshot(bulk.as_date(month), _money(aum), _money(dep), _money(loans)))
    dms = _counts(DecisionMaker, within)
    affs = _counts(Affiliate, within)
    birthdays = {
        r[0]
        for r in bulk.raw(KeyDate.select(KeyDate.client).where(KeyDate.client.in_(within), KeyDate.kind == "birthday"))
    }
    last = dict(
        bulk.raw(
            Contact.select(Contact.client, fn.MAX(Contact.date))
            .where(Contact.client.in_(within))
            .group_by(Contact.client)
        )
    )
    head = ("id", "kind", "status", "next_step_date", "next_contact", "created_at")
    fields = [getattr(Client, c) for c in (*head, *PROFILE_COLUMNS)]
    rows = []
    postgres = bulk.is_postgres()
    stamp = bulk.db_form(now(), postgres=postgres)
    query = Client.select(*fields).where(Client.id.in_(within))
    for cid, kind, status, step, next_contact, created, *profile_values in bulk.raw(query):
        values = dict(zip(PROFILE_COLUMNS, profile_values, strict=True))
        related = Related(dms.get(cid, 0), affs.get(cid, 0), cid in birthdays)
        last_contact, agreed = bulk.as_date(last.get(cid)), bulk.as_date(next_contact)
        d = derive(
            kind,
            values,
            history.get(cid, ()),
            related,
            last_contact,
            agreed,
            today,
            pol,
            bulk.as_date(created),
            status=status,
            next_step=bulk.as_date(step),
        )
        rows.append([*db_row(d, postgres), stamp, cid])
    bulk.update_rows(Client, [*DERIVED, "updated_at"], rows, convert=False)
    if keys:
        write_keys(
            bulk.raw(Client.select(Client.id, Client.name, Client.client_no, Client.phone).where(Client.id.in_(within)))
        )


def db_row(derived: dict[str, object], postgres: bool = False) -> list[object]:
    """Derived values (as ``DERIVED`` orders them) in the form a bulk write sends. Text, whole numbers and
    None, most of them, go as they are without a call (bulk.db_form does the rest): a demo book or an import
    converts millions of them."""
    db_form = bulk.db_form
    return [
        v if v is None or (t := type(v)) is str or t is int else db_form(v, postgres=postgres)
        for v in map(derived.__getitem__, DERIVED)
    ]


def _money(cents: object) -> Decimal:
    return Decimal(cents or 0).scaleb(-2)


def _counts(model, within) -> dict[int, int]:
    return dict(
        bulk.raw(model.select(model.client, fn.COUNT(model.id)).where(model.client.in_(within)).group_by(model.client))
    )


def client_search_rows(rows: Iterable[tuple[int, str, str | None, str | None]]) -> Iterable[tuple[str, int]]:
    """SearchKey rows (key, client id) for (id, name, client_no, phone) tuples."""
    for cid, name, no, phone in rows:
        for key in pinyin.client_keys(name, no, phone):
            yield key, cid


def write_keys(rows: Iterable[tuple[int, str, str | None, str | None]]) -> None:
    """Replace the search keys of these clients."""
    rows = list(rows)
    ids = [r[0] for r in rows]
    for start in range(0, len(ids), CHUNK):
        SearchKey.delete().where(SearchKey.client.in_(bulk.id_list(ids[start : start + CHUNK]))).execute()
    # In key order: the primary key's B-tree then grows at its right edge instead of splitting pages at
    # random (twice as fast on 100,000 clients).
    bulk.insert_rows(SearchKey, ("key", "client"), sorted(client_search_rows(rows)))
