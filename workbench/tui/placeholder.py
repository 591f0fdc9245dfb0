"""A pane whose feature is not built yet. It says so plainly and shows nothing else."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label

from workbench.i18n import t


class NotBuiltPane(Vertical):
    def __init__(self, pane: str) -> None:
        super().__init__(id=pane, classes="not-built")
        self.pane = pane

    def compose(self) -> ComposeResult:
        yield Label(t(f"tui.pane.not_built.{self.pane}"), classes="not-built-text")
        yield Label(t("tui.pane.not_built.hint"), classes="not-built-hint")
