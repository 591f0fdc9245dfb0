"""How the TUI writes figures, dates and marks in narrow cells. Pure functions over plain values.

Every string from the book goes through ``rules.text.safe`` before it reaches the terminal, and every cell of
a fixed-width column through ``rules.text.fit``, so wide CJK characters never push a column out of line.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from workbench.i18n import lang, t
from workbench.rules.money import short_amount
from workbench.rules.text import fit, safe, width
from workbench.rules.tiers import tier_name

TREND_MARKS = {"rising": "↑", "flat": "→", "falling": "↓"}
NO_TREND = "·"
CHURN_MARK = "!"
PENDING_MARK = "▾"
NONE = "—"
if TYPE_CHECKING:
    from workbench.services.client360 import KeyDateRow


def cell(text: str | None, cells: int) -> str:
    """Book text for a fixed-width cell: control characters made visible, one line, cut and padded."""
    return fit(safe(text, single_line=True), cells)


def rfit(text: str, cells: int) -> str:
    """Right-aligned in ``cells`` (figures), cut like ``fit`` when too wide."""
    w = width(text)
    return " " * (cells - w) + text if w <= cells else fit(text, cells)


def one_line(text: str | None) -> str:
    return safe(text, single_line=True)


def amount(value: Decimal | None) -> str:
    return short_amount(value, lang())


def tier(key: str, pending: str | None = None) -> str:
    """Tier name, with a mark when a downgrade is pending."""
    return tier_name(key, lang()) + (PENDING_MARK if pending else "")


def tier_pending(pending: str | None, months: int) -> str:
    if not pending:
        return ""
    return t("tier.pending", months=months, tier=tier_name(pending, lang()))


def trend(direction: str | None, churn: bool) -> str:
    return TREND_MARKS.get(direction or "", NO_TREND) + (CHURN_MARK if churn else "")


def trend_words(direction: str | None) -> str:
    return t(f"trend.{direction}") if direction else t("trend.none")


def churn_reason(reason: str | None) -> str:
    """'streak:3' → 金融资产连续3个月下降; 'drop:35' → 金融资产较近期高点下降35%."""
    from workbench.i18n import lang
    from workbench.rules.trend import churn_words

    if not reason:
        return ""
    zh, en = churn_words(reason)
    return one_line(zh if lang() == "zh" else en)


def short_date(day: dt.date | None) -> str:
    """26-11-02: year first as Chinese readers expect, eight cells."""
    return day.strftime("%y-%m-%d") if day else NONE


def full_date(day: dt.date | None) -> str:
    return day.isoformat() if day else NONE


def month(day: dt.date | None) -> str:
    return day.strftime("%Y-%m") if day else NONE


def due_state(day: dt.date | None, today: dt.date) -> str | None:
    """'overdue', 'today' or None: how urgent a next-due date is."""
    if day is None:
        return None
    if day < today:
        return "overdue"
    if day == today:
        return "today"
    return None


def days_left(days: int | None) -> str:
    if days is None:
        return NONE
    if days < 0:
        return t("tui.c360.days_ago", n=-days)
    return t("tui.c360.days", n=days)


def count(n: int) -> str:
    return f"{n:,}"


def key_date(row: KeyDateRow) -> str:
    """A key date as written: the service's label (Chinese), or the rules' English label for the same day."""
    if lang() == "zh":
        return row.label
    from workbench.rules.keydates import KeyDay  # lunar tables: loaded with the 360 view, not at start

    return KeyDay(row.kind, row.calendar, row.month, row.day, row.leap).label("en")


def term(prefix: str, value: str | None) -> str:
    """A catalogue term such as channel.phone or keydate.birthday; the stored word itself when unknown."""
    key = f"{prefix}.{value}"
    text = t(key)
    return one_line(value) if text == key else text


def life_summary(life) -> str:
    """A prospect's next step, a loss, and who introduced the client and whom it introduced, in one line (the
    header has four lines at 80×24); `wb client` and the brief give the whole story."""
    if life is None:
        return ""
    sep, parts = t("tui.list_sep"), []
    if life.status == "prospect":
        when = short_date(life.next_step_date) if life.next_step_date else NONE
        parts.append(t("tui.life.next_step", step=one_line(life.next_step or "") or NONE, date=when))
    if life.converted_at:
        parts.append(t("life.converted", date=short_date(life.converted_at)))
    if life.lost_at:
        normal = t("life.normal") if life.lost_normal else t("life.abnormal")
        reason = one_line(life.lost_reason or "")
        parts.append(t("tui.life.lost_on", date=short_date(life.lost_at), reason=reason, normal=normal))
    if life.referred_by:
        parts.append(t("life.referred_by", name=one_line(life.referred_by.name)))
    if life.referred:
        names = sep.join(one_line(r.name) for r in life.referred[:3]) + ("…" if len(life.referred) > 3 else "")
        parts.append(t("life.referred", n=len(life.referred), names=names))
    return " · ".join(parts)
