"""Command palette (ctrl+p) providers: one for actions, one for clients.

Actions come from the same ``Binding`` lists as the footer and the help (the app turns them into
``PaletteCommand``s); clients are found by ``services.portfolio.list_clients(search=…)`` in a thread, so
typing 王, wang or wxm finds 王小明 here as in the list.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from workbench.errors import WorkbenchError
from workbench.i18n import t
from workbench.services import portfolio
from workbench.tui import format as fmt

CLIENT_HITS = 8


@dataclass(frozen=True)
class PaletteCommand:
    title: str
    help: str
    run: Callable[[], object]


class ActionsProvider(Provider):
    def _commands(self) -> list[PaletteCommand]:
        host = self.app
        return host.palette_commands() if hasattr(host, "palette_commands") else []

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.title, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.run, help=command.help)


class ClientsProvider(Provider):
    async def search(self, query: str) -> Hits:
        text = query.strip()
        host = self.app
        if not text or not hasattr(host, "open_client"):
            return
        try:
            rows = await asyncio.to_thread(portfolio.list_clients, search=text, limit=CLIENT_HITS)
        except WorkbenchError:
            return
        for rank, row in enumerate(rows):
            help_text = t(
                "tui.palette.client_help",
                no=fmt.one_line(row.client_no) or fmt.NONE,
                tier=fmt.tier(row.tier, row.tier_pending),
                aum=fmt.amount(row.aum),
            )
            yield Hit(
                0.95 - rank * 0.01,
                Text(fmt.one_line(row.name)),
                partial(host.open_client, row.id),
                text=fmt.one_line(row.name),
                help=help_text,
            )
