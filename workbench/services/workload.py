"""The planner's other two views: the coming week's load, and the month's coverage (DOMAIN.md §3, §7).

Both count through indexes (client.next_due, holding.maturity_date, key dates by month and day,
contact.date); none reads a client's history.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from peewee import fn

from workbench.rules.tiers import TIER_KEYS, TIER_RANK
from workbench.rules.workdays import greeting_days
from workbench.services import holidays, planner
from workbench.services.settings import policies
from workbench.services.settings import today as _today
from workbench.store import bulk
from workbench.store.models import Client, Contact, Holding


@dataclass(frozen=True)
class WeekDay:
    date: dt.date
    workday: bool
    holiday: str | None  # the holiday's name on a day off
    due: int  # clients whose cadence falls due that day
    maturities: int
    key_dates: tuple[str, ...]  # "张伟 生日", …
    greetings: tuple[str, ...]  # 元旦, 春节…


@dataclass(frozen=True)
class Coverage:
    month: dt.date  # its first day
    contacts: int  # made this month so far
    clients_reached: int
    target: int  # the month's target (DOMAIN.md: about 300)
    workdays_gone: int
    workdays: int
    outside: dict[str, int]  # tier → active clients past their latest day
    overdue_total: int


def week(start: dt.date | None = None, days: int = 7) -> list[WeekDay]:
    """Each of the coming ``days`` days: workday or not, how many fall due, maturities and key dates."""
    start = start or _today()
    last = start + dt.timedelta(days=days - 1)
    cal = holidays.calendar()
    due = Counter(
        {
            bulk.as_date(d): n
            for d, n in bulk.raw(
                Client.select(Client.next_due, fn.COUNT(Client.id))
                .where(Client.next_due.between(start, last), Client.status == "active")
                .group_by(Client.next_due)
            )
        }
    )
    maturing = Counter(
        {
            bulk.as_date(d): n
            for d, n in bulk.raw(
                Holding.select(Holding.maturity_date, fn.COUNT(Holding.id))
                .where(Holding.maturity_date.between(start, last), Holding.status == "held")
                .group_by(Holding.maturity_date)
            )
        }
    )
    keys: dict[dt.date, list[str]] = {}
    for _kid, name, ev in planner.key_events(start, last):
        word = "生日" if ev.kind == "birthday" else "纪念日"
        keys.setdefault(ev.date, []).append(f"{name} {word}")
    greets: dict[dt.date, list[str]] = {}
    for day, g in greeting_days(start, last, policies().plan.greet):
        greets.setdefault(day, []).append(g.zh)
    out = []
    for n in range(days):
        day = start + dt.timedelta(days=n)
        info = cal.info(day)
        out.append(
            WeekDay(
                day,
                info.workday,
                info.name if not info.workday else None,
                due.get(day, 0),
                maturing.get(day, 0),
                tuple(keys.get(day, ())),
                tuple(greets.get(day, ())),
            )
        )
    return out


def coverage(day: dt.date | None = None) -> Coverage:
    """Contacts made this month against the target, and the clients outside their interval, by tier."""
    day = day or _today()
    first = day.replace(day=1)
    month_end = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    contacts, reached = bulk.raw(
        Contact.select(fn.COUNT(Contact.id), fn.COUNT(Contact.client.distinct())).where(
            Contact.date.between(first, day)
        )
    )[0]
    cal = holidays.calendar()
    pol = policies()
    outside = {}
    for tier in reversed(TIER_KEYS):
        late = day - dt.timedelta(days=pol.cadence.grace(tier))  # due before this: past the latest day
        outside[tier] = (
            Client.select()
            .where(Client.tier_rank == TIER_RANK[tier], Client.next_due < late, Client.status == "active")
            .count()
        )
    return Coverage(
        month=first,
        contacts=contacts or 0,
        clients_reached=reached or 0,
        target=pol.monthly_contacts,
        workdays_gone=cal.workdays_between(first, day),
        workdays=cal.workdays_between(first, month_end),
        outside=outside,
        overdue_total=sum(outside.values()),
    )
