"""Today's contacts, and what the manager does with them: log, snooze, skip (`wb today`, `wb log`, pane 2).

Planning never scans the book or the contact history. It reads, through indexes, only clients that can have
a reason today: each tier's most overdue (tier_rank, next_due), churn warnings and the top of the book for
greetings and period ends (tier_rank, aum), products maturing in the lead window (maturity_date), key dates
coming up (next_date), open follow-ups and complaints, and today's contacts (contact.date). The rules
(rules.planner) pick from those.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce

from peewee import SQL, Select, fn

from workbench.errors import BadInput, NotFound
from workbench.rules import planner as rules
from workbench.rules.cadence import next_due as cadence_next_due
from workbench.rules.keydates import KeyDay, observed_between
from workbench.rules.lifecycle import approach_channel, completion_field
from workbench.rules.money import from_cents
from workbench.rules.text import clean_input
from workbench.rules.tiers import TIER_KEYS, TIER_RANK
from workbench.rules.workdays import WorkCalendar, greeting_days
from workbench.services import events as events_service
from workbench.services import figures, holidays
from workbench.services.settings import policies
from workbench.services.settings import today as _today
from workbench.store import bulk, fulltext
from workbench.store.db import transaction
from workbench.store.models import Client, Complaint, Contact, FollowUp, Holding, KeyDate, PlanMark

MAX_OUTCOME = 2000
KEY_DATE_REACH = 12  # days past the lead window a key date may be planned early (a long holiday before it)
HORIZON = 14  # days ahead whose calendar the warnings speak for


@dataclass(frozen=True)
class PlanRow:
    client_id: int
    client_no: str | None
    name: str
    tier: str
    channel: str
    score: float
    reasons: tuple[rules.Reason, ...]
    done: bool
    last_contact: dt.date | None
    next_due: dt.date | None
    ask: str | None = None  # one profile field to complete on this contact (rules.lifecycle.completion_field)
    prospect: bool = False  # a prospect, planned by its next step

    def question(self, lang: str = "zh") -> str | None:
        from workbench.rules.profile import BY_NAME

        f = BY_NAME.get(self.ask or "")
        return f.question(lang) if f else None

    def as_json(self, lang: str = "zh") -> dict[str, object]:
        return {
            "client_no": self.client_no,
            "name": self.name,
            "tier": self.tier,
            "channel": self.channel,
            "reasons": [{"kind": r.kind, "text": r.text(lang)} for r in self.reasons],
            "score": self.score,
            "done": self.done,
            "last_contact": self.last_contact.isoformat() if self.last_contact else None,
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "ask": {"field": self.ask, "question": self.question(lang)} if self.ask else None,
            "prospect": self.prospect,
        }


@dataclass(frozen=True)
class DayPlan:
    date: dt.date
    workday: bool
    warnings: list[str]
    items: list[PlanRow]
    holiday: str | None = None  # the holiday today is, if any
    corrections: list[holidays.HolidayRow] = field(default_factory=list)  # local corrections coming up

    def as_json(self, lang: str = "zh") -> dict[str, object]:
        return {
            "date": self.date.isoformat(),
            "workday": self.workday,
            "holiday": self.holiday,
            "warnings": self.warnings,
            "corrections": [c.as_json() for c in self.corrections],
            "items": [i.as_json(lang) for i in self.items],
        }


def today_plan(day: dt.date | None = None, limit: int | None = None, lang: str = "zh") -> DayPlan:
    """The day's contacts (``limit`` or the daily capacity), the same for the same book and day."""
    day = day or _today()
    cal = holidays.calendar()
    inputs = gather(day, cal, limit=limit)
    items = rules.plan(inputs, policies().plan, limit)
    info = cal.info(day)
    asks = _questions([i.client.id for i in items])
    return DayPlan(
        date=day,
        workday=info.workday,
        warnings=calendar_warnings(cal, day, lang),
        items=[_row(i, asks.get(i.client.id)) for i in items],
        holiday=info.name if not info.workday else None,
        corrections=_corrections(day),
    )


def calendar_warnings(cal: WorkCalendar, day: dt.date, lang: str = "zh") -> list[str]:
    years = cal.unknown_years(day, day + dt.timedelta(days=HORIZON))
    out = []
    for year in years:
        if lang == "zh":
            out.append(f"{year} 年的官方放假安排尚未收录：按周末和法定节日估算，调休请用 wb holidays add 补充")
        else:
            out.append(
                f"the official {year} holiday schedule is not known yet: weekends and statutory festivals are "
                "estimated; add swapped workdays with `wb holidays add`"
            )
    return out


def _corrections(day: dt.date) -> list[holidays.HolidayRow]:
    horizon = day + dt.timedelta(days=HORIZON)
    return [
        holidays.HolidayRow(d, workday, None, "local", note)
        for d, (workday, note) in sorted(holidays.local_corrections().items())
        if day <= d <= horizon
    ]


def _row(item: rules.PlanItem, ask: str | None = None) -> PlanRow:
    c = item.client
    return PlanRow(
        c.id,
        c.client_no,
        c.name,
        c.tier,
        item.channel,
        item.score,
        item.reasons,
        item.done,
        c.last_contact,
        c.next_due,
        ask,
        c.prospect,
    )


def _questions(ids: list[int]) -> dict[int, str]:
    """For each planned client, the one missing profile field worth asking about (a key field first)."""
    if not ids:
        return {}
    rows = bulk.raw(Client.select(Client.id, Client.missing).where(Client.id.in_(bulk.id_list(ids))))
    out = {}
    for cid, missing in rows:
        if field_name := completion_field([m for m in (missing or "").split(",") if m]):
            out[cid] = field_name
    return out


def gather(day: dt.date, cal: WorkCalendar, held: Iterable[int] = (), limit: int | None = None) -> rules.PlanInputs:
    """Everything the rules need for ``day``, read through indexes (see the module's docstring).

    Each source gives at most ``limit`` (the day's capacity) clients per tier, in its own order of urgency: no
    tier can take more places than that, so the plan is the same as from every candidate, and the work does
    not grow with the book."""
    pol = policies().plan
    reach = limit or pol.capacity
    ids: set[int] = set()
    active = Client.status == "active"
    for rank in range(len(TIER_KEYS)):  # each tier's most overdue
        q = Client.select(Client.id).where(Client.tier_rank == rank, Client.next_due <= day, active)
        ids.update(r[0] for r in bulk.raw(q.order_by(Client.next_due, Client.id).limit(reach)))
    top = Client.select(Client.id).where(active).order_by(Client.tier_rank.desc(), Client.aum.desc(), Client.id)
    ids.update(r[0] for r in bulk.raw(top.where(Client.churn == True).limit(reach)))  # noqa: E712
    greetings = greeting_days(day, day + dt.timedelta(days=pol.holiday_lead + KEY_DATE_REACH), pol.greet)
    if greetings or rules.period_end(day, cal, pol.period_lead):
        lowest = TIER_RANK[min(pol.holiday_min_tier, pol.period_min_tier, key=TIER_RANK.__getitem__)]
        ids.update(r[0] for r in bulk.raw(top.where(Client.tier_rank >= lowest).limit(5 * reach)))
    maturities = _maturities(day, day + dt.timedelta(days=pol.maturity_lead), 7 * reach)
    key_end = day + dt.timedelta(days=pol.key_date_lead + KEY_DATE_REACH)
    opens = {  # the days whose key dates are planned on or before today: a few, more before a long holiday
        d
        for n in range((key_end - day).days + 1)
        if rules.planned_on(d := day + dt.timedelta(days=n), cal) - dt.timedelta(days=pol.key_date_lead) <= day
    }
    events = [event for _kid, _name, event in key_events(day, key_end, within=opens, per_tier_limit=reach)]
    follow_ups = [
        rules.FollowUpDue(cid, text, bulk.as_date(due))
        for cid, text, due, _rank in bulk.raw(
            per_tier(
                FollowUp.select(FollowUp.client, FollowUp.text, FollowUp.due)
                .join(Client)
                .where(FollowUp.done_at.is_null(), FollowUp.due <= day, active),
                [FollowUp.due, FollowUp.id],
                reach,
            )
        )
    ]
    complaints = [
        rules.OpenComplaint(cid, text, bulk.as_date(opened), step)
        for cid, text, opened, step, _rank in bulk.raw(
            per_tier(
                Complaint.select(Complaint.client, Complaint.text, Complaint.opened, Complaint.step)
                .join(Client)
                .where(Complaint.resolved_at.is_null(), Complaint.opened <= day, active),
                [Complaint.opened, Complaint.id],
                reach,
            )
        )
    ]
    follow_ups.sort(key=lambda f: (f.due, f.client_id, f.text))
    complaints.sort(key=lambda x: (x.opened, x.client_id, x.text))
    # today's contacts, latest first (contact_date index): a day's worth, not the book's
    contacted = Contact.select(Contact.client).where(Contact.date == day).order_by(Contact.id.desc()).limit(5 * reach)
    today_contacts = {r[0] for r in bulk.raw(contacted)}
    ids.update(m.client_id for m in maturities)
    ids.update(e.client_id for e in events)
    ids.update(f.client_id for f in follow_ups)
    ids.update(x.client_id for x in complaints)
    ids.update(today_contacts)
    steps = [
        rules.ProspectStep(cid, text or "", bulk.as_date(when), approach_channel(approach))
        for cid, text, when, approach in bulk.raw(
            Client.select(Client.id, Client.next_step, Client.next_step_date, Client.approach)
            .where(Client.status == "prospect", Client.next_step_date <= day)
            .order_by(Client.next_step_date, Client.id)
            .limit(5 * reach)
        )
    ]
    ids.update(s.client_id for s in steps)
    candidates = _candidates(ids, day, today_contacts)
    soon = [rules.EventSoon(e.id, e.name, e.date, e.invited) for e in events_service.upcoming(day)]
    marks = PlanMark.select(PlanMark.client).where(PlanMark.day <= day, PlanMark.until > day)
    return rules.PlanInputs(
        today=day,
        calendar=cal,
        candidates=candidates,
        maturities=maturities,
        key_events=events,
        follow_ups=follow_ups,
        complaints=complaints,
        greetings=greetings,
        held=frozenset({r[0] for r in bulk.raw(marks)} | set(held)),
        prospect_steps=steps,
        events=soon,
    )


_FIELDS = (
    "id client_no name tier gender family deposits last_contact next_due next_contact churn churn_reason "
    "trend_change id_number status created_at"
).split()


def _candidates(ids: set[int], day: dt.date, contacted_today: set[int]) -> dict[int, rules.Candidate]:
    if not ids:
        return {}
    pol = policies()
    before: dict[int, dt.date] = {}
    if contacted_today:  # their stored last contact is today's: plan from the one before, so the list holds still
        before = {
            cid: bulk.as_date(last)
            for cid, last in bulk.raw(
                Contact.select(Contact.client, fn.MAX(Contact.date))
                .where(Contact.client.in_(bulk.id_list(contacted_today)), Contact.date < day)
                .group_by(Contact.client)
            )
        }
    born = {
        cid: year
        for cid, year in bulk.raw(
            KeyDate.select(KeyDate.client, KeyDate.year).where(
                KeyDate.client.in_(bulk.id_list(ids)), KeyDate.kind == "birthday", KeyDate.year.is_null(False)
            )
        )
    }
    out = {}
    columns = [getattr(Client, f) for f in _FIELDS]
    for row in bulk.raw(Client.select(*columns).where(Client.id.in_(bulk.id_list(ids)))):
        v = dict(zip(_FIELDS, row, strict=True))
        if v["status"] not in ("active", "prospect"):
            continue
        prospect = v["status"] == "prospect"
        cid, last, due = v["id"], bulk.as_date(v["last_contact"]), bulk.as_date(v["next_due"])
        agreed = bulk.as_date(v["next_contact"])
        if cid in contacted_today:  # as the day began: due as agreed, or from the contact before today's
            last = before.get(cid)
            if agreed != day:
                agreed = None
                due = cadence_next_due(v["tier"], last, day, pol.cadence, since=bulk.as_date(v["created_at"]))
            else:
                due = agreed
        out[cid] = rules.Candidate(
            id=cid,
            name=v["name"],
            tier=v["tier"],
            client_no=v["client_no"],
            gender=v["gender"],
            birth_year=born.get(cid) or _birth_year(v["id_number"]),
            family=v["family"],
            deposits=from_cents(v["deposits"]) or Decimal(0),
            last_contact=last,
            next_due=due,
            agreed=agreed is not None and agreed == due,
            contacted_today=cid in contacted_today,
            churn=bool(v["churn"]),
            churn_reason=v["churn_reason"],
            trend_change=v["trend_change"],
            prospect=prospect,
        )
    return out


def _birth_year(id_number: str | None) -> int | None:
    """The year of birth in an 18-digit resident ID number."""
    if id_number and len(id_number) == 18 and id_number[6:10].isdigit():
        return int(id_number[6:10])
    return None


def _maturities(first: dt.date, last: dt.date, limit: int) -> list[rules.Maturity]:
    """Products maturing from ``first`` to ``last``: the ``limit`` soonest and the ``limit`` largest, read from
    the (maturity_date, status, amount, client_id) index alone; only those rows are then read in full."""
    window = Holding.select(Holding.id).where(Holding.maturity_date.between(first, last), Holding.status == "held")
    soonest = window.order_by(Holding.maturity_date, Holding.amount.desc(), Holding.id)
    ids = {r[0] for r in bulk.raw(soonest.limit(limit))}
    ids |= {r[0] for r in bulk.raw(window.order_by(Holding.amount.desc(), Holding.id).limit(limit))}
    if not ids:
        return []
    rows = bulk.raw(
        Holding.select(Holding.client, Holding.product, Holding.product_type, Holding.amount, Holding.maturity_date)
        .join(Client)
        .where(Holding.id.in_(bulk.id_list(ids)), Client.status == "active")
    )
    found = [
        rules.Maturity(cid, product, from_cents(amount) or Decimal(0), bulk.as_date(when), ptype)
        for cid, product, ptype, amount, when in rows
    ]
    return sorted(found, key=lambda m: (m.date, m.client_id, m.product, m.amount))


def per_tier(query, order_by: list, limit: int) -> Select:
    """The first ``limit`` rows of each tier by ``order_by`` (a window function: SQLite and PostgreSQL alike),
    so how much planning reads does not grow with the book. ``query`` must join Client; a rank column is
    appended to its columns."""
    rank = fn.ROW_NUMBER().over(partition_by=[Client.tier_rank], order_by=order_by).alias("tier_place")
    ranked = query.select_extend(rank).alias("ranked")
    return Select(from_list=[ranked], columns=[SQL("*")]).where(ranked.c.tier_place <= limit)


def key_events(
    first: dt.date,
    last: dt.date,
    *,
    within: set[dt.date] | None = None,
    per_tier_limit: int | None = None,
) -> list[tuple[int, str, rules.KeyEvent]]:
    """Birthdays and anniversaries of active clients observed from ``first`` to ``last`` (only on the days in
    ``within`` when given), as (key date id, client name, event) by date; at most ``per_tier_limit`` per tier,
    the wealthiest first. Looked up by (month, day), indexed, so nothing stored goes stale."""
    wanted = {k: d for k, d in observed_between(first, last).items() if within is None or d in within}
    months: dict[tuple[str, int], set[int]] = {}
    for c, m, d, _leap in wanted:
        months.setdefault((c, m), set()).add(d)
    if not months:
        return []
    out = []
    groups = sorted(months.items())
    for start in range(0, len(groups), 12):  # a few (calendar, month) groups per statement
        cond = reduce(
            operator.or_,
            (
                (KeyDate.calendar == c) & (KeyDate.month == m) & KeyDate.day.in_(sorted(days))
                for (c, m), days in groups[start : start + 12]
            ),
        )
        query = (
            KeyDate.select(KeyDate.id, KeyDate.client, Client.name, KeyDate.kind, KeyDate.calendar, KeyDate.month)
            .select_extend(KeyDate.day, KeyDate.leap)
            .join(Client)
            .where(cond, KeyDate.kind.in_(("birthday", "anniversary")), Client.status == "active")
        )
        if per_tier_limit is not None:
            query = per_tier(query, [Client.aum.desc(), KeyDate.id], per_tier_limit)
        for kid, cid, name, kind, calendar, month, d, leap, *_rank in bulk.raw(query):
            when = wanted.get((calendar, month, d, bool(leap)))
            if when is not None:
                kd = KeyDay(kind, calendar, month, d, bool(leap))
                label = kd.label("zh").removeprefix("农历")
                label_en = kd.label("en").removeprefix("lunar ")
                out.append((kid, name, rules.KeyEvent(cid, kind, when, label, label_en, calendar == "lunar")))
    out.sort(key=lambda r: (r[2].date, r[0]))
    return out


# --- acting on the plan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Logged:
    client_id: int
    name: str
    date: dt.date
    channel: str
    next_due: dt.date | None


def log_contact(
    client_id: int,
    channel: str,
    outcome: str,
    day: dt.date | None = None,
    next_date: dt.date | None = None,
) -> Logged:
    """Record a contact; the cadence restarts from it (an agreed ``next_date`` overrides the cadence)."""
    today = _today()
    day = day or today
    if channel not in rules.CHANNELS:
        raise BadInput(f"unknown channel {channel!r}; one of: {', '.join(rules.CHANNELS)}", value=channel)
    if day > today:
        raise BadInput(f"{day}: a contact cannot be logged in the future", value=day.isoformat())
    text = clean_input(outcome)
    if not text:
        raise BadInput("say how the contact went (the outcome)")
    if len(text) > MAX_OUTCOME:
        raise BadInput(f"the outcome is {len(text):,} characters; at most {MAX_OUTCOME:,}")
    if next_date is not None and next_date <= day:
        raise BadInput(f"{next_date}: the next contact must come after this one", value=next_date.isoformat())
    with transaction():
        client = Client.get_or_none(Client.id == client_id)
        if client is None:
            raise NotFound(f"no client #{client_id}")
        contact = Contact.create(client=client_id, date=day, channel=channel, outcome=text)
        fulltext.add([fulltext.Doc("contact", contact.id, client_id, day, text)])
        if next_date is not None:
            Client.update(next_contact=next_date).where(Client.id == client_id).execute()
        figures.refresh([client_id], today=today, keys=False)
        due = Client.select(Client.next_due).where(Client.id == client_id).scalar()
    return Logged(client_id, client.name, day, channel, bulk.as_date(due))


def snooze(client_id: int, until: dt.date, reason: str = "", day: dt.date | None = None) -> None:
    """Leave the client out of the plan until ``until`` (that day it may come back)."""
    day = day or _today()
    if until <= day:
        raise BadInput(f"{until}: snooze to a day after {day}", value=until.isoformat())
    _mark(client_id, "snooze", day, until, reason)


def skip(client_id: int, reason: str, day: dt.date | None = None) -> None:
    """Leave the client out of today's plan, saying why."""
    day = day or _today()
    if not clean_input(reason):
        raise BadInput("say why the contact is skipped")
    _mark(client_id, "skip", day, day + dt.timedelta(days=1), reason)


def _mark(client_id: int, action: str, day: dt.date, until: dt.date, reason: str) -> None:
    with transaction():
        if not Client.select().where(Client.id == client_id).exists():
            raise NotFound(f"no client #{client_id}")
        PlanMark.create(client=client_id, day=day, action=action, until=until, reason=clean_input(reason)[:500])
