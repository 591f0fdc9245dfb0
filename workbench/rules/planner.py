"""The day's contacts (DOMAIN.md §3): who, why and how, chosen from the whole book.

The planner is a pure function of what the store hands it (``PlanInputs``): clients that have a reason
today, each with the facts behind that reason. Each reason has an urgency; a client's score is its most
urgent reason plus a share of the others, times its tier's weight. The day's capacity is shared between tiers
in proportion to their weighted demand, then filled by score. Ties fall to the client id, so the same book
and day always give the same list in the same order.

A dated reason (a maturity, a birthday, a holiday, a period end) counts as handled once the client has been
contacted since its window opened. Contacts logged today do not change today's list: the service passes the
last contact *before* today and marks today's contacts done, so the list holds still while it is worked.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from workbench.rules.cadence import CHANNELS, CadencePolicy
from workbench.rules.money import short_amount
from workbench.rules.tiers import TIER_RANK, tier_name
from workbench.rules.trend import churn_words
from workbench.rules.workdays import Greeting, WorkCalendar

PROSPECTS = "prospect"  # the group prospects are balanced in (they have no tier yet)
REASON_KINDS = (
    "complaint",
    "follow_up",
    "maturity",
    "churn_risk",
    "birthday",
    "anniversary",
    "prospect",
    "overdue",
    "period_end",
    "holiday",
    "cadence",
    "invite",
)

# When a channel is not in use, the ones to try instead, closest first.
FALLBACK: dict[str, tuple[str, ...]] = {
    "visit": ("visit", "phone", "wechat", "event", "sms", "email"),
    "phone": ("phone", "wechat", "sms", "visit", "email", "event"),
    "wechat": ("wechat", "sms", "phone", "email", "visit", "event"),
    "sms": ("sms", "wechat", "phone", "email", "visit", "event"),
    "email": ("email", "wechat", "sms", "phone", "visit", "event"),
    "event": ("event", "visit", "phone", "wechat", "sms", "email"),
}
DEFAULT_WEIGHTS: dict[str, float] = {
    "black": 3.0,
    "diamond": 2.6,
    "platinum_plus": 2.2,
    "platinum": 1.8,
    "gold_plus": 1.5,
    "gold": 1.2,
    "standard": 1.0,
}
# For each reason: (lowest tier, channel), highest tier first; the first rule the client's tier reaches wins.
DEFAULT_CHANNELS: dict[str, tuple[tuple[str, str], ...]] = {
    "complaint": (("platinum", "visit"), ("standard", "phone")),
    "follow_up": (("standard", "phone"),),
    "maturity": (("standard", "phone"),),
    "churn_risk": (("platinum", "visit"), ("standard", "phone")),
    "birthday": (("diamond", "visit"), ("platinum", "phone"), ("standard", "wechat")),
    "anniversary": (("diamond", "visit"), ("platinum", "phone"), ("standard", "wechat")),
    "overdue": (("diamond", "visit"), ("gold_plus", "phone"), ("standard", "wechat")),
    "period_end": (("standard", "phone"),),
    "holiday": (("platinum", "wechat"), ("standard", "sms")),
    "cadence": (("diamond", "visit"), ("gold_plus", "phone"), ("standard", "wechat")),
    "prospect": (("standard", "phone"),),  # a prospect's approach decides (lifecycle.approach_channel)
    "invite": (("standard", "phone"),),
}


@dataclass(frozen=True)
class PlanPolicy:
    capacity: int = 10  # contacts a day
    cadence: CadencePolicy = field(default_factory=CadencePolicy)
    maturity_lead: int = 7  # days before a maturity
    key_date_lead: int = 3  # days before a birthday or anniversary is planned
    holiday_lead: int = 3
    period_lead: int = 3  # days before the last workday of a month, quarter or year
    holiday_min_tier: str = "platinum"  # greetings are planned one by one from this tier up
    period_min_tier: str = "platinum"  # whose balances matter at a period end
    churn_quiet_days: int = 7  # a churn warning is not repeated within this many days of a contact
    complaint_quiet_days: int = 3
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    channels: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=lambda: dict(DEFAULT_CHANNELS))
    allowed: tuple[str, ...] = CHANNELS  # the channels the manager uses; the others are never proposed
    greet: tuple[str, ...] | None = None  # the holidays worth a greeting (keys of workdays.GREETINGS); None: all
    prospect_weight: float = 1.8  # prospects share the day as a group of their own, weighted like 白金

    def __post_init__(self) -> None:
        if self.capacity < 1:
            raise ValueError("daily capacity must be at least 1")
        for tier in (self.holiday_min_tier, self.period_min_tier, *self.weights):
            if tier not in TIER_RANK:
                raise ValueError(f"unknown tier {tier!r}")
        for tier, weight in self.weights.items():
            if not float(weight) > 0:
                raise ValueError(f"tier weight for {tier} must be above 0")
        for kind, rules in self.channels.items():
            for tier, channel in rules:
                if tier not in TIER_RANK or channel not in CHANNELS:
                    raise ValueError(f"channel rule for {kind}: {tier!r} → {channel!r} is not a tier and channel")
        if not self.allowed or set(self.allowed) - set(CHANNELS):
            raise ValueError(f"channels: some of {', '.join(CHANNELS)}")

    def weight(self, tier: str) -> float:
        if tier == PROSPECTS:
            return float(self.prospect_weight)
        return float(self.weights.get(tier, 1.0))

    def channel(self, kind: str, tier: str) -> str:
        """The channel for a reason and a tier: the first rule the tier reaches whose channel is in use, else
        the closest channel in use (a visit becomes a phone call before a message; a message a call)."""
        rank = TIER_RANK.get(tier, 0)
        for lowest, channel in self.channels.get(kind, DEFAULT_CHANNELS.get(kind, ())):
            if rank >= TIER_RANK[lowest] and channel in self.allowed:
                return channel
        for lowest, channel in self.channels.get(kind, DEFAULT_CHANNELS.get(kind, ())):
            if rank >= TIER_RANK[lowest]:
                return next(c for c in FALLBACK[channel] if c in self.allowed)
        return next(c for c in FALLBACK["phone"] if c in self.allowed)


@dataclass(frozen=True)
class Candidate:
    """A client as the planner sees it. ``last_contact`` is the last contact before today."""

    id: int
    name: str
    tier: str
    client_no: str | None = None
    gender: str | None = None
    birth_year: int | None = None
    family: str | None = None
    deposits: Decimal = Decimal(0)
    last_contact: dt.date | None = None
    next_due: dt.date | None = None  # the cadence's ideal day (or the agreed next date)
    agreed: bool = False  # next_due is a date agreed with the client, not the cadence
    contacted_today: bool = False
    churn: bool = False
    churn_reason: str | None = None
    trend_change: float | None = None
    prospect: bool = False  # planned by its next step, never by cadence


@dataclass(frozen=True)
class ProspectStep:
    """A prospect's next step, due on ``date``; ``channel``: the one its first-contact approach uses."""

    client_id: int
    text: str
    date: dt.date
    channel: str = "phone"


@dataclass(frozen=True)
class EventSoon:
    """An event coming up, and who is already invited to it."""

    id: int
    name: str
    date: dt.date
    invited: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Maturity:
    client_id: int
    product: str
    amount: Decimal
    date: dt.date
    product_type: str | None = None


@dataclass(frozen=True)
class KeyEvent:
    client_id: int
    kind: str  # birthday | anniversary
    date: dt.date  # the solar date it falls on
    label_zh: str  # 农历八月十五, 3月7日
    label_en: str
    lunar: bool = False


@dataclass(frozen=True)
class FollowUpDue:
    client_id: int
    text: str
    due: dt.date


@dataclass(frozen=True)
class OpenComplaint:
    client_id: int
    text: str
    opened: dt.date
    step: str = ""


@dataclass(frozen=True)
class PlanInputs:
    today: dt.date
    calendar: WorkCalendar
    candidates: Mapping[int, Candidate]
    maturities: Sequence[Maturity] = ()
    key_events: Sequence[KeyEvent] = ()
    follow_ups: Sequence[FollowUpDue] = ()
    complaints: Sequence[OpenComplaint] = ()
    greetings: Sequence[tuple[dt.date, Greeting]] = ()
    held: frozenset[int] = frozenset()  # snoozed or skipped today: not planned
    prospect_steps: Sequence[ProspectStep] = ()
    events: Sequence[EventSoon] = ()  # soonest first


@dataclass(frozen=True)
class Reason:
    kind: str
    urgency: float
    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class PlanItem:
    client: Candidate
    score: float
    channel: str
    reasons: tuple[Reason, ...]
    done: bool = False  # contacted today


def _d_zh(day: dt.date, ref: dt.date | None = None) -> str:
    """12月3日; with the year when it is not ``ref``'s year (2025年12月12日)."""
    year = f"{day.year}年" if ref is not None and day.year != ref.year else ""
    return f"{year}{day.month}月{day.day}日"


def _d_en(day: dt.date, ref: dt.date | None = None) -> str:
    return day.strftime("%b %-d, %Y") if ref is not None and day.year != ref.year else day.strftime("%b %-d")


def planned_on(day: dt.date, calendar: WorkCalendar) -> dt.date:
    """A key date on a non-workday is handled on the workday before it."""
    return calendar.workday_on_or_before(day)


def period_end(today: dt.date, calendar: WorkCalendar, lead: int) -> tuple[str, dt.date] | None:
    """The month, quarter or year end whose balances count soon: ('month'|'quarter'|'year', last day) when
    today is within ``lead`` days before that period's last workday (or on it)."""
    first_next = dt.date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    last = first_next - dt.timedelta(days=1)
    last_workday = calendar.workday_on_or_before(last)
    if not last_workday - dt.timedelta(days=lead) <= today <= last:
        return None
    kind = "year" if last.month == 12 else "quarter" if last.month % 3 == 0 else "month"
    return kind, last


_PERIOD_WORDS = {"month": ("月末", "month end"), "quarter": ("季末", "quarter end"), "year": ("年末", "year end")}
_PERIOD_URGENCY = {"month": 25.0, "quarter": 35.0, "year": 45.0}
_AUDIENCE_WORDS = ("子", "女", "孩", "儿")  # the family field mentions children


def _since(c: Candidate, start: dt.date) -> bool:
    """Whether the client was contacted on or after ``start`` (before today)."""
    return c.last_contact is not None and c.last_contact >= start


def _greets(c: Candidate, g: Greeting, today: dt.date) -> bool:
    if g.audience == "women":
        return c.gender == "女"
    if g.audience == "elders":
        return c.birth_year is not None and today.year - c.birth_year >= 60
    if g.audience == "parents":
        return any(w in (c.family or "") for w in _AUDIENCE_WORDS)
    return True


def reasons_by_client(inputs: PlanInputs, policy: PlanPolicy) -> dict[int, list[Reason]]:
    """Every reason each candidate (not held) has today, in the order the kinds are checked."""
    out: dict[int, list[Reason]] = defaultdict(list)
    for cid, reason in (
        *_cadence(inputs, policy),
        *_churn(inputs, policy),
        *_maturities(inputs, policy),
        *_key_events(inputs, policy),
        *_greetings(inputs, policy),
        *_period_end(inputs, policy),
        *_follow_ups(inputs),
        *_complaints(inputs, policy),
        *_prospects(inputs),
    ):
        if cid in inputs.candidates and cid not in inputs.held:
            out[cid].append(reason)
    for cid, reason in _invitations(inputs, out):
        out[cid].append(reason)
    return out


Found = list[tuple[int, Reason]]


def _cadence(inputs: PlanInputs, policy: PlanPolicy) -> Found:
    today, found = inputs.today, []
    for c in inputs.candidates.values():
        if c.prospect or c.next_due is None or c.next_due > today:
            continue  # contacted within the interval (or a prospect): never planned for cadence alone
        late = (today - c.next_due).days
        grace = policy.cadence.grace(c.tier)
        since = f"上次联系 {_d_zh(c.last_contact, today)}" if c.last_contact else "从未联系"
        since_en = f"last contact {_d_en(c.last_contact, today)}" if c.last_contact else "never contacted"
        if c.agreed and late == 0:
            reason = Reason("cadence", 40, f"约定今天联系（{since}）", f"agreed to contact today ({since_en})")
        elif late > grace:
            over = late - grace
            reason = Reason(
                "overdue", 45 + min(45, over), f"已超期 {over} 天（{since}）", f"overdue {over} d ({since_en})"
            )
        else:
            ideal = policy.cadence.interval(c.tier)
            reason = Reason(
                "cadence",
                round(20 + 20 * late / max(1, grace), 2),
                f"{tier_name(c.tier, 'zh')}客户每 {ideal} 天联系一次（{since}）",
                f"{tier_name(c.tier, 'en')}: every {ideal} d ({since_en})",
            )
        found.append((c.id, reason))
    return found


def _churn(inputs: PlanInputs, policy: PlanPolicy) -> Found:
    quiet = inputs.today - dt.timedelta(days=policy.churn_quiet_days)
    found = []
    for c in inputs.candidates.values():
        if not c.churn or _since(c, quiet):
            continue
        why, why_en = churn_words(c.churn_reason) if c.churn_reason else ("金融资产下降", "falling AUM")
        urgency = round(55 + min(25.0, abs(c.trend_change or 0) * 50), 2)
        found.append((c.id, Reason("churn_risk", urgency, f"流失预警：{why}", f"churn risk: {why_en}")))
    return found


def _maturities(inputs: PlanInputs, policy: PlanPolicy) -> Found:
    today, found = inputs.today, []
    for m in inputs.maturities:
        left = (m.date - today).days
        c = inputs.candidates.get(m.client_id)
        if c is None or not 0 <= left <= policy.maturity_lead:
            continue
        if _since(c, m.date - dt.timedelta(days=policy.maturity_lead)):
            continue  # already called about it
        what = m.product_type or m.product
        urgency = 60 + 4 * (policy.maturity_lead - left) + min(15.0, float(m.amount) / 200_000)
        zh = f"{what} {short_amount(m.amount, 'zh')} {_d_zh(m.date, today)}到期" + ("（今天）" if left == 0 else "")
        en = f"{what} {short_amount(m.amount, 'en')} matures {_d_en(m.date, today)}"
        found.append((c.id, Reason("maturity", round(urgency, 2), zh, en)))
    return found


def _key_events(inputs: PlanInputs, policy: PlanPolicy) -> Found:
    today, found = inputs.today, []
    for e in inputs.key_events:
        on = planned_on(e.date, inputs.calendar)
        opens = on - dt.timedelta(days=policy.key_date_lead)
        c = inputs.candidates.get(e.client_id)
        if c is None or not opens <= today <= e.date or _since(c, opens):
            continue
        word, word_en = ("生日", "birthday") if e.kind == "birthday" else ("结婚纪念日", "anniversary")
        when = "今天" if e.date == today else _d_zh(e.date)
        if e.lunar:  # 农历生日 八月十五 (9月15日)
            zh, en = f"农历{word} {e.label_zh}（{when}）", f"lunar {word_en} {e.label_en} ({_d_en(e.date)})"
        else:
            zh = f"{word} {e.label_zh}" + ("（今天）" if e.date == today else "")
            en = f"{word_en} {_d_en(e.date)}" + (" (today)" if e.date == today else "")
        urgency = 50 + 8 * (policy.key_date_lead - max(0, (on - today).days))
        found.append((c.id, Reason(e.kind, urgency, zh, en)))
    return found


def _greetings(inputs: PlanInputs, policy: PlanPolicy) -> Found:
    today, found = inputs.today, []
    lowest = TIER_RANK[policy.holiday_min_tier]
    for day, g in inputs.greetings:
        opens = planned_on(day, inputs.calendar) - dt.timedelta(days=policy.holiday_lead)
        if not opens <= today <= day:
            continue
        reason = Reason("holiday", 30, f"{g.zh}问候（{_d_zh(day)}）", f"{g.en} greeting ({_d_en(day)})")
        for c in inputs.candidates.values():
            if TIER_RANK[c.tier] >= lowest and _greets(c, g, today) and not _since(c, opens):
                found.append((c.id, reason))
    return found


def _period_end(inputs: PlanInputs, policy: PlanPolicy) -> Found:
    period = period_end(inputs.today, inputs.calendar, policy.period_lead)
    if period is None:
        return []
    kind, last = period
    word, word_en = _PERIOD_WORDS[kind]
    opens = inputs.calendar.workday_on_or_before(last) - dt.timedelta(days=policy.period_lead)
    lowest = TIER_RANK[policy.period_min_tier]
    found = []
    for c in inputs.candidates.values():
        if TIER_RANK[c.tier] >= lowest and c.deposits > 0 and not _since(c, opens):
            zh = f"{word}时点（{_d_zh(last)}）：存款 {short_amount(c.deposits, 'zh')}"  # same year: it is this period's
            en = f"{word_en} ({_d_en(last)}): deposits {short_amount(c.deposits, 'en')}"
            found.append((c.id, Reason("period_end", _PERIOD_URGENCY[kind], zh, en)))
    return found


def _follow_ups(inputs: PlanInputs) -> Found:
    found = []
    for f in inputs.follow_ups:
        if f.due > inputs.today:
            continue
        late = (inputs.today - f.due).days
        when, when_en = ("今天到期", "due today") if late == 0 else (f"已过期 {late} 天", f"{late} d late")
        reason = Reason(
            "follow_up", 70 + min(25, 2 * late), f"跟进：{f.text}（{when}）", f"follow-up: {f.text} ({when_en})"
        )
        found.append((f.client_id, reason))
    return found


def _complaints(inputs: PlanInputs, policy: PlanPolicy) -> Found:
    quiet = inputs.today - dt.timedelta(days=policy.complaint_quiet_days)
    found = []
    for x in inputs.complaints:
        c = inputs.candidates.get(x.client_id)
        if c is None or _since(c, quiet):
            continue
        step = f"，当前：{x.step}" if x.step else ""
        zh = f"投诉处理中（{_d_zh(x.opened, inputs.today)}起{step}）：{x.text}"
        en = f"open complaint since {_d_en(x.opened, inputs.today)}: {x.text}"
        found.append((c.id, Reason("complaint", 90, zh, en)))
    return found


def _prospects(inputs: PlanInputs) -> Found:
    found = []
    for p in inputs.prospect_steps:
        c = inputs.candidates.get(p.client_id)
        if c is None or p.date > inputs.today or _since(c, p.date):
            continue  # not yet due, or a contact since it was due has dealt with it
        late = (inputs.today - p.date).days
        when = "今天" if late == 0 else f"已过 {late} 天"
        when_en = "today" if late == 0 else f"{late} d late"
        step, step_en = (p.text, p.text) if p.text else ("下一步", "next step")
        zh, en = f"目标客户：{step}（{when}）", f"prospect: {step_en} ({when_en})"
        found.append((c.id, Reason("prospect", 60 + min(30, 3 * late), zh, en)))
    return found


def _invitations(inputs: PlanInputs, reasons: Mapping[int, list[Reason]]) -> Found:
    """An overdue client is proposed the soonest event it is not yet invited to."""
    found = []
    for cid, given in reasons.items():
        if not any(r.kind == "overdue" for r in given):
            continue
        event = next((e for e in inputs.events if cid not in e.invited and e.date > inputs.today), None)
        if event is not None:
            zh = f"邀请参加{_d_zh(event.date, inputs.today)}「{event.name}」"
            en = f"invite to {event.name} on {_d_en(event.date, inputs.today)}"
            found.append((cid, Reason("invite", 15, zh, en)))
    return found


def score(reasons: Sequence[Reason], weight: float) -> float:
    """The most urgent reason, plus a third of the others, times the tier's weight."""
    urgencies = sorted((r.urgency for r in reasons), reverse=True)
    return round((urgencies[0] + sum(urgencies[1:]) / 3) * weight, 2) if urgencies else 0.0


def plan(inputs: PlanInputs, policy: PlanPolicy | None = None, limit: int | None = None) -> list[PlanItem]:
    """The day's contacts, most urgent first: at most ``limit`` (the policy's capacity by default)."""
    policy = policy or PlanPolicy()
    limit = policy.capacity if limit is None else limit
    items = []
    step_channel = {p.client_id: p.channel for p in inputs.prospect_steps}
    for cid, reasons in reasons_by_client(inputs, policy).items():
        c = inputs.candidates[cid]
        reasons.sort(key=lambda r: (-r.urgency, REASON_KINDS.index(r.kind), r.zh))
        s = score(reasons, policy.weight(_group(c)))
        channel = policy.channel(reasons[0].kind, c.tier)
        if reasons[0].kind == "prospect":  # the approach chosen for the prospect, if the manager uses it
            wanted = step_channel.get(cid, "phone")
            channel = next(ch for ch in FALLBACK.get(wanted, FALLBACK["phone"]) if ch in policy.allowed)
        items.append(PlanItem(c, s, channel, tuple(reasons), c.contacted_today))
    items.sort(key=lambda i: (-i.score, i.client.id))
    return balance(items, policy, limit)


def _group(c: Candidate) -> str:
    return PROSPECTS if c.prospect else c.tier


def _group_rank(group: str) -> float:
    return TIER_RANK["platinum"] - 0.5 if group == PROSPECTS else TIER_RANK[group]


def balance(items: Sequence[PlanItem], policy: PlanPolicy, limit: int) -> list[PlanItem]:
    """Share ``limit`` places between the tiers that have candidates in proportion to their weights (with the
    default weights about 70% go to platinum and above, as DOMAIN.md §2 has it), then fill each tier by score.

    Shares are whole places by largest remainder, so every tier with candidates gets its turn on a busy day;
    places a tier cannot use go to the best of the rest. ``items`` must be sorted best first."""
    tiers = sorted({_group(item.client) for item in items}, key=lambda t: -_group_rank(t))
    total = sum(policy.weight(t) for t in tiers)
    if not total or limit <= 0:
        return []
    exact = {t: limit * policy.weight(t) / total for t in tiers}
    caps = {t: math.floor(v) for t, v in exact.items()}
    for t in sorted(tiers, key=lambda t: (caps[t] - exact[t], -_group_rank(t)))[: limit - sum(caps.values())]:
        caps[t] += 1
    chosen: list[PlanItem] = []
    taken: dict[str, int] = defaultdict(int)
    for item in items:
        group = _group(item.client)
        if taken[group] < caps[group]:
            chosen.append(item)
            taken[group] += 1
    if len(chosen) < limit:
        picked = {i.client.id for i in chosen}
        chosen += [i for i in items if i.client.id not in picked][: limit - len(chosen)]
    chosen.sort(key=lambda i: (-i.score, i.client.id))
    return chosen[:limit]
