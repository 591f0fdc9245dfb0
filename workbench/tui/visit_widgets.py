"""The visit wizard's fields: a chooser (←/→), lists of rows that grow as they are filled, the 问 rows (an
answer, skipped, confirmed) and the 切 rows (a need, wish or need, agreed).

Every field that is saved knows its key in ``services.visits.FIELDS`` (``field_key`` on the widget or on the
container it sits in); the wizard hears ``Input.Changed``, ``TextArea.Changed`` and this module's ``Changed``,
finds the key and saves it. Text from the book is shown as ``Text``, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea

from workbench.i18n import lang, t
from workbench.rules.journal import SALES_STAGES, STAGE_KEYS
from workbench.rules.text import safe
from workbench.tui.keys import localise

MAX_TEXT = 5_000


def stage_name(key: str) -> str:
    """A sales stage in the interface language."""
    for k, zh, en in SALES_STAGES:
        if k == key:
            return zh if lang() == "zh" else en
    return key


def colon() -> str:
    return "：" if lang() == "zh" else ": "


def paren(text: str) -> str:
    return f"（{text}）" if lang() == "zh" else f" ({text})"


def semicolon() -> str:
    return "；" if lang() == "zh" else "; "


def field_key(widget: Widget | None, stop: Widget) -> str | None:
    """The visit field a widget belongs to: its own ``field_key`` or the nearest container's."""
    node = widget
    while node is not None and node is not stop:
        key = getattr(node, "field_key", None)
        if key:
            return key
        node = node.parent  # type: ignore[assignment]
    return None


class Changed(Message):
    """A field changed in a way ``Input.Changed`` does not say (a choice, a toggle, a row removed)."""

    def __init__(self, widget: Widget) -> None:
        self.widget = widget
        super().__init__()

    @property
    def control(self) -> Widget:
        return self.widget


class FieldInput(Input):
    """A one-line field of the visit."""

    def __init__(self, key: str, value: str = "", *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(value, placeholder=placeholder, id=id, max_length=MAX_TEXT, select_on_focus=False)
        self.field_key = key


class FieldText(TextArea):
    """A few lines of the visit (what was seen, heard, why…): Enter starts a new line, Tab moves on."""

    def __init__(self, key: str, value: str = "", *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(
            value,
            soft_wrap=True,
            tab_behavior="focus",
            compact=True,
            highlight_cursor_line=False,
            placeholder=placeholder,
            id=id,
        )
        self.field_key = key


class Choice(Static, can_focus=True):
    """One of a few values: ←/→ change it, Enter moves to the next field. With ``show_all`` every choice is
    written out and the chosen one marked; otherwise only the chosen one, between ◀ ▶."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"choice--current"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right", "step(1)", "tui.key.choose_next", show=False, id="choice.next"),  # ←/→ in the label
        Binding("left", "step(-1)", "tui.key.choose_prev", show=False, id="choice.prev"),
        Binding("enter", "next_field", "tui.key.next_field", id="choice.next_field"),
    ]

    class Entered(Message):
        def __init__(self, choice: Choice) -> None:
            self.choice = choice
            super().__init__()

    def __init__(
        self,
        choices: Sequence[tuple[str, str]],
        value: str | None,
        *,
        none: str = "",
        show_all: bool = False,
        key: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__("", id=id, classes=classes)
        localise(self)
        self.choices = list(choices)
        self.none = none
        self.show_all = show_all
        self.value = value if value in [c for c, _ in self.choices] else None
        if key:
            self.field_key = key

    def on_mount(self) -> None:
        self._show()

    def action_step(self, step: int) -> None:
        keys = [c for c, _ in self.choices]
        if self.value is None:
            self.value = keys[0] if step > 0 else keys[-1]
        else:
            self.value = keys[(keys.index(self.value) + step) % len(keys)]
        self._show()
        self.post_message(Changed(self))

    def action_next_field(self) -> None:
        self.post_message(self.Entered(self))

    def label(self) -> str:
        return next((name for c, name in self.choices if c == self.value), self.none)

    def _show(self) -> None:
        current = self.get_component_rich_style("choice--current", partial=True)
        out = Text("◀ ")
        if self.show_all:
            for n, (c, name) in enumerate(self.choices):
                if n:
                    out.append("  ")
                out.append(name, style=current if c == self.value else "")
            if self.value is None and self.none:
                out.append(" " + paren(self.none))
        else:
            out.append(self.label(), style=current if self.value is not None else "")
        out.append(" ▶")
        self.update(out)


class RowInput(Input):
    """The first input of a row in a list: Backspace in it when the whole row is empty removes the row."""

    class Empty(Message):
        def __init__(self, box: RowInput) -> None:
            self.box = box
            super().__init__()

    def __init__(self, value: str = "", *, placeholder: str = "", classes: str | None = None) -> None:
        super().__init__(value, placeholder=placeholder, max_length=MAX_TEXT, select_on_focus=False, classes=classes)

    def action_delete_left(self) -> None:
        if not self.value and self.cursor_position == 0:
            self.post_message(self.Empty(self))
            return
        super().action_delete_left()


class Row(Horizontal):
    """One item of a list field."""

    def first_input(self) -> Input:
        return self.query(Input).first()

    def is_empty(self) -> bool:
        return not any(box.value.strip() for box in self.query(Input))

    def value(self) -> object:
        raise NotImplementedError


class QuestionRow(Row):
    """A question to ask on the visit."""

    def __init__(self, value: str = "") -> None:
        super().__init__(classes="visit-row")
        self.text = value

    def compose(self) -> ComposeResult:
        yield RowInput(self.text, placeholder=t("tui.wizard.question_hint"))

    def value(self) -> str:
        return self.first_input().value


class NeedRow(Row):
    """切: a need stated back to the client — the client's wish or the need found — and whether it was agreed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "kind", "tui.key.need_kind", id="need.kind"),
        Binding("ctrl+o", "agree", "tui.key.agree", id="need.agree"),
    ]

    def __init__(self, value: dict[str, object] | None = None) -> None:
        super().__init__(classes="visit-row")
        localise(self)
        value = value or {}
        self.text = str(value.get("need") or "")
        self.kind = "wish" if value.get("kind") == "wish" else "need"
        self.agreed = bool(value.get("agreed"))

    def compose(self) -> ComposeResult:
        yield RowInput(self.text, placeholder=t("tui.wizard.need_hint"))
        yield Label("", classes="need-state")

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        mark = "☑" if self.agreed else "☐"
        state = f"{t(f'tui.wizard.kind.{self.kind}')} {mark}{t('tui.wizard.agreed')}"
        self.query_one(".need-state", Label).update(Text(state))
        self.set_class(self.agreed, "-agreed")

    def action_kind(self) -> None:
        self.kind = "wish" if self.kind == "need" else "need"
        self._show()
        self.post_message(Changed(self))

    def action_agree(self) -> None:
        self.agreed = not self.agreed
        self._show()
        self.post_message(Changed(self))

    def value(self) -> dict[str, object]:
        return {"need": self.first_input().value, "kind": self.kind, "agreed": self.agreed}


class FollowUpRow(Row):
    """A follow-up: what to do, and by when (a date or +days)."""

    def __init__(self, value: dict[str, object] | None = None) -> None:
        super().__init__(classes="visit-row")
        value = value or {}
        self.text = str(value.get("text") or "")
        self.due = str(value.get("due") or "")

    def compose(self) -> ComposeResult:
        yield RowInput(self.text, placeholder=t("tui.wizard.follow_hint"))
        yield Input(self.due, placeholder=t("tui.wizard.due_hint"), max_length=20, classes="row-due")

    def value(self) -> dict[str, str]:
        return {"text": self.first_input().value, "due": self.query_one(".row-due", Input).value}


class OpportunityRow(Row):
    """An opportunity: a product, and where it stands in the five-step sales process (←/→)."""

    def __init__(self, value: dict[str, object] | None = None) -> None:
        super().__init__(classes="visit-row")
        value = value or {}
        self.product = str(value.get("product") or "")
        stage = value.get("stage")
        self.stage = stage if stage in STAGE_KEYS else "assess"

    def compose(self) -> ComposeResult:
        yield RowInput(self.product, placeholder=t("tui.wizard.product_hint"))
        yield Choice([(k, stage_name(k)) for k in STAGE_KEYS], self.stage, classes="row-stage")

    def is_empty(self) -> bool:
        return not self.first_input().value.strip()

    def value(self) -> dict[str, object]:
        return {"product": self.first_input().value, "stage": self.query_one(Choice).value}


class RowList(Vertical):
    """A list field: one row per item, and always one empty row at the end to type the next one into (it
    is added as soon as the last row is written in). Backspace in an empty row removes it."""

    def __init__(self, key: str, row: type[Row], values: Sequence[object], *, id: str | None = None) -> None:
        super().__init__(id=id, classes="row-list")
        self.field_key = key
        self.row_class = row
        self.initial = list(values)

    def compose(self) -> ComposeResult:
        for value in self.initial:
            yield self.row_class(value)  # type: ignore[call-arg]
        yield self.row_class()

    def rows(self) -> list[Row]:
        return list(self.query_children(Row))

    def values(self) -> list[object]:
        return [row.value() for row in self.rows() if not row.is_empty()]

    def grow(self) -> None:
        """Keep one empty row at the end."""
        rows = self.rows()
        if not rows or not rows[-1].is_empty():
            self.mount(self.row_class())


class AnswerRow(Vertical):
    """问: a question and its answer. A prepared question can be skipped; a gap in the profile (a question
    the brief asks) can be skipped or its answer confirmed — confirmed answers go into the profile when the
    visit is finished."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "skip", "tui.key.skip_question", id="answer.skip"),
        Binding("ctrl+o", "confirm", "tui.key.confirm_answer", id="answer.confirm"),
    ]

    def __init__(
        self,
        key: str,
        ident: str,
        question: str,
        answer: str = "",
        *,
        skipped: bool = False,
        confirmed: bool = False,
    ) -> None:
        super().__init__(classes="answer-row")
        localise(self)
        self.field_key = key  # "answers" or "gap_answers"
        self.ident = ident  # the question's index, or the profile field
        self.question = question
        self.answer = answer
        self.skipped = skipped
        self.confirmed = confirmed

    @property
    def gap(self) -> bool:
        return self.field_key == "gap_answers"

    def compose(self) -> ComposeResult:
        yield Label("", classes="answer-question")
        yield Input(self.answer, placeholder=t("tui.wizard.answer_hint"), max_length=MAX_TEXT)

    def on_mount(self) -> None:
        self._show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm":
            return self.gap
        return True

    @property
    def box(self) -> Input:
        return self.query_one(Input)

    def _show(self) -> None:
        if self.skipped:
            state = t("tui.wizard.skipped")
        elif self.gap and self.confirmed:
            state = "☑" + t("tui.wizard.confirmed")
        elif self.gap:
            state = "☐" + t("tui.wizard.confirmed")
        else:
            state = ""
        line = Text(safe(self.question, single_line=True), style="strike" if self.skipped else "")
        if state:
            line.append(f"  〔{state}〕", style="bold" if self.skipped or self.confirmed else "dim")
        self.query_one(".answer-question", Label).update(line)
        self.set_class(self.skipped, "-skipped")
        self.set_class(self.confirmed, "-confirmed")

    def typed(self) -> None:
        """The answer was typed in: a skipped gap is asked after all; an emptied one is not confirmed."""
        value = self.box.value.strip()
        if self.gap and value and self.skipped:
            self.skipped = False
            self._show()
        if not value and self.confirmed:
            self.confirmed = False
            self._show()

    def action_skip(self) -> None:
        if self.gap and self.box.value.strip() and not self.skipped:
            self.notify(t("tui.wizard.skip_answered"), severity="warning", markup=False)
            return
        self.skipped = not self.skipped
        if self.skipped:
            self.confirmed = False
        self._show()
        self.post_message(Changed(self))

    def action_confirm(self) -> None:
        if not self.gap:
            return
        if not self.box.value.strip():
            self.notify(t("tui.wizard.confirm_empty"), severity="warning", markup=False)
            return
        self.confirmed = not self.confirmed
        self.skipped = False
        self._show()
        self.post_message(Changed(self))

    def value(self) -> dict[str, object] | None:
        """The saved form of this answer, or None when there is nothing to keep."""
        answer = self.box.value
        if self.gap:
            if self.skipped:
                # gap_answers has no "skipped": an explicit empty, unconfirmed answer says it (see visits.py)
                return {"answer": "", "confirmed": False}
            if not answer.strip():
                return None
            return {"answer": answer, "confirmed": self.confirmed}
        if not answer.strip() and not self.skipped:
            return None
        return {"answer": answer, "status": "skipped" if self.skipped else "answered"}


def caption(key: str, **values: object) -> Label:
    """A label above a field."""
    return Label(Text(t(key, **values)), classes="field-label")
