"""The pre-visit brief (`wb brief`, the wizard's first stage): who the client is, figures and holdings, recent
contacts, open follow-ups and complaints, the gaps phrased as questions, talking points, products that may fit,
and the lessons that apply — this client's and those tagged with its tier, industry or products."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from workbench.rules import brief as rules
from workbench.rules import profile
from workbench.rules.money import json_amount, short_amount
from workbench.rules.text import safe
from workbench.rules.tiers import tier_name
from workbench.services import client360
from workbench.services.settings import today as _today
from workbench.store.models import Client, Complaint, FollowUp, Note, NoteClient, NoteTag

LESSONS = 8


@dataclass(frozen=True)
class Gap:
    field: str
    label: str
    question: str


@dataclass(frozen=True)
class Lesson:
    id: int
    date: dt.date
    text: str
    why: str  # this client / tier / industry / product
    next_time: str | None


@dataclass(frozen=True)
class Brief:
    client_id: int
    view: client360.ClientView
    follow_ups: list[tuple[dt.date, str]]
    complaints: list[tuple[dt.date, str, str]]  # opened, text, step
    gaps: list[Gap]
    talking_points: list[str]
    products: list[str]
    lessons: list[Lesson]
    lang: str = "zh"
    plan: dict[str, object] = field(default_factory=dict)  # the visit's goal, questions, materials if one is open

    @property
    def referred_by(self) -> str | None:
        life = self.view.life
        return life.referred_by.name if life and life.referred_by else None

    @property
    def prospect(self) -> dict[str, object] | None:
        """A prospect's source, approach and next step (seed 003's first contact), else None."""
        life = self.view.life
        if life is None or life.status != "prospect":
            return None
        return {
            "source": life.source,
            "approach": life.approach,
            "next_step": life.next_step,
            "next_step_date": life.next_step_date.isoformat() if life.next_step_date else None,
        }

    def as_json(self) -> dict[str, object]:
        v = self.view.as_json()
        return {
            "client": {k: v[k] for k in ("client_no", "name", "kind", "tier", "tier_pending", "status")},
            "referred_by": self.referred_by,
            "prospect": self.prospect,
            "profile": v["profile"],
            "decision_makers": v["decision_makers"],
            "figures": {
                "aum": json_amount(self.view.aum),
                "deposits": json_amount(self.view.deposits),
                "loans": json_amount(self.view.loans),
                "trend": self.view.trend,
                "churn": self.view.churn_reason if self.view.churn else None,
                "completeness": self.view.completeness,
            },
            "holdings": v["holdings"],
            "contacts": v["contacts"],
            "follow_ups": [{"due": d.isoformat(), "text": t} for d, t in self.follow_ups],
            "complaints": [{"opened": d.isoformat(), "text": t, "step": s} for d, t, s in self.complaints],
            "gaps": [{"field": g.field, "question": g.question} for g in self.gaps],
            "talking_points": self.talking_points,
            "products": self.products,
            "lessons": [
                {"id": x.id, "date": x.date.isoformat(), "text": x.text, "why": x.why, "next_time": x.next_time}
                for x in self.lessons
            ],
            "plan": self.plan,
        }


def build(client_id: int, lang: str = "zh", today: dt.date | None = None) -> Brief:
    today = today or _today()
    view = client360.client_view(client_id, today=today, contacts_limit=5)
    client = Client.get_by_id(client_id)
    follow_ups = [
        (f.due, safe(f.text))
        for f in FollowUp.select(FollowUp.due, FollowUp.text)
        .where(FollowUp.client == client_id, FollowUp.done_at.is_null())
        .order_by(FollowUp.due)
        .limit(20)
    ]
    complaints = [
        (c.opened, safe(c.text), c.step)
        for c in Complaint.select().where(Complaint.client == client_id, Complaint.resolved_at.is_null())
    ]
    gaps = [
        Gap(name, f.label(lang), f.question(lang))
        for name in view.missing
        if (f := profile.BY_NAME.get(name)) is not None
    ]
    values = {p.name: p.value for p in view.profile if not p.missing}
    holdings = [rules.Holding(h.product, h.product_type, h.amount, h.maturity_date) for h in view.holdings]
    keys = [rules.KeyDay(k.kind, k.label, k.next_date) for k in view.key_dates]
    churn = None
    if view.churn:
        from workbench.rules.trend import churn_words

        churn = churn_words(view.churn_reason)[0 if lang == "zh" else 1]
    points = [safe(p.text(lang), single_line=True) for p in rules.talking_points(values, holdings, keys, today, churn)]
    risk = values.get("risk_profile")
    fit = rules.products_that_fit(view.kind, view.tier, risk, holdings, today, view.loans)
    products = [safe(p.text(lang), single_line=True) for p in fit]
    facets = {f"tier:{view.tier}": "tier"}
    if client.industry:
        facets[f"industry:{client.industry.strip()[:40]}"] = "industry"
    for h in view.holdings:
        if h.product_type:
            facets[f"product:{h.product_type}"] = "product"
    lessons = _lessons(client_id, facets)
    return Brief(client_id, view, follow_ups, complaints, gaps, points, products, lessons, lang, _open_plan(client_id))


def _lessons(client_id: int, facets: dict[str, str]) -> list[Lesson]:
    """This client's lessons first, then those tagged with its tier, industry or products; newest first. Reads
    only through indexes (note_client by client, note_tag by tag), a bounded number of rows."""
    why: dict[int, str] = {}
    for tag_note, tag in (
        NoteTag.select(NoteTag.note, NoteTag.tag)
        .where(NoteTag.tag.in_(list(facets)))
        .order_by(NoteTag.note.desc())
        .limit(LESSONS * 25)
        .tuples()
    ):
        why.setdefault(tag_note, facets[tag])
    for (note_id,) in NoteClient.select(NoteClient.note).where(NoteClient.client == client_id).limit(500).tuples():
        why[note_id] = "client"
    if not why:
        return []
    notes = (
        Note.select(Note.id, Note.date, Note.text, Note.next_time)
        .where(Note.id.in_(list(why)), Note.kind == "lesson")
        .order_by(Note.date.desc(), Note.id.desc())
    )
    out = [Lesson(n.id, n.date, safe(n.text), why[n.id], n.next_time) for n in notes]
    out.sort(key=lambda x: (x.why != "client", -x.date.toordinal(), -x.id))
    return out[:LESSONS]


def _open_plan(client_id: int) -> dict[str, object]:
    from workbench.services import visits

    return visits.open_plan(client_id)


# --- as text -------------------------------------------------------------------------------------------------

_HEAD = {
    "zh": (
        "客户",
        "财务",
        "持有产品",
        "最近联系",
        "待办跟进",
        "投诉处理中",
        "待补充（拜访时问）",
        "话题",
        "可推荐",
        "经验教训",
        "拜访准备",
        "目标",
        "要问的问题",
        "带上",
    ),
    "en": (
        "Client",
        "Figures",
        "Holdings",
        "Recent contacts",
        "Open follow-ups",
        "Open complaints",
        "Gaps (ask on the visit)",
        "Talking points",
        "Products that may fit",
        "Lessons",
        "The visit",
        "Goal",
        "Questions",
        "Bring",
    ),
}


def to_markdown(b: Brief) -> str:
    """The brief as Markdown: readable in a terminal and on a phone. Every stored text is made safe."""
    zh = b.lang == "zh"
    h = _HEAD["zh" if zh else "en"]
    colon = "：" if zh else ": "
    words = (
        ("个人", "对公", "决策人", "存款", "贷款", "完整度", "到期")
        if zh
        else ("individual", "corporate", "Decision maker", "deposits", "loans", "complete", "matures")
    )

    def one(text: object) -> str:
        return safe(str(text or ""), single_line=True)

    v = b.view
    kind = words[0] if v.kind == "individual" else words[1]
    lines = [f"# {one(v.name)}", "", f"{tier_name(v.tier, b.lang)} · {kind} · {v.client_no or '#' + str(v.id)}"]
    if b.referred_by:
        lines += ["", (f"介绍人：{one(b.referred_by)}" if zh else f"Referred by {one(b.referred_by)}")]
    if b.prospect and v.life:
        from workbench.rules import lifecycle as life_words

        source = life_words.word(life_words.SOURCES, v.life.source, b.lang) or "—"
        approach = life_words.word(life_words.APPROACHES, v.life.approach, b.lang) or "—"
        when = v.life.next_step_date.isoformat() if v.life.next_step_date else "—"
        step = one(v.life.next_step) or "—"
        lines.append(
            f"目标客户 · 来源：{source} · 首次接触：{approach} · 下一步：{step}（{when}）"
            if zh
            else f"Prospect · source: {source} · approach: {approach} · next: {step} ({when})"
        )
    lines += ["", f"## {h[0]}"]
    lines += [
        f"- {profile.BY_NAME[p.name].label(b.lang)}{colon}{one(p.value)}"
        for p in v.profile
        if not p.missing and p.value
    ]
    lines += [f"- {words[2]}{colon}{one(d.name)} {one(d.title)}".rstrip() for d in v.decision_makers]
    lines += [
        "",
        f"## {h[1]}",
        f"- AUM {short_amount(v.aum, b.lang)} · {words[3]} {short_amount(v.deposits, b.lang)}"
        f" · {words[4]} {short_amount(v.loans, b.lang)} · {words[5]} {v.completeness}%",
    ]
    if v.churn and v.churn_reason:
        from workbench.rules.trend import churn_words

        lines.append(f"- ⚠ {churn_words(v.churn_reason)[0 if zh else 1]}")
    holdings = [
        f"{one(x.product_type)} {one(x.product)} {short_amount(x.amount, b.lang)}"
        + (
            (f"，{x.maturity_date.isoformat()} 到期" if zh else f", matures {x.maturity_date.isoformat()}")
            if x.maturity_date
            else ""
        )
        for x in v.holdings
    ]
    lessons = [
        f"{x.date.isoformat()} {one(x.text)}" + (f" → {one(x.next_time)}" if x.next_time else "") for x in b.lessons
    ]
    sections: list[tuple[str, list[str]]] = [
        (h[2], holdings),
        (h[3], [f"{c.date.isoformat()} {c.channel}{colon}{one(c.outcome)}" for c in v.contacts]),
        (h[4], [f"{d.isoformat()} {one(t)}" for d, t in b.follow_ups]),
        (h[5], [f"{d.isoformat()} [{s}] {one(t)}" for d, t, s in b.complaints]),
        (h[6], [g.question for g in b.gaps]),
        (h[7], [one(p) for p in b.talking_points]),
        (h[8], [one(p) for p in b.products]),
        (h[9], lessons),
    ]
    for title, items in sections:
        if items:
            lines += ["", f"## {title}", *(f"- {i.strip()}" for i in items)]
    if b.plan:
        lines += ["", f"## {h[10]}"]
        if b.plan.get("goal"):
            lines.append(f"- {h[11]}{colon}{one(b.plan['goal'])}")
        lines += [f"- {h[12]}{colon}{one(q)}" for q in b.plan.get("questions", []) or []]
        if b.plan.get("materials"):
            lines.append(f"- {h[13]}{colon}{one(b.plan['materials'])}")
    return "\n".join(lines) + "\n"
