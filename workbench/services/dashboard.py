"""The manager's dashboard (DOMAIN.md §7) for one month: what `wb report` prints and the fifth pane shows.

How each figure is defined:
- **Tiers at a month's end** are re-derived from the monthly balances with the rules' own hysteresis
  (rules.tiers: the highest tier the AUM reached in the last ``downgrade_months`` months), for the month, the
  month before and three months before; AUM is the month's balance. Active clients with a balance in the
  window count. One query over the balances of those months, aggregated here.
- **Tier moves** compare each client's tier at the month's end with the month before: up, down, and pending
  down (still in the tier, the month's AUM already below it).
- **Coverage** is services.workload's: contacts made in the month (to the day, for the current month) against
  the planned (the daily capacity times the month's workdays so far) and the monthly target; the clients past
  their latest day, by tier, are as of the day.
- **Losses reviewed** are the abnormal losses of 白金 clients and above this calendar year (services.review),
  each with its last contacts, open complaints and balances; **key fields** is the share of active clients
  from 金 up with address, phone and employer recorded; **referrers** are ranked by the clients they brought.
- **Churn watch**, **completeness** and the **most often missing fields** are the clients' stored figures
  (as of the day); the **pipeline** is the latest stage of each opportunity (services.visits); **lessons** are
  those dated in the month.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from peewee import Case, fn

from workbench.errors import BadInput
from workbench.rules import dashboard as rules
from workbench.rules.dates import add_months
from workbench.rules.journal import STAGE_KEYS
from workbench.rules.lifecycle import KeyFieldShare
from workbench.rules.tiers import TIER_KEYS
from workbench.services import lifecycle, review, visits, workload
from workbench.services.settings import policies
from workbench.services.settings import today as _today
from workbench.store import bulk
from workbench.store.models import Balance, Client, Note

CHURN_SHOWN = 10
MOVES_SHOWN = 5
MISSING_SHOWN = 6
REFERRERS_SHOWN = 5


@dataclass(frozen=True)
class TierLine:
    tier: str
    clients: int
    aum: Decimal
    clients_month_ago: int
    aum_month_ago: Decimal
    clients_quarter_ago: int
    aum_quarter_ago: Decimal


@dataclass(frozen=True)
class Moves:
    up: int
    down: int
    pending: int
    up_names: tuple[str, ...]
    down_names: tuple[str, ...]
    pending_names: tuple[str, ...]


@dataclass(frozen=True)
class Dashboard:
    month: dt.date  # its first day
    day: dt.date  # figures "as of" this day: the month's last day, or today in the current month
    tiers: list[TierLine]  # lowest tier first
    moves: Moves
    contacts: int
    planned: int
    target: int
    workdays_gone: int
    workdays: int
    outside: dict[str, int]  # tier → clients past their latest day (as of the day)
    churn: list[tuple[str, str, Decimal, str]]  # (name, tier, AUM, reason), biggest first
    churn_total: int
    completeness: dict[str, int]  # tier → average completeness (0–100)
    missing: list[tuple[str, int]]  # (field name, clients missing it), most often first
    pipeline: dict[str, int]  # sales stage → opportunities
    lessons: int
    aum_history: list[tuple[dt.date, Decimal]]  # the last 12 months' total AUM, oldest first
    losses: list[review.LossReview] = field(default_factory=list)  # abnormal losses reviewed this year
    key_fields: KeyFieldShare = field(default_factory=lambda: KeyFieldShare(0, 0, {}))
    referrers: list[lifecycle.Referrer] = field(default_factory=list)  # whose circle brought the most
    movement: review.Movement = field(default_factory=lambda: review.Movement(0, 0, 0, 0, 0))

    @property
    def total_clients(self) -> int:
        return sum(t.clients for t in self.tiers)

    @property
    def total_aum(self) -> Decimal:
        return sum((t.aum for t in self.tiers), Decimal(0))


def parse_month(text: str | None) -> dt.date | None:
    """--month YYYY-MM as the month's first day (None: the current month); BadInput naming the option."""
    if text is None:
        return None
    try:
        return rules.parse_month(text)
    except ValueError as exc:
        raise BadInput(str(exc), column="--month", value=text) from None


def dashboard(month: dt.date | None = None) -> Dashboard:
    today = _today()
    current = today.replace(day=1)
    month = (month or current).replace(day=1)
    if month > current:
        raise BadInput("a month still to come", column="--month", value=f"{month:%Y-%m}")
    day = today if month == current else add_months(month, 1) - dt.timedelta(days=1)
    pol = policies()
    tiers, moves = _tiers(month, pol.tiers.thresholds, pol.tiers.downgrade_months)
    cover = workload.coverage(day)
    return Dashboard(
        month=month,
        day=day,
        tiers=tiers,
        moves=moves,
        contacts=cover.contacts,
        planned=pol.plan.capacity * cover.workdays_gone,
        target=cover.target,
        workdays_gone=cover.workdays_gone,
        workdays=cover.workdays,
        outside=cover.outside,
        churn=_churn(),
        churn_total=Client.select().where(Client.status == "active", Client.churn == True).count(),  # noqa: E712
        completeness=_completeness(),
        missing=_missing(),
        pipeline=_pipeline(),
        lessons=Note.select().where(Note.kind == "lesson", Note.date.between(month, day)).count(),
        aum_history=_aum_history(month),
        losses=review.losses(day),
        key_fields=review.key_fields(),
        referrers=lifecycle.top_referrers(REFERRERS_SHOWN),
        movement=review.movement(month, day),
    )


def _tiers(month: dt.date, thresholds, window: int) -> tuple[list[TierLine], Moves]:
    points = (month, add_months(month, -1), add_months(month, -3))
    first = add_months(points[-1], 1 - window)
    # (the money column turns a threshold in CNY into cents itself)
    cuts = sorted((Decimal(thresholds[k]), rank) for rank, k in enumerate(TIER_KEYS) if k in thresholds)
    raw = Case(None, [(Balance.aum >= least, rank) for least, rank in reversed(cuts)], 0)
    columns = [Balance.client]
    for point in points:
        start = add_months(point, 1 - window)
        columns += [
            fn.MAX(Case(None, [(Balance.month.between(start, point), raw)], -1)),  # the tier at its end
            fn.MAX(Case(None, [(Balance.month == point, raw)], -1)),  # the month's AUM alone
            fn.MAX(Case(None, [(Balance.month == point, Balance.aum)], 0)),
        ]
    # Grouped by client along the (client, month) index, without a join (a lookup per balance row cost seconds
    # on 100,000 clients); who is active, and the names of the few shown, are read apart.
    query = Balance.select(*columns).where(Balance.month.between(first, month)).group_by(Balance.client)
    active = {cid for (cid,) in bulk.raw(Client.select(Client.id).where(Client.status == "active"))}
    counts = [Counter() for _ in points]
    sums: list[defaultdict[int, int]] = [defaultdict(int) for _ in points]
    moved: dict[str, list[tuple[int, str]]] = {"up": [], "down": [], "pending": []}
    for row in bulk.raw(query):
        if row[0] not in active:
            continue
        name, values = row[0], row[1:]
        for i in range(len(points)):
            rank, _alone, aum = values[3 * i : 3 * i + 3]
            if rank >= 0:
                counts[i][rank] += 1
                sums[i][rank] += int(aum or 0)
        now, alone, aum = values[0], values[1], int(values[2] or 0)
        before = values[3]
        if now >= 0 and before >= 0 and now != before:
            moved["up" if now > before else "down"].append((aum, name))
        elif now >= 0 and 0 <= alone < now:
            moved["pending"].append((aum, name))
    lines = [
        TierLine(
            tier,
            counts[0][rank],
            _money(sums[0][rank]),
            counts[1][rank],
            _money(sums[1][rank]),
            counts[2][rank],
            _money(sums[2][rank]),
        )
        for rank, tier in enumerate(TIER_KEYS)
    ]
    top_ids = {k: [cid for _, cid in sorted(v, key=lambda x: (-x[0], x[1]))[:MOVES_SHOWN]] for k, v in moved.items()}
    shown = {cid for ids in top_ids.values() for cid in ids}
    names = (
        dict(bulk.raw(Client.select(Client.id, Client.name).where(Client.id.in_(bulk.id_list(shown))))) if shown else {}
    )
    top = {k: tuple(names[cid] for cid in ids) for k, ids in top_ids.items()}
    moves = Moves(len(moved["up"]), len(moved["down"]), len(moved["pending"]), top["up"], top["down"], top["pending"])
    return lines, moves


def _money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _churn() -> list[tuple[str, str, Decimal, str]]:
    query = (
        Client.select(Client.name, Client.tier, Client.aum, Client.churn_reason)
        .where(Client.status == "active", Client.churn == True)  # noqa: E712
        .order_by(Client.aum.desc(), Client.id)
        .limit(CHURN_SHOWN)
    )
    return [(name, tier, _money(aum or 0), reason or "") for name, tier, aum, reason in bulk.raw(query)]


def _completeness() -> dict[str, int]:
    query = (
        Client.select(Client.tier_rank, fn.AVG(Client.completeness))
        .where(Client.status == "active")
        .group_by(Client.tier_rank)
    )
    found = {rank: value for rank, value in bulk.raw(query)}
    return {tier: round(float(found[rank])) for rank, tier in enumerate(TIER_KEYS) if found.get(rank) is not None}


def _missing() -> list[tuple[str, int]]:
    query = Client.select(Client.missing, fn.COUNT(Client.id)).where(Client.status == "active", Client.missing != "")
    seen: Counter[str] = Counter()
    for text, n in bulk.raw(query.group_by(Client.missing)):  # profiles repeat: one row per distinct gap list
        for name in text.split(","):
            if name:
                seen[name] += n
    return sorted(seen.items(), key=lambda kv: (-kv[1], kv[0]))[:MISSING_SHOWN]


def _pipeline() -> dict[str, int]:
    found = visits.pipeline()
    return {stage: len(found.get(stage, [])) for stage in STAGE_KEYS}


def _aum_history(month: dt.date) -> list[tuple[dt.date, Decimal]]:
    """The active clients' total by month: every balance summed, less the few clients who are not active
    (summing through a join to the clients read each client once per balance row: seconds on a large book)."""
    first = add_months(month, -11)
    span = Balance.month.between(first, month)
    every = Balance.select(Balance.month, fn.SUM(Balance.aum)).where(span).group_by(Balance.month)
    others = (
        Balance.select(Balance.month, fn.SUM(Balance.aum))
        .join(Client)
        .where(Client.status != "active", span)
        .group_by(Balance.month)
    )
    less = {bulk.as_date(m): int(total or 0) for m, total in bulk.raw(others)}
    found = {bulk.as_date(m): _money(int(total or 0) - less.get(bulk.as_date(m), 0)) for m, total in bulk.raw(every)}
    return [(m, found.get(m, Decimal(0))) for m in (add_months(first, i) for i in range(12))]
