"""What the branch reviews of a manager's book beyond its figures (DOMAIN.md §9): the abnormal losses of
白金 clients and above within the year, each with what the record shows (the last contacts, open complaints,
the balances falling before the loss); the share of mid- and high-tier clients whose key fields are recorded;
and the book's movement in a month (prospects added and converted, clients lost)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from workbench.rules import lifecycle as rules
from workbench.rules.money import from_cents
from workbench.rules.tiers import TIER_RANK
from workbench.store import bulk
from workbench.store.models import Balance, Client, Complaint, Contact

CONTACTS_SHOWN = 3
BALANCES_SHOWN = 6


@dataclass(frozen=True)
class LossReview:
    client_id: int
    name: str
    tier: str | None
    date: dt.date
    reason: str
    normal: bool | None
    contacts: list[tuple[dt.date, str, str]] = field(default_factory=list)  # (date, channel, outcome), latest first
    complaints: list[tuple[dt.date, str, str]] = field(default_factory=list)  # open: (opened, step, text)
    balances: list[tuple[dt.date, Decimal]] = field(default_factory=list)  # the last months before the loss
    falling: bool = False  # AUM lower at the end than at the start of those months

    def as_json(self) -> dict[str, object]:
        from workbench.rules.money import json_amount

        return {
            "name": self.name,
            "tier": self.tier,
            "date": self.date.isoformat(),
            "reason": self.reason,
            "normal": self.normal,
            "contacts": [{"date": d.isoformat(), "channel": c, "outcome": o} for d, c, o in self.contacts],
            "open_complaints": [{"opened": d.isoformat(), "step": s, "text": x} for d, s, x in self.complaints],
            "balances": [{"month": m.isoformat()[:7], "aum": json_amount(a)} for m, a in self.balances],
            "falling": self.falling,
        }


def losses(day: dt.date) -> list[LossReview]:
    """The losses the branch reviews as of ``day`` (rules.lifecycle.reviewed), with their record."""
    start = dt.date(day.year, 1, 1)
    rows = bulk.raw(
        Client.select(
            Client.id, Client.name, Client.lost_tier, Client.lost_at, Client.lost_reason, Client.lost_normal
        ).where(Client.status == "lost", Client.lost_at.between(start, day))
    )
    found = rules.reviewed(
        [
            rules.Loss(cid, name, tier, bulk.as_date(when), reason or "", None if normal is None else bool(normal))
            for cid, name, tier, when, reason, normal in rows
        ],
        day,
    )
    return [_record(x) for x in found]


def _record(x: rules.Loss) -> LossReview:
    contacts = [
        (bulk.as_date(d), channel, outcome)
        for d, channel, outcome in bulk.raw(
            Contact.select(Contact.date, Contact.channel, Contact.outcome)
            .where(Contact.client == x.client_id)
            .order_by(Contact.date.desc(), Contact.id.desc())
            .limit(CONTACTS_SHOWN)
        )
    ]
    complaints = [
        (bulk.as_date(d), step, text)
        for d, step, text in bulk.raw(
            Complaint.select(Complaint.opened, Complaint.step, Complaint.text)
            .where(Complaint.client == x.client_id, Complaint.resolved_at.is_null())
            .order_by(Complaint.opened)
        )
    ]
    balances = [
        (bulk.as_date(m), from_cents(aum) or Decimal(0))
        for m, aum in bulk.raw(
            Balance.select(Balance.month, Balance.aum)
            .where(Balance.client == x.client_id, Balance.month <= x.date)
            .order_by(Balance.month.desc())
            .limit(BALANCES_SHOWN)
        )
    ][::-1]
    falling = len(balances) >= 2 and balances[-1][1] < balances[0][1]
    return LossReview(x.client_id, x.name, x.tier, x.date, x.reason, x.normal, contacts, complaints, balances, falling)


def key_fields() -> rules.KeyFieldShare:
    """Of the active clients from 金 up, how many have their address, phone and employer recorded."""
    floor = TIER_RANK[rules.MID_TIER]
    rows = bulk.raw(
        Client.select(Client.tier, Client.address, Client.phone, Client.employer, Client.kind).where(
            Client.status == "active", Client.tier_rank >= floor
        )
    )
    # a company has no employer: its key fields are its address and phone
    return rules.key_field_share(
        (tier, {"address": a, "phone": p, "employer": e if kind == "individual" else "-"})
        for tier, a, p, e, kind in rows
    )


@dataclass(frozen=True)
class Movement:
    prospects: int  # prospects now
    added: int  # prospects added in the month
    converted: int  # converted in the month
    lost: int  # clients lost in the month
    lost_abnormal: int

    def as_json(self) -> dict[str, int]:
        return {
            "prospects": self.prospects,
            "prospects_added": self.added,
            "converted": self.converted,
            "lost": self.lost,
            "lost_abnormal": self.lost_abnormal,
        }


def movement(month: dt.date, day: dt.date) -> Movement:
    end = dt.datetime.combine(day, dt.time.max)
    start = dt.datetime.combine(month, dt.time.min)
    lost = Client.select().where(Client.status == "lost", Client.lost_at.between(month, day))
    return Movement(
        prospects=Client.select().where(Client.status == "prospect").count(),
        added=Client.select()
        .where(
            Client.created_at.between(start, end), (Client.status == "prospect") | Client.converted_at.is_null(False)
        )
        .count(),
        converted=Client.select().where(Client.converted_at.between(month, day)).count(),
        lost=lost.count(),
        lost_abnormal=lost.where(Client.lost_normal != True).count(),  # noqa: E712
    )
