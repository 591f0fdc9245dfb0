"""The ``?`` help: every binding of every part of the interface, read from their ``BINDINGS`` lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from workbench.i18n import t
from workbench.tui.keys import HelpSection, key_rows, localise


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "tui.key.close", id="help.close"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"help--key", "help--section"}

    def __init__(self, sections: Sequence[HelpSection]) -> None:
        super().__init__()
        localise(self)
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Label(t("tui.help.title"), id="help-title")
            with VerticalScroll(id="help-body"):
                for title, bindings in self.sections:
                    yield Static(self._table(title, bindings), classes="help-section")
            close = key_rows(self.BINDINGS, self.app.get_key_display)
            yield Label("  ".join(f"{row.keys} {row.description}" for row in close), id="help-close")

    def _table(self, title: str, bindings: Sequence[BindingType]) -> Table:
        table = Table(
            title=title,
            title_justify="left",
            show_header=False,
            box=None,
            expand=True,
            padding=(0, 1),
            title_style=self.get_component_rich_style("help--section"),
        )
        table.add_column(t("tui.help.key"), no_wrap=True, width=18)
        table.add_column(t("tui.help.does"), ratio=1)
        for row in key_rows(bindings, self.app.get_key_display):
            table.add_row(Text(row.keys, self.get_component_rich_style("help--key")), Text(row.description))
        return table

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
