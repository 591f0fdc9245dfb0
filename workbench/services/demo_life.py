"""The demo book's comings and goings (DOMAIN.md §9), added once the book itself is loaded: prospects with their
source, approach and next step (a few introduced by clients), clients won through referrals, clients lost this
year (some abnormal losses of 白金 and above, which the dashboard reviews), the branch's past events as the
events the demo's event contacts were made at, and an event coming up with its first invitations.

A few thousand rows at most, written with the services' own tables and then refreshed with
``services.figures.refresh``, so the book stays what the app would compute. Same seed, same comings and goings.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect
from collections.abc import Sequence
from itertools import accumulate

from workbench.rules import lifecycle
from workbench.rules.tiers import TIER_RANK
from workbench.services import demo_data as V
from workbench.services import figures
from workbench.services.demo_people import People
from workbench.services.settings import Policies
from workbench.store import bulk, fulltext
from workbench.store.models import Balance, Client, Complaint, Contact, Event, Invitation, Referral, Visit

PROSPECT_SHARE = 50  # one prospect for every this many clients
LOST_SHARE = 120  # one client lost this year for every this many
REFERRED_SHARE = 40  # one client won through a referral for every this many
# (days ago, name, kind): the days EVENT_DAYS_AGO the demo's event contacts fall on
PAST_EVENTS = (
    (V.EVENT_DAYS_AGO[0], "年终客户答谢会", "appreciation"),
    (V.EVENT_DAYS_AGO[1], "养老规划理财沙龙", "salon"),
    (V.EVENT_DAYS_AGO[2], "亲子客户节", "festival"),
    (V.EVENT_DAYS_AGO[3], "高尔夫邀请赛", "gathering"),
    (V.EVENT_DAYS_AGO[4], "新春答谢会", "appreciation"),
)
COMING = (12, "新年财富沙龙", "salon", "网点贵宾室")
NEXT_STEPS = (
    "电话约见，介绍代发工资",
    "借商会名义登门拜访",
    "寄送新春贺卡和网点活动邀请",
    "约到网点面谈，做风险测评",
    "请介绍人一同吃饭，自然引荐",
    "邀请参加下期理财沙龙",
    "上门送开户资料",
)
LOSS_NOTES = {"other_bank": "转投他行（大额存单利率更高）", "unhappy": "对服务不满意（排队久、经理更换频繁）"}
# A new row's columns that have defaults (refresh() then derives them); manager "" is stamped in a team book.
NEW_CLIENT_COLUMNS = "manager sort_key tier tier_rank tier_pending_months aum deposits loans churn completeness missing"
NEW_CLIENT = ("", "", "standard", 0, 0, 0, 0, 0, False, 0, "")
NEW_CLIENT_COLUMNS = tuple(NEW_CLIENT_COLUMNS.split())
ABNORMAL = ("other_bank", "unhappy", "returns", "manager_change")
NORMAL = ("moved", "death")


class _Maker(People):
    """People's names and phones from a random source of its own (phones kept unique across the book)."""

    def __init__(self, rng: random.Random, phones: set[str]) -> None:
        self.rng, self.r, self.phones, self.ids = rng, rng.random, phones, set()
        self.surnames = _weights(V.SURNAMES)
        self.given = [_weights([(g, 1 / (i + 8)) for i, g in enumerate(n)]) for n in (V.FEMALE_NAMES, V.MALE_NAMES)]
        self.suffixes, self.industry_of = _weights(V.COMPANY_SUFFIXES), {}

    def pick(self, seq: Sequence):
        return seq[int(self.r() * len(seq))]

    def choose(self, weighted: tuple[list[str], list[float]]) -> str:
        items, cum = weighted
        return items[bisect(cum, self.r() * cum[-1])]


def _stamp(today: dt.date) -> dt.datetime:
    return dt.datetime.combine(today, dt.time(7, 30))  # when the demo book was made, as far as it knows


def _weights(pairs: Sequence[tuple[str, float]]) -> tuple[list[str], list[float]]:
    return [p[0] for p in pairs], list(accumulate(p[1] for p in pairs))


def add(seed: int, today: dt.date, pol: Policies) -> dict[str, int]:
    """Add the comings and goings to the loaded book (inside the demo's transaction); returns their counts."""
    rng = random.Random(f"life:{seed}")
    rows = bulk.raw(Client.select(Client.id, Client.tier, Client.churn, Client.phone).order_by(Client.id))
    if not rows:
        return {"prospects": 0, "lost": 0, "referrals": 0, "events": 0, "contacts": 0, "visits": 0}
    maker = _Maker(rng, {p for *_, p in rows if p})
    by_tier: dict[str, list[int]] = {}
    for cid, tier, churn, _phone in rows:
        if not churn:  # the churn warnings the demo shows stay with clients who are still here
            by_tier.setdefault(tier, []).append(cid)
    high = [c for t, ids in by_tier.items() if TIER_RANK[t] >= TIER_RANK["platinum"] for c in ids]
    gone = _lose(rng, today, by_tier, high, len(rows))
    lost = gone["ids"]
    taken = set(lost)
    staying = [c for c in high if c not in taken]
    hubs = rng.sample(staying, min(len(staying), 4))  # a few clients whose circle brings others
    won = _referred(rng, today, [c for c, *_ in rows if c not in taken and c not in hubs], hubs, len(rows))
    prospects, contacts = _prospects(rng, maker, today, hubs, len(rows))
    events = _events(rng, today, staying)
    figures.refresh([*lost, *prospects], today=today, pol=pol)
    touched = bulk.id_list([*lost, *prospects])  # stamped as the rest of the book is: the same seed, the same book
    Client.update(updated_at=_stamp(today)).where(Client.id.in_(touched)).execute()
    return {
        "prospects": len(prospects),
        "lost": len(lost),
        "referrals": won,
        "events": events,
        "contacts": contacts - gone["contacts"],
        "visits": -gone["visits"],
    }


def _lose(rng: random.Random, today: dt.date, by_tier: dict[str, list[int]], high: list[int], n: int) -> dict:
    """Clients lost in the last weeks of this year: what they held moved out from the month of the loss, and the
    record stops there (later contacts and visits are taken out). Returns the ids and what was taken out."""
    count = n // LOST_SHARE
    if not count:
        return {"ids": [], "contacts": 0, "visits": 0}
    ordinary = [c for t, ids in by_tier.items() if TIER_RANK[t] < TIER_RANK["platinum"] for c in ids]
    chosen = rng.sample(high, min(len(high), max(1, count // 3))) + rng.sample(ordinary, min(len(ordinary), count))
    within = bulk.id_list(chosen)
    tiers = dict(bulk.raw(Client.select(Client.id, Client.tier).where(Client.id.in_(within))))
    reach = max(1, min(75, (today - dt.date(today.year, 1, 1)).days))
    stamp, losses, complaints = _stamp(today), {}, []
    for cid in chosen:
        key = rng.choice(ABNORMAL if rng.random() < 0.7 else NORMAL)
        zh, _en, normal = lifecycle.LOSS_REASONS[key]
        when = today - dt.timedelta(days=rng.randrange(reach))
        losses[cid] = (when, LOSS_NOTES.get(key, zh), normal, tiers[cid])
        if key == "unhappy":  # what the record shows: a complaint left open
            complaints.append((cid, when - dt.timedelta(days=20), "投诉网点排队时间长，无人跟进", "安抚", "[]"))
    columns = ("status", "lost_at", "lost_reason", "lost_normal", "lost_tier", "updated_at")
    bulk.update_rows(Client, columns, [("lost", *loss, stamp, cid) for cid, loss in losses.items()])
    bulk.insert_rows(Complaint, ("client", "opened", "text", "step", "data"), complaints, convert=True)
    later = [
        cid
        for cid, client, day in bulk.raw(
            Contact.select(Contact.id, Contact.client, Contact.date).where(Contact.client.in_(within))
        )
        if bulk.as_date(day) > losses[client][0]
    ]
    fulltext.remove("contact", later)
    for start in range(0, len(later), 5000):
        Contact.delete().where(Contact.id.in_(bulk.id_list(later[start : start + 5000]))).execute()
    gone_visits = [
        vid
        for vid, client, day in bulk.raw(
            Visit.select(Visit.id, Visit.client, Visit.date).where(Visit.client.in_(within))
        )
        if bulk.as_date(day) > losses[client][0]
    ]
    if gone_visits:
        Visit.delete().where(Visit.id.in_(bulk.id_list(gone_visits))).execute()
    moved = []  # the month of the loss keeps three tenths; the months after it nothing
    query = Balance.select(Balance.id, Balance.client, Balance.month, Balance.aum, Balance.deposits)
    for bid, client, month, aum, deposits in bulk.raw(query.where(Balance.client.in_(within))):
        first = losses[client][0].replace(day=1)
        month = bulk.as_date(month)
        if month == first:
            moved.append((aum * 3 // 10, deposits * 3 // 10, bid))
        elif month > first:
            moved.append((0, 0, bid))
    bulk.update_rows(Balance, ("aum", "deposits"), moved, convert=False)
    return {"ids": chosen, "contacts": len(later), "visits": len(gone_visits)}


def _referred(rng: random.Random, today: dt.date, pool: list[int], hubs: list[int], n: int) -> int:
    """Clients won through a referral: each hub (and a few others) introduced some; converted on joining."""
    count = min(len(pool), n // REFERRED_SHARE)
    if not count or not hubs:
        return 0
    chosen = rng.sample(pool, count)
    joined = dict(bulk.raw(Client.select(Client.id, Client.created_at).where(Client.id.in_(bulk.id_list(chosen)))))
    rows = []
    for cid in chosen:
        day = bulk.as_date(str(joined[cid])[:10]) or today
        referrer = rng.choice(hubs) if rng.random() < 0.7 else rng.choice(pool)
        if referrer == cid:
            continue
        Client.update(converted_at=day).where(Client.id == cid).execute()
        rows.append((cid, referrer, day - dt.timedelta(days=20 + rng.randrange(60)), "", day))
    bulk.insert_rows(Referral, ("client", "referrer", "date", "note", "thanked_at"), rows)
    return len(rows)


def _prospects(rng: random.Random, maker: _Maker, today: dt.date, hubs: list[int], n: int) -> tuple[list[int], int]:
    """New prospects (one in four a company), some introduced by a hub; returns their ids and first contacts."""
    count = n // PROSPECT_SHARE
    first = bulk.next_id(Client, count)
    sources = [s for s in lifecycle.SOURCES if s != "referral"]
    clients, referrals, contacts = [], [], []
    for cid in range(first, first + count):
        corporate = rng.random() < 0.25
        referrer = rng.choice(hubs) if hubs and rng.random() < 0.35 else None
        created = today - dt.timedelta(days=5 + rng.randrange(90))
        stamp = dt.datetime.combine(created, dt.time(10))
        clients.append(
            (
                cid,
                "corporate" if corporate else "individual",
                "prospect",
                maker.company() if corporate else maker.person(rng.random() < 0.5),
                maker.mobile() if rng.random() < 0.8 else None,
                None if corporate or rng.random() < 0.5 else maker.company(),
                "referral" if referrer else rng.choice(sources),
                rng.choice(list(lifecycle.APPROACHES)),
                rng.choice(NEXT_STEPS),
                today + dt.timedelta(days=rng.randrange(-3, 21)),
                stamp,
                stamp,
                *NEW_CLIENT,
            )
        )
        if referrer is not None:
            referrals.append((cid, referrer, created, ""))
        if rng.random() < 0.4:  # a first contact made already
            contacts.append((cid, created, "phone", "初次电话联系，同意见面", _stamp(today)))
    columns = "id kind status name phone employer source approach next_step next_step_date created_at updated_at"
    bulk.insert_rows(Client, [*columns.split(), *NEW_CLIENT_COLUMNS], clients, convert=True)
    bulk.sync_sequence(Client)
    bulk.insert_rows(Referral, ("client", "referrer", "date", "note"), referrals, convert=True)
    made = Contact.select(Contact.id, Contact.client, Contact.date, Contact.outcome)
    if contacts:
        top = bulk.next_id(Contact, len(contacts))
        rows = [(top + i, *c) for i, c in enumerate(contacts)]
        bulk.insert_rows(Contact, ("id", "client", "date", "channel", "outcome", "created_at"), rows, convert=True)
        bulk.sync_sequence(Contact)
        docs = bulk.raw(made.where(Contact.id >= top))
        fulltext.add([fulltext.Doc("contact", i, c, bulk.as_date(d), o) for i, c, d, o in docs])
    return [c[0] for c in clients], len(contacts)


def _events(rng: random.Random, today: dt.date, high: list[int]) -> int:
    """The past events the demo's event contacts were made at (those clients attended; a few invited did not
    come), and one coming up with the first invitations sent."""
    made = 0
    for ago, name, kind in PAST_EVENTS:
        day = today - dt.timedelta(days=ago)
        came = {
            cid: contact
            for contact, cid in bulk.raw(
                Contact.select(Contact.id, Contact.client)
                .where(Contact.date == day, Contact.channel == "event")
                .order_by(Contact.id.desc())
            )
        }
        if not came:
            continue
        event = Event.create(name=name, kind=kind, date=day, place="西湖国宾馆", created_at=_stamp(today))
        invited_on = day - dt.timedelta(days=14)
        rows = [(event.id, cid, invited_on, "attended", contact) for cid, contact in sorted(came.items())]
        others = [c for c in high if c not in came]
        rows += [(event.id, c, invited_on, "absent", None) for c in sorted(rng.sample(others, min(len(others), 3)))]
        bulk.insert_rows(Invitation, ("event", "client", "invited_on", "status", "contact"), rows)
        made += 1
    days, name, kind, place = COMING
    event = Event.create(
        name=name, kind=kind, date=today + dt.timedelta(days=days), place=place, created_at=_stamp(today)
    )
    guests = sorted(rng.sample(high, min(len(high), 8)))
    bulk.insert_rows(
        Invitation, ("event", "client", "invited_on", "status"), [(event.id, c, today, "invited") for c in guests]
    )
    return made + 1
