"""Events (答谢会, 沙龙, 客户节), opened from the visits pane (e): the events, the latest first, and under them
the selected event's guests (Enter on a guest opens the client). a adds an event; i invites by the rules (a
lowest tier, interest words, how many; services.events.propose: the highest tier and the longest unseen
first); on a guest, m records that they came (a contact on the event's day) and x that they did not. Tab moves
between the two lists; Esc goes back."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label

from workbench.errors import WorkbenchError
from workbench.i18n import lang, t
from workbench.rules import lifecycle as words
from workbench.rules.text import fit, safe
from workbench.rules.tiers import tier_name
from workbench.services.events import EventRow
from workbench.services.settings import today
from workbench.tui.footer import KeysFooter
from workbench.tui.forms import FormScreen
from workbench.tui.keys import focus_now, localise
from workbench.tui.tables import SCROLLBAR, WorkbenchTable

INVITE_LIMIT = 20  # invited at a time unless the manager says otherwise


def one(text: object) -> str:
    return safe(str(text or ""), single_line=True)


class EventsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "tui.key.back", id="events.back"),
        Binding("a", "add", "tui.key.add_event", id="events.add"),
        Binding("i", "invite", "tui.key.invite", id="events.invite"),
        Binding("m", "record('attended')", "tui.key.attended", id="events.attended"),
        Binding("x", "record('absent')", "tui.key.absent", id="events.absent"),
        Binding("f5,ctrl+r", "reload", "tui.key.refresh", show=False, id="events.reload"),
    ]
    CSS = """
    #events-list { height: 1fr; }
    #events-guests { height: 2fr; }
    #events-head { height: 1; padding: 0 1; background: $boost; text-style: bold; }
    #events-guests-head { width: 1fr; height: 2; padding: 0 1; border-top: solid $panel; }
    """

    def __init__(self) -> None:
        super().__init__()
        localise(self)
        self.rows: list[EventRow] = []
        self.shown: EventRow | None = None

    def compose(self) -> ComposeResult:
        yield Label(t("tui.events.title"), id="events-head")
        yield WorkbenchTable(id="events-list")
        yield Label("", id="events-guests-head")
        yield WorkbenchTable(id="events-guests")
        yield KeysFooter()

    def on_mount(self) -> None:
        focus_now(self.query_one("#events-list", WorkbenchTable))
        self._load(None)

    # data ---------------------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="events")
    def _load(self, keep: int | None) -> None:
        from workbench.services import events

        try:
            rows = events.list_events()
            chosen = next((r for r in rows if r.id == keep), rows[0] if rows else None)
            detail = events.get(chosen.id) if chosen else None
        except WorkbenchError as exc:
            self.app.call_from_thread(self.notify, t("tui.error", error=str(exc)), severity="error")
            return
        self.app.call_from_thread(self._show, rows, detail)

    @work(thread=True, exclusive=True, group="event-guests")
    def _load_guests(self, event_id: int) -> None:
        from workbench.services import events

        try:
            detail = events.get(event_id)
        except WorkbenchError as exc:
            self.app.call_from_thread(self.notify, t("tui.error", error=str(exc)), severity="error")
            return
        self.app.call_from_thread(self._show_guests, detail)

    def _width(self, table: WorkbenchTable) -> int:
        return (table.size.width or self.app.size.width) - SCROLLBAR

    def _show(self, rows: list[EventRow], detail: EventRow | None) -> None:
        self.rows = rows
        table = self.query_one("#events-list", WorkbenchTable)
        widths = {"date": 10, "kind": 8, "counts": 14}
        widths["name"] = max(10, self._width(table) - sum(widths.values()) - 2 * table.cell_padding * 4)
        table.clear(columns=True)
        for key, label in (("date", "tui.events.col.date"), ("name", "tui.events.col.name")):
            table.add_column(Text(fit(t(label), widths[key])), width=widths[key], key=key)
        table.add_column(Text(fit(t("tui.events.col.kind"), widths["kind"])), width=widths["kind"], key="kind")
        table.add_column(Text(fit(t("tui.events.col.counts"), widths["counts"])), width=widths["counts"], key="counts")
        for r in rows:
            came = t("tui.events.counts", invited=sum(r.counts.values()), came=r.counts.get("attended", 0))
            table.add_row(
                Text(r.date.isoformat()),
                Text(fit(one(r.name), widths["name"])),
                Text(fit(words.word(words.EVENT_KINDS, r.kind, lang()), widths["kind"])),
                Text(fit(came, widths["counts"])),
                key=str(r.id),
            )
        if detail is not None:
            table.move_cursor(row=next(i for i, r in enumerate(rows) if r.id == detail.id), animate=False)
        self._show_guests(detail)

    def _show_guests(self, detail: EventRow | None) -> None:
        self.shown = detail
        head = self.query_one("#events-guests-head", Label)
        table = self.query_one("#events-guests", WorkbenchTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        if detail is None:
            head.update(t("tui.events.none"))
            return
        place = f" · {one(detail.place)}" if detail.place else ""
        head.update(Text(t("tui.events.guests", name=one(detail.name), date=detail.date.isoformat()) + place))
        widths = {"tier": 8, "status": 8, "invited": 10}
        widths["name"] = max(10, self._width(table) - sum(widths.values()) - 2 * table.cell_padding * 4)
        for key in ("name", "tier", "status", "invited"):
            label = t("col.name") if key == "name" else t(f"tui.events.col.{key}")
            table.add_column(Text(fit(label, widths[key])), width=widths[key], key=key)
        for g in detail.guests:
            table.add_row(
                Text(fit(one(g.name), widths["name"])),
                Text(fit(tier_name(g.tier, lang()), widths["tier"])),
                Text(fit(words.word(words.INVITATION_STATUSES, g.status, lang()), widths["status"])),
                Text(g.invited_on.isoformat()),
                key=str(g.client_id),
            )
        if detail.guests:
            table.move_cursor(row=min(cursor, len(detail.guests) - 1), animate=False)

    @on(DataTable.RowHighlighted, "#events-list")
    def _event_highlighted(self, message: DataTable.RowHighlighted) -> None:
        key = message.row_key.value
        if key is not None and (self.shown is None or self.shown.id != int(key)):
            self._load_guests(int(key))

    @on(DataTable.RowSelected, "#events-list")
    def _event_chosen(self) -> None:
        focus_now(self.query_one("#events-guests", WorkbenchTable))

    @on(DataTable.RowSelected, "#events-guests")
    def _guest_chosen(self, message: DataTable.RowSelected) -> None:
        from workbench.tui.client360 import Client360Screen

        if message.row_key.value is not None:
            self.app.push_screen(Client360Screen(int(message.row_key.value)), lambda _: self.action_reload())

    # actions ------------------------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        self._load(self.shown.id if self.shown else None)

    def action_add(self) -> None:
        self.app.push_screen(AddEventDialog(), self._changed)

    def action_invite(self) -> None:
        if self.shown is None:
            self.notify(t("tui.events.add_first"), severity="warning")
            return
        self.app.push_screen(InviteDialog(self.shown), self._changed)

    def action_record(self, status: str) -> None:
        guests = self.query_one("#events-guests", WorkbenchTable)
        if self.shown is None or not guests.row_count:
            self.app.bell()
            return
        key = guests.coordinate_to_cell_key(guests.cursor_coordinate).row_key.value
        if key is not None:
            self._record(self.shown.id, int(key), status)

    @work(thread=True, group="event-record")
    def _record(self, event_id: int, client_id: int, status: str) -> None:
        from workbench.services import events

        try:
            events.record(event_id, [client_id], status)
        except WorkbenchError as exc:
            self.app.call_from_thread(self.notify, t("tui.error", error=str(exc)), severity="error")
            return
        self.app.call_from_thread(self._changed, t(f"tui.events.recorded.{status}"))

    def _changed(self, message: str | None) -> None:
        if message:
            self.notify(message)
            self._load(self.shown.id if self.shown else None)


class AddEventDialog(FormScreen):
    """A new event: its name, day and kind (答谢会, 沙龙, 客户节…). Enter on the last field saves."""

    BOX_CLASSES = "visit-dialog"

    def title_text(self) -> str:
        return t("tui.events.add_title")

    def fields(self) -> ComposeResult:
        yield Label(Text(t("tui.events.name")), classes="dialog-hint")
        yield Input(id="event-name", max_length=200)
        yield Label(Text(t("tui.events.date")), classes="dialog-hint")
        yield Input(placeholder="2026-12-20", id="event-date", max_length=20)
        kinds = t("tui.list_sep").join(w[0 if lang() == "zh" else 1] for w in words.EVENT_KINDS.values())
        yield Label(Text(t("tui.events.kind", kinds=kinds)), classes="dialog-hint")
        yield Input(words.EVENT_KINDS["appreciation"][0 if lang() == "zh" else 1], id="event-kind", max_length=20)

    @on(Input.Submitted, "#event-name")
    def _name_entered(self) -> None:
        focus_now(self.query_one("#event-date", Input))

    @on(Input.Submitted, "#event-date")
    def _date_entered(self) -> None:
        focus_now(self.query_one("#event-kind", Input))

    @on(Input.Submitted, "#event-kind")
    def _kind_entered(self) -> None:
        self.submit()

    def collect(self) -> tuple:
        from workbench.rules.dates import parse_date

        name = self.value("#event-name").strip()
        if not name:
            raise ValueError(t("tui.events.name_required"))
        try:
            day = parse_date(self.value("#event-date").strip())
        except ValueError as exc:
            raise ValueError(t("tui.events.bad_date", why=str(exc))) from None
        return name, day, self.value("#event-kind").strip() or "appreciation"

    def save(self, name: str, day: dt.date, kind: str) -> str:
        from workbench.services import events

        row = events.add(name, day, kind=kind)
        return t("tui.events.added", name=row.name, date=row.date.isoformat())


class InviteDialog(FormScreen):
    """Invite by the rules: from a lowest tier (empty: every tier), clients whose hobbies, circle or notes
    mention the words (empty: any), not contacted for so many days (empty: whenever), at most so many; the
    highest tier and the longest unseen first."""

    BOX_CLASSES = "visit-dialog"

    def __init__(self, event: EventRow) -> None:
        super().__init__()
        self.event = event

    def title_text(self) -> str:
        return t("tui.events.invite_title", name=one(self.event.name))

    def fields(self) -> ComposeResult:
        yield Label(Text(t("tui.events.min_tier")), classes="dialog-hint")
        yield Input(tier_name("platinum", lang()), id="invite-tier", max_length=20)
        yield Label(Text(t("tui.events.interest")), classes="dialog-hint")
        yield Input(id="invite-interest", max_length=100)
        yield Label(Text(t("tui.events.unseen")), classes="dialog-hint")
        yield Input(id="invite-unseen", max_length=4)
        yield Label(Text(t("tui.events.limit")), classes="dialog-hint")
        yield Input(str(INVITE_LIMIT), id="invite-limit", max_length=4)

    @on(Input.Submitted, "#invite-tier")
    def _tier_entered(self) -> None:
        focus_now(self.query_one("#invite-interest", Input))

    @on(Input.Submitted, "#invite-interest")
    def _interest_entered(self) -> None:
        focus_now(self.query_one("#invite-unseen", Input))

    @on(Input.Submitted, "#invite-unseen")
    def _unseen_entered(self) -> None:
        focus_now(self.query_one("#invite-limit", Input))

    @on(Input.Submitted, "#invite-limit")
    def _limit_entered(self) -> None:
        self.submit()

    def collect(self) -> tuple:
        from workbench.rules.tiers import tier_from_text

        tier = self.value("#invite-tier").strip()
        try:
            lowest = tier_from_text(tier) if tier else None
        except ValueError as exc:
            raise ValueError(str(exc)) from None
        limit = self.value("#invite-limit").strip()
        if not limit.isdigit() or not 1 <= int(limit) <= 500:
            raise ValueError(t("tui.events.bad_limit"))
        unseen = self.value("#invite-unseen").strip()
        if unseen and not unseen.isdigit():
            raise ValueError(t("tui.events.bad_unseen"))
        since = today() - dt.timedelta(days=int(unseen)) if unseen else None
        return lowest, self.value("#invite-interest").strip() or None, since, int(limit)

    def save(self, lowest: str | None, interest: str | None, since: dt.date | None, limit: int) -> str:
        from workbench.services import events

        chosen = events.propose(self.event.id, min_tier=lowest, interest=interest, contacted_before=since, limit=limit)
        new = events.invite(self.event.id, [c.id for c in chosen])
        return t("tui.events.invited", n=new, name=self.event.name)
