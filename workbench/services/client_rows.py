"""A row of the client list, and the list's first page read without the database layer.

Kept free of peewee: the TUI shows its first page from here before the full store has loaded (it would cost
the first paint some 80 ms of imports, run on the interpreter lock Textual is starting on). The full store
then opens behind the painted screen, and every later page comes from ``services.portfolio``, which builds
the same rows (a test keeps the two pages equal).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from workbench.rules import identity
from workbench.rules.dates import as_date
from workbench.store import lite

COLUMNS = (
    "id",
    "client_no",
    "name",
    "kind",
    "status",
    "tier",
    "tier_pending",
    "aum",
    "trend",
    "trend_change",
    "churn",
    "phone",
    "last_contact",
    "next_due",
    "completeness",
    "source",
    "next_step",
    "lost_at",
    "lost_reason",
    "lost_tier",
)


@dataclass(slots=True)  # read-only by use; not frozen: a frozen dataclass costs 3 µs more a row to build
class ClientRow:
    id: int
    client_no: str | None
    name: str
    kind: str
    status: str
    tier: str
    tier_pending: str | None
    aum: Decimal
    trend: str | None
    trend_change: float | None
    churn: bool
    phone: str  # masked unless revealed
    last_contact: dt.date | None
    next_due: dt.date | None
    completeness: int
    source: str | None = None  # a prospect's (rules.lifecycle.SOURCES)
    next_step: str | None = None  # a prospect's next step; its date is next_due
    lost_at: dt.date | None = None  # a lost client's day, reason and tier then
    lost_reason: str | None = None
    lost_tier: str | None = None

    def as_json(self) -> dict[str, object]:
        from workbench.rules.money import json_amount

        return {
            "client_no": self.client_no,
            "name": self.name,
            "kind": self.kind,
            "status": self.status,
            "tier": self.tier,
            "tier_pending": self.tier_pending,
            "aum": json_amount(self.aum),
            "trend": self.trend,
            "churn": self.churn,
            "phone": self.phone,
            "last_contact": self.last_contact.isoformat() if self.last_contact else None,
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "completeness": self.completeness,
            "source": self.source,
            "next_step": self.next_step,
            "lost": None
            if self.lost_at is None
            else {"date": self.lost_at.isoformat(), "reason": self.lost_reason, "tier": self.lost_tier},
        }


def client_row(r: tuple, reveal: bool = False) -> ClientRow:
    """A row from the client table's COLUMNS, as a raw read returns them (either backend)."""
    (cid, no, name, kind, status, tier, pending, aum, trend, change, churn, phone, last, due, comp, *life) = r
    source, step, lost_at, lost_reason, lost_tier = life
    return ClientRow(
        id=cid,
        client_no=no,
        name=name,
        kind=kind,
        status=status,
        tier=tier,
        tier_pending=pending,
        aum=Decimal(aum or 0).scaleb(-2),
        trend=trend,
        trend_change=change,
        churn=bool(churn),
        phone=(phone or "") if reveal else identity.mask_phone(phone),
        last_contact=as_date(last),
        next_due=as_date(due),
        completeness=comp or 0,
        source=source,
        next_step=step,
        lost_at=as_date(lost_at),
        lost_reason=lost_reason,
        lost_tier=lost_tier,
    )


def first_page_lite(target: str | None, limit: int) -> tuple[list[ClientRow], int] | None:
    """The active clients' first page by tier (highest first, the list as it opens) and how many there are,
    read with sqlite3 alone; None when only the full open will do (a server, a new or an older book)."""
    conn = lite.open_lite(target)
    if conn is None:
        return None
    try:
        rows, total = lite.first_clients(conn, COLUMNS, limit)
    finally:
        conn.close()
    return [client_row(r) for r in rows], total
