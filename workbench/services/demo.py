"""The demo book (``wb demo``): a realistic generated book of clients, made in one transaction, in bulk.

The same seed and the same ``today`` give the same book. Every derived column (tier, trend, churn,
completeness, next due date, sort key, search keys, key dates' next dates) is computed here with the rules the
app itself uses, so ``services.figures.refresh`` afterwards changes nothing (tests/test_demo.py checks it).

Speed (100,000 clients are some 5 million rows; benchmarks/demo_bench.py) comes from: rows built as tuples in
database form and inserted with executemany; on SQLite, the indexes rows arrive in random order for dropped for
the load and rebuilt after, foreign keys checked by construction rather than per row, and the search keys
joined in SQL from each distinct name's keys; and, for large books, the rows generated in a forked helper
process while this one inserts them.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate, pairwise

from workbench.errors import BadInput, Conflict
from workbench.rules import lunar, pinyin, profile
from workbench.rules.dates import add_months
from workbench.rules.figures import Snapshot
from workbench.rules.keydates import KeyDay
from workbench.rules.tiers import TIER_KEYS, TIER_RANK
from workbench.services import demo_data as V
from workbench.services import demo_life, demo_process
from workbench.services.demo_journal import Journal
from workbench.services.demo_people import People
from workbench.services.figures import DERIVED, Related, db_row, derive
from workbench.services.settings import Policies, policies
from workbench.store import bulk, bulkload, fulltext, models
from workbench.store.db import transaction
from workbench.store.models import MODELS, Client, Meta

KINDS = ("individual", "corporate")
HISTORY_MONTHS = 13
CHUNK = 2_000  # clients generated, then handed over, at a time
PROFILE = {k: tuple(f.name for f in profile.COLUMN_FIELDS if k in f.kinds and f.name != "name") for k in KINDS}
Target = type | str  # a model; "individual"/"corporate" (client rows); a temporary table in SQL_KEYS
CLIENT = ("id", "client_no", "kind", "status", "manager", "name", *DERIVED, "next_contact", "created_at", "updated_at")
COLUMNS: dict[Target, tuple[str, ...]] = {k: (*CLIENT, *PROFILE[k]) for k in KINDS}  # NULLs cost to bind: left out
for _model, _columns in (  # the order rows are built in
    (models.Balance, "client month aum deposits loans deposits_avg loans_cumulative risk_loans interest_receivable"),
    (models.Holding, "client product product_type amount start_date maturity_date status"),
    (models.KeyDate, "client kind calendar month day leap year label next_date"),
    (models.Contact, "client date channel outcome created_at"),
    (models.Visit, "client date stage goal outcome data created_at updated_at finished_at"),
    (models.SearchKey, "key client"),
    (models.DecisionMaker, "client name title gender age education family hobbies contact"),
    (models.Affiliate, "client name relation related_client"),
    (models.FollowUp, "client due text done_at created_at"),
    (models.Complaint, "client opened text step data"),
    (models.Note, "id date created_at text kind status source situation action result cause next_time"),
    (models.NoteTag, "note tag"),
    (models.NoteClient, "note client mention resolved"),
):
    COLUMNS[_model] = tuple(_columns.split())
# search_doc is filled by fulltext.rebuild() in date order: its index on (kind, ref_id) is rebuilt after it.
FILLED = (Client, *(m for m in COLUMNS if not isinstance(m, str)), models.SearchDoc)
# Tables whose rows arrive in the order of a column: indexes led by that column are only appended to.
ARRIVAL = dict.fromkeys("balance contact holding key_date decision_maker affiliate visit".split(), "client_id")
ARRIVAL |= dict.fromkeys(("note_tag", "note_client"), "note_id")
ARRIVAL["search_key"] = "key"  # joined in key order at the end (on SQLite; elsewhere no index is dropped)
COUNTS = "clients individuals corporates balances holdings key_dates contacts visits notes decision_makers".split()
# Search keys on SQLite: each distinct name's keys are handed over once (numbered in order of appearance),
# then joined in SQL to the clients bearing the name, all at once at the end (store.bulkload).
SQL_KEYS = bulkload.KEY_TABLES


@dataclass(frozen=True)
class DemoSummary:
    clients: int
    individuals: int
    corporates: int
    balances: int
    holdings: int
    key_dates: int
    contacts: int
    visits: int
    notes: int
    decision_makers: int
    seconds: float
    prospects: int = 0  # besides the clients (services.demo_life)
    lost: int = 0  # of the clients, lost this year
    referrals: int = 0
    events: int = 0


def generate(
    clients: int = 300,
    *,
    notes: int | None = None,
    seed: int = 0,
    today: dt.date | None = None,
    replace: bool = False,
    contacts_per_client: float = 10.0,
) -> DemoSummary:
    """Fill the open book with a generated one (notes: about one per three clients unless given).

    Refuses a book that already has clients unless ``replace``, which first empties every table but ``meta``
    and the records of who saw numbers unmasked and of handovers, in the same transaction as the generation."""
    if clients < 0 or (notes or 0) < 0 or contacts_per_client < 0:
        raise BadInput("clients, notes and contacts per client must be 0 or more")
    if today is None:
        from workbench.services.settings import today as settings_today

        today = settings_today()
    started = time.perf_counter()
    loader = _Loader()
    with loader.foreign_keys_off(), transaction():
        existing = Client.select().count()
        if existing and not replace:
            raise Conflict(f"the book already has {existing} clients; use --replace to start over")
        if replace:
            for model in reversed(MODELS):  # children before parents
                if model not in (Meta, models.Audit, models.Handover):  # (those two are records: kept)
                    model.delete().execute()
        notes = clients // 3 if notes is None else notes
        first = bulk.next_id(Client, clients), bulk.next_id(models.Note, notes)
        job = _Job(seed, today, policies(), contacts_per_client, clients, notes, *first, loader.sqlite)
        with loader.load:  # started; the connection's settings restored however it ends
            counts = demo_process.in_helper(job, loader) if demo_process.worthwhile(job) else job.run(loader)
            fulltext.rebuild()  # notes, lessons and contacts searchable, indexed in one pass
            loader.finish()
        life = demo_life.add(seed, today, job.pol)  # prospects, referrals, losses, events: a few rows
        counts["contacts"] += life.pop("contacts")  # (first contacts made, less those after a loss)
        counts["visits"] += life.pop("visits")
    return DemoSummary(**counts, **life, seconds=round(time.perf_counter() - started, 3))


@dataclass(frozen=True)
class _Job:
    seed: int
    today: dt.date
    pol: Policies
    contacts_per_client: float
    clients: int
    notes: int
    first_client: int
    first_note: int
    sqlite: bool  # booleans as 0/1, and each distinct name's keys handed over once, to be joined in SQL

    def run(self, sink: Callable[[Target, list[tuple]], None]) -> dict[str, int]:
        """Generate the book, handing rows to ``sink`` table by table, parents before children."""
        return _Generator(self, sink).run()


class _Loader:
    """Puts generated rows into the open book, through the store's bulk load (see store.bulkload)."""

    def __init__(self) -> None:
        self.load = bulkload.BulkLoad(FILLED, ARRIVAL, sequenced=(Client, models.Note))
        self.sqlite = self.load.sqlite

    def foreign_keys_off(self) -> bulkload.ForeignKeysOff:
        return self.load.foreign_keys_off()

    def __call__(self, target: Target, rows: list[tuple]) -> None:
        if target in SQL_KEYS:
            self.load.key_rows(target, rows)
        else:
            bulk.insert_rows(Client if isinstance(target, str) else target, COLUMNS[target], rows)

    def finish(self) -> None:
        self.load.finish()


def _weights(pairs: Sequence[tuple[str, float]]) -> tuple[list[str], list[float]]:
    return [p[0] for p in pairs], list(accumulate(p[1] for p in pairs))


class _Generator(People, Journal):
    """One generation: the seeded random source, the caches, and the rows waiting to be handed over."""

    def __init__(self, job: _Job, sink: Callable[[Target, list[tuple]], None]) -> None:
        self.job, self.sink, self.today, pol = job, sink, job.today, job.pol
        self.rng = random.Random(job.seed)
        self.flag: Callable[[bool], int | bool] = int if job.sqlite else bool  # PostgreSQL has real booleans
        self.r, self.pol, today = self.rng.random, pol, job.today
        self.months = [add_months(today.replace(day=1), i + 1 - HISTORY_MONTHS) for i in range(HISTORY_MONTHS)]
        self.month_iso = [m.isoformat() for m in self.months]
        # figures() looks at the last months only: the downgrade window and the trend window
        self.window = max(pol.tiers.downgrade_months, pol.trends.months)
        self.days = [(today - dt.timedelta(days=d)).isoformat() for d in range(800)]  # index: days ago
        keys = [k for k in TIER_KEYS[1:] if k in pol.tiers.thresholds]
        bounds = [2_000.0, *(float(pol.tiers.thresholds[k]) for k in keys)]
        self.ranges = dict(zip(["standard", *keys], pairwise([*bounds, bounds[-1] * 5]), strict=True))
        self.surnames, self.areas = _weights(V.SURNAMES), _weights(V.ID_AREAS)
        self.given = [
            _weights([(g, 1 / (i + 8)) for i, g in enumerate(names)])  # Zipf-like; by sex
            for names in (V.FEMALE_NAMES, V.MALE_NAMES)
        ]
        self.suffixes, self.risks = _weights(V.COMPANY_SUFFIXES), _weights(V.RISK_WEIGHTS)
        self.note_sources = _weights(V.NOTE_SOURCES)
        self.visit_outcomes, self.stages = _weights(V.VISIT_OUTCOMES), _weights(V.STAGE_WEIGHTS)
        self.pairs = [(ch, out) for ch, outs in V.OUTCOMES.items() for out in outs]
        self.pair_cum = [
            list(accumulate(V.CHANNEL_WEIGHTS[ch][vip] / len(V.OUTCOMES[ch]) for ch, _ in self.pairs)) for vip in (0, 1)
        ]
        self.intensity = {t: 365 / pol.cadence.interval(t) for t in TIER_KEYS}
        self.ids: set[str] = set()
        self.phones: set[str] = set()
        self.industry_of: dict[str, str] = {}  # company name -> industry; also the names taken
        self.name_ids: dict[str, int] = {}
        self.names: list[str] = []  # by client, in order
        self.related: list[tuple[int, int | str, str]] = []  # affiliates: (client, other client or name, relation)
        self.name_keys: list[list[str]] = []
        self.next_dates: dict[tuple, str | None] = {}
        self.moons: dict[dt.date, lunar.LunarDay | None] = {}
        self.out: dict[Target, list[tuple]] = {k: [] for k in (*COLUMNS, *SQL_KEYS)}
        self.counts = dict.fromkeys(COUNTS, 0)
        self.stamp = f"{today.isoformat()} 07:30:00"  # when the book was made, as far as it knows
        common: dict[str, Sequence[str] | Callable[[], object]] = {
            **V.FIELD_WORDS,
            "address": self.address,
            "hobbies": lambda: self.some(V.HOBBIES, 3),
            "other_banks": lambda: self.some(V.OTHER_BANKS, 2),
            "risk_profile": lambda: self.choose(self.risks),
            "products_opened": lambda: self.some(V.PRODUCTS_OPENED, 3),
            "industry": lambda: self.pick(V.INDUSTRIES)[1],
            "founded_year": lambda: 1992 + int(self.r() * (today.year - 1995)),
            "registered_capital": lambda: self.pick(V.CAPITALS_WAN) * 1_000_000,  # cents
        }
        self.sources = {
            "individual": (V.INDIVIDUAL_ODDS, {**common, "next_needs": V.NEEDS_INDIVIDUAL}),
            "corporate": (
                V.CORPORATE_ODDS,
                {**common, "next_needs": lambda: self.some(V.NEEDS_CORPORATE, 2)},
            ),
        }

    # --- small helpers -------------------------------------------------------------------------------------
    def pick(self, seq: Sequence):
        return seq[int(self.r() * len(seq))]

    def choose(self, weighted: tuple[list[str], list[float]]) -> str:
        items, cum = weighted
        return items[bisect(cum, self.r() * cum[-1])]

    def some(self, seq: Sequence[str], most: int) -> str:
        return "、".join(self.rng.sample(seq, 1 + int(self.r() * most)))

    def flush(self, *targets: Target) -> None:
        for target in targets:
            rows = self.out[target]
            if rows:
                self.sink(target, rows)
                rows.clear()

    def key_date(
        self,
        cid: int,
        kind: str,
        calendar: str,
        month: int,
        day: int,
        leap: bool = False,
        year: int | None = None,
        label: str | None = None,
    ) -> None:
        when = (calendar, month, day, leap)
        if when not in self.next_dates:  # also checks the date exists
            found = KeyDay(kind, calendar, month, day, leap).next_date(self.today)
            self.next_dates[when] = found.isoformat() if found else None
        self.out[models.KeyDate].append(
            (cid, kind, calendar, month, day, self.flag(leap), year, label, self.next_dates[when])
        )
        self.counts["key_dates"] += 1

    def keys(self, cid: int, name: str, no: str, phone: str | None) -> None:
        """Hand over the client's search keys: its name's once per distinct name (names repeat a lot)."""
        if name not in self.name_ids:
            self.name_ids[name] = len(self.name_ids)
            self.name_keys.append(sorted(pinyin.client_keys(name)))
            if self.job.sqlite:
                self.out["name_key"].extend((self.name_ids[name], key) for key in self.name_keys[-1])
        number = self.name_ids[name]
        extra = set(pinyin.own_keys(no, phone))
        if self.job.sqlite:
            self.out["client_name"].append((cid, number))
            self.out["extra_key"].extend((key, cid) for key in sorted(extra))
        else:
            self.out[models.SearchKey].extend((key, cid) for key in sorted(extra.union(self.name_keys[number])))

    # --- the book ------------------------------------------------------------------------------------------
    def run(self) -> dict[str, int]:
        plan = self.plan(self.job.clients)
        first = self.job.first_client
        self.client_ids = list(range(first, first + len(plan)))
        self.corporate_ids = [cid for cid, p in zip(self.client_ids, plan, strict=True) if p[0] == "corporate"]
        self.corporate_set = set(self.corporate_ids)
        sizes = {"individual": len(plan) - len(self.corporate_ids), "corporate": len(self.corporate_ids)}
        numbers = {k: iter(self.rng.sample(range(1, max(300_000, 30 * n)), n)) for k, n in sizes.items()}
        weight = 0.98 * sum(self.intensity[p[1]] for p in plan)  # a few are never contacted
        self.contact_scale = self.job.contacts_per_client * len(plan) / weight if weight else 0.0
        done = (*KINDS, models.Balance, models.Holding, models.KeyDate, models.Contact, models.Visit)
        done = (*done, models.DecisionMaker)
        for start in range(0, len(plan), CHUNK):
            ids = self.client_ids[start : start + CHUNK]
            for cid, (kind, tier, shape, extra, surname, male) in zip(ids, plan[start : start + CHUNK], strict=True):
                self.names.append(self.company() if kind == "corporate" else self.person(male, surname))
                number = f"{'E' if kind == 'corporate' else 'C'}{next(numbers[kind]):08d}"
                self.client(cid, number, kind, tier, shape, extra, self.names[-1], male)
            self.flush(*done, models.SearchKey, *SQL_KEYS)
        for cid, other, relation in self.related:  # affiliates that are clients too: all named by now
            name = self.names[other - first] if isinstance(other, int) else other
            self.out[models.Affiliate].append((cid, name, relation, other if isinstance(other, int) else None))
        self.flush(models.Affiliate)
        self.follow_ups()
        self.notes(self.job.notes)
        return self.counts

    def plan(self, clients: int) -> list[tuple[str, str, str, str, str, bool]]:
        """(kind, tier, shape, extra, surname, male) for each client, the forced scenarios among them."""
        base = list(V.FORCED[:clients])
        tiers = {"individual": _weights(V.IND_TIERS), "corporate": _weights(V.CORP_TIERS)}
        shapes = _weights(V.SHAPES)
        for _ in range(clients - len(base)):
            kind = "corporate" if self.r() < 0.2 else "individual"
            base.append((kind, self.choose(tiers[kind]), self.choose(shapes), "", ""))
        self.rng.shuffle(base)
        return [(*b, self.r() < (0.52 if b[0] == "individual" else 0.8)) for b in base]

    def history(self, tier: str, shape: str) -> list[int]:
        """Thirteen monthly AUM figures (cents) to this month: flat, rising, falling, crossing a threshold."""
        r, n = self.r, HISTORY_MONTHS
        lo, hi = self.ranges.get(tier, self.ranges["standard"])
        if tier == "standard" and shape in ("cross_up", "cross_down"):
            shape = "rising" if shape == "cross_up" else "flat"
        base = lo * 104 * ((hi * 0.96) / (lo * 1.04)) ** r()  # in cents
        noise = [(r() - 0.5) * 0.03 for _ in range(n)]
        if shape in ("cross_up", "cross_down"):  # crossed the tier's threshold k months ago
            k = 1 + int(r() * max(1, self.pol.tiers.downgrade_months - 1))
            up = shape == "cross_up"
            before, after = (0.8 + 0.17 * r(), 1.02 + 0.2 * r()) if up else (1.03 + 0.12 * r(), 0.8 + 0.17 * r())
            values = [lo * 100 * (before if m < n - k else after) * (1 + noise[m] / 3) for m in range(n)]
        elif shape == "rising":
            g = 0.15 + 0.6 * r()
            values = [base / (1 + g) * (1 + g) ** (m / (n - 1)) * (1 + noise[m] / 2) for m in range(n)]
        elif shape == "stepdown":  # a large withdrawal four or five months ago, steady since
            step, high = n - 4 - int(r() * 2), 1.2 + 0.4 * r()
            values = [base * (high if m < step else 1) * (1 + noise[m]) for m in range(n)]
        elif shape == "decline":  # falling month after month: a churn warning
            d = 0.15 + 0.3 * r()
            values = [base * (1 + d) ** ((n - 1 - m) / (n - 1)) * (1 + noise[m] / 5) for m in range(n)]
        else:
            values = [base * (1 + noise[m]) for m in range(n)]
            if shape == "sharp":  # most of it withdrawn last month
                values[-1] = values[-2] * (0.35 + 0.3 * r())
        if shape in ("flat", "rising", "stepdown", "cross_up"):
            values[-1] = max(values[-1], values[-2])  # no accidental churn warning from noise
        return [int(v) for v in values]

    def client(self, cid: int, no: str, kind: str, planned: str, shape: str, extra: str, name: str, male: bool) -> None:
        r, today, corporate, months = self.r, self.today, kind == "corporate", self.month_iso
        aums = self.history(planned, shape)
        ratio = 0.85 + 0.15 * r() if corporate else 0.25 + 0.65 * r()
        deps = [int(a * ratio) for a in aums]
        if r() < (0.75 if corporate else 0.12):  # a credit line; a mortgage, repaid month by month
            loan = aums[-1] * (0.3 + 2.5 * r()) + 50_000_000 if corporate else 30_000_000 + 270_000_000 * r()
            loans = [int(loan * (1 + (HISTORY_MONTHS - 1 - m) * 0.004)) for m in range(HISTORY_MONTHS)]
            bad = 50 if corporate and r() < 0.03 else 0  # a small part overdue: a risk loan
            self.out[models.Balance].extend(
                (cid, mo, a, d, owed, int(d * (0.92 + 0.1 * r())), owed * 2, bad and owed // bad, owed // 250)
                for mo, a, d, owed in zip(months, aums, deps, loans, strict=True)
            )
        else:
            loans = [0] * HISTORY_MONTHS
            self.out[models.Balance].extend(
                (cid, mo, a, d, 0, int(d * (0.92 + 0.1 * r())), 0, 0, 0)
                for mo, a, d in zip(months, aums, deps, strict=True)
            )
        self.counts["balances"] += HISTORY_MONTHS
        # The plan's tier decides how well kept the file is, what is held and how often the client is contacted;
        # the stored tier is what derive() finds in the history (a client may just have dropped out of it).
        rank = TIER_RANK.get(planned, 0)
        level = 2 if r() < V.RICH[rank] else 1 if r() < 0.3 else 0  # a well-kept profile, an ordinary, a thin
        risky = self.holdings(cid, aums[-1] / 100, rank, corporate, extra == "soon")
        values: dict[str, object] = {"name": name}
        odds, sources = self.sources[kind]
        for field, chances in odds.items():
            if r() < chances[level]:
                source = sources[field]
                values[field] = source() if callable(source) else self.pick(source)
        if corporate:
            related = self.corporate(cid, values, level)
        else:
            related = self.individual(cid, values, level, male, rank, extra)
            if risky and not values.get("risk_profile"):  # holding 理财 or 基金 needs a risk assessment
                values["risk_profile"] = self.choose(self.risks)
        ago = self.contacts(cid, planned, rank, kind)
        last = None if ago is None else today - dt.timedelta(days=ago)
        agreed = today + dt.timedelta(days=3 + int(27 * r())) if r() < 0.02 else None
        w = -self.window  # figures() reads only the last months: the same figures as from the whole history
        snaps = [Snapshot(m, Decimal(a).scaleb(-2)) for m, a in zip(self.months[w:], aums[w:], strict=True)]
        snaps[-1] = Snapshot(
            self.months[-1], snaps[-1].aum, Decimal(deps[-1]).scaleb(-2), Decimal(loans[-1]).scaleb(-2)
        )
        joined = self.days[400 + int(r() * 399)]
        derived = derive(kind, values, snaps, related, last, agreed, today, self.pol, dt.date.fromisoformat(joined))
        self.keys(cid, name, no, values.get("phone"))  # type: ignore[arg-type]
        head = (cid, no, kind, "active", "", name)
        stamps = (agreed and agreed.isoformat(), f"{joined} 10:00:00", self.stamp)
        self.out[kind].append((*head, *db_row(derived, not self.job.sqlite), *stamps, *map(values.get, PROFILE[kind])))
        self.counts["clients"] += 1
        self.counts["corporates" if corporate else "individuals"] += 1

    def holdings(self, cid: int, aum: float, rank: int, corporate: bool, soon: bool) -> bool:
        """Products held, maturities spread over the coming months; True when one needs a risk assessment."""
        r, today = self.r, self.today
        products = [p for p in V.PRODUCTS if p[3] <= aum / 2 and not (corporate and p[0] in ("基金", "保险"))]
        termed = [p for p in products if p[2] and p[2] <= 1095]
        risky = False
        for i in range(int(V.HOLDINGS[rank] * (0.4 + 1.2 * r()) + 0.5) + soon if products else 0):
            urgent = soon and i == 0 and bool(termed)  # one maturing within the week
            ptype, pattern, term, least = self.pick(termed if urgent else products)
            amount = int(max(least, aum * (0.05 + 0.3 * r())) // 1000 * 1000)
            if term is None:
                start, maturity = today - dt.timedelta(days=30 + int(r() * 1500)), None
            else:
                maturity = today + dt.timedelta(days=1 + int(r() * 7) if urgent else int(r() * (term + 40)) - 40)
                start = maturity - dt.timedelta(days=term)
            status = "held" if maturity is None or maturity >= today else self.pick(V.PAST_STATUSES)
            product = pattern.format(t=V.TERM_NAMES.get(term or 0, ""), y=start.year, n=1 + int(r() * 30), d=term)
            ends = maturity and maturity.isoformat()
            self.out[models.Holding].append((cid, product, ptype, amount * 100, start.isoformat(), ends, status))
            self.counts["holdings"] += 1
            risky = risky or ptype in ("理财", "基金")
        return risky

    def individual(self, cid: int, values: dict[str, object], level: int, male: bool, rank: int, extra: str) -> Related:
        r, today, birthday = self.r, self.today, True
        age = 35 + int(r() * 40) if rank >= 3 else 24 + int(r() * 56)
        birth = dt.date(today.year - age, 1, 1) + dt.timedelta(days=int(r() * 365))
        if extra in V.SPECIAL_BIRTHDAYS:  # 八月十五, 腊月三十, a leap-month birthday
            year = today.year - age
            while (extra == "new_year_eve" and lunar.lunar_month_length(year, 12) != 30) or (
                extra == "leap" and not lunar.leap_month(year)
            ):
                year -= 1
            month, day, leap = V.SPECIAL_BIRTHDAYS[extra] or (lunar.leap_month(year) or 1, 8, True)
            birth = lunar.observed_in_year(lunar.LunarDay(month, day, leap), year) or birth
            self.key_date(cid, "birthday", "lunar", month, day, leap, year)
        elif r() < (0.7, 0.85, 1.0)[level]:
            if r() < 1 / 3:  # about a third keep the lunar date
                if birth not in self.moons:
                    self.moons[birth] = lunar.to_lunar(birth)
                moon = self.moons[birth]
                assert moon is not None
                self.key_date(cid, "birthday", "lunar", moon.month, moon.day, moon.leap, moon.year)
            else:
                self.key_date(cid, "birthday", "solar", birth.month, birth.day, False, birth.year)
        else:
            birthday = False
        if age > 27 and r() < (0.05, 0.2, 0.5)[level]:
            wed = birth + dt.timedelta(days=int(365 * (23 + r() * min(12, age - 25))))
            self.key_date(cid, "anniversary", "solar", wed.month, wed.day, False, wed.year)
        values["gender"] = "男" if male else "女"
        values["id_number"] = self.resident_id(birth, male)
        if r() < 0.98:
            values["phone"] = self.mobile()
        return Related(birthday=birthday)

    def corporate(self, cid: int, values: dict[str, object], level: int) -> Related:
        r, pick = self.r, self.pick
        values["id_number"] = self.credit_code()
        values["phone"] = f"0571-8{int(r() * 1e7):07d}" if r() < 0.5 else self.mobile()
        values["industry"] = self.industry_of[str(values["name"])]
        makers = 0 if r() < (0.45, 0.3, 0.05)[level] else 1 + int(r() * 3)
        for title in self.rng.sample(V.DM_TITLES, makers):
            male, full = r() < 0.8, level == 2 or r() < 0.3
            who = (cid, self.person(male), title, "男" if male else "女", 35 + int(r() * 30))
            about = (
                (pick(V.EDUCATION), pick(V.FIELD_WORDS["family"]), self.some(V.HOBBIES, 2))
                if full
                else (None, None, None)
            )
            self.out[models.DecisionMaker].append((*who, *about, pick(V.DM_CONTACTS)))
        self.counts["decision_makers"] += makers
        affiliates = 1 + int(r() * 2) if r() < (0.08, 0.2, 0.6)[level] else 0
        for _ in range(affiliates):
            other = pick(self.corporate_ids) if r() < 0.4 else cid  # a client too, or not
            self.related.append((cid, other if other != cid else self.company(), pick(V.RELATIONS)))
        if level == 2 and r() < 0.5:
            founded = dt.date(2001, 1, 1) + dt.timedelta(days=int(r() * 365))
            year = values.get("founded_year")
            self.key_date(cid, "other", "solar", founded.month, founded.day, False, year, "公司成立纪念日")  # type: ignore
        return Related(decision_makers=makers, affiliates=affiliates)

    def contacts(self, cid: int, tier: str, rank: int, kind: str) -> int | None:
        """The year's contacts, more often for higher tiers; how many days ago the last one was. Most recent
        visits come with the wizard's record of them."""
        r = self.r
        never = (0.1, 0.03, 0.01, 0.01, 0, 0, 0)[rank]  # some lower-tier clients not reached all year
        count = 0 if r() < never else int(self.contact_scale * self.intensity[tier] * (0.4 + 1.2 * r()) + r())
        if not count:
            return None
        pairs, cum, times, events, days = (
            self.pairs,
            self.pair_cum[rank >= 3],
            V.CONTACT_TIMES,
            V.EVENT_DAYS_AGO,
            self.days,
        )
        total = cum[-1]
        picks = [pairs[bisect(cum, r() * total)] for _ in range(count)]
        dated = sorted(
            [(events[int(r() * 5)] if p[0] == "event" else int(r() * 365), p, times[int(r() * 11)]) for p in picks],
            reverse=True,
        )
        self.out[models.Contact].extend((cid, days[d], ch, out, f"{days[d]} {t}") for d, (ch, out), t in dated)
        self.counts["contacts"] += count
        for d, (ch, _), t in dated:
            if ch == "visit" and d < 200 and r() < 0.7:
                self.visit(cid, kind, days[d], f"{days[d]} {t}")
        return dated[-1][0]

    def visit(self, cid: int, kind: str, day: str, stamp: str | None = None) -> None:
        """A visit as the wizard records it: finished (with a stamp) or only planned, for a day to come."""
        r, pick = self.r, self.pick
        data: dict[str, object] = {"goal": pick(V.VISIT_GOALS[kind])}
        outcome = None
        if stamp:
            outcome = self.choose(self.visit_outcomes)
            data |= {"observe": pick(V.VISIT_OBSERVE[kind]), "listen": pick(V.VISIT_LISTEN[kind]), "outcome": outcome}
            data["needs_found"] = pick(V.VISIT_NEEDS[kind])
            if outcome != "postponed" and r() < 0.8:
                products = self.rng.sample(V.OPPORTUNITIES[kind], 1 + int(r() * 2))
                data["opportunities"] = [{"product": p, "stage": self.choose(self.stages)} for p in products]
        made = stamp or self.stamp
        row = (cid, day, "done" if stamp else "before", data["goal"], outcome, json.dumps(data, ensure_ascii=False))
        self.out[models.Visit].append((*row, made, made, stamp))
        self.counts["visits"] += 1

    def follow_ups(self) -> None:
        """Open follow-ups over the coming weeks (some overdue, some done), and a few fresh complaints."""
        r, ids, n = self.r, self.client_ids, len(self.client_ids)
        for _ in range(max(1, n // 25) if n else 0):
            ahead = int(28 * r()) - 7
            due = (self.today + dt.timedelta(days=ahead)).isoformat()
            done = f"{due} 17:00:00" if ahead < 0 and r() < 0.5 else None
            created = f"{self.days[max(0, 7 - ahead)]} 09:00:00"
            self.out[models.FollowUp].append((self.pick(ids), due, self.pick(V.FOLLOW_UPS), done, created))
        for _ in range(n // 400 + 1 if n >= 20 else 0):
            row = (self.pick(ids), self.days[int(r() * 20)], self.pick(V.COMPLAINTS), "安抚", "{}")
            self.out[models.Complaint].append(row)
        for _ in range(max(1, n // 150) if n else 0):  # visits planned for the coming days
            i = int(r() * n)
            kind = "corporate" if self.client_ids[i] in self.corporate_set else "individual"
            self.visit(self.client_ids[i], kind, (self.today + dt.timedelta(days=1 + int(r() * 10))).isoformat())
        self.flush(models.FollowUp, models.Complaint, models.Visit)
