"""Workbench's terminal interface: the switchboard of panes, global keys and command palette providers.

Each pane and screen lives in its own module with its own ``.tcss``. The app never queries: it asks services
in thread workers and hears back by message. ``run(book)`` is what ``wb`` calls with the book it opened.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import ContentSwitcher, Label

from workbench.errors import WorkbenchError
from workbench.i18n import t
from workbench.tui import format as fmt
from workbench.tui.footer import KeysFooter
from workbench.tui.keys import KEYMAP, HelpSection, key_rows, localise, use_keymap
from workbench.tui.portfolio import PortfolioPane, SearchInput
from workbench.tui.tables import WorkbenchTable

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.widget import AwaitMount

    from workbench.services.capture import Captured
    from workbench.store.db import Book
    from workbench.tui.commands import PaletteCommand
    from workbench.tui.journal import JournalPane
    from workbench.tui.opening import Opening
    from workbench.tui.planner import PlannerPane
    from workbench.tui.visits import VisitsPane
    from workbench.tui.wizard import VisitWizard

# The first screen needs only the portfolio pane. The 360 view, the help, the demo offer and the command
# palette (and the services behind them) are imported when first used, so the first paint does not wait
# for them.

PANES = ("portfolio", "planner", "visits", "journal", "dashboard")
DEMO_CLIENTS = 300
DEMO_SEED = 7
WATCH_SECONDS = 2.0  # how often the book is asked whether another process wrote to it


class PaneBar(Horizontal):
    """The header line: the app's name, the four panes with their keys (the active one marked), the book."""

    def _handle_exception(self, error: Exception) -> None:
        """A database that went away (a lost connection to the team server, a refusal by its security) while
        a pane was reading: say so and stay open; what the manager was typing is still on screen. Anything
        else is a bug and ends the app as Textual does."""
        import sys

        said = None
        if "workbench.store.db" in sys.modules:  # (no database was ever reached otherwise)
            from workbench.services.book import database_error

            said = database_error(error)
        if said is None:
            super()._handle_exception(error)
            return
        self.notify(str(said), severity="error", timeout=15)

    def compose(self) -> ComposeResult:
        yield Label(t("app.title"), id="app-title")
        for number, pane in enumerate(PANES, 1):
            key = KEYMAP.get(f"pane.{pane}", str(number)).split(",")[0]
            yield Label(f"{key} {t(f'tui.pane.{pane}')}", id=f"tab-{pane}", classes="pane-tab")
        yield Label(t("tui.header.opening"), id="book-count")

    def activate(self, pane: str) -> None:
        for label in self.query(".pane-tab"):
            label.set_class(label.id == f"tab-{pane}", "-active")

    def show_count(self, text: str) -> None:
        self.query_one("#book-count", Label).update(text)


class WorkbenchApp(App[None]):
    CSS_PATH: ClassVar = [
        "app.tcss",
        "tables.tcss",
        "portfolio.tcss",
    ]
    # The other panes' and dialogs' styles are read the first time one of them is shown: parsing them and
    # matching their rules against every widget of the first screen cost ~100 ms of the first paint.
    LATER_CSS: ClassVar = ("planner.tcss", "journal.tcss", "visits.tcss", "dashboard.tcss")
    COMMANDS: ClassVar = {lambda: _provider("ActionsProvider"), lambda: _provider("ClientsProvider")}
    """One palette provider for actions (from the bindings), one for clients; loaded when ctrl+p opens it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "pane('portfolio')", "tui.pane.portfolio", show=False, id="pane.portfolio"),
        Binding("2", "pane('planner')", "tui.pane.planner", show=False, id="pane.planner"),
        Binding("3", "pane('visits')", "tui.pane.visits", show=False, id="pane.visits"),
        Binding("4", "pane('journal')", "tui.pane.journal", show=False, id="pane.journal"),
        Binding("5", "pane('dashboard')", "tui.pane.dashboard", show=False, id="pane.dashboard"),
        Binding("n", "note", "tui.key.note", id="app.note"),
        Binding("question_mark", "help", "tui.key.help", id="app.help"),
        Binding("q", "quit", "tui.key.quit", show=False, id="app.quit"),  # in ? help; the footer is full
        Binding("ctrl+q", "quit", "tui.key.quit", show=False, priority=True, id="app.quit_now"),
        Binding("ctrl+p", "command_palette", "tui.key.palette", show=False, priority=True, id="app.palette"),
    ]

    class BookOpened(Message):
        def __init__(self, book: Book) -> None:
            self.book = book
            super().__init__()

    class BookChecked(Message):
        def __init__(self, clients: int, empty: bool) -> None:
            self.clients, self.empty = clients, empty
            super().__init__()

    class DemoFinished(Message):
        def __init__(self, clients: int | None, error: str | None = None) -> None:
            self.clients, self.error = clients, error
            super().__init__()

    def __init__(self, book: Book | None = None, *, target: str | None = None, opening: Opening | None = None) -> None:
        """Give an open book, or the --db target to open after the first paint, or an Opening under way
        (as `wb` does)."""
        super().__init__()
        localise(self)
        self.book = book
        self.target = target
        self.opening = opening
        self.title = t("app.title")
        self.pane = "portfolio"
        self._offered_demo = False
        self.note_draft = ""  # the quick note closed without saving, back on the next n
        self._watch = None  # whether other processes wrote to the book (services.book.watch)
        self._css_complete = False
        self._apply_settings()

    def _apply_settings(self) -> None:
        """Theme, animations and remapped keys from the settings file. A wrong file is said when the book
        opens (services.book), which refuses it; until then the defaults hold."""
        from workbench import paths

        self.animation_level = "none"  # off unless asked for: over a slow link every frame counts
        if not (paths.config_dir() / "config.toml").is_file():  # (a stat: no settings module on the first paint)
            self.theme = "textual-dark"
            return
        from workbench.errors import BadFile
        from workbench.interface import theme_name
        from workbench.services import config, settings

        try:
            self.theme = theme_name(str(config.get("theme")))
            if config.get("animations"):
                self.animation_level = "full"
            keymap = config.keymap()
            settings.current_fingerprint()  # (names the tiers as the settings do)
        except BadFile:
            return
        use_keymap(keymap)
        self.set_keymap(keymap)

    def notify(self, message: str, *, title: str = "", severity: str = "information", timeout=None, markup=False):
        """Every notification is plain text: messages carry client names and notes, never markup."""
        return super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)  # type: ignore[arg-type]

    def compose(self) -> ComposeResult:
        yield PaneBar(id="pane-bar")
        with ContentSwitcher(initial="portfolio", id="panes"):
            yield PortfolioPane(id="portfolio")
            yield Vertical(id="planner")  # the planner, visits and journal panes are built when first shown
            yield Vertical(id="visits")
            yield Vertical(id="journal")
            yield Vertical(id="dashboard")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(PaneBar).activate(self.pane)
        self.portfolio.focus_list()
        if self.book is None:
            self._open_book()
        else:
            self._check_book()
            self._start_watch()

    # the book -----------------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="book")
    def _open_book(self) -> None:
        """Open (and migrate) the book in a worker, so the first frame does not wait for the database layer."""
        from workbench.tui.opening import Opening

        try:
            book = (self.opening or Opening(self.target)).result()
        except WorkbenchError as exc:
            self.call_from_thread(self.exit, None, 1, f"wb: {exc}")
            return
        self.post_message(self.BookOpened(book))

    @on(BookOpened)
    def _book_opened(self, message: BookOpened) -> None:
        self.book = message.book
        for warning in message.book.warnings:
            self.notify(warning, severity="warning", timeout=10)
        self.portfolio.reload()
        if self.pane == "planner":
            self._show_planner()
        elif self.pane == "visits":
            self._show_visits()
        elif self.pane == "journal":
            self._show_journal()
        elif self.pane == "dashboard":
            self._show_dashboard()
        self._check_book()
        self._start_watch()
        if message.book.backend == "sqlite" and not os.environ.get("WORKBENCH_NO_AUTO_BACKUP"):
            self._daily_backup()

    def _start_watch(self) -> None:
        """Notice what other processes write (`wb note` from another terminal, an import) and show it."""
        from workbench.services import book as book_service

        if self._watch is None and self.book is not None:
            self._watch = book_service.watch(self.book)
            if self._watch is not None:
                self.set_interval(WATCH_SECONDS, self._poll_book, name="watch-book")

    def _poll_book(self) -> None:
        if self._watch is None or not self._watch.changed():
            return
        try:
            self.refresh_panes()
        except NoMatches:  # the app is closing and its panes are being taken down: nothing to show
            pass

    def refresh_panes(self) -> None:
        """Read again what every pane built so far shows, keeping each one's place."""
        self.portfolio.reload(cursor_id=self.portfolio.table.current_id())
        for pane in (self.planner, self.journal, self.visits):
            if pane is not None and pane.loaded:
                pane.reload()
        self._check_book()

    @work(thread=True, exclusive=True, group="backup")
    def _daily_backup(self) -> None:
        """The daily automatic backup, after the first page is on screen; a failure is said, not fatal."""
        from workbench.services import backup

        try:
            backup.auto_backup(self.book)
        except WorkbenchError as exc:
            self.call_from_thread(self.notify, t("tui.error", error=str(exc)), severity="error")

    @property
    def portfolio(self) -> PortfolioPane:
        return self.query_one(PortfolioPane)

    @work(thread=True, exclusive=True, group="book-info")
    def _check_book(self) -> None:
        from workbench.services import book as book_service

        try:
            info = book_service.info(self.book)
            empty = book_service.is_empty()
        except WorkbenchError as exc:
            self.call_from_thread(self.notify, t("tui.error", error=str(exc)), severity="error")
            return
        self.post_message(self.BookChecked(info.clients, empty))

    @on(BookChecked)
    def _book_checked(self, message: BookChecked) -> None:
        bar = next(iter(self.query(PaneBar)), None)
        if bar is None:
            return  # the app is closing: the answer came after its screen went
        bar.show_count(t("tui.header.clients", n=fmt.count(message.clients)))
        self.portfolio.set_book_empty(message.empty)
        if message.empty and not self._offered_demo:
            self._offered_demo = True
            from workbench.tui.demo_offer import DemoOffer

            self.push_screen(DemoOffer(), self._demo_answer)

    def _demo_answer(self, generate: bool | None) -> None:
        if generate:
            self.query_one(PaneBar).show_count(t("tui.demo.working"))
            self.portfolio.table.loading = True
            self._generate_demo()
        else:
            self.portfolio.reload()

    @work(thread=True, exclusive=True, group="demo")
    def _generate_demo(self) -> None:
        try:
            from workbench.services import demo  # only loaded when asked for
        except ImportError:
            self.post_message(self.DemoFinished(None, t("tui.demo.missing")))
            return
        try:
            summary = demo.generate(clients=DEMO_CLIENTS, seed=DEMO_SEED)
        except WorkbenchError as exc:
            self.post_message(self.DemoFinished(None, str(exc)))
            return
        self.post_message(self.DemoFinished(summary.clients))

    @on(DemoFinished)
    def _demo_finished(self, message: DemoFinished) -> None:
        self.portfolio.table.loading = False
        if message.error is not None:
            self.notify(t("tui.demo.failed", error=message.error), severity="error")
        else:
            self.notify(t("tui.demo.done", n=fmt.count(message.clients or 0)))
        self.refresh_panes()

    # clients ------------------------------------------------------------------------------------------------
    @on(PortfolioPane.OpenClient)
    def _open_from_list(self, message: PortfolioPane.OpenClient) -> None:
        self.open_client(message.client_id)

    def on_planner_pane_open_client(self, message: PlannerPane.OpenClient) -> None:
        self.open_client(message.client_id)

    def on_journal_pane_changed(self, message: JournalPane.Changed) -> None:
        """A note became a follow-up or was linked: the day's plan may read differently."""
        if self.planner is not None and self.planner.loaded:
            self.planner.reload()

    def on_visits_pane_changed(self, message: VisitsPane.Changed) -> None:
        """A complaint moved on or a visit was finished: the day's plan may read differently."""
        if self.planner is not None and self.planner.loaded:
            self.planner.reload()

    def on_visit_wizard_done(self, message: VisitWizard.Done) -> None:
        """A visit closed (from the planner, the 360 view or the visits pane): when it was finished or amended,
        what the other panes show may have changed (a contact, follow-ups, the next contact)."""
        if not message.changed:
            return
        self.portfolio.reload(cursor_id=self.portfolio.table.current_id())
        if self.planner is not None and self.planner.loaded:
            self.planner.reload()

    @property
    def planner(self) -> PlannerPane | None:
        """The planner pane, once it has been shown."""
        from workbench.tui.planner import PlannerPane

        found = self.query(PlannerPane)
        return found.first() if found else None

    def complete_css(self) -> None:
        """Read LATER_CSS (once), before a pane or a dialog that needs it is shown."""
        if self._css_complete:
            return
        self._css_complete = True
        here = Path(__file__).parent
        for name in self.LATER_CSS:
            self.stylesheet.read(here / name)
        self.stylesheet.reparse()
        self.stylesheet.update(self)

    def push_screen(self, screen, *args, **kwargs):  # type: ignore[override]
        self.complete_css()
        return super().push_screen(screen, *args, **kwargs)

    def _show_planner(self) -> None:
        """Build the planner pane the first time it is shown (it loads and focuses itself once mounted)."""
        self.complete_css()
        from workbench.tui.planner import PlannerPane

        pane = self.planner
        if pane is None:
            self.query_one("#planner", Vertical).mount(PlannerPane(id="planner-pane"))
        elif self.book is not None:
            pane.focus_list()

    @property
    def journal(self) -> JournalPane | None:
        """The journal pane, once it has been shown."""
        from workbench.tui.journal import JournalPane

        found = self.query(JournalPane)
        return found.first() if found else None

    def _show_journal(self) -> AwaitMount | None:
        """Build the journal pane the first time it is shown (it loads and focuses itself once mounted)."""
        self.complete_css()
        from workbench.tui.journal import JournalPane

        pane = self.journal
        if pane is None:
            return self.query_one("#journal", Vertical).mount(JournalPane(id="journal-pane"))
        if self.book is not None:
            pane.focus_list()
        return None

    @property
    def visits(self) -> VisitsPane | None:
        """The visits pane, once it has been shown."""
        from workbench.tui.visits import VisitsPane

        found = self.query(VisitsPane)
        return found.first() if found else None

    def _show_visits(self) -> None:
        """Build the visits pane the first time it is shown; later, read it again (it focuses itself)."""
        self.complete_css()
        from workbench.tui.visits import VisitsPane

        pane = self.visits
        if pane is None:
            self.query_one("#visits", Vertical).mount(VisitsPane(id="visits-pane"))
        elif self.book is not None:
            pane.focus_list()

    # the quick note -----------------------------------------------------------------------------------------
    def action_note(self) -> None:
        """n, from any pane: the one-line note, with the draft left when it was last closed."""
        from workbench.tui.capture import CaptureScreen

        if not isinstance(self.screen, CaptureScreen):
            self.push_screen(CaptureScreen(self.note_draft), self._note_closed)

    def _note_closed(self, saved: Captured | None) -> None:
        if saved is None:
            return
        from workbench.tui.capture import saved_text

        message, severity = saved_text(saved)
        self.notify(message, severity=severity, timeout=8, markup=False)  # type: ignore[arg-type]
        if self.journal is not None and self.journal.loaded:
            self.journal.reload()

    def open_client(self, client_id: int) -> None:
        from workbench.tui.client360 import Client360Screen

        self.push_screen(Client360Screen(client_id), partial(self._client_closed, client_id))

    def _client_closed(self, client_id: int, changed: bool | None) -> None:
        if changed:
            self.portfolio.reload(cursor_id=self.portfolio.table.current_id() or client_id)
            if self.planner is not None and self.planner.loaded:
                self.planner.reload()

    # panes, help, palette -----------------------------------------------------------------------------------
    def action_pane(self, pane: str) -> None:
        if pane not in PANES:
            return
        self.pane = pane
        self.query_one(ContentSwitcher).current = pane
        self.query_one(PaneBar).activate(pane)
        if pane == "portfolio":
            self.portfolio.focus_list()
        elif pane == "planner":
            self._show_planner()
        elif pane == "visits":
            self._show_visits()
        elif pane == "journal":
            self._show_journal()
        elif pane == "dashboard":
            self._show_dashboard()

    def _show_dashboard(self) -> None:
        """Build the dashboard the first time it is shown; later, read the month again."""
        self.complete_css()
        from workbench.tui.dashboard import DashboardPane

        found = self.query(DashboardPane)
        if not found:
            self.query_one("#dashboard", Vertical).mount(DashboardPane(id="dashboard-pane"))
        elif self.book is not None:
            found.first().reload()
            found.first().focus_list()

    def action_help(self) -> None:
        from workbench.tui.help import HelpScreen

        self.push_screen(HelpScreen(self.help_sections()))

    def action_help_quit(self) -> None:
        """ctrl+c: say how to quit rather than quitting by surprise."""
        quit_keys = key_rows(
            [b for b in self.BINDINGS if isinstance(b, Binding) and b.action == "quit"], self.get_key_display
        )
        self.notify(" · ".join(f"{row.keys} {row.description}" for row in quit_keys))

    def help_sections(self) -> list[HelpSection]:
        from workbench.tui.capture import CaptureScreen, NoteInput
        from workbench.tui.client360 import Client360Screen
        from workbench.tui.complaints import AddComplaintDialog, ComplaintTable
        from workbench.tui.dashboard import DashboardPane
        from workbench.tui.forms import FormScreen
        from workbench.tui.journal import JournalPane, NoteTable
        from workbench.tui.journal_dialogs import JournalDialog, LessonDialog, LinkDialog, ReaderScreen, StageChoice
        from workbench.tui.plan_dialogs import LogDialog
        from workbench.tui.planner import PlannerPane
        from workbench.tui.profile_editor import EditorInput, ProfileTable
        from workbench.tui.search import SearchScreen
        from workbench.tui.visit_widgets import AnswerRow, Choice, NeedRow
        from workbench.tui.visits import VisitsPane
        from workbench.tui.wizard import AmendDialog, VisitWizard

        return [
            (t("tui.help.global"), self.BINDINGS),
            (t("tui.help.portfolio"), PortfolioPane.BINDINGS),
            (t("tui.help.planner"), PlannerPane.BINDINGS),
            (t("tui.help.dashboard"), DashboardPane.BINDINGS),
            (t("tui.help.dialog"), [*LogDialog.BINDINGS, *FormScreen.BINDINGS]),
            (t("tui.help.journal"), [*JournalPane.BINDINGS, *NoteTable.BINDINGS]),
            (t("tui.help.capture"), [*NoteInput.BINDINGS, *CaptureScreen.BINDINGS]),
            (
                t("tui.help.journal_dialog"),
                [
                    *LinkDialog.BINDINGS,
                    *StageChoice.BINDINGS,
                    *LessonDialog.BINDINGS,
                    *JournalDialog.BINDINGS,
                    *ReaderScreen.BINDINGS,
                ],
            ),
            (t("tui.help.visits"), [*VisitsPane.BINDINGS, *ComplaintTable.BINDINGS, *AddComplaintDialog.BINDINGS]),
            (
                t("tui.help.wizard"),
                [
                    *VisitWizard.BINDINGS,
                    *Choice.BINDINGS,
                    *AnswerRow.BINDINGS,
                    *NeedRow.BINDINGS,
                    *AmendDialog.BINDINGS,
                ],
            ),
            (t("tui.help.find"), SearchScreen.BINDINGS),
            (t("tui.help.search"), SearchInput.BINDINGS),
            (t("tui.help.table"), WorkbenchTable.BINDINGS),
            (t("tui.help.client"), [*Client360Screen.BINDINGS, *ProfileTable.BINDINGS]),
            (t("tui.help.editor"), EditorInput.BINDINGS),
        ]

    def palette_commands(self) -> list[PaletteCommand]:
        from workbench.tui.commands import app_commands

        return app_commands(self)

    def _portfolio_action(self, action: str) -> None:
        self.action_pane("portfolio")
        self.call_later(self.run_action, action, self.portfolio)

    async def _journal_action(self, action: str) -> None:
        """A journal key from the palette: show the pane (built if need be), then act there."""
        self.pane = "journal"
        self.query_one(ContentSwitcher).current = "journal"
        self.query_one(PaneBar).activate("journal")
        mounting = self._show_journal()
        if mounting is not None:
            await mounting
        if self.journal is not None:
            await self.run_action(action, self.journal)

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=t("tui.palette.placeholder"), id="--command-palette"))


def _provider(name: str) -> type[Provider]:
    from workbench.tui import commands

    return getattr(commands, name)


def run(target: str | None = None, opening: Opening | None = None) -> int:
    """Open the TUI on the book at ``target`` (--db / WORKBENCH_DB / the default); the exit status."""
    app = WorkbenchApp(target=target, opening=opening)
    app.run()
    return app.return_code or 0
