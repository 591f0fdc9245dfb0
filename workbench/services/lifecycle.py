"""A client's life in the book (DOMAIN.md §9): a prospect is added with its source, approach and next step;
converts to a client in one action that keeps everything recorded; a client is lost with a reason and whether
the loss was normal, leaving the plan and the tier counts but keeping its history; and comes back when won back.
Who introduced whom is recorded both ways, and a referral that converts proposes a thank-you follow-up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from peewee import JOIN, Case, fn

from workbench.errors import BadInput, Conflict, NotFound
from workbench.rules import lifecycle as rules
from workbench.rules import profile
from workbench.rules.text import clean_input
from workbench.services import events, figures
from workbench.services.settings import today as _today
from workbench.store import bulk
from workbench.store.db import transaction
from workbench.store.models import Client, FollowUp, Referral, now

MAX_STEP = 500


@dataclass(frozen=True)
class Changed:
    """What an action did, for the face to say: the client, its status now, and a proposed follow-up."""

    client_id: int
    name: str
    status: str
    follow_up: str | None = None  # the thank-you proposed to the referrer, when there is one
    referrer: str | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.client_id,
            "name": self.name,
            "status": self.status,
            "follow_up": self.follow_up,
            "referrer": self.referrer,
        }


def _checked(key: str, parse, text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    try:
        return parse(text)
    except rules.LifecycleError as exc:
        raise BadInput(exc, column=f"--{key}", value=text) from None


def _step_text(text: str | None) -> str | None:
    step = clean_input(text or "")
    if len(step) > MAX_STEP:
        raise BadInput(f"the next step is {len(step):,} characters; at most {MAX_STEP}", column="--next-step")
    return step or None


def _field(name: str, raw: str | None) -> object:
    if raw is None or not raw.strip():
        return None
    try:
        return profile.validate(name, raw)
    except ValueError as exc:
        raise BadInput(exc, column=f"--{name}", value=raw) from None


def add_prospect(
    name: str,
    *,
    kind: str = "individual",
    phone: str | None = None,
    employer: str | None = None,
    source: str | None = None,
    approach: str | None = None,
    next_step: str | None = None,
    next_date: dt.date | None = None,
    referred_by: int | None = None,
    notes: str | None = None,
    today: dt.date | None = None,
) -> Changed:
    """A new prospect (目标客户). A referrer makes the source "referral" unless another is given."""
    today = today or _today()
    clean = _field("name", name)
    if not clean:
        raise BadInput("a prospect needs a name")
    if kind not in profile.BOTH:
        raise BadInput(f"kind is one of: {', '.join(profile.BOTH)}", column="--kind", value=kind)
    values = {
        "name": clean,
        "kind": kind,
        "status": "prospect",
        "phone": _field("phone", phone),
        "employer": _field("employer", employer),
        "notes": _field("notes", notes),
        "source": _checked("source", rules.source_key, source) or ("referral" if referred_by else None),
        "approach": _checked("approach", rules.approach_key, approach),
        "next_step": _step_text(next_step),
        "next_step_date": next_date,
    }
    with transaction():
        if referred_by is not None and not Client.select().where(Client.id == referred_by).exists():
            raise NotFound(f"no client #{referred_by} to have referred them")
        stamp = now()
        client = Client.create(**values, created_at=stamp, updated_at=stamp)
        if referred_by is not None:
            Referral.create(client=client.id, referrer=referred_by, date=today)
        figures.refresh([client.id], today=today)
    return Changed(client.id, clean, "prospect", referrer=_name(referred_by) if referred_by else None)


def _name(client_id: int) -> str:
    return Client.select(Client.name).where(Client.id == client_id).scalar() or f"#{client_id}"


def _client(client_id: int) -> Client:
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise NotFound(f"no client #{client_id}")
    return client


def set_prospect(
    client_id: int,
    *,
    source: str | None = None,
    approach: str | None = None,
    next_step: str | None = None,
    next_date: dt.date | None = None,
    today: dt.date | None = None,
) -> Changed:
    """Change a prospect's source, approach or next step (what is not given stays)."""
    changes: dict[object, object] = {}
    if source is not None:
        changes[Client.source] = _checked("source", rules.source_key, source)
    if approach is not None:
        changes[Client.approach] = _checked("approach", rules.approach_key, approach)
    if next_step is not None:
        changes[Client.next_step] = _step_text(next_step)
    if next_date is not None:
        changes[Client.next_step_date] = next_date
    with transaction():
        client = _client(client_id)
        if client.status != "prospect":
            raise Conflict(f"{client.name} is not a prospect")
        if changes:
            Client.update({**changes, Client.updated_at: now()}).where(Client.id == client_id).execute()
            figures.refresh([client_id], today=today or _today(), keys=False)
    return Changed(client_id, client.name, "prospect")


def convert(client_id: int, *, client_no: str | None = None, day: dt.date | None = None) -> Changed:
    """A prospect becomes a client, keeping its history; the referrer, if any, gets a thank-you follow-up."""
    day = day or _today()
    number = clean_input(client_no or "").upper() or None
    with transaction():
        client = _client(client_id)
        _transition(client, "active")
        if number and Client.select().where(Client.client_no == number, Client.id != client_id).exists():
            raise Conflict(f"client number {number} is already another client's")
        changes = {Client.status: "active", Client.converted_at: day, Client.next_step_date: None}
        if number:
            changes[Client.client_no] = number
        Client.update({**changes, Client.updated_at: now()}).where(Client.id == client_id).execute()
        thanks, referrer = _thank_referrer(client, day)
        figures.refresh([client_id], today=day)
    return Changed(client_id, client.name, "active", thanks, referrer)


def _transition(client: Client, to: str) -> None:
    try:
        rules.check_transition(client.status, to)
    except rules.LifecycleError as exc:
        raise Conflict(f"{client.name}: {exc}") from None


def _thank_referrer(client: Client, day: dt.date) -> tuple[str | None, str | None]:
    ref = Referral.get_or_none(Referral.client == client.id)
    if ref is None or ref.thanked_at is not None:
        return None, None
    referrer = Client.get_or_none(Client.id == ref.referrer_id)
    if referrer is None or referrer.status == "lost":
        return None, None
    text = f"感谢介绍 {client.name}（已转为客户）"
    FollowUp.create(client=referrer.id, due=day, text=text)
    Referral.update(thanked_at=day).where(Referral.id == ref.id).execute()
    return text, referrer.name


def mark_lost(client_id: int, reason: str, normal: bool | None, *, day: dt.date | None = None) -> Changed:
    """The client leaves the book: out of the plan and the tier counts, its history kept. ``normal``: whether
    the loss was normal (moved away, death); None takes the reason's default and refuses a reason without one."""
    day = day or _today()
    try:
        text, default = rules.loss_reason(reason)
    except rules.LifecycleError as exc:
        raise BadInput(exc, column="--reason", value=reason) from None
    if normal is None:
        normal = default
    if normal is None:
        raise BadInput("say whether the loss was normal (moved away, death) or not (--normal or --abnormal)")
    if day > _today():
        raise BadInput(f"{day}: a loss cannot be dated in the future", column="--date", value=day.isoformat())
    with transaction():
        client = _client(client_id)
        _transition(client, "lost")
        Client.update(
            {
                Client.status: "lost",
                Client.lost_at: day,
                Client.lost_reason: text,
                Client.lost_normal: normal,
                Client.lost_tier: client.tier if client.status == "active" else None,
                Client.updated_at: now(),
            }
        ).where(Client.id == client_id).execute()
        figures.refresh([client_id], today=_today(), keys=False)
    return Changed(client_id, client.name, "lost")


def win_back(client_id: int, *, day: dt.date | None = None) -> Changed:
    """A lost client comes back (won back): active again, planned by cadence from its last contact; the record
    of the loss is cleared, as the client is no longer lost."""
    with transaction():
        client = _client(client_id)
        _transition(client, "active")
        Client.update(
            {
                Client.status: "active",
                Client.lost_at: None,
                Client.lost_reason: None,
                Client.lost_normal: None,
                Client.lost_tier: None,
                Client.updated_at: now(),
            }
        ).where(Client.id == client_id).execute()
        figures.refresh([client_id], today=day or _today(), keys=False)
    return Changed(client_id, client.name, "active")


# --- referrals ---------------------------------------------------------------------------------------------


def set_referrer(client_id: int, referrer_id: int, *, day: dt.date | None = None, note: str = "") -> Changed:
    """Record who introduced the client (replacing an earlier record)."""
    if client_id == referrer_id:
        raise BadInput("a client cannot have referred themself")
    with transaction():
        client, referrer = _client(client_id), _client(referrer_id)
        Referral.delete().where(Referral.client == client_id).execute()
        Referral.create(client=client_id, referrer=referrer_id, date=day or _today(), note=clean_input(note)[:500])
        if client.status == "prospect" and not client.source:
            Client.update(source="referral").where(Client.id == client_id).execute()
    return Changed(client_id, client.name, client.status, referrer=referrer.name)


@dataclass(frozen=True)
class ReferralRow:
    client_id: int
    name: str
    status: str
    date: dt.date

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "status": self.status, "date": self.date.isoformat()}


def referred_by(client_id: int) -> ReferralRow | None:
    row = (
        Referral.select(Client.id, Client.name, Client.status, Referral.date)
        .join(Client, on=Referral.referrer == Client.id)
        .where(Referral.client == client_id)
        .tuples()
        .first()
    )
    return ReferralRow(row[0], row[1], row[2], bulk.as_date(row[3])) if row else None


def referred(client_id: int) -> list[ReferralRow]:
    """The people this client introduced, the latest first."""
    query = (
        Referral.select(Client.id, Client.name, Client.status, Referral.date)
        .join(Client, on=Referral.client == Client.id)
        .where(Referral.referrer == client_id)
        .order_by(Referral.date.desc(), Client.id)
    )
    return [ReferralRow(cid, name, status, bulk.as_date(d)) for cid, name, status, d in query.tuples()]


@dataclass(frozen=True)
class Referrer:
    client_id: int
    name: str
    tier: str
    referred: int  # people introduced
    converted: int  # of whom became clients
    aum: Decimal  # the AUM, now, of the clients they brought

    def as_json(self) -> dict[str, object]:
        from workbench.rules.money import json_amount

        return {
            "name": self.name,
            "tier": self.tier,
            "referred": self.referred,
            "converted": self.converted,
            "aum": json_amount(self.aum),
        }


def top_referrers(limit: int = 10) -> list[Referrer]:
    """The clients whose circle brought the most: by clients won (converted or active), then AUM brought."""
    from workbench.rules.money import from_cents

    referred_client = Client.alias("referred_client")
    active = referred_client.status == "active"
    won = fn.SUM(Case(None, [(active, 1)], 0))
    query = (
        Referral.select(
            Referral.referrer,
            fn.COUNT(Referral.id),
            won,
            fn.SUM(Case(None, [(active, referred_client.aum)], 0)),
        )
        .join(referred_client, on=Referral.client == referred_client.id)
        .group_by(Referral.referrer)
    )
    rows = list(bulk.raw(query))
    if not rows:
        return []
    names = {
        cid: (name, tier)
        for cid, name, tier in Client.select(Client.id, Client.name, Client.tier)
        .where(Client.id.in_([r[0] for r in rows]))
        .tuples()
    }
    out = [
        Referrer(cid, *names.get(cid, (f"#{cid}", "standard")), int(n), int(w or 0), from_cents(aum or 0) or Decimal(0))
        for cid, n, w, aum in rows
    ]
    out.sort(key=lambda r: (-r.converted, -r.aum, -r.referred, r.client_id))
    return out[:limit]


# --- what a client's record says about its life -----------------------------------------------------------


@dataclass(frozen=True)
class Life:
    """A client's status and how it came and went: for the 360 view, the brief and `wb client`."""

    status: str
    source: str | None = None
    approach: str | None = None
    next_step: str | None = None
    next_step_date: dt.date | None = None
    converted_at: dt.date | None = None
    lost_at: dt.date | None = None
    lost_reason: str | None = None
    lost_normal: bool | None = None
    lost_tier: str | None = None
    referred_by: ReferralRow | None = None
    referred: tuple[ReferralRow, ...] = ()
    events: tuple[events.Attended, ...] = ()  # the latest first

    def as_json(self) -> dict[str, object]:
        def day(d: dt.date | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "status": self.status,
            "source": self.source,
            "approach": self.approach,
            "next_step": self.next_step,
            "next_step_date": day(self.next_step_date),
            "converted_at": day(self.converted_at),
            "lost": None
            if self.lost_at is None
            else {
                "date": day(self.lost_at),
                "reason": self.lost_reason,
                "normal": self.lost_normal,
                "tier": self.lost_tier,
            },
            "referred_by": self.referred_by.as_json() if self.referred_by else None,
            "referred": [r.as_json() for r in self.referred],
            "events": [e.as_json() for e in self.events],
        }


def life(client_id: int) -> Life:
    cols = (
        Client.status,
        Client.source,
        Client.approach,
        Client.next_step,
        Client.next_step_date,
        Client.converted_at,
        Client.lost_at,
        Client.lost_reason,
        Client.lost_normal,
        Client.lost_tier,
    )
    row = Client.select(*cols).where(Client.id == client_id).tuples().first()
    if row is None:
        raise NotFound(f"no client #{client_id}")
    status, source, approach, step, step_date, converted, lost_at, reason, normal, lost_tier = row
    return Life(
        status=status,
        source=source,
        approach=approach,
        next_step=step,
        next_step_date=bulk.as_date(step_date),
        converted_at=bulk.as_date(converted),
        lost_at=bulk.as_date(lost_at),
        lost_reason=reason,
        lost_normal=None if normal is None else bool(normal),
        lost_tier=lost_tier,
        referred_by=referred_by(client_id),
        referred=tuple(referred(client_id)),
        events=tuple(events.of_client(client_id)),
    )


@dataclass(frozen=True)
class ProspectRow:
    id: int
    name: str
    kind: str
    source: str | None
    approach: str | None
    next_step: str | None
    next_step_date: dt.date | None
    last_contact: dt.date | None
    referrer: str | None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "source": self.source,
            "approach": self.approach,
            "next_step": self.next_step,
            "next_step_date": self.next_step_date.isoformat() if self.next_step_date else None,
            "last_contact": self.last_contact.isoformat() if self.last_contact else None,
            "referred_by": self.referrer,
        }


def prospects(limit: int | None = None) -> list[ProspectRow]:
    """Prospects by their next step's date (the soonest first; those without one last)."""
    referrer = Client.alias("referrer")
    query = (
        Client.select(
            Client.id,
            Client.name,
            Client.kind,
            Client.source,
            Client.approach,
            Client.next_step,
            Client.next_step_date,
            Client.last_contact,
            referrer.name,
        )
        .join(Referral, join_type=JOIN.LEFT_OUTER, on=Referral.client == Client.id)
        .join(referrer, join_type=JOIN.LEFT_OUTER, on=Referral.referrer == referrer.id)
        .where(Client.status == "prospect")
        .order_by(Client.next_step_date.asc(nulls="LAST"), Client.sort_key, Client.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        ProspectRow(cid, name, kind, src, appr, step, bulk.as_date(when), bulk.as_date(last), ref)
        for cid, name, kind, src, appr, step, when, last, ref in bulk.raw(query)
    ]
