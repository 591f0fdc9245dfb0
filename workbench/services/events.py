"""Events (答谢会, 沙龙, 客户节; DOMAIN.md §9): an event with a date, its invitation list chosen by tier, interest
and last contact (rules.lifecycle.choose_invitees), invitations and attendance. Attending is a contact: it is
logged as one on the event's day (channel ``event``), so the cadence restarts from it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from peewee import fn

from workbench.errors import BadInput, Conflict, NotFound
from workbench.rules import lifecycle as rules
from workbench.rules.text import clean_input
from workbench.rules.tiers import TIER_RANK
from workbench.services import figures
from workbench.services.settings import today as _today
from workbench.store import bulk, fulltext
from workbench.store.db import transaction
from workbench.store.models import Client, Contact, Event, Invitation

MAX_NAME = 200
INTEREST_COLUMNS = ("hobbies", "social_circle", "consumption", "occupation", "industry", "notes")
SOON = 30  # days ahead the planner looks for an event to invite an overdue client to


@dataclass(frozen=True)
class Guest:
    client_id: int
    name: str
    tier: str
    status: str  # rules.lifecycle.INVITATION_STATUSES
    invited_on: dt.date

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "tier": self.tier, "status": self.status, "invited_on": self.invited_on.isoformat()}


@dataclass(frozen=True)
class EventRow:
    id: int
    name: str
    kind: str
    date: dt.date
    place: str
    notes: str
    counts: dict[str, int] = field(default_factory=dict)  # invitations by status
    guests: list[Guest] = field(default_factory=list)  # filled by get()

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "date": self.date.isoformat(),
            "place": self.place,
            "notes": self.notes,
            "invited": sum(self.counts.values()),
            "counts": self.counts,
            "guests": [g.as_json() for g in self.guests],
        }


def add(name: str, day: dt.date, *, kind: str = "appreciation", place: str = "", notes: str = "") -> EventRow:
    title = clean_input(name)
    if not title:
        raise BadInput("an event needs a name")
    if len(title) > MAX_NAME:
        raise BadInput(f"the name is {len(title):,} characters; at most {MAX_NAME}")
    try:
        key = rules.event_kind_key(kind)
    except rules.LifecycleError as exc:
        raise BadInput(exc, column="--kind", value=kind) from None
    with transaction():
        event = Event.create(name=title, kind=key, date=day, place=clean_input(place)[:500], notes=clean_input(notes))
    return get(event.id)


def _counts(event_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    if not event_ids:
        return out
    query = Invitation.select(Invitation.event, Invitation.status, fn.COUNT(Invitation.id)).where(
        Invitation.event.in_(list(event_ids))
    )
    for eid, status, n in query.group_by(Invitation.event, Invitation.status).tuples():
        out.setdefault(eid, {})[status] = int(n)
    return out


def _row(e: Event, counts: dict[str, int], guests: list[Guest] | None = None) -> EventRow:
    return EventRow(e.id, e.name, e.kind, bulk.as_date(e.date), e.place, e.notes, counts, guests or [])


def list_events(*, upcoming_from: dt.date | None = None) -> list[EventRow]:
    """Every event (or those on or after ``upcoming_from``), the latest date first."""
    query = Event.select()
    if upcoming_from is not None:
        query = query.where(Event.date >= upcoming_from)
    events = list(query.order_by(Event.date.desc(), Event.id.desc()))
    counts = _counts([e.id for e in events])
    return [_row(e, counts.get(e.id, {})) for e in events]


def _event(event_id: int) -> Event:
    event = Event.get_or_none(Event.id == event_id)
    if event is None:
        raise NotFound(f"no event #{event_id}")
    return event


def find(ref: str) -> int:
    """An event's id from its number or (part of) its name."""
    text = ref.strip().lstrip("#")
    if text.isdigit() and Event.select().where(Event.id == int(text)).exists():
        return int(text)
    ids = [e.id for e in Event.select(Event.id).where(Event.name.contains(text)).limit(5)] if text else []
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise NotFound(f"no event matches {ref!r}")
    raise Conflict(f"{ref!r} names {len(ids)} events; give its number")


def get(event_id: int) -> EventRow:
    event = _event(event_id)
    guests = [
        Guest(cid, name, tier, status, bulk.as_date(on))
        for cid, name, tier, status, on in Invitation.select(
            Client.id, Client.name, Client.tier, Invitation.status, Invitation.invited_on
        )
        .join(Client)
        .where(Invitation.event == event_id)
        .order_by(Client.tier_rank.desc(), Client.sort_key, Client.id)
        .tuples()
    ]
    return _row(event, _counts([event_id]).get(event_id, {}), guests)


def _invitees(where) -> Iterable[rules.Invitee]:
    cols = [Client.id, Client.name, Client.tier, Client.last_contact, Client.next_due]
    cols += [getattr(Client, c) for c in INTEREST_COLUMNS]
    for cid, name, tier, last, due, *texts in bulk.raw(Client.select(*cols).where(where)):
        interests = " ".join(t for t in texts if t)
        yield rules.Invitee(cid, name, tier, bulk.as_date(last), bulk.as_date(due), interests)


def propose(
    event_id: int,
    *,
    tiers: Sequence[str] = (),
    min_tier: str | None = None,
    interest: str | None = None,
    contacted_before: dt.date | None = None,
    overdue: bool = False,
    limit: int | None = None,
    today: dt.date | None = None,
) -> list[rules.Invitee]:
    """The invitation list for an event, by the rules (active clients not yet invited)."""
    event = _event(event_id)
    invited = {r[0] for r in Invitation.select(Invitation.client).where(Invitation.event == event.id).tuples()}
    where = Client.status == "active"  # the tiers are narrowed here, through the index; the rules decide the rest
    if tiers:
        where &= Client.tier.in_(list(tiers))
    if min_tier:
        where &= Client.tier_rank >= TIER_RANK[min_tier]
    return rules.choose_invitees(
        _invitees(where),
        tiers=tiers,
        min_tier=min_tier,
        interest=interest,
        contacted_before=contacted_before,
        overdue_on=(today or _today()) if overdue else None,
        exclude=invited,
        limit=limit,
    )


def invite(event_id: int, client_ids: Iterable[int], *, day: dt.date | None = None) -> int:
    """Invite these clients (those already invited stay as they are); returns how many were new."""
    ids = sorted(set(client_ids))
    day = day or _today()
    with transaction():
        event = _event(event_id)
        known = {r[0] for r in Client.select(Client.id).where(Client.id.in_(ids)).tuples()} if ids else set()
        if missing := [i for i in ids if i not in known]:
            raise NotFound(f"no client #{missing[0]}")
        invited = {r[0] for r in Invitation.select(Invitation.client).where(Invitation.event == event.id).tuples()}
        new = [(event.id, cid, day, "invited") for cid in ids if cid not in invited]
        bulk.insert_rows(Invitation, ("event", "client", "invited_on", "status"), new)
    return len(new)


def record(event_id: int, client_ids: Iterable[int], status: str = "attended") -> int:
    """Record how invitations went. Attending logs a contact on the event's day (once: recording it again
    changes nothing); a client not invited is invited as it is recorded. Returns how many changed."""
    try:
        status = rules.invitation_status_key(status)
    except rules.LifecycleError as exc:
        raise BadInput(exc, column="--status", value=status) from None
    ids = sorted(set(client_ids))
    today = _today()
    with transaction():
        event = _event(event_id)
        day = bulk.as_date(event.date)
        if status in ("attended", "absent") and day > today:
            raise BadInput(f"{event.name} is on {day}: attendance is recorded on or after the day")
        changed = touched = 0
        for cid in ids:
            inv = Invitation.get_or_none(Invitation.event == event.id, Invitation.client == cid)
            if inv is None:
                if not Client.select().where(Client.id == cid).exists():
                    raise NotFound(f"no client #{cid}")
                inv = Invitation.create(event=event.id, client=cid, invited_on=min(day, today), status="invited")
            if inv.status == status:
                continue
            contact_id = inv.contact_id
            if status == "attended" and contact_id is None:
                outcome = f"出席活动：{event.name}"
                contact = Contact.create(client=cid, date=day, channel="event", outcome=outcome)
                fulltext.add([fulltext.Doc("contact", contact.id, cid, day, outcome)])
                contact_id, touched = contact.id, touched + 1
            elif status != "attended" and contact_id is not None:  # a mistaken "attended" taken back
                fulltext.remove("contact", [contact_id])
                Contact.delete().where(Contact.id == contact_id).execute()
                contact_id, touched = None, touched + 1
            Invitation.update(status=status, contact=contact_id).where(Invitation.id == inv.id).execute()
            changed += 1
        if touched:
            figures.refresh(ids, today=today, keys=False)
    return changed


@dataclass(frozen=True)
class Upcoming:
    id: int
    name: str
    kind: str
    date: dt.date
    invited: frozenset[int]


def upcoming(day: dt.date, days: int = SOON) -> list[Upcoming]:
    """Events from tomorrow to ``days`` ahead, soonest first, each with who is already invited."""
    events = list(
        Event.select(Event.id, Event.name, Event.kind, Event.date)
        .where(Event.date > day, Event.date <= day + dt.timedelta(days=days))
        .order_by(Event.date, Event.id)
        .tuples()
    )
    if not events:
        return []
    invited: dict[int, set[int]] = {}
    for eid, cid in (
        Invitation.select(Invitation.event, Invitation.client)
        .where(Invitation.event.in_([e[0] for e in events]))
        .tuples()
    ):
        invited.setdefault(eid, set()).add(cid)
    return [
        Upcoming(eid, name, kind, bulk.as_date(d), frozenset(invited.get(eid, ()))) for eid, name, kind, d in events
    ]


@dataclass(frozen=True)
class Attended:
    event: str
    kind: str
    date: dt.date
    status: str

    def as_json(self) -> dict[str, object]:
        return {"event": self.event, "kind": self.kind, "date": self.date.isoformat(), "status": self.status}


def of_client(client_id: int) -> list[Attended]:
    """The events a client was invited to, the latest first."""
    query = (
        Invitation.select(Event.name, Event.kind, Event.date, Invitation.status)
        .join(Event)
        .where(Invitation.client == client_id)
        .order_by(Event.date.desc(), Event.id.desc())
    )
    return [Attended(name, kind, bulk.as_date(d), status) for name, kind, d, status in query.tuples()]
