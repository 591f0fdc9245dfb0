"""The footer of keys, rebuilt once per batch of binding changes.

Textual's Footer rebuilds all its keys after every change of bindings, and a start or a screen change makes
a dozen of them in a row (focus moves, widgets mount, panes fill): on the portfolio's first page that was 14
rebuilds and 130 ms of styling before the first paint. Here changes that arrive before the pending rebuild
has run share it.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    _rebuild_pending = False

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not (self.is_attached and screen is self.screen):
            return
        if not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        await self.recompose()
