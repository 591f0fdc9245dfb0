"""The book as a list: filter by tier, search by Chinese, pinyin, client number or phone tail, sort, page.

Everything a row shows is stored on the client when data changes, so a page is one indexed query whatever
the size of the book.
"""

from __future__ import annotations

from peewee import fn

from workbench.errors import Ambiguous, BadInput, NotFound
from workbench.rules import pinyin
from workbench.rules.tiers import TIER_KEYS, TIER_RANK, tier_from_text
from workbench.services.client_rows import COLUMNS, ClientRow, client_row
from workbench.store.models import Client, SearchKey
from workbench.store.search import key_prefix

SORTS = {
    "name": Client.sort_key,
    "tier": Client.tier_rank,
    "aum": Client.aum,
    "trend": Client.trend_change,
    "last_contact": Client.last_contact,
    "next_due": Client.next_due,
    "completeness": Client.completeness,
    "client_no": Client.client_no,
    "lost_at": Client.lost_at,
}
DEFAULT_DESCENDING = {
    "tier": True,
    "aum": True,
    "trend": False,
    "completeness": False,
    "name": False,
    "last_contact": False,
    "next_due": False,
    "client_no": False,
    "lost_at": True,
}


_ROW_FIELDS = tuple(getattr(Client, name) for name in COLUMNS)


def tier_rank(tier: str) -> int:
    """The rank of a tier as typed (key, Chinese or English name); BadInput naming --tier otherwise."""
    try:
        return TIER_RANK[tier_from_text(tier)]
    except ValueError as exc:
        raise BadInput(exc, column="--tier", value=tier) from None


def _query(tier: str | None, search: str | None, status: str | None):
    query = Client.select(*_ROW_FIELDS)
    if status:
        query = query.where(Client.status == status)
    if tier:
        query = query.where(Client.tier_rank == tier_rank(tier))
    if search is not None:
        prefixes = pinyin.query_prefixes(search)
        if not prefixes:
            return None
        cond = key_prefix(prefixes[0])
        for p in prefixes[1:]:
            cond = cond | key_prefix(p)
        query = query.where(Client.id.in_(SearchKey.select(SearchKey.client).where(cond)))
    return query


def list_clients(
    *,
    tier: str | None = None,
    search: str | None = None,
    sort: str = "tier",
    descending: bool | None = None,
    limit: int | None = None,
    offset: int = 0,
    reveal: bool = False,
    status: str | None = "active",
) -> list[ClientRow]:
    """One page of clients (all of them when ``limit`` is None)."""
    if sort not in SORTS:
        raise BadInput(f"cannot sort by {sort!r}; one of: {', '.join(SORTS)}", column="--sort", value=sort)
    query = _query(tier, search, status)
    if query is None:
        return []
    desc = DEFAULT_DESCENDING[sort] if descending is None else descending
    col = SORTS[sort]
    order = [col.desc(nulls="LAST") if desc else col.asc(nulls="LAST")]
    if sort == "tier":
        order.append(Client.aum.desc() if desc else Client.aum.asc())
    order.append(Client.sort_key.asc())
    order.append(Client.id.asc())
    query = query.order_by(*order)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    elif offset:
        query = query.offset(offset)
    # Raw rows, converted here: peewee's per-field conversion costs more than the query on long lists.
    rows = [client_row(r, reveal) for r in Client._meta.database.execute(query).fetchall()]
    if reveal and rows:
        from workbench.services import audit

        shown = ", ".join(f"{k}={v}" for k, v in (("tier", tier), ("search", search)) if v)
        audit.record("reveal.list", f"{len(rows)} clients" + (f" ({shown})" if shown else ""))
    return rows


def count_clients(*, tier: str | None = None, search: str | None = None, status: str | None = "active") -> int:
    query = _query(tier, search, status)
    return 0 if query is None else query.count()


def tier_counts(status: str = "active") -> dict[str, int]:
    # by rank, which the (status, tier_rank, aum) index holds: the count never reads the clients themselves
    query = Client.select(Client.tier_rank, fn.COUNT(Client.id)).where(Client.status == status)
    found = dict(query.group_by(Client.tier_rank).tuples())
    return {key: int(found.get(TIER_RANK[key], 0)) for key in TIER_KEYS}


def find_client(ref: str) -> int:
    """A client's id from a client number, an ID number, a phone, an exact name, or a search that finds one."""
    text = ref.strip()
    if not text:
        raise BadInput("which client? give a client number, a name or pinyin")
    for cond in (
        Client.client_no == text,
        Client.client_no == text.upper(),
        Client.name == text,
        Client.id_number == text.upper(),
    ):
        ids = [c.id for c in Client.select(Client.id, Client.name).where(cond).limit(11)]
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            raise _ambiguous(text, ids)
    digits = text.replace("-", "")
    if digits.isdigit() and len(digits) >= 7:
        ids = [
            c.id
            for c in Client.select(Client.id)
            .where((Client.phone == text) | (fn.REPLACE(Client.phone, "-", "") == digits))
            .limit(11)
        ]
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            raise _ambiguous(text, ids)
    rows = list_clients(search=text, limit=11, status=None, sort="name")
    if len(rows) == 1:
        return rows[0].id
    if not rows:
        raise NotFound(f"no client matches {text!r}")
    raise _ambiguous(text, [r.id for r in rows])


def _ambiguous(text: str, ids: list[int]) -> Ambiguous:
    shown = [
        f"{c.name} ({c.client_no or c.id})"
        for c in Client.select(Client.name, Client.client_no, Client.id).where(Client.id.in_(ids[:10]))
    ]
    more = "…" if len(ids) > 10 else ""
    return Ambiguous(
        f"{text!r} matches {len(ids)}{'+' if more else ''} clients: {', '.join(shown)}{more}; give the client number",
        shown,
    )
