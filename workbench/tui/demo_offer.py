"""The offer shown on an empty book: generate a demo book (Enter / y) or start empty (Esc / n)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from workbench.i18n import t
from workbench.tui.keys import key_rows, localise


class DemoOffer(ModalScreen[bool]):
    """Dismissed with True to generate the demo book, False to start with the empty one."""

    CSS_PATH = "demo_offer.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y", "answer(True)", "tui.key.generate", id="demo.generate"),
        Binding("escape,n", "answer(False)", "tui.key.start_empty", id="demo.empty"),
    ]

    def __init__(self) -> None:
        super().__init__()
        localise(self)

    def compose(self) -> ComposeResult:
        with Vertical(id="demo-box"):
            yield Label(t("tui.demo.title"), id="demo-title")
            yield Label(t("tui.demo.body"), id="demo-body")
            rows = key_rows(self.BINDINGS, self.app.get_key_display)
            yield Label("   ".join(f"{row.keys}  {row.description}" for row in rows), id="demo-keys")

    def action_answer(self, generate: bool) -> None:
        self.dismiss(generate)
