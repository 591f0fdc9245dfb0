"""Plain-text renderings for the terminal (the CLI face): width-aware for CJK, stored text made safe."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from workbench.i18n import lang, t
from workbench.rules import profile
from workbench.rules.dates import weekday_name
from workbench.rules.money import short_amount
from workbench.rules.text import fit, safe, width
from workbench.rules.tiers import tier_name

TREND_MARK = {"rising": "↑", "flat": "→", "falling": "↓", None: " "}


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], widths: Sequence[int]) -> str:
    rows = list(rows)
    for row in rows:
        if len(row) != len(widths):
            raise ValueError(f"a row of {len(row)} cells in a table of {len(widths)} columns")
    return column_table(headers, list(zip(*rows, strict=True)) if rows else [() for _ in widths], widths)


def column_table(headers: Sequence[str], columns: Sequence[Sequence[str]], widths: Sequence[int]) -> str:
    """A table given column by column (each the same length): each column is padded in one pass."""
    widths = [max(w, width(h)) for h, w in zip(headers, widths, strict=True)]
    lines = [" ".join(fit(h, w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append(" ".join("─" * w for w in widths))
    padded = [_pad(column, w) for column, w in zip(columns, widths, strict=True)]
    lines.extend(" ".join(cells).rstrip() for cells in zip(*padded, strict=True))
    return "\n".join(lines) + "\n"


def _pad(column: Sequence[str], cells: int) -> list[str]:
    """Each value cut or padded to ``cells`` terminal cells (a long list pads 80,000 of them: values that
    repeat, a tier or a date, are fitted once; plain ASCII that fits is padded at once)."""
    done: dict[str, str] = {}
    out = []
    for c in column:
        p = done.get(c)
        if p is None:
            if c.isascii() and len(c) <= cells and c.isprintable():
                p = c.ljust(cells)
            else:
                p = fit(safe(c, single_line=True), cells)
            if len(done) < 4096:
                done[c] = p
        out.append(p)
    return out


def client_table(rows: Sequence) -> str:
    if not rows:
        return t("cli.no_clients") + "\n"
    lg = lang()
    headers = [
        t(f"col.{c}")
        for c in (
            "client_no",
            "name",
            "tier",
            "aum",
            "trend",
            "last_contact",
            "next_due",
            "completeness",
            "phone",
        )
    ]
    tiers: dict[tuple[str, bool], str] = {}  # a handful of tiers across thousands of rows
    for r in rows:
        key = (r.tier, bool(r.tier_pending))
        if key not in tiers:
            tiers[key] = tier_name(r.tier, lg) + ("↘" if key[1] else "")
    columns = [
        [r.client_no or "" for r in rows],
        [r.name for r in rows],
        [tiers[r.tier, bool(r.tier_pending)] for r in rows],
        [short_amount(r.aum, lg) for r in rows],
        [TREND_MARK.get(r.trend, " ") + ("!" if r.churn else "") for r in rows],
        [_d(r.last_contact) for r in rows],
        [_d(r.next_due) for r in rows],
        [f"{r.completeness}%" for r in rows],
        [r.phone or "" for r in rows],
    ]
    name_w = min(max(width(r.name) for r in rows), 24)
    out = column_table(headers, columns, [10, max(name_w, 6), 9, 8, 4, 10, 10, 6, 12])
    return out + t("cli.clients_total", n=len(rows)) + "\n"


def client_card(v) -> str:
    lg = lang()
    out: list[str] = []
    title = f"{safe(v.name, single_line=True)}  {v.client_no or ''}  {t('kind.' + v.kind)}"
    out.append(title)
    out.append("═" * min(width(title), 78))
    tier = tier_name(v.tier, lg)
    if v.tier_pending:
        tier += f" ({t('tier.pending', months=v.tier_pending_months, tier=tier_name(v.tier_pending, lg))})"
    trend = t(f"trend.{v.trend}") if v.trend else t("trend.none")
    if v.trend_change is not None:
        trend += f" {v.trend_change * 100:+.0f}%"
    out.append(
        f"{t('col.tier')}: {tier}   {t('col.aum')}: {short_amount(v.aum, lg)}   "
        f"{t('col.deposits')}: {short_amount(v.deposits, lg)}   {t('col.loans')}: {short_amount(v.loans, lg)}"
    )
    out.append(f"{t('col.trend')}: {trend}" + (f"   ⚠ {_churn(v.churn_reason)}" if v.churn else ""))
    out.append(
        f"{t('col.last_contact')}: {_d(v.last_contact)}   {t('col.next_due')}: {_d(v.next_due)}   "
        f"{t('col.completeness')}: {v.completeness}%"
    )
    out += life_lines(v.life)
    out.append("")
    for f in v.profile:
        field = profile.BY_NAME[f.name]
        if f.name == "name":
            continue
        if f.value:
            out.append(f"  {fit(field.label(lg), 16)} {safe(f.value, single_line=True)}")
        elif f.missing:
            out.append(f"  {fit(field.label(lg), 16)} ✗ {field.question(lg)}")
    if v.decision_makers:
        out += ["", profile.BY_NAME["decision_makers"].label(lg)]
        out += [f"  {safe(p.name)}  {safe(p.title or '')}  {safe(p.contact or '')}" for p in v.decision_makers]
    if v.balances:
        out += [
            "",
            f"{t('col.aum')} ({v.balances[0].month:%Y-%m} – {v.balances[-1].month:%Y-%m})",
            "  " + spark([float(b.aum) for b in v.balances]),
        ]
    if v.holdings:
        out += [""]
        rows = [
            [
                h.product,
                h.product_type or "",
                short_amount(h.amount, lg),
                _d(h.maturity_date),
                "" if h.days_left is None else f"{h.days_left}d",
            ]
            for h in v.holdings
        ]
        out.append(
            table(
                [t("col.product"), t("col.product_type"), t("col.amount"), t("col.maturity"), ""],
                rows,
                [24, 8, 8, 10, 5],
            ).rstrip()
        )
    if v.key_dates:
        out += [""]
        for k in v.key_dates:
            out.append(f"  {t('keydate.' + k.kind)}  {k.label}  → {_d(k.next_date)}")
    if v.contacts:
        out += [""]
        rows = [[_d(c.date), t("channel." + c.channel), c.outcome] for c in v.contacts[:10]]
        out.append(table([t("col.date"), t("col.channel"), t("col.outcome")], rows, [10, 6, 56]).rstrip())
    return "\n".join(out) + "\n"


def _churn(reason: str | None) -> str:
    if not reason:
        return t("churn")
    kind, _, n = reason.partition(":")
    return t(f"churn.{kind}", n=n)


def spark(values: Sequence[float]) -> str:
    bars = "▁▂▃▄▅▆▇█"
    if not values:
        return ""
    lo, hi = min(values), max(values)
    if hi == lo:
        return bars[3] * len(values)
    return "".join(bars[int((v - lo) / (hi - lo) * (len(bars) - 1))] for v in values)


def weekday(day: dt.date) -> str:
    return weekday_name(day, lang())


def life_lines(life) -> list[str]:
    """A client's status, how it came (prospect, referrer), whom it brought, its events and its loss."""
    from workbench.rules import lifecycle as w

    if life is None:
        return []
    lg, out = lang(), []
    if life.status == "prospect":
        step = safe(life.next_step or "—", single_line=True)
        when = _d(life.next_step_date)
        out.append(
            t(
                "life.prospect",
                source=w.word(w.SOURCES, life.source, lg) or "—",
                approach=w.word(w.APPROACHES, life.approach, lg) or "—",
                step=step,
                date=when,
            )
        )
    if life.converted_at:
        out.append(t("life.converted", date=_d(life.converted_at)))
    if life.lost_at:
        normal = t("life.normal") if life.lost_normal else t("life.abnormal")
        out.append(
            t("life.lost", date=_d(life.lost_at), reason=safe(life.lost_reason or "", single_line=True), normal=normal)
        )
    if life.referred_by:
        out.append(t("life.referred_by", name=safe(life.referred_by.name, single_line=True)))
    if life.referred:
        names = t("tui.list_sep").join(safe(r.name, single_line=True) for r in life.referred)
        out.append(t("life.referred", n=len(life.referred), names=names))
    if life.events:
        shown = t("tui.list_sep").join(
            f"{_d(e.date)} {safe(e.event, single_line=True)}（{w.word(w.INVITATION_STATUSES, e.status, lg)}）"
            for e in life.events[:3]
        )
        out.append(t("life.events", list=shown))
    return out


def day_plan(plan) -> str:
    """`wb today`: the day's contacts, each with its tier, channel and reasons (one per line)."""
    lg = lang()
    out = [t("cli.today_title", date=plan.date.isoformat(), weekday=weekday(plan.date), n=len(plan.items))]
    if not plan.workday:
        out.append(t("cli.today_off", name=f"（{plan.holiday}）" if plan.holiday and lg == "zh" else ""))
    for warning in plan.warnings:
        out.append(f"! {safe(warning, single_line=True)}")
    for c in plan.corrections:
        note = f" {c.note}" if c.note else ""
        what = t("cli.on") if c.workday else t("cli.off")
        out.append(t("cli.correction", date=c.day.isoformat(), what=what, note=safe(note, single_line=True)))
    if not plan.items:
        out.append(t("cli.today_none"))
    for n, item in enumerate(plan.items, 1):
        done = f"  ✓ {t('cli.today_done')}" if item.done else ""
        group = t("status.prospect") if item.prospect else tier_name(item.tier, lg)
        head = f"{n:>2}. {fit(group, 8)} {safe(item.name, single_line=True)}"
        out.append(f"{head}  [{t('channel.' + item.channel)}]{done}")
        for reason in item.reasons:
            out.append(f"      · {safe(reason.text(lg), single_line=True)}")
        if item.ask and not item.done:
            out.append(f"      ? {t('cli.today_ask', question=item.question(lg))}")
    return "\n".join(out) + "\n"


def holiday_list(rows, year: int, known: bool) -> str:
    lg = lang()
    out = [] if known else [t("cli.holidays_unknown", year=year)]
    for r in rows:
        what = t("cli.on") if r.workday else t("cli.off")
        name = r.name or ""
        note = f" · {r.note}" if r.note else ""
        source = {"official": "", "estimated": "~", "local": "*"}.get(r.source, "")
        out.append(f"{r.day.isoformat()} {weekday(r.day)} {fit(what, 4)} {source}{safe(name + note, single_line=True)}")
    if lg == "zh":
        out.append("（* 本地调整，~ 估算）")
    else:
        out.append("(* local correction, ~ estimated)")
    return "\n".join(out) + "\n"
