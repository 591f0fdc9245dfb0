"""The visit wizard's fields, stage by stage: 1 准备 goal, questions, materials under the brief · 2 拜访中 望 observe,
闻 listen, 问 the questions and gaps (built by the wizard), 切 needs stated back · 3 总结 outcome, why, needs,
follow-ups, opportunities, next contact, the lesson. Each is filled from what the visit holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from workbench.i18n import t
from workbench.rules.journal import LESSON_FIELDS
from workbench.tui.visit_text import brief_text, lesson_label, lesson_question, outcome_name
from workbench.tui.visit_widgets import (
    Choice,
    FieldInput,
    FieldText,
    FollowUpRow,
    NeedRow,
    OpportunityRow,
    QuestionRow,
    RowList,
    caption,
)

if TYPE_CHECKING:
    from workbench.services.brief import Brief

OUTCOMES = ("succeeded", "partly", "failed", "postponed")


def stage_fields(stage: str, d: dict[str, object], brief: Brief | None) -> list[Widget]:
    """The fields of one stage, filled from what the visit holds."""
    if stage == "before":
        reasons = [str(r) for r in d.get("planned_because") or []]  # type: ignore[union-attr]
        shown = Static(brief_text(brief, reasons) if brief else "", id="brief-text")
        return [
            VerticalScroll(shown, id="brief"),
            caption("tui.wizard.goal"),
            FieldInput("goal", str(d.get("goal") or ""), placeholder=t("tui.wizard.goal_hint"), id="f-goal"),
            caption("tui.wizard.questions"),
            RowList("questions", QuestionRow, list(d.get("questions") or []), id="f-questions"),  # type: ignore[call-overload]
            caption("tui.wizard.materials"),
            FieldInput("materials", str(d.get("materials") or ""), id="f-materials"),
            Label(Text(t("tui.wizard.keys.before")), classes="stage-hint"),
        ]
    if stage == "during":
        return [
            caption("tui.wizard.observe"),
            FieldText("observe", str(d.get("observe") or ""), id="f-observe"),
            caption("tui.wizard.listen"),
            FieldText("listen", str(d.get("listen") or ""), id="f-listen"),
            caption("tui.wizard.ask_hint"),
            Vertical(id="f-ask"),
            caption("tui.wizard.confirm_hint"),
            RowList("confirm", NeedRow, list(d.get("confirm") or []), id="f-confirm"),  # type: ignore[call-overload]
            Label(Text(t("tui.wizard.keys.during")), classes="stage-hint"),
        ]
    lesson = dict(d.get("lesson") or {})  # type: ignore[call-overload]
    lesson_box = Vertical(
        *(
            Horizontal(
                Label(Text(lesson_label(f.name)), classes="lesson-label"),
                Input(
                    str(lesson.get(f.name) or ""),
                    placeholder=lesson_question(f.name),
                    id=f"lesson-{f.name}",
                    max_length=5000,
                    select_on_focus=False,
                ),
                classes="visit-row",
            )
            for f in LESSON_FIELDS
        ),
        id="f-lesson",
        classes="row-list",
    )
    lesson_box.field_key = "lesson"  # type: ignore[attr-defined]
    outcome = d.get("outcome") if d.get("outcome") in OUTCOMES else None
    return [
        caption("tui.wizard.outcome"),
        Choice(
            [(o, outcome_name(o)) for o in OUTCOMES],
            outcome,  # type: ignore[arg-type]
            none=t("tui.wizard.outcome_none"),
            show_all=True,
            key="outcome",
            id="f-outcome",
        ),
        Label(Text(t("tui.wizard.lesson_required")), id="lesson-required"),
        caption("tui.wizard.why"),
        FieldText("why", str(d.get("why") or ""), id="f-why"),
        caption("tui.wizard.needs_found"),
        FieldText("needs_found", str(d.get("needs_found") or ""), id="f-needs_found"),
        caption("tui.wizard.follow_ups"),
        RowList("follow_ups", FollowUpRow, list(d.get("follow_ups") or []), id="f-follow_ups"),  # type: ignore[call-overload]
        caption("tui.wizard.opportunities"),
        RowList("opportunities", OpportunityRow, list(d.get("opportunities") or []), id="f-opportunities"),  # type: ignore[call-overload]
        caption("tui.wizard.next_contact"),
        FieldInput(
            "next_contact",
            str(d.get("next_contact") or ""),
            placeholder=t("tui.wizard.date_hint"),
            id="f-next_contact",
        ),
        caption("tui.wizard.lesson"),
        lesson_box,
        Label(Text(t("tui.wizard.keys.after")), classes="stage-hint"),
    ]
