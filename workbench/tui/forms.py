"""A small form on a modal screen: a title, inputs, an error line. Enter saves through a service in a worker
and the form closes only once the book has it; on an error it stays open with what was typed and says why.
Esc closes without saving. The planner's and the journal's dialogs are such forms."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from workbench.errors import WorkbenchError, reason
from workbench.i18n import t
from workbench.rules.text import safe
from workbench.tui.keys import focus_now, localise


class FormScreen(ModalScreen[str | None]):
    """Subclasses give ``title_text``, ``fields``, ``collect`` (the values, checked; ValueError saying what is
    wrong) and ``save`` (runs in a worker thread; returns the message to show). Dismissed with that message,
    or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "tui.key.cancel", id="form.cancel"),
        # Tab moves on as soon as it is read, before the keys after it reach a field: typed ahead (or arriving in
        # one packet over SSH), "outcome<Tab>+7<Enter>" must not end as "outcome+7" in the first field.
        Binding("tab", "app.focus_next", "tui.key.next_field", show=False, priority=True, id="form.next"),
        Binding("shift+tab", "app.focus_previous", "tui.key.previous_field", show=False, priority=True, id="form.back"),
    ]
    BOX_CLASSES = "form-box"

    def __init__(self) -> None:
        super().__init__()
        localise(self)
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(classes=self.BOX_CLASSES):
            yield Label(Text(self.title_text()), classes="dialog-title")  # Text: names are never markup
            yield from self.fields()
            yield Label("", id="dialog-error", classes="dialog-error")

    def title_text(self) -> str:
        raise NotImplementedError

    def fields(self) -> ComposeResult:
        raise NotImplementedError

    def on_mount(self) -> None:
        box = self.query(Input).first()
        focus_now(box)
        box.cursor_position = len(box.value)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def submit(self) -> None:
        if self.saving:
            return
        try:
            args = self.collect()
        except ValueError as exc:
            self.show_error(reason(exc))
            return
        self.saving = True
        self._save(args)

    def collect(self) -> tuple:
        raise NotImplementedError

    def save(self, *args: object) -> str:
        raise NotImplementedError

    @work(thread=True, exclusive=True, group="form")
    def _save(self, args: tuple) -> None:
        try:
            message = self.save(*args)
        except WorkbenchError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self.dismiss, message)

    def _failed(self, why: str) -> None:
        self.saving = False
        self.show_error(t("tui.plan.unsaved", why=why))

    def show_error(self, text: str) -> None:
        self.query_one("#dialog-error", Label).update(Text(safe(text, single_line=True)))

    def value(self, selector: str) -> str:
        return self.query_one(selector, Input).value
