"""The read-only tabs of the 360 view: assets (AUM sparkline, holdings, monthly balances), key dates, and
contacts with, for corporates, decision makers and affiliates. Each fills itself from a ``ClientView``.

Read-only tables are Rich tables in ``Static``s inside a scrolling tab (Rich measures wide characters the same
way the terminal does); only the profile, which has a cursor, is a ``DataTable``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label, Sparkline, Static

from workbench.i18n import t
from workbench.rules.text import fit
from workbench.services.client360 import ClientView
from workbench.tui import format as fmt

SOON_DAYS = 7  # a holding maturing (or a key date falling) within this many days is highlighted
HOLDING_COLUMNS = ("col.product", "col.product_type", "col.amount", "col.maturity", "tui.c360.days_left")
BALANCE_COLUMNS = ("col.month", "col.aum", "col.deposits", "col.loans")
KEY_DATE_COLUMNS = ("tui.c360.kind", "col.date", "tui.c360.calendar", "col.next_date", "tui.c360.days_left")
PEOPLE_COLUMNS = ("tui.c360.person", "tui.c360.title", "tui.c360.reach")
AFFILIATE_COLUMNS = ("tui.c360.person", "tui.c360.relation", "tui.c360.notes")
CONTACT_COLUMNS = ("col.date", "col.channel", "col.outcome")


class InfoTab(VerticalScroll):
    """A scrolling tab of captions and read-only tables; colours from its component classes."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"info-tab--header", "info-tab--soon"}

    def style(self, name: str) -> object:
        return self.get_component_rich_style(f"info-tab--{name}", partial=True)

    def fill(self, selector: str, labels: Sequence[str], rows: Sequence[Sequence[object]], empty: str) -> None:
        """Put a table (column labels are catalogue keys) in the ``Static`` found by ``selector``."""
        target = self.query_one(selector, Static)
        target.set_class(not rows, "-empty")
        if not rows:
            target.update(Text(empty))
            return
        table = Table(box=None, padding=(0, 1), header_style=self.style("header"), show_edge=False)  # type: ignore[arg-type]
        for label in labels:
            table.add_column(t(label), no_wrap=True)
        for row in rows:
            table.add_row(*row)
        target.update(table)

    def soon(self, text: str, near: bool) -> Text:
        return Text(text, self.style("soon") if near else "")  # type: ignore[arg-type]


class AssetsTab(InfoTab):
    def compose(self) -> ComposeResult:
        yield Label(id="history-caption", classes="caption")
        yield Sparkline([], id="history")
        yield Label(id="holdings-caption", classes="caption")
        yield Static(id="holdings", classes="info")
        yield Label(t("tui.c360.balances"), classes="caption")
        yield Static(id="balances", classes="info")

    def show(self, view: ClientView) -> None:
        history = view.balances
        caption = self.query_one("#history-caption", Label)
        sparkline = self.query_one(Sparkline)
        if history:
            values = [b.aum for b in history]
            caption.update(
                t(
                    "tui.c360.history",
                    first=fmt.month(history[0].month),
                    last=fmt.month(history[-1].month),
                    n=len(history),
                    low=fmt.amount(min(values)),
                    high=fmt.amount(max(values)),
                )
            )
            sparkline.data = [float(v) for v in values]
        else:
            caption.update(t("tui.c360.no_history"))
            sparkline.data = []
        sparkline.display = bool(history)

        self.query_one("#holdings-caption", Label).update(t("tui.c360.holdings", n=len(view.holdings)))
        rows = []
        for h in view.holdings:
            near = h.days_left is not None and h.days_left <= SOON_DAYS
            rows.append(
                [
                    fmt.cell(h.product, 22),
                    fmt.one_line(h.product_type) or fmt.NONE,
                    fmt.rfit(fmt.amount(h.amount), 7),
                    self.soon(fmt.full_date(h.maturity_date), near),
                    self.soon(fmt.days_left(h.days_left), near),
                ]
            )
        self.fill("#holdings", HOLDING_COLUMNS, rows, t("tui.c360.no_holdings"))
        balances = [
            [fmt.month(b.month), *(fmt.rfit(fmt.amount(v), 7) for v in (b.aum, b.deposits, b.loans))]
            for b in reversed(history)
        ]
        self.fill("#balances", BALANCE_COLUMNS, balances, t("tui.c360.no_history"))


class DatesTab(InfoTab):
    def compose(self) -> ComposeResult:
        yield Label(t("tui.c360.key_dates"), classes="caption")
        yield Static(id="key-dates", classes="info")

    def show(self, view: ClientView) -> None:
        rows = []
        for k in view.key_dates:
            near = k.days_left is not None and k.days_left <= SOON_DAYS
            rows.append(
                [
                    fmt.term("keydate", k.kind),
                    fmt.key_date(k),
                    fmt.term("calendar", k.calendar),
                    self.soon(fmt.full_date(k.next_date), near),
                    self.soon(fmt.days_left(k.days_left), near),
                ]
            )
        self.fill("#key-dates", KEY_DATE_COLUMNS, rows, t("tui.c360.no_key_dates"))


class ContactsTab(InfoTab):
    def compose(self) -> ComposeResult:
        yield Label(t("tui.c360.decision_makers"), classes="caption corporate")
        yield Static(id="decision-makers", classes="info corporate")
        yield Label(t("tui.c360.affiliates"), classes="caption corporate")
        yield Static(id="affiliates", classes="info corporate")
        yield Label(id="contacts-caption", classes="caption")
        yield Static(id="contacts", classes="info")

    def show(self, view: ClientView) -> None:
        corporate = view.kind == "corporate"
        for widget in self.query(".corporate"):
            widget.display = corporate
        if corporate:
            # contact text comes masked from the service unless the view is revealed
            people = [
                [fmt.cell(p.name, 10), fmt.cell(p.title, 12), fmt.one_line(p.contact)] for p in view.decision_makers
            ]
            self.fill("#decision-makers", PEOPLE_COLUMNS, people, t("tui.c360.none"))
            affiliates = [[fmt.cell(a.name, 24), fmt.cell(a.title, 10), fmt.one_line(a.notes)] for a in view.affiliates]
            self.fill("#affiliates", AFFILIATE_COLUMNS, affiliates, t("tui.c360.none"))

        caption = self.query_one("#contacts-caption", Label)
        if view.contacts_total:
            caption.update(t("tui.c360.contacts", shown=len(view.contacts), total=view.contacts_total))
        else:
            caption.update(t("tui.c360.no_contacts"))
        contacts = [
            [fmt.full_date(c.date), fmt.term("channel", c.channel), fit(fmt.one_line(c.outcome), 48).rstrip()]
            for c in view.contacts
        ]
        self.fill("#contacts", CONTACT_COLUMNS, contacts, t("tui.c360.no_contacts"))
