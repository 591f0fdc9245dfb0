"""Tables: a DataTable with the Workbench's keys, and the client list that pages through the book.

The client table never holds more than one page of rows. Its columns have fixed widths computed from the
table's width, and every cell is cut and padded to its width by ``rules.text.fit``, so long company names and
wide CJK characters cannot shift a column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from workbench.i18n import lang, t
from workbench.rules.text import fit, width
from workbench.rules.tiers import TIER_KEYS, tier_name
from workbench.tui import format as fmt
from workbench.tui.keys import localise

if TYPE_CHECKING:
    from workbench.services.portfolio import ClientRow

SCROLLBAR = 1  # cells kept for the vertical scrollbar (tables.tcss sets its size)
MIN_NAME = 10
FIRST_ROWS = 24  # rows drawn before the first paint of a page (or the terminal's height); the rest follow
TREND_STYLES = {"rising": "rising", "falling": "falling"}
DUE_STYLES = {"overdue": "overdue", "today": "due-today"}


class WorkbenchTable(DataTable):
    """A row-cursor table whose navigation keys are described in the interface language."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "tui.key.open", id="table.open"),
        Binding("up", "cursor_up", "tui.key.up", show=False, id="table.up"),
        Binding("down", "cursor_down", "tui.key.down", show=False, id="table.down"),
        Binding("pageup", "page_up", "tui.key.rows_up", show=False, id="table.page_up"),
        Binding("pagedown", "page_down", "tui.key.rows_down", show=False, id="table.page_down"),
        Binding("home,ctrl+home", "scroll_top", "tui.key.first_row", show=False, id="table.first"),
        Binding("end,ctrl+end", "scroll_bottom", "tui.key.last_row", show=False, id="table.last"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        localise(self)

    def watch_loading(self, loading: bool) -> None:
        """A loading widget's keys are not active: when it is done, the footer shows them again (it was left
        with the app's keys alone after the first demo book was made)."""
        if not loading and self.is_attached:
            self.screen.refresh_bindings()

    def style_of(self, name: str) -> object:
        """A rich style from one of the table's component classes (colours live in the .tcss)."""
        return self.get_component_rich_style(name, partial=True)


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # catalogue key
    content: int  # cells the widest value takes (0: the name column takes what is left)


def _columns(status: str = "active") -> tuple[Column, ...]:
    """The list's columns. Prospects have their own: where each came from and its next step (its day is the
    next due day) instead of tier, AUM and trend, which a prospect does not have yet."""
    if status == "prospect":
        from workbench.rules.lifecycle import SOURCES  # (the list opens on clients: 5 ms off the first paint)

        sources = max(width(w[0 if lang() == "zh" else 1]) for w in SOURCES.values())
        return (
            Column("name", "col.name", 0),
            Column("source", "col.source", min(sources, 12)),
            Column("next_step_text", "col.next_step_text", 16),
            Column("last_contact", "col.last_contact", 8),
            Column("next_due", "col.next_step", 8),
            Column("completeness", "col.completeness", 4),
        )
    tiers = max(width(tier_name(k, lang())) for k in TIER_KEYS) + width(fmt.PENDING_MARK)
    if status == "lost":  # when and why, and the tier the client had then
        return (
            Column("name", "col.name", 0),
            Column("lost_tier", "col.lost_tier", tiers),
            Column("lost_at", "col.lost_at", 8),
            Column("lost_reason", "col.lost_reason", 24),
            Column("last_contact", "col.last_contact", 8),
        )
    return (
        Column("name", "col.name", 0),
        Column("tier", "col.tier", tiers),
        Column("aum", "col.aum", 7),
        Column("trend", "col.trend", 2),
        Column("last_contact", "col.last_contact", 8),
        Column("next_due", "col.next_due", 8),
        Column("completeness", "col.completeness", 4),
    )


class ClientTable(WorkbenchTable):
    """One page of clients. PageDown on the last row and PageUp on the first ask for the next page."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "client-table--overdue",
        "client-table--due-today",
        "client-table--churn",
        "client-table--rising",
        "client-table--falling",
        "client-table--pending",
        "client-table--sorted",
    }

    class EdgePage(Message):
        """The cursor tried to leave the page: ``delta`` is +1 (next page) or -1 (previous page)."""

        def __init__(self, delta: int) -> None:
            self.delta = delta
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: Sequence[ClientRow] = ()
        self._sort = "tier"
        self._today = dt.date.today()
        self._widths: dict[str, int] = {}
        self._status = "active"
        self._batch = 0  # bumped on every show(), so rows still to come for an older page are dropped

    # paging at the edges ------------------------------------------------------------------------------------
    def action_page_down(self) -> None:
        if self._rows and self.cursor_row >= len(self._rows) - 1:
            self.post_message(self.EdgePage(+1))
        else:
            super().action_page_down()

    def action_page_up(self) -> None:
        if self.row_count and self.cursor_row <= 0:
            self.post_message(self.EdgePage(-1))
        else:
            super().action_page_up()

    # filling ------------------------------------------------------------------------------------------------
    def widths(self, total: int) -> dict[str, int]:
        """Each column's width for a table ``total`` cells wide; the name column takes what is left."""
        columns = _columns(self._status)
        fixed = {c.key: max(c.content, width(t(c.label))) for c in columns if c.content}
        padding = 2 * self.cell_padding * len(columns)
        name = max(MIN_NAME, total - SCROLLBAR - padding - sum(fixed.values()))
        return {"name": max(name, width(t("col.name"))), **fixed}

    def show(
        self,
        rows: Sequence[ClientRow],
        *,
        sort: str,
        today: dt.date,
        cursor_id: int | None = None,
        cursor_end: bool = False,
        status: str | None = None,
    ) -> None:
        """Replace the rows; put the cursor on ``cursor_id`` if shown, else on the first (or last) row.

        The rows up to a screenful past the cursor are drawn now; the rest of the page right after that
        frame is painted (measuring 200 rows of cells costs more than the first paint should wait for).
        """
        self._rows, self._sort, self._today = rows, sort, today
        if status is not None:
            self._status = status
        self._batch += 1
        index = len(rows) - 1 if cursor_end else 0
        if cursor_id is not None:
            index = next((i for i, r in enumerate(rows) if r.id == cursor_id), index)
        screenful = max(FIRST_ROWS, self.app.size.height)
        first = min(len(rows), max(screenful, index + screenful // 2))
        self._render_rows(first)
        if rows:
            self.move_cursor(row=index, animate=False)
        if first < len(rows):
            self.call_after_refresh(self._add_rows, self._batch, first)

    def refit(self) -> None:
        """Redraw the same rows for a new width (after a resize): no query."""
        if self._widths != self.widths(self._table_width()):
            self.show(self._rows, sort=self._sort, today=self._today, cursor_id=self.current_id())

    def current_id(self) -> int | None:
        if not self.row_count:
            return None
        row = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return int(row.value) if row.value is not None else None

    def _table_width(self) -> int:
        return self.size.width or self.app.size.width

    def _render_rows(self, count: int) -> None:
        """The columns are drawn as one: each row is one line of cells already cut to their widths, joined by
        the gap the table's cell padding would leave. The table then renders one cell a row instead of seven
        (on the first page, 140 fewer cells to render: a quarter of the first paint's drawing)."""
        self._widths = self.widths(self._table_width())
        self.clear(columns=True)
        sorted_style = self.style_of("client-table--sorted")
        labels = []
        for column in _columns(self._status):
            label = Text(fit(t(column.label), self._widths[column.key]))
            if column.key == self._sort:
                label.stylize(sorted_style)  # type: ignore[arg-type]
            labels.append(label)
        self.add_column(self._gap.join(labels), width=self._line_width(), key="row")
        self._add_rows(self._batch, 0, count)

    @property
    def _gap(self) -> Text:
        return Text(" " * 2 * self.cell_padding)

    def _line_width(self) -> int:
        return sum(self._widths.values()) + 2 * self.cell_padding * (len(self._widths) - 1)

    def _add_rows(self, batch: int, start: int, end: int | None = None) -> None:
        if batch != self._batch:
            return  # a newer page replaced the one these rows belonged to
        gap = self._gap
        for row in self._rows[start:end]:
            self.add_row(gap.join(self._cells(row)), key=str(row.id))

    def _style(self, name: str | None) -> object:
        return self.style_of(f"client-table--{name}") if name else ""

    def _cells(self, row: ClientRow) -> list[Text]:
        w = self._widths
        if self._status == "lost":
            return [
                Text(fmt.cell(row.name, w["name"])),
                Text(fit(fmt.tier(row.lost_tier) if row.lost_tier else fmt.NONE, w["lost_tier"])),
                Text(fit(fmt.short_date(row.lost_at), w["lost_at"])),
                Text(fmt.cell(row.lost_reason or fmt.NONE, w["lost_reason"])),
                Text(fit(fmt.short_date(row.last_contact), w["last_contact"])),
            ]
        if self._status == "prospect":
            from workbench.rules.lifecycle import SOURCES, word

            due = DUE_STYLES.get(fmt.due_state(row.next_due, self._today))
            return [
                Text(fmt.cell(row.name, w["name"])),
                Text(fit(word(SOURCES, row.source, lang()) or fmt.NONE, w["source"])),
                Text(fmt.cell(row.next_step or fmt.NONE, w["next_step_text"])),
                Text(fit(fmt.short_date(row.last_contact), w["last_contact"])),
                Text(fit(fmt.short_date(row.next_due), w["next_due"]), self._style(due)),
                Text(fit(f"{row.completeness}%", w["completeness"])),
            ]
        tier = Text(fmt.tier(row.tier))
        if row.tier_pending:
            tier.append(fmt.PENDING_MARK, self._style("pending"))
        tier.truncate(w["tier"], pad=True)
        trend = Text(fmt.TREND_MARKS.get(row.trend or "", fmt.NO_TREND), self._style(TREND_STYLES.get(row.trend)))
        trend.append(fit(fmt.CHURN_MARK if row.churn else "", w["trend"] - 1), self._style("churn"))
        due = DUE_STYLES.get(fmt.due_state(row.next_due, self._today))
        return [
            Text(fmt.cell(row.name, w["name"])),
            tier,
            Text(fmt.rfit(fmt.amount(row.aum), w["aum"])),
            trend,
            Text(fit(fmt.short_date(row.last_contact), w["last_contact"])),
            Text(fit(fmt.short_date(row.next_due), w["next_due"]), self._style(due)),
            Text(fit(f"{row.completeness}%", w["completeness"])),
        ]
