"""What a visit holds, as text for the wizard: stage and outcome names, the brief, the read-only view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.widgets import Static

from workbench.i18n import lang, t
from workbench.rules.journal import LESSON_FIELDS
from workbench.rules.text import fit, safe, width
from workbench.tui import format as fmt
from workbench.tui.visit_widgets import (
    colon,
    paren,
    semicolon,
    stage_name,
)

if TYPE_CHECKING:
    from workbench.services.brief import Brief
    from workbench.services.visits import VisitView

STAGES = ("before", "during", "after")
OUTCOMES = ("succeeded", "partly", "failed", "postponed")
SAVE_DELAY = 0.3  # seconds after the last key before a field is saved
FIRST_FIELD = {"before": "#f-goal", "during": "#f-observe", "after": "#f-outcome"}
WHERE = {  # the stage and the field to show when finishing is refused for a field
    "outcome": "#f-outcome",
    "lesson": "#lesson-situation",
    "follow_ups": "#f-follow_ups",
}
_SKIP = object()  # a value not to save (a date still being typed)


def visit_stage(stage: str) -> str:
    return t(f"tui.visit.stage.{stage}")


def outcome_name(outcome: str | None) -> str:
    return t(f"tui.visit.outcome.{outcome}") if outcome in OUTCOMES else ""


def lesson_label(name: str) -> str:
    f = next(f for f in LESSON_FIELDS if f.name == name)
    return f.zh if lang() == "zh" else f.en


def lesson_question(name: str) -> str:
    f = next(f for f in LESSON_FIELDS if f.name == name)
    return f.ask_zh if lang() == "zh" else f.ask_en


def one(text: object) -> str:
    return safe(str(text or ""), single_line=True)


@dataclass(frozen=True)
class WizardData:
    view: VisitView
    brief: Brief | None  # None for a finished visit (it is read, not prepared)


class StageBar(Static):
    """The top line: the client and day, then 1 准备 · 2 拜访中 · 3 总结 with the current stage marked."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"stage-bar--current", "stage-bar--client", "stage-bar--done"}

    def show(self, name: str, day: dt.date, stage: str, finished: bool) -> None:
        style = self.get_component_rich_style
        steps = Text()
        for n, key in enumerate(STAGES, 1):
            if n > 1:
                steps.append(" · ")
            current = not finished and key == stage
            steps.append(f" {n} {t(f'tui.wizard.stage.{key}')} ", style("stage-bar--current") if current else "")
        if finished:
            steps.append("  ")
            steps.append(t("tui.visit.stage.done"), style("stage-bar--done"))
        room = max(8, (self.size.width or self.app.size.width) - steps.cell_len - 3)
        head = f"{one(name)} · {day:%m-%d}"
        out = Text(fit(head, min(room, width(head))).rstrip(), style=style("stage-bar--client"))
        out.append("  ")
        out.append_text(steps)
        self.update(out)


# --- what a visit holds, as text (the brief, the read-only view) ------------------------------------------------


def brief_text(b: Brief, reasons: list[str]) -> Text:
    """The brief, compact: who, then why this visit, open follow-ups and complaints, talking points, products,
    lessons, and the gaps in the profile as the questions to ask."""
    v = b.view
    out = Text()
    out.append(one(v.name), style="bold")
    facts = [fmt.tier(v.tier), t("tui.c360.aum", aum=fmt.amount(v.aum)), fmt.trend_words(v.trend)]
    facts.append(t("tui.c360.completeness", pct=v.completeness))
    out.append("  " + " · ".join(facts))
    if life := fmt.life_summary(v.life):  # a prospect's next step, who introduced them: seed 003's first visit
        out.append("\n" + life)
    sections: list[tuple[str, list[str]]] = [
        (t("tui.wizard.brief.why"), [one(r) for r in reasons]),
        (t("tui.wizard.brief.follow_ups"), [f"{d:%m-%d} {one(x)}" for d, x in b.follow_ups]),
        (t("tui.wizard.brief.complaints"), [f"{d:%m-%d} [{complaint_step(s)}] {one(x)}" for d, x, s in b.complaints]),
        (t("tui.wizard.brief.points"), [one(p) for p in b.talking_points]),
        (t("tui.wizard.brief.products"), [one(p) for p in b.products]),
        (
            t("tui.wizard.brief.lessons"),
            [one(x.text) + (f" → {one(x.next_time)}" if x.next_time else "") for x in b.lessons],
        ),
        (t("tui.wizard.brief.gaps", n=len(b.gaps)), [one(g.question) for g in b.gaps]),
    ]
    for title, items in sections:
        if items:
            out.append("\n" + title, style="bold")
            for item in items:
                out.append(f"\n · {item}")
    return out


def complaint_step(step: str) -> str:
    """A complaint's step (stored in Chinese) in the interface language."""
    from workbench.services.complaints import STEPS, STEPS_EN

    if lang() == "zh" or step not in STEPS:
        return one(step)
    return STEPS_EN[STEPS.index(step)]


def _short(value: object) -> str:
    if value in (None, "", [], {}):
        return fmt.NONE
    if isinstance(value, str):
        return one(value)
    if isinstance(value, list):
        return t("tui.list_sep").join(_short(x) for x in value)
    if isinstance(value, dict):
        return semicolon().join(f"{k}{colon()}{_short(x)}" for k, x in value.items() if x not in (None, ""))
    return one(value)


def amendment_text(a: dict[str, object]) -> str:
    """One amendment: when, which field, before → after (for the lesson, only what changed)."""
    key = str(a.get("field"))
    old, new = a.get("old"), a.get("new")
    when = str(a.get("at") or "")[:16]
    if isinstance(old, dict) or isinstance(new, dict):
        old_d, new_d = dict(old or {}), dict(new or {})  # type: ignore[call-overload]
        parts = [
            f"{lesson_label(k)}{colon()}{_short(old_d.get(k))} → {_short(new_d.get(k))}"
            for k in [f.name for f in LESSON_FIELDS]
            if (old_d.get(k) or "") != (new_d.get(k) or "")
        ]
        return f"{when} {t('tui.wizard.field.lesson')}{colon()}{semicolon().join(parts)}"
    if key == "outcome":
        old, new = outcome_name(str(old)) or old, outcome_name(str(new)) or new
    return f"{when} {field_name(key)}{colon()}{_short(old)} → {_short(new)}"


def field_name(key: str) -> str:
    if key.startswith("lesson."):
        return f"{t('tui.wizard.field.lesson')}·{lesson_label(key.split('.', 1)[1])}"
    return t(f"tui.wizard.field.{key}")


def visit_text(view: VisitView) -> Text:
    """A finished visit, read whole: every field that was written, then the amendments."""
    d = view.data
    out = Text()

    def line(label: str, value: str) -> None:
        out.append(f"{label}{colon()}", style="bold")
        out.append(value + "\n")

    def items(label: str, values: list[str]) -> None:
        if values:
            out.append(f"{label}\n", style="bold")
            for v in values:
                out.append(f" · {v}\n")

    outcome = outcome_name(d.get("outcome") or view.outcome)  # type: ignore[arg-type]
    line(t("tui.wizard.field.outcome"), outcome or fmt.NONE)
    for key in ("goal", "materials", "observe", "listen"):
        if d.get(key):
            line(field_name(key), safe(str(d[key])))
    items(field_name("questions"), [one(q) for q in d.get("questions") or []])  # type: ignore[union-attr]
    questions = list(d.get("questions") or [])  # type: ignore[call-overload]
    answers = []
    for key, a in dict(d.get("answers") or {}).items():  # type: ignore[call-overload]
        q = questions[int(key)] if int(key) < len(questions) else f"#{int(key) + 1}"
        said = t("tui.wizard.skipped") if a.get("status") == "skipped" else one(a.get("answer"))
        answers.append(f"{one(q)} → {said}")
    from workbench.rules import profile

    for name, g in dict(d.get("gap_answers") or {}).items():  # type: ignore[call-overload]
        f = profile.BY_NAME.get(name)
        label = f.label(lang()) if f else name
        said = one(g.get("answer")) or t("tui.wizard.skipped")
        mark = paren(t("tui.wizard.confirmed_done")) if g.get("confirmed") else ""
        answers.append(f"{label} → {said}{mark}")
    items(t("tui.wizard.ask"), answers)
    needs = [
        one(n["need"])
        + paren(
            t(f"tui.wizard.kind.{n['kind']}") + (t("tui.list_sep") + t("tui.wizard.agreed") if n.get("agreed") else "")
        )
        for n in d.get("confirm") or []  # type: ignore[union-attr]
    ]
    items(t("tui.wizard.confirm"), needs)
    for key in ("why", "needs_found"):
        if d.get(key):
            line(field_name(key), safe(str(d[key])))
    items(
        field_name("follow_ups"),
        [f"{one(f['text'])} — {f.get('due') or fmt.NONE}" for f in d.get("follow_ups") or []],  # type: ignore[union-attr]
    )
    items(
        field_name("opportunities"),
        [f"{one(o['product'])} — {stage_name(str(o['stage']))}" for o in d.get("opportunities") or []],  # type: ignore[union-attr]
    )
    if d.get("next_contact"):
        line(field_name("next_contact"), str(d["next_contact"]))
    lesson = dict(d.get("lesson") or {})  # type: ignore[call-overload]
    items(
        field_name("lesson"),
        [f"{lesson_label(f.name)}{colon()}{one(lesson[f.name])}" for f in LESSON_FIELDS if lesson.get(f.name)],
    )
    out.append(t("tui.wizard.amendments", n=len(view.amendments)) + "\n", style="bold")
    if not view.amendments:
        out.append(" " + t("tui.wizard.no_amendments") + "\n")
    for a in view.amendments:
        out.append(f" · {amendment_text(a)}\n")
    out.rstrip()
    return out
