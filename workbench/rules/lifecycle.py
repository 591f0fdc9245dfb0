"""The whole life of a client (DOMAIN.md §9): prospects and where they come from, referrals, events, loss.

Pure: the vocabularies (each key with its Chinese and English words), reading what a manager types into a
key, which status may become which, who to invite to an event, which losses the branch reviews, and the share
of key profile fields recorded. The services store and fetch; these decide.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from workbench.rules.tiers import TIER_RANK

STATUSES = ("prospect", "active", "lost")

# Where a prospect comes from (DOMAIN.md §9, "Finding prospects").
SOURCES: dict[str, tuple[str, str]] = {
    "media": ("媒体与公开信息", "media and public records"),
    "registry": ("工商税务登记", "business and tax registries"),
    "organisation": ("协会商会园区", "associations, chambers, parks"),
    "network": ("人脉（亲友同学）", "personal network"),
    "cold_visit": ("陌生拜访", "cold visit"),
    "campaign": ("扫楼扫街·四进", "branch campaign (扫楼, 四进)"),
    "referral": ("客户转介绍", "client referral"),
    "corporate": ("公私联动", "corporate client's people"),
    "event": ("活动结识", "met at an event"),
    "other": ("其他", "other"),
}
# The first-contact strategy, and the channel the planner proposes for it.
APPROACHES: dict[str, tuple[str, str, str]] = {
    "phone": ("电话约见", "phone for a meeting", "phone"),
    "cold_visit": ("借名登门拜访", "visit under a name (branch, chamber)", "visit"),
    "introduction": ("经人引荐", "introduced by someone", "visit"),
    "letter": ("信函维系", "letters", "email"),
    "message": ("短信微信维系", "SMS and WeChat", "wechat"),
    "seminar": ("讲座会议邀约", "seminar or conference", "event"),
}
EVENT_KINDS: dict[str, tuple[str, str]] = {
    "appreciation": ("答谢会", "appreciation evening"),
    "salon": ("沙龙", "salon"),
    "festival": ("客户节", "client festival"),
    "gathering": ("联谊会", "social evening"),
    "seminar": ("讲座", "seminar"),
    "other": ("活动", "event"),
}
INVITATION_STATUSES: dict[str, tuple[str, str]] = {
    "invited": ("已邀请", "invited"),
    "attended": ("已出席", "attended"),
    "absent": ("未出席", "absent"),
    "declined": ("已婉拒", "declined"),
}
# Reasons a client leaves, each with whether such a loss is normal (moved away, death) by default.
LOSS_REASONS: dict[str, tuple[str, str, bool]] = {
    "moved": ("迁居外地", "moved away", True),
    "death": ("客户身故", "death", True),
    "closed": ("企业注销", "company closed", True),
    "other_bank": ("转投他行", "went to another bank", False),
    "unhappy": ("服务不满意", "unhappy with the service", False),
    "returns": ("收益价格不满意", "unhappy with returns or prices", False),
    "manager_change": ("客户经理变动", "manager changed", False),
}
REVIEWED_TIER = "platinum"  # abnormal losses from this tier up (白金, 卓越白金, 钻石, 黑金) are reviewed
MID_TIER = "gold"  # mid- and high-tier clients: this tier and above
KEY_FIELDS = ("address", "phone", "employer")  # should be recorded for nearly every mid- and high-tier client
MAX_TEXT = 500


class LifecycleError(ValueError):
    """Something typed that is not a source, approach, event kind or status; the message lists the choices."""


def _choose(text: str, table: Mapping[str, tuple], what: str) -> str:
    value = text.strip()
    low = value.lower()
    for key, words in table.items():
        if low == key or value in (w for w in words if isinstance(w, str)):
            return key
    choices = ", ".join(f"{k} ({w[0]})" for k, w in table.items())
    raise LifecycleError(f"{value!r} is not a known {what}; one of: {choices}")


def source_key(text: str) -> str:
    return _choose(text, SOURCES, "source")


def approach_key(text: str) -> str:
    return _choose(text, APPROACHES, "first-contact approach")


def event_kind_key(text: str) -> str:
    return _choose(text, EVENT_KINDS, "event kind")


def invitation_status_key(text: str) -> str:
    return _choose(text, INVITATION_STATUSES, "invitation status")


def word(table: Mapping[str, tuple], key: str | None, lang: str = "zh") -> str:
    """A key's word in the language (the key itself when unknown, '' for None)."""
    if key is None:
        return ""
    words = table.get(key)
    return key if words is None else words[0 if lang == "zh" else 1]


def loss_reason(text: str) -> tuple[str, bool | None]:
    """A loss reason as typed: a known key or word gives its words and whether it is normal by default; any
    other text is kept as written, with no default (the manager says whether it was normal)."""
    value = text.strip()
    if not value:
        raise LifecycleError("say why the client was lost")
    if len(value) > MAX_TEXT:
        raise LifecycleError(f"the reason is {len(value):,} characters; at most {MAX_TEXT}")
    for key, (zh, en, normal) in LOSS_REASONS.items():
        if value.lower() in (key, en) or value == zh:
            return zh, normal
    return value, None


def check_transition(status: str, to: str) -> None:
    """Which status may become which: a prospect converts or is lost; a client is lost; a lost client or prospect
    comes back (won back: active again). Nothing becomes a prospect again once it has been a client."""
    allowed = {"prospect": {"active", "lost"}, "active": {"lost"}, "lost": {"active"}}
    if to not in allowed.get(status, set()):
        words = {"prospect": "a prospect", "active": "a client", "lost": "lost"}
        raise LifecycleError(f"{words.get(status, status)} cannot become {words.get(to, to)}")


def approach_channel(approach: str | None) -> str:
    """The channel the planner proposes for a prospect's next step."""
    return APPROACHES[approach][2] if approach in APPROACHES else "phone"


# --- events: who to invite -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitee:
    """A client as the invitation list sees it; ``interests``: hobbies, circle and notes, as recorded."""

    id: int
    name: str
    tier: str
    last_contact: dt.date | None = None
    next_due: dt.date | None = None
    interests: str = ""


_SPLIT = re.compile(r"[\s,，、;；/]+")


def interest_words(text: str | None) -> list[str]:
    return [w for w in _SPLIT.split((text or "").strip().lower()) if w]


def choose_invitees(
    candidates: Iterable[Invitee],
    *,
    tiers: Sequence[str] = (),
    min_tier: str | None = None,
    interest: str | None = None,
    contacted_before: dt.date | None = None,
    overdue_on: dt.date | None = None,
    exclude: Iterable[int] = (),
    limit: int | None = None,
) -> list[Invitee]:
    """The invitation list: clients of the given tiers (or from ``min_tier`` up) whose interests mention any of
    the words in ``interest``, not contacted since ``contacted_before`` (never contacted counts), or overdue
    on ``overdue_on``; the highest tier first, then the longest without a contact; ``exclude``: already invited."""
    skip = set(exclude)
    words = interest_words(interest)
    floor = TIER_RANK[min_tier] if min_tier else None
    chosen = []
    for c in candidates:
        if c.id in skip or (tiers and c.tier not in tiers):
            continue
        if floor is not None and TIER_RANK.get(c.tier, 0) < floor:
            continue
        if words and not any(w in c.interests.lower() for w in words):
            continue
        if contacted_before is not None and c.last_contact is not None and c.last_contact >= contacted_before:
            continue
        if overdue_on is not None and (c.next_due is None or c.next_due > overdue_on):
            continue
        chosen.append(c)
    chosen.sort(key=lambda c: (-TIER_RANK.get(c.tier, 0), c.last_contact or dt.date.min, c.id))
    return chosen if limit is None else chosen[:limit]


# --- loss: what the branch reviews -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Loss:
    client_id: int
    name: str
    tier: str | None  # the tier when lost
    date: dt.date
    reason: str
    normal: bool | None


def reviewed(losses: Iterable[Loss], today: dt.date, lowest: str = REVIEWED_TIER) -> list[Loss]:
    """The losses the branch reviews: abnormal (or not said), this calendar year up to ``today``, of a client
    at ``lowest`` tier or above when lost; the latest first."""
    floor = TIER_RANK[lowest]
    start = dt.date(today.year, 1, 1)
    found = [
        x
        for x in losses
        if x.normal is not True and start <= x.date <= today and TIER_RANK.get(x.tier or "", -1) >= floor
    ]
    return sorted(found, key=lambda x: (x.date, x.client_id), reverse=True)


# --- key fields ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFieldShare:
    clients: int  # mid- and high-tier clients
    complete: int  # with every key field recorded
    by_field: dict[str, int]  # with that field recorded

    @property
    def share(self) -> float:
        return self.complete / self.clients if self.clients else 1.0


def key_field_share(rows: Iterable[tuple[str, Mapping[str, object]]], lowest: str = MID_TIER) -> KeyFieldShare:
    """Of the clients at ``lowest`` tier and above, as (tier, values) pairs: how many have every key field."""
    floor = TIER_RANK[lowest]
    clients = complete = 0
    by_field = dict.fromkeys(KEY_FIELDS, 0)
    for tier, values in rows:
        if TIER_RANK.get(tier, 0) < floor:
            continue
        clients += 1
        have = [f for f in KEY_FIELDS if str(values.get(f) or "").strip()]
        for f in have:
            by_field[f] += 1
        complete += len(have) == len(KEY_FIELDS)
    return KeyFieldShare(clients, complete, by_field)


def completion_field(missing: Sequence[str]) -> str | None:
    """The one profile field to ask about on a planned contact: a key field first, else the first missing."""
    for f in KEY_FIELDS:
        if f in missing:
            return f
    return missing[0] if missing else None
