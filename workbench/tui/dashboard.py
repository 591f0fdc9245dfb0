"""The dashboard pane (key 5): the month's figures (services.dashboard) as a scrolling page — tiers with their
change over the month and the quarter, a bar chart of clients per tier and a line of the year's AUM
(textual-plotext, loaded when the pane is first shown), then moves, coverage, churn watch, completeness, the
pipeline and lessons. ``[`` and ``]`` step through the months; the same words as `wb report`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Label, Static

from workbench.errors import WorkbenchError
from workbench.i18n import lang, t
from workbench.rules.dates import add_months
from workbench.rules.text import safe
from workbench.rules.tiers import tier_name
from workbench.tui.keys import localise

if TYPE_CHECKING:
    from workbench.services.dashboard import Dashboard

CHART_HEIGHT = 10


def _names(names: tuple[str, ...], sep: str) -> str:
    return sep.join(safe(n, single_line=True) for n in names)


class DashboardPane(Vertical):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket", "month(-1)", "tui.key.prev_month", id="dashboard.prev_month"),
        Binding("right_square_bracket", "month(1)", "tui.key.next_month", id="dashboard.next_month"),
        Binding("r,f5", "reload", "tui.key.refresh", id="dashboard.reload"),
    ]

    class Loaded(Message):
        def __init__(self, asked: dt.date | None, data: Dashboard | None, error: str | None = None) -> None:
            self.asked, self.data, self.error = asked, data, error
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        localise(self)
        self.month: dt.date | None = None  # None: the current month
        self.data: Dashboard | None = None

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot  # (plotext loads with the pane, never on the first paint)

        with Horizontal(id="dashboard-bar"):
            yield Label(t("tui.rows.loading"), id="dashboard-head")
            yield Label(t("tui.dashboard.keys"), id="dashboard-keys")
        with VerticalScroll(id="dashboard-body"):
            yield Static(id="dashboard-tiers")
            yield PlotextPlot(id="dashboard-bars", classes="dashboard-chart")
            yield PlotextPlot(id="dashboard-line", classes="dashboard-chart")
            yield Static(id="dashboard-rest")

    def on_mount(self) -> None:
        self.query_one("#dashboard-body").focus()
        if getattr(self.app, "book", None) is not None:
            self.reload()

    def focus_list(self) -> None:
        self.query_one("#dashboard-body").focus()

    def reload(self) -> None:
        self._load(self.month)

    def action_reload(self) -> None:
        self.reload()

    def action_month(self, step: int) -> None:
        from workbench.services.settings import today

        current = today().replace(day=1)
        base = self.data.month if self.data else current
        wanted = add_months(base, step)
        if wanted > current:
            self.app.bell()
            return
        self.month = None if wanted == current else wanted
        self.reload()

    @work(thread=True, exclusive=True, group="dashboard")
    def _load(self, month: dt.date | None) -> None:
        from workbench.services import dashboard

        try:
            self.post_message(self.Loaded(month, dashboard.dashboard(month)))
        except WorkbenchError as exc:
            self.post_message(self.Loaded(month, None, str(exc)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.asked != self.month:
            return  # an answer for a month no longer asked for (a key pressed while it was read)
        if message.data is None:
            self.notify(t("tui.error", error=message.error), severity="error")
            return
        d = self.data = message.data
        self.query_one("#dashboard-head", Label).update(
            t("tui.dashboard.head", month=f"{d.month:%Y-%m}", day=d.day.isoformat(), clients=d.total_clients)
        )
        self.query_one("#dashboard-tiers", Static).update(self._tier_table(d))
        self._charts(d)
        self.query_one("#dashboard-rest", Static).update(self._rest(d))

    def _tier_table(self, d: Dashboard) -> Table:
        from workbench.services.report import money, tier_cells

        table = Table(box=None, expand=True, padding=(0, 1), header_style="bold")
        for col in ("tier", "clients", "month", "quarter", "aum", "aum_month", "aum_quarter"):
            table.add_column(t(f"tui.dashboard.col.{col}"), justify="left" if col == "tier" else "right", no_wrap=True)
        for x in reversed(d.tiers):
            table.add_row(*tier_cells(x))  # the report's cells
        table.add_row(
            Text(t("report.total"), style="bold"), Text(str(d.total_clients), style="bold"), "", "", money(d.total_aum)
        )
        return table

    def _charts(self, d: Dashboard) -> None:
        from textual.color import Color
        from textual_plotext import PlotextPlot

        primary = Color.parse(self.app.theme_variables.get("primary", "#3b7dd8")).rgb
        # Plotext measures text in characters, a terminal in cells: a Chinese label would push its line past the
        # edge. So the charts hold digits only; their titles and the tiers' names are the border's (Textual's).
        bars = self.query_one("#dashboard-bars", PlotextPlot)
        plt = bars.plt
        plt.clear_data()
        plt.clear_figure()
        ranks = list(range(1, len(d.tiers) + 1))
        plt.bar(ranks, [x.clients for x in d.tiers], color=primary, width=0.6)
        plt.xticks(ranks, [str(r) for r in ranks])
        bars.border_title = t("tui.dashboard.bars")
        bars.border_subtitle = " ".join(f"{r} {tier_name(x.tier, lang())}" for r, x in zip(ranks, d.tiers, strict=True))
        bars.refresh()
        line = self.query_one("#dashboard-line", PlotextPlot)
        plt = line.plt
        plt.clear_data()
        plt.clear_figure()
        wan = [float(v) / 10_000 for _, v in d.aum_history]
        months = list(range(1, len(wan) + 1))
        plt.plot(months, wan, color=primary, marker="braille")
        plt.xticks(months, [f"{m:%m}" for m, _ in d.aum_history])
        line.border_title = t("tui.dashboard.line")
        line.refresh()

    def _rest(self, d: Dashboard) -> Group:
        from workbench.services.report import churn_reason as reason
        from workbench.services.report import field_label, money, stage_name

        sep = t("tui.list_sep")
        head = "bold"
        out: list[Text] = []

        def section(title: str, *lines: str) -> None:
            out.append(Text(title, style=head))
            out.extend(Text(line, no_wrap=True, overflow="ellipsis") for line in lines)  # a line each, cut at the edge
            out.append(Text(""))

        m = d.moves
        section(
            t("report.moves"),
            *(
                f"{t(f'report.move.{key}')} {count}"
                + (f"：{sep.join(safe(n, single_line=True) for n in names)}" if names else "")
                for key, count, names in (
                    ("up", m.up, m.up_names),
                    ("pending", m.pending, m.pending_names),
                    ("down", m.down, m.down_names),
                )
            ),
        )
        outside = sep.join(f"{tier_name(k, lang())} {n}" for k, n in d.outside.items() if n) or "0"
        section(
            t("report.coverage"),
            t("tui.dashboard.coverage", made=d.contacts, planned=d.planned, target=d.target),
            t("report.outside", list=outside),
        )
        section(
            t("report.churn", n=d.churn_total),
            *(
                f"{safe(n, single_line=True)} · {tier_name(k, lang())} · {money(a)} · {reason(r)}"
                for n, k, a, r in d.churn
            ),
        )
        section(
            t("report.completeness"),
            " · ".join(f"{tier_name(k, lang())} {v}%" for k, v in reversed(d.completeness.items())),
            t("report.missing", list=sep.join(f"{field_label(f)} {n}" for f, n in d.missing)),
        )
        section(t("report.pipeline"), " → ".join(f"{stage_name(k)} {n}" for k, n in d.pipeline.items()))
        section(t("report.lessons"), t("report.lessons_line", n=d.lessons))
        from workbench.services.report import life_sections

        for block in "\n".join(life_sections(d)).split("\n## ")[1:]:  # the report's words, without Markdown
            title, *lines = [ln for ln in block.splitlines() if ln.strip()]
            section(title, *(ln.replace("**", "").replace("- ", "· ", 1) for ln in lines))
        return Group(*out)
