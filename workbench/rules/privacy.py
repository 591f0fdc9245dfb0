"""How much of a client a calendar outside the book may show (``wb ics``, the file a phone subscribes to).

A subscribed calendar leaves the manager's control: it is synced through a cloud the bank does not run and
shown on a lock screen. So it carries at most the client's name and the reason for the contact, and the
settings can cut both down: the name to a surname with 先生/女士 (or nothing but the last digits of the client
number), the reason to its kind alone (理财到期, without the product's amount), or to nothing.
"""

from __future__ import annotations

CLIENT_SHOWN = ("name", "surname", "none")  # calendar.client
REASON_SHOWN = ("full", "kind", "none")  # calendar.reason

# Two-character surnames; any other name's surname is its first character.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 司徒 夏侯 轩辕 端木 长孙 宇文 西门 南宫 独孤 澹台 呼延".split()
)

# What each kind of reason (rules.planner.REASON_KINDS) is called when its facts are left out.
REASON_WORDS: dict[str, tuple[str, str]] = {
    "complaint": ("投诉跟进", "complaint follow-up"),
    "follow_up": ("待办跟进", "follow-up due"),
    "maturity": ("产品到期", "product maturing"),
    "churn_risk": ("流失预警", "churn risk"),
    "birthday": ("生日", "birthday"),
    "anniversary": ("纪念日", "anniversary"),
    "overdue": ("逾期未联系", "overdue contact"),
    "period_end": ("时点考核", "period end"),
    "holiday": ("节日问候", "holiday greeting"),
    "cadence": ("例行维护", "regular contact"),
    "prospect": ("目标客户跟进", "prospect's next step"),
    "invite": ("活动邀请", "event invitation"),
}


def surname(name: str) -> str:
    name = name.strip()
    return name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]


def shown_client(
    name: str,
    how: str,
    *,
    corporate: bool = False,
    gender: str | None = None,
    number: str | None = None,
    lang: str = "zh",
) -> str:
    """The client as the calendar shows them: the name; a surname with a courtesy title (a company: its
    first two characters and an ellipsis); or only 客户 and the client number's last four characters."""
    if how == "name":
        return name
    if how == "surname":
        if corporate:
            return name[:2] + "…"
        title = {"男": ("先生", "Mr "), "女": ("女士", "Ms ")}.get(gender or "")
        family = surname(name)
        if title is None:
            return family + ("…" if lang == "zh" else " …")
        return family + title[0] if lang == "zh" else title[1] + family
    if how == "none":
        tail = (number or "")[-4:]
        word = "客户" if lang == "zh" else "client"
        return f"{word} …{tail}" if tail else word
    raise ValueError(f"calendar.client: one of {', '.join(CLIENT_SHOWN)}, not {how!r}")


def shown_reasons(reasons: list[tuple[str, str]], how: str, lang: str = "zh") -> list[str]:
    """The reasons, given as (kind, full text), as the calendar shows them: in full, by kind (each kind
    once, in the order given), or none."""
    if how == "full":
        return [text for _, text in reasons]
    if how == "kind":
        kinds = dict.fromkeys(kind for kind, _ in reasons)
        return [REASON_WORDS[k][0 if lang == "zh" else 1] if k in REASON_WORDS else k for k in kinds]
    if how == "none":
        return []
    raise ValueError(f"calendar.reason: one of {', '.join(REASON_SHOWN)}, not {how!r}")
