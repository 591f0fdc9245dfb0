"""`wb report`: the month's dashboard as Markdown (a terminal, a phone) or a self-contained HTML page with its
charts drawn as inline SVG (no script, nothing fetched). Names only: never a phone or an ID number."""

from __future__ import annotations

import html
from decimal import Decimal

from workbench.i18n import lang, t
from workbench.rules.dashboard import change_text
from workbench.rules.journal import SALES_STAGES
from workbench.rules.money import short_amount
from workbench.rules.profile import BY_NAME
from workbench.rules.text import safe
from workbench.rules.tiers import tier_name
from workbench.services.dashboard import Dashboard


def field_label(name: str) -> str:
    found = BY_NAME.get(name)
    return found.label(lang()) if found else name


def stage_name(key: str) -> str:
    zh, en = next((z, e) for k, z, e in SALES_STAGES if k == key)
    return zh if lang() == "zh" else en


def money(value: Decimal | float) -> str:
    return short_amount(Decimal(str(value)), lang())


def markdown(d: Dashboard) -> str:
    """The report as Markdown."""
    out = [f"# {t('report.title', month=f'{d.month:%Y-%m}')}", "", t("report.as_of", day=d.day.isoformat()), ""]
    out += [f"## {t('report.tiers')}", "", "| " + " | ".join(t(f"report.col.{c}") for c in _TIER_COLS) + " |"]
    out.append("|" + " --- |" * len(_TIER_COLS))
    for line in reversed(d.tiers):
        out.append("| " + " | ".join(tier_cells(line)) + " |")
    out.append(f"| **{t('report.total')}** | **{d.total_clients}** | | | **{money(d.total_aum)}** | | |")
    m = d.moves
    out += ["", f"## {t('report.moves')}", ""]
    for key, count, names in (
        ("up", m.up, m.up_names),
        ("pending", m.pending, m.pending_names),
        ("down", m.down, m.down_names),
    ):
        shown = t("tui.list_sep").join(_text(n) for n in names)
        out.append(
            f"- {t(f'report.move.{key}')}: {count}"
            + (f" ({shown}{'…' if count > len(names) else ''})" if names else "")
        )
    out += ["", f"## {t('report.coverage')}", ""]
    out.append(
        t(
            "report.coverage_line",
            made=d.contacts,
            planned=d.planned,
            target=d.target,
            gone=d.workdays_gone,
            days=d.workdays,
        )
    )
    outside = [f"{tier_name(k, lang())} {n}" for k, n in d.outside.items() if n]
    out.append("")
    out.append(t("report.outside", list=t("tui.list_sep").join(outside) or "0"))
    out += ["", f"## {t('report.churn', n=d.churn_total)}", ""]
    for name, tier, aum, reason in d.churn:
        out.append(f"- {_text(name)} · {tier_name(tier, lang())} · {money(aum)} · {churn_reason(reason)}")
    out += ["", f"## {t('report.completeness')}", ""]
    out.append(" · ".join(f"{tier_name(k, lang())} {v}%" for k, v in reversed(d.completeness.items())))
    out.append("")
    out.append(t("report.missing", list=t("tui.list_sep").join(f"{field_label(f)} {n}" for f, n in d.missing)))
    out += ["", f"## {t('report.pipeline')}", ""]
    out.append(" → ".join(f"{stage_name(k)} {n}" for k, n in d.pipeline.items()))
    out += ["", f"## {t('report.lessons')}", "", t("report.lessons_line", n=d.lessons)]
    out += life_sections(d)
    out.append("")
    out += [f"## {t('report.aum_history')}", ""]
    out.append(" · ".join(f"{m_:%Y-%m} {money(v)}" for m_, v in d.aum_history))
    return "\n".join(out) + "\n"


def life_sections(d: Dashboard) -> list[str]:
    """The book's movement, key fields, referrers and the losses the branch reviews, as Markdown lines."""
    mv, k = d.movement, d.key_fields
    out = ["", f"## {t('report.movement')}", ""]
    out.append(
        t(
            "report.movement_line",
            prospects=mv.prospects,
            added=mv.added,
            converted=mv.converted,
            lost=mv.lost,
            abnormal=mv.lost_abnormal,
        )
    )
    out += ["", f"## {t('report.key_fields')}", ""]
    fields = t("tui.list_sep").join(f"{field_label(f)} {n}/{k.clients}" for f, n in k.by_field.items())
    out.append(t("report.key_fields_line", pct=round(100 * k.share), complete=k.complete, n=k.clients, fields=fields))
    out += ["", f"## {t('report.referrers')}", ""]
    for r in d.referrers:
        out.append(f"- {t('report.referrer', name=_text(r.name), n=r.referred, won=r.converted, aum=money(r.aum))}")
    if not d.referrers:
        out.append(t("report.none"))
    out += ["", f"## {t('report.losses', n=len(d.losses))}", ""]
    for x in d.losses:
        normal = t("report.loss_unsaid") if x.normal is None else t("report.loss_abnormal")
        tier = tier_name(x.tier, lang()) if x.tier else "—"
        out.append(f"- **{_text(x.name)}** · {tier} · {x.date.isoformat()} · {_text(x.reason)} ({normal})")
        for day, channel, outcome in x.contacts:
            out.append(f"  - {t('report.loss_contact')} {day.isoformat()} {t('channel.' + channel)}: {_text(outcome)}")
        if not x.contacts:
            out.append(f"  - {t('report.loss_no_contact')}")
        for day, step, text in x.complaints:
            out.append(f"  - {t('report.loss_complaint')} {day.isoformat()} [{step}] {_text(text)}")
        if x.balances:
            trail = " → ".join(money(a) for _m, a in x.balances)
            mark = t("report.loss_falling") if x.falling else ""
            out.append(f"  - {t('report.loss_balances')} {trail} {mark}".rstrip())
    if not d.losses:
        out.append(t("report.none"))
    return out


_TIER_COLS = ("tier", "clients", "month", "quarter", "aum", "aum_month", "aum_quarter")


def tier_cells(line) -> list[str]:
    """A tier's row: name, clients with their change over the month and the quarter, AUM likewise."""
    return [
        tier_name(line.tier, lang()),
        str(line.clients),
        change_text(line.clients, line.clients_month_ago),
        change_text(line.clients, line.clients_quarter_ago),
        money(line.aum),
        change_text(line.aum, line.aum_month_ago),
        change_text(line.aum, line.aum_quarter_ago),
    ]


def _text(value: str) -> str:
    """Stored text on one line, without escape sequences, and with Markdown's table bar made harmless."""
    return safe(value, single_line=True).replace("|", "｜")


def churn_reason(code: str) -> str:
    """A churn warning's code ('streak:3') as a sentence in the interface language."""
    from workbench.rules.trend import churn_words

    try:
        zh, en = churn_words(code)
    except (ValueError, KeyError):
        return _text(code)
    return zh if lang() == "zh" else en


def html_page(d: Dashboard) -> str:
    """The report as one HTML file: the Markdown's content, with bar and line charts as inline SVG."""
    esc = html.escape
    title = t("report.title", month=f"{d.month:%Y-%m}")
    body = [f"<h1>{esc(title)}</h1>", f"<p>{esc(t('report.as_of', day=d.day.isoformat()))}</p>"]
    body.append(f"<h2>{esc(t('report.tiers'))}</h2>")
    body.append(_bars([(tier_name(x.tier, lang()), x.clients) for x in reversed(d.tiers)], t("report.col.clients")))
    body.append(
        _bars([(tier_name(x.tier, lang()), float(x.aum)) for x in reversed(d.tiers)], t("report.col.aum"), money)
    )
    head = "".join(f"<th>{esc(t(f'report.col.{c}'))}</th>" for c in _TIER_COLS)
    rows = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in tier_cells(x)) + "</tr>" for x in reversed(d.tiers))
    body.append(f"<table><tr>{head}</tr>{rows}</table>")
    body.append(f"<h2>{esc(t('report.aum_history'))}</h2>")
    body.append(_line([(f"{m:%m}", float(v)) for m, v in d.aum_history], money))
    body.append(f"<h2>{esc(t('report.coverage'))}</h2>")
    made = [(t("report.made"), d.contacts), (t("report.planned"), d.planned), (t("report.target"), d.target)]
    body.append(_bars(made, t("report.coverage")))
    moves = t("report.moves")  # the sections from the tier moves on, each under its own heading
    rest = moves + markdown(d).split(f"## {moves}", 1)[1].split(f"## {t('report.aum_history')}")[0]
    for block in rest.split("\n## "):
        lines = [ln for ln in block.splitlines() if ln.strip()]
        if not lines:
            continue
        heading, items = lines[0].lstrip("# "), lines[1:]
        body.append(f"<h2>{esc(heading or t('report.moves'))}</h2>")
        body.append("<ul>" + "".join(f"<li>{esc(i.lstrip('- ').replace('**', ''))}</li>" for i in items) + "</ul>")
    style = (
        "body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}"
        "td:first-child,th:first-child{text-align:left}svg{display:block;margin:.5em 0}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang()}"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def _bars(items: list[tuple[str, float]], caption: str, shown=str) -> str:
    """Horizontal bars, one per item, labelled and valued."""
    high = max((v for _, v in items), default=0) or 1
    row, width, left = 22, 420, 110
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 120}" height="{row * len(items) + 24}" '
        f'role="img" aria-label="{html.escape(caption)}">'
    ]
    for i, (label, value) in enumerate(items):
        y, w = 20 + i * row, max(1, round(width * value / high)) if value else 0
        parts.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" font-size="13">{html.escape(label)}</text>')
        parts.append(f'<rect x="{left}" y="{y + 2}" width="{w}" height="{row - 6}" fill="#3b7dd8"/>')
        parts.append(f'<text x="{left + w + 6}" y="{y + 14}" font-size="13">{html.escape(shown(value))}</text>')
    parts.append(f'<text x="0" y="13" font-size="13" font-weight="bold">{html.escape(caption)}</text></svg>')
    return "".join(parts)


def _line(points: list[tuple[str, float]], shown=str) -> str:
    """A line through the points, with the first and last values written."""
    if not points:
        return ""
    width, height, pad = 560, 160, 30
    low, high = min(v for _, v in points), max(v for _, v in points)
    span = (high - low) or 1
    step = (width - 2 * pad) / max(1, len(points) - 1)
    xy = [(pad + i * step, height - pad - (v - low) / span * (height - 2 * pad)) for i, (_, v) in enumerate(points)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    labels = "".join(
        f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" font-size="11">{html.escape(m)}</text>'
        for (x, _), (m, _) in zip(xy, points, strict=True)
    )
    ends = "".join(
        f'<text x="{x:.1f}" y="{y - 6:.1f}" text-anchor="middle" font-size="11">{html.escape(shown(v))}</text>'
        for (x, y), (_, v) in ((xy[0], points[0]), (xy[-1], points[-1]))
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">'
        f'<polyline points="{path}" fill="none" stroke="#3b7dd8" stroke-width="2"/>{labels}{ends}</svg>'
    )
