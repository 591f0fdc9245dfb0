"""Writing a visit: saving the wizard's fields (each refusal said in the interface's words) and amending a
finished visit one field at a time, each change recorded by the service."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Label

from workbench.errors import BadInput, WorkbenchError, reason
from workbench.i18n import lang, t
from workbench.rules.dates import parse_day_input
from workbench.rules.journal import LESSON_FIELDS
from workbench.services.settings import today as today_
from workbench.tui.forms import FormScreen
from workbench.tui.visit_text import _short, field_name, one, outcome_name
from workbench.tui.visit_widgets import colon

if TYPE_CHECKING:
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


# --- amending a finished visit -----------------------------------------------------------------------------------

AMENDABLE = (
    "goal",
    "outcome",
    "why",
    "needs_found",
    "next_contact",
    "materials",
    "observe",
    "listen",
    *(f"lesson.{f.name}" for f in LESSON_FIELDS),
)


class AmendDialog(FormScreen):
    """Change one field of a finished visit: ↑↓ choose the field, type its new value, Enter saves. The change
    is recorded with the old value."""

    BOX_CLASSES = "visit-dialog"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "field(-1)", "tui.key.field_prev", id="amend.field_prev"),
        Binding("down", "field(1)", "tui.key.field_next", id="amend.field_next"),
    ]

    def __init__(self, view: VisitView) -> None:
        super().__init__()
        self.view = view
        self.key = AMENDABLE[0]

    def title_text(self) -> str:
        return t("tui.amend.title", name=one(self.view.client), day=self.view.date.isoformat())

    def fields(self) -> ComposeResult:
        yield Label("", id="amend-field")
        yield Label("", id="amend-old", classes="dialog-hint")
        yield Input(self.current(), id="amend-value", max_length=5000, select_on_focus=False)
        yield Label(Text(t("tui.amend.keys")), classes="dialog-hint")

    def on_mount(self) -> None:
        self._show()
        super().on_mount()

    def current(self) -> str:
        d = self.view.data
        if self.key.startswith("lesson."):
            return str(dict(d.get("lesson") or {}).get(self.key.split(".", 1)[1]) or "")  # type: ignore[call-overload]
        if self.key == "outcome":
            return outcome_name(d.get("outcome") or self.view.outcome)  # type: ignore[arg-type]
        return str(d.get(self.key) or "")

    def _show(self) -> None:
        self.query_one("#amend-field", Label).update(Text(t("tui.amend.field", field=field_name(self.key))))
        hint = t("tui.amend.outcomes", choices=" / ".join(outcome_name(o) for o in OUTCOMES))
        old = t("tui.amend.old", value=_short(self.current()))
        self.query_one("#amend-old", Label).update(Text(hint if self.key == "outcome" else old))

    def action_field(self, step: int) -> None:
        self.key = AMENDABLE[(AMENDABLE.index(self.key) + step) % len(AMENDABLE)]
        self._show()
        box = self.query_one("#amend-value", Input)
        box.value = self.current()
        box.cursor_position = len(box.value)
        self.show_error("")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.submit()

    def collect(self) -> tuple:
        text = self.value("#amend-value").strip()
        if text == self.current().strip():
            raise ValueError(t("tui.amend.unchanged"))
        value: object = text
        if self.key == "outcome":
            value = next((o for o in OUTCOMES if text.lower() in (o, outcome_name(o).lower())), None)
            if value is None:
                raise ValueError(t("tui.amend.outcomes", choices=" / ".join(outcome_name(o) for o in OUTCOMES)))
        elif self.key == "next_contact":
            value = parse_day_input(text, today_()).isoformat() if text else None
        if self.key.startswith("lesson."):
            lesson = dict(self.view.data.get("lesson") or {})  # type: ignore[call-overload]
            lesson[self.key.split(".", 1)[1]] = text
            return "lesson", lesson
        return self.key, value

    def save(self, key: str, value: object) -> str:
        from workbench.services import visits

        visits.amend(self.view.id, **{key: value})
        return t("tui.amend.done", field=field_name(self.key))


def save_fields(visit_id: int, fields: dict[str, object]) -> list[str]:
    """Save the fields (all at once; one by one when one is refused, so the others are kept); what was
    refused, said for the manager."""
    from workbench.services import visits

    try:
        visits.save(visit_id, **fields)
        return []
    except BadInput:
        pass
    except WorkbenchError as exc:
        return [str(exc)]
    errors = []
    for key, value in fields.items():
        try:
            visits.save(visit_id, **{key: value})
        except WorkbenchError as exc:
            errors.append(f"{field_name(key)}{colon()}{reason(exc.why) if isinstance(exc, BadInput) else exc}")
    return errors


def refusal(exc: BadInput) -> str:
    """Why finishing was refused, in the interface language."""
    from workbench.rules import profile

    if exc.column in ("outcome", "lesson", "follow_ups"):
        return t(f"tui.wizard.refused.{exc.column}")
    f = next((f for f in profile.FIELDS if exc.column in (f.name, f.label("zh"))), None)
    if f is not None:
        return t("tui.wizard.refused.profile", field=f.label(lang()), why=reason(exc.why))
    return str(exc)
