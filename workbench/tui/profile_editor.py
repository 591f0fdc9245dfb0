"""The profile tab of the 360 view: every profile field with its gaps marked, and a one-line editor.

The table lists the fields that matter for the client's kind (``ClientView.profile``); a red 缺/missing marks
each one that counts for completeness and is empty. Enter or ``e`` opens the editor under the table; Enter
there asks the screen to save (``FieldEditor.Save``), Esc cancels. A refused value keeps the typed text and
shows the reason under it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label

from workbench.i18n import lang, t
from workbench.rules import profile
from workbench.rules.text import fit, width
from workbench.services.client360 import SECRET_FIELDS, ClientView, ProfileField
from workbench.tui import format as fmt
from workbench.tui.keys import focus_now, localise
from workbench.tui.tables import SCROLLBAR, WorkbenchTable

LABEL_CELLS = (8, 22)  # the field column: as wide as the longest label, within these bounds


def field_label(name: str) -> str:
    field = profile.BY_NAME.get(name)
    return field.label(lang()) if field else name


class ProfileTable(WorkbenchTable):
    """Field, marker and value; the row key is the field name."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # the screen's own edit, run as the key arrives, so what is typed next lands in the editor
        Binding("enter", "screen.edit", "tui.key.edit", show=False, id="profile.edit", priority=True),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"profile-table--missing", "profile-table--related"}

    def show(self, view: ClientView) -> None:
        current = self.current_field()
        mark = max(width(t("tui.c360.missing")), 2)
        total = (self.size.width or self.app.size.width) - SCROLLBAR - 2 * self.cell_padding * 3
        low, high = LABEL_CELLS
        label_cells = max(low, min(high, max((width(field_label(f.name)) for f in view.profile), default=low)))
        value_cells = max(10, total - label_cells - mark)
        self.clear(columns=True)
        self.add_column(fit(t("tui.c360.field"), label_cells), width=label_cells, key="field")
        self.add_column("", width=mark, key="mark")
        self.add_column(fit(t("tui.c360.value"), value_cells), width=value_cells, key="value")
        missing_style = self.style_of("profile-table--missing")
        related_style = self.style_of("profile-table--related")
        for f in view.profile:
            value = Text(
                fit(related_value(view, f) if not f.editable else fmt.one_line(f.value), value_cells),
                related_style if not f.editable else "",
            )
            marker = Text(fit(t("tui.c360.missing") if f.missing else "", mark), missing_style)
            self.add_row(fmt.cell(field_label(f.name), label_cells), marker, value, key=f.name)
        if current is not None:
            self.select_field(current)

    def current_field(self) -> str | None:
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def select_field(self, name: str) -> None:
        try:
            self.move_cursor(row=self.get_row_index(name), animate=False)
        except KeyError:
            pass


def related_value(view: ClientView, f: ProfileField) -> str:
    """What a field kept in related records shows: the birthday's date, or how many people and companies."""
    if f.name == "birthday":
        days = [k for k in view.key_dates if k.kind == "birthday"]
        return fmt.key_date(days[0]) if days else ""
    if f.name == "decision_makers":
        return t("tui.list_sep").join(fmt.one_line(p.name) for p in view.decision_makers)
    if f.name == "affiliates":
        return t("tui.list_sep").join(fmt.one_line(p.name) for p in view.affiliates)
    return ""


class EditorInput(Input):
    """The editor's input: Enter saves, Esc cancels (both described in the footer)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "save", "tui.key.save", id="editor.save"),
        Binding("escape", "cancel", "tui.key.cancel", id="editor.cancel"),
    ]

    def __init__(self) -> None:
        super().__init__(id="editor-input", select_on_focus=False)
        localise(self)

    def action_save(self) -> None:
        editor = self.parent
        if isinstance(editor, FieldEditor) and editor.field is not None:
            self.post_message(FieldEditor.Save(editor.field.name, self.value))

    def action_cancel(self) -> None:
        self.post_message(FieldEditor.Cancel())


class FieldEditor(Vertical):
    """Label, input and the reason a value was refused. Hidden until a field is edited."""

    class Save(Message):
        def __init__(self, field: str, text: str) -> None:
            self.field, self.text = field, text
            super().__init__()

    class Cancel(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.field: ProfileField | None = None
        self.hidden_value = False

    def compose(self) -> ComposeResult:
        yield Label(id="editor-label")
        yield EditorInput()
        yield Label(id="editor-error")

    def open(self, f: ProfileField, revealed: bool) -> None:
        self.field = f
        spec = profile.BY_NAME[f.name]
        self.hidden_value = f.name in SECRET_FIELDS and not revealed and bool(f.value)
        box = self.query_one(Input)
        box.value = "" if self.hidden_value else f.value
        box.suggester = SuggestFromList(f.choices) if f.choices else None
        if self.hidden_value:
            box.placeholder = t("tui.c360.hidden")
        elif f.choices:
            box.placeholder = t("tui.c360.choices", choices=" / ".join(f.choices))
        else:
            box.placeholder = spec.question(lang())
        self.query_one("#editor-label", Label).update(t("tui.c360.edit", field=field_label(f.name)))
        self.show_error("")
        self.display = True
        box.cursor_position = len(box.value)
        focus_now(box)

    def close(self) -> None:
        self.display = False
        self.field = None
        self.show_error("")

    def show_error(self, message: str) -> None:
        error = self.query_one("#editor-error", Label)
        error.update(message)
        error.display = bool(message)
