"""The portfolio pane (key 1): the book as a paged, sortable, filterable table with search as you type.

A page is one call to ``services.portfolio.list_clients`` plus ``count_clients``, run in a thread worker; the
result comes back as a ``PageLoaded`` message. Every request carries a serial number and only the newest one
is shown, so a slow answer to an old keystroke never overwrites a newer one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Label
from textual.worker import get_current_worker

from workbench.errors import WorkbenchError
from workbench.i18n import t
from workbench.rules.tiers import TIER_KEYS
from workbench.services.settings import today as today_
from workbench.tui import format as fmt
from workbench.tui.keys import KEYMAP, focus_now, localise
from workbench.tui.opening import FIRST_PAGE, PAGE_SIZE
from workbench.tui.tables import ClientTable

if TYPE_CHECKING:
    from workbench.services.portfolio import ClientRow


SEARCH_DEBOUNCE = 0.15  # seconds after the last keystroke before a search runs
SORT_CYCLE = ("tier", "aum", "name", "trend", "last_contact", "next_due", "completeness")
TIER_CYCLE: tuple[str | None, ...] = (None, *reversed(TIER_KEYS))
STATUS_CYCLE = ("active", "prospect", "lost")  # the book, its prospects (their own list), the clients lost
STATUS_SORT = {"prospect": ("next_due", False), "lost": ("lost_at", True)}  # the next step soonest; the latest loss
SORT_LABELS = {
    "tier": "col.tier",
    "aum": "col.aum",
    "name": "col.name",
    "trend": "col.trend",
    "last_contact": "col.last_contact",
    "next_due": "col.next_due",
    "completeness": "col.completeness",
    "lost_at": "col.lost_at",
}


@dataclass(frozen=True)
class Query:
    """What the table shows: search, tier filter, sort and the page's offset."""

    search: str | None = None
    tier: str | None = None
    status: str = "active"
    sort: str = FIRST_PAGE["sort"]
    descending: bool = FIRST_PAGE["descending"]
    offset: int = 0
    limit: int = PAGE_SIZE


class SearchInput(Input):
    """The search box. Esc clears it and goes back to the list; Enter or Down goes back keeping the search."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave(True)", "tui.key.clear_search", id="search.clear"),
        Binding("enter,down", "leave(False)", "tui.key.to_list", id="search.done"),
    ]

    class Leave(Message):
        def __init__(self, clear: bool) -> None:
            self.clear = clear
            super().__init__()

    def __init__(self) -> None:
        key = KEYMAP.get("portfolio.search", "/").split(",")[0].replace("slash", "/")
        super().__init__(placeholder=t("tui.search.placeholder", keys=key), id="search", select_on_focus=False)
        localise(self)

    def action_leave(self, clear: bool) -> None:
        self.post_message(self.Leave(clear))


class PortfolioPane(Vertical):
    """Search bar, client table and a status line saying which rows of how many are shown."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # priority: handled as the key arrives, so the keys typed right after it land in the search box
        Binding("slash", "search", "tui.key.search", id="portfolio.search", priority=True),
        Binding("t", "tier(1)", "tui.key.tier", id="portfolio.tier"),
        Binding("p", "status", "tui.key.status", id="portfolio.status"),
        Binding("T", "tier(-1)", "tui.key.tier_prev", show=False, id="portfolio.tier_prev"),
        Binding("s", "sort", "tui.key.sort", id="portfolio.sort"),
        Binding("S", "reverse", "tui.key.reverse", id="portfolio.reverse"),
        Binding(
            "left_square_bracket",
            "page(-1)",
            "tui.key.prev_page",
            id="portfolio.prev_page",
            group=Binding.Group("tui.key.page", compact=True),
        ),
        Binding(
            "right_square_bracket",
            "page(1)",
            "tui.key.next_page",
            id="portfolio.next_page",
            group=Binding.Group("tui.key.page", compact=True),
        ),
        Binding("escape", "clear_search", "tui.key.clear_search", show=False, id="portfolio.clear"),
        Binding("f5,ctrl+r", "reload", "tui.key.refresh", show=False, id="portfolio.reload"),
    ]

    class PageLoaded(Message):
        def __init__(self, serial: int, query: Query, rows: list[ClientRow], total: int) -> None:
            self.serial, self.query, self.rows, self.total = serial, query, rows, total
            super().__init__()

    class LoadFailed(Message):
        def __init__(self, serial: int, error: str) -> None:
            self.serial, self.error = serial, error
            super().__init__()

    class OpenClient(Message):
        """Enter on a row: the app opens the client's 360 view."""

        def __init__(self, client_id: int) -> None:
            self.client_id = client_id
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        localise(self)
        self.query_state = Query()
        self.total: int | None = None
        self.book_empty = False
        self._serial = 0
        self._cursor_id: int | None = None
        self._cursor_end = False
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="toolbar"):
            yield SearchInput()
            yield Label(id="tier-filter")
            yield Label(id="sort-state")
        yield ClientTable(id="clients")
        yield Label(t("tui.rows.loading"), id="rows-status")

    def on_mount(self) -> None:
        self._show_state()
        if getattr(self.app, "book", None) is not None:
            self.reload()
        elif getattr(self.app, "opening", None) is not None:  # the first page may come before the book
            self._serial += 1
            self._first_page(self._serial)

    @work(thread=True, exclusive=True, group="portfolio-page")
    def _first_page(self, serial: int) -> None:
        page = self.app.opening.take_first_page(wait=60.0)  # type: ignore[attr-defined]
        if page is not None and not get_current_worker().is_cancelled:
            self.post_message(self.PageLoaded(serial, Query(), *page))

    @property
    def table(self) -> ClientTable:
        return self.query_one(ClientTable)

    # loading ------------------------------------------------------------------------------------------------
    def reload(self, query: Query | None = None, *, cursor_id: int | None = None, cursor_end: bool = False) -> None:
        """Ask for a page; keep the cursor on ``cursor_id`` when it is still there."""
        if query is not None:
            self.query_state = query
        self._serial += 1
        self._cursor_id = cursor_id
        self._cursor_end = cursor_end
        self._show_state()
        opening = getattr(self.app, "opening", None)
        page = opening.take_first_page() if opening is not None and self.query_state == Query() else None
        if page is not None:  # read while Textual was starting
            self.post_message(self.PageLoaded(self._serial, self.query_state, *page))
            return
        self._fetch(self._serial, self.query_state)

    @work(thread=True, exclusive=True, group="portfolio-page")
    def _fetch(self, serial: int, query: Query) -> None:
        from workbench.services import portfolio  # peewee loads here, in the worker, after the first paint

        try:
            opening = getattr(self.app, "opening", None)
            if opening is not None:  # (keys pressed on the first page, shown before the book was open)
                opening.result()
            total = portfolio.count_clients(tier=query.tier, search=query.search, status=query.status)
            offset = query.offset
            if offset >= total > 0:  # the book shrank under us: show its last page
                offset = (total - 1) // query.limit * query.limit
                query = dataclasses.replace(query, offset=offset)
            rows = portfolio.list_clients(
                limit=query.limit,
                offset=offset,
                tier=query.tier,
                search=query.search,
                sort=query.sort,
                descending=query.descending,
                status=query.status,
            )
        except WorkbenchError as exc:
            self.post_message(self.LoadFailed(serial, str(exc)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.PageLoaded(serial, query, rows, total))

    @on(PageLoaded)
    def _page_loaded(self, message: PageLoaded) -> None:
        if message.serial != self._serial:
            return  # an answer to an older request
        self.query_state = message.query
        self.total = message.total
        opening = getattr(self.app, "opening", None)
        if opening is not None:
            self.call_after_refresh(opening.painted)  # the full store may load now, behind the screen
        self.table.show(
            message.rows,
            status=message.query.status,
            sort=message.query.sort,
            today=today_(),
            cursor_id=self._cursor_id,
            cursor_end=self._cursor_end,
        )
        self._show_state()

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        if message.serial == self._serial:
            self.notify(t("tui.error", error=message.error), severity="error")

    def _show_state(self) -> None:
        q = self.query_state
        tier = fmt.tier(q.tier) if q.tier else t("tui.filter.all")
        shown = t("tui.filter.tier", tier=tier)
        if q.status != "active":  # (the tier only when one is chosen: the search box keeps its room)
            status = t(f"tui.filter.status.{q.status}")
            shown = f"{status} · {shown}" if q.tier else status
        self.query_one("#tier-filter", Label).update(shown)
        arrow = t("tui.sort.desc") if q.descending else t("tui.sort.asc")
        self.query_one("#sort-state", Label).update(t("tui.sort.by", column=t(SORT_LABELS[q.sort]), arrow=arrow))
        self.query_one("#rows-status", Label).update(self.rows_text())

    def set_book_empty(self, empty: bool) -> None:
        """Told by the app: an empty book says how to fill it instead of "no matching clients"."""
        self.book_empty = empty
        self._show_state()

    def rows_text(self) -> str:
        if self.total is None:
            return t("tui.rows.loading")
        if self.total == 0:
            filtered = self.query_state.search or self.query_state.tier or self.query_state.status != "active"
            return t("tui.rows.none") if filtered or not self.book_empty else t("tui.rows.empty_book")
        q = self.query_state
        last = min(q.offset + q.limit, self.total)
        pages = (self.total + q.limit - 1) // q.limit
        rows = t("tui.rows", first=fmt.count(q.offset + 1), last=fmt.count(last), total=fmt.count(self.total))
        return f"{rows} · {t('tui.rows.pages', page=q.offset // q.limit + 1, pages=pages)}"

    # actions ------------------------------------------------------------------------------------------------
    def action_search(self) -> None:
        focus_now(self.query_one(SearchInput))

    def action_tier(self, step: int) -> None:
        index = (TIER_CYCLE.index(self.query_state.tier) + step) % len(TIER_CYCLE)
        self.reload(dataclasses.replace(self.query_state, tier=TIER_CYCLE[index], offset=0))

    def action_status(self) -> None:
        """Clients, prospects (by their next step's date), lost clients, and round again."""
        status = STATUS_CYCLE[(STATUS_CYCLE.index(self.query_state.status) + 1) % len(STATUS_CYCLE)]
        sort, descending = STATUS_SORT.get(status, (FIRST_PAGE["sort"], FIRST_PAGE["descending"]))
        self.reload(dataclasses.replace(self.query_state, status=status, sort=sort, descending=descending, offset=0))

    def action_sort(self) -> None:
        from workbench.services import portfolio  # already loaded by the first page's worker

        now = self.query_state.sort
        sort = SORT_CYCLE[(SORT_CYCLE.index(now) + 1 if now in SORT_CYCLE else 0) % len(SORT_CYCLE)]
        descending = portfolio.DEFAULT_DESCENDING.get(sort, False)
        self.reload(
            dataclasses.replace(self.query_state, sort=sort, descending=descending, offset=0),
            cursor_id=self.table.current_id(),
        )

    def action_reverse(self) -> None:
        q = self.query_state
        self.reload(dataclasses.replace(q, descending=not q.descending, offset=0))

    def action_page(self, delta: int, cursor_end: bool = False) -> None:
        q = self.query_state
        offset = q.offset + delta * q.limit
        if offset < 0 or self.total is None or offset >= self.total:
            self.app.bell()
            return
        self.reload(dataclasses.replace(q, offset=offset), cursor_end=cursor_end)

    def action_clear_search(self) -> None:
        self.query_one(SearchInput).value = ""
        self._search_now()

    def action_reload(self) -> None:
        self.reload(cursor_id=self.table.current_id())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_search":
            return bool(self.query_state.search)
        return True

    # events -------------------------------------------------------------------------------------------------
    @on(ClientTable.EdgePage)
    def _edge_page(self, message: ClientTable.EdgePage) -> None:
        self.action_page(message.delta, cursor_end=message.delta < 0)

    @on(ClientTable.RowSelected)
    def _row_selected(self, message: ClientTable.RowSelected) -> None:
        if message.row_key.value is not None:
            self.post_message(self.OpenClient(int(message.row_key.value)))

    @on(Input.Changed, "#search")
    def _search_typed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(SEARCH_DEBOUNCE, self._search_now)

    @on(SearchInput.Leave)
    def _search_leave(self, message: SearchInput.Leave) -> None:
        box = self.query_one(SearchInput)
        if message.clear and box.value:
            box.value = ""
        self._search_now()
        focus_now(self.table)

    def _search_now(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        text = self.query_one(SearchInput).value.strip() or None
        if text != self.query_state.search:
            self.reload(dataclasses.replace(self.query_state, search=text, offset=0))

    def on_resize(self, event: Resize) -> None:
        self.table.refit()

    def focus_list(self) -> None:
        focus_now(self.table)
