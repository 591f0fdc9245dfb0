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
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from workbench.errors import WorkbenchError
from workbench.i18n import t
from workbench.services import portfolio
from workbench.tui import format as fmt
from workbench.tui.keys import translate

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp

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


def app_commands(app: WorkbenchApp) -> list[PaletteCommand]:
    """Every pane and every pane's action, from the same bindings as the footer and the help."""
    from workbench.tui.app import PANES
    from workbench.tui.dashboard import DashboardPane
    from workbench.tui.journal import JournalPane
    from workbench.tui.planner import PlannerPane
    from workbench.tui.visits import VisitsPane

    commands = [
        PaletteCommand(
            t("tui.palette.pane", pane=t(f"tui.pane.{pane}")),
            str(number),
            partial(app.action_pane, pane),
        )
        for number, pane in enumerate(PANES, 1)
    ]
    for _key, binding in app.portfolio._bindings:
        if binding.description:
            run = partial(app._portfolio_action, binding.action)
            commands.append(PaletteCommand(binding.description, app.get_key_display(binding), run))
    for binding in JournalPane.BINDINGS:
        if isinstance(binding, Binding) and binding.description:
            b = translate(binding)
            run = partial(app._journal_action, b.action)
            title = t("tui.palette.journal", action=b.description)
            commands.append(PaletteCommand(title, app.get_key_display(b), run))
    for pane, kind in (("planner", PlannerPane), ("visits", VisitsPane), ("dashboard", DashboardPane)):
        for binding in kind.BINDINGS:
            if isinstance(binding, Binding) and binding.description:
                b = translate(binding)
                run = partial(pane_action, app, pane, kind, b.action)
                title = t("tui.palette.in_pane", pane=t(f"tui.pane.{pane}"), action=b.description)
                commands.append(PaletteCommand(title, app.get_key_display(b), run))
    for _key, binding in app._bindings:
        if binding.show and binding.action in ("note", "help", "quit"):
            run = partial(app.run_action, binding.action)
            commands.append(PaletteCommand(binding.description, app.get_key_display(binding), run))
    return commands


def pane_action(app: WorkbenchApp, pane: str, kind: type, action: str) -> None:
    """A pane's key from the palette: show the pane (built if need be), then act there once it is."""
    app.action_pane(pane)

    def act(tries: int = 20) -> None:
        found = app.query(kind)
        if found:
            app.call_later(app.run_action, action, found.first())
        elif tries:
            app.set_timer(0.05, lambda: act(tries - 1))

    app.call_after_refresh(act)
