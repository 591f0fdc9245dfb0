"""The planner pane (key 2): today's contacts with their reasons, tier and channel; the week ahead; the month's
coverage. Keys act on the selected client: l logs a contact, s snoozes, x skips, v starts a visit, Enter opens
the client. Everything is read by services in a thread worker and comes back as one ``Loaded`` message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Resize
from textual.message import Message
from textual.widgets import ContentSwitcher, DataTable, Label, Static

from workbench.errors import WorkbenchError
from workbench.i18n import lang, t
from workbench.rules.dates import weekday_name
from workbench.rules.text import fit, safe, width
from workbench.rules.tiers import TIER_KEYS, tier_name
from workbench.tui.keys import focus_now, localise
from workbench.tui.tables import SCROLLBAR, WorkbenchTable

if TYPE_CHECKING:
    import datetime as dt

    from workbench.services.planner import DayPlan, PlanRow
    from workbench.services.workload import Coverage, WeekDay


def weekday(day: dt.date) -> str:
    return weekday_name(day, lang())


@dataclass(frozen=True)
class PlanData:
    plan: DayPlan
    week: list[WeekDay]
    coverage: Coverage


class PlanTable(WorkbenchTable):
    """Today's list: number, tier, client, channel, first reason. Row keys are client ids."""

    def show(self, rows: list[PlanRow], cursor_id: int | None) -> None:
        total = (self.size.width or self.app.size.width) - SCROLLBAR
        lg = lang()
        tiers = max(width(tier_name(k, lg)) for k in TIER_KEYS)
        chan = max(width(t(f"channel.{c}")) for c in ("phone", "visit", "wechat", "sms", "email", "event")) + 2
        widths = {"n": 2, "tier": tiers, "channel": chan, "name": 14 if total < 100 else 20}
        widths["reason"] = max(10, total - sum(widths.values()) - 2 * self.cell_padding * 5)
        self.clear(columns=True)
        for key, label in (("n", "#"), ("tier", t("col.tier")), ("name", t("col.name"))):
            self.add_column(fit(label, widths[key]), width=widths[key], key=key)
        self.add_column(fit(t("col.channel"), widths["channel"]), width=widths["channel"], key="channel")
        self.add_column(fit(t("col.reason"), widths["reason"]), width=widths["reason"], key="reason")
        muted = self.get_component_rich_style("datatable--header", partial=True)
        for n, row in enumerate(rows, 1):
            done = row.done
            mark = "✓" if done else str(n)
            reason = safe(row.reasons[0].text(lg), single_line=True) if row.reasons else ""
            if len(row.reasons) > 1:
                reason += f" (+{len(row.reasons) - 1})"
            cells = [
                Text(fit(mark, widths["n"])),
                Text(fit(t("status.prospect") if row.prospect else tier_name(row.tier, lg), widths["tier"])),
                Text(fit(safe(row.name, single_line=True), widths["name"])),
                Text(fit(t(f"channel.{row.channel}"), widths["channel"])),
                Text(fit(reason, widths["reason"])),
            ]
            if done:
                for cell in cells:
                    cell.stylize(muted)  # type: ignore[arg-type]
            self.add_row(*cells, key=str(row.client_id))
        if rows:
            index = next((i for i, r in enumerate(rows) if r.client_id == cursor_id), 0)
            self.move_cursor(row=index, animate=False)

    def current_id(self) -> int | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return int(key.value) if key.value is not None else None


class WeekTable(WorkbenchTable):
    """The coming days: date, workday or holiday, clients falling due, maturities, key dates and holidays."""

    def show(self, days: list[WeekDay]) -> None:
        total = (self.size.width or self.app.size.width) - SCROLLBAR
        widths = {"day": 16, "due": max(4, width(t("col.due"))), "mat": max(4, width(t("col.maturities")))}
        widths["keys"] = max(10, total - sum(widths.values()) - 2 * self.cell_padding * 4)
        self.clear(columns=True)
        self.add_column(fit(t("col.day"), widths["day"]), width=widths["day"], key="day")
        self.add_column(fit(t("col.due"), widths["due"]), width=widths["due"], key="due")
        self.add_column(fit(t("col.maturities"), widths["mat"]), width=widths["mat"], key="mat")
        self.add_column(fit(t("col.key_dates"), widths["keys"]), width=widths["keys"], key="keys")
        for d in days:
            label = f"{d.date:%m-%d} {weekday(d.date)}"
            if not d.workday:
                label += " " + (d.holiday or ("休" if lang() == "zh" else "off"))
            things = [*d.greetings, *d.key_dates]
            day_cell = Text(fit(label, widths["day"]), style="" if d.workday else "dim")
            self.add_row(
                day_cell,
                Text(fit(str(d.due), widths["due"])),
                Text(fit(str(d.maturities), widths["mat"])),
                Text(fit(safe("、".join(things), single_line=True), widths["keys"])),
                key=d.date.isoformat(),
            )


class PlannerPane(Vertical):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "log", "tui.key.log", id="planner.log"),
        Binding("s", "snooze", "tui.key.snooze", id="planner.snooze"),
        Binding("x", "skip", "tui.key.skip", id="planner.skip"),
        Binding("v", "visit", "tui.key.visit", id="planner.visit"),
        Binding("w", "week", "tui.key.week", id="planner.week"),
        Binding("f5,ctrl+r", "reload", "tui.key.refresh", show=False, id="planner.reload"),
    ]

    class Loaded(Message):
        def __init__(self, data: PlanData | None, error: str | None = None) -> None:
            self.data, self.error = data, error
            super().__init__()

    class OpenClient(Message):
        def __init__(self, client_id: int) -> None:
            self.client_id = client_id
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        localise(self)
        self.data: PlanData | None = None
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Label(t("tui.plan.loading"), id="plan-head")
        yield Label("", id="plan-warnings")
        with ContentSwitcher(initial="plan-today", id="plan-views"):
            yield PlanTable(id="plan-today")
            yield WeekTable(id="plan-week")
        yield Static("", id="plan-detail")
        yield Label("", id="plan-coverage")

    def on_mount(self) -> None:
        if getattr(self.app, "book", None) is not None:
            self.focus_list()

    @property
    def table(self) -> PlanTable:
        return self.query_one(PlanTable)

    def focus_list(self) -> None:
        views = self.query_one("#plan-views", ContentSwitcher)
        focus_now(self.query_one(f"#{views.current}", DataTable))
        if not self.loaded:
            self.reload()

    # loading ------------------------------------------------------------------------------------------------
    def reload(self) -> None:
        self.loaded = True
        self._fetch()

    @work(thread=True, exclusive=True, group="planner")
    def _fetch(self) -> None:
        from workbench.services import planner, workload

        try:
            data = PlanData(planner.today_plan(lang=lang()), workload.week(), workload.coverage())
        except WorkbenchError as exc:
            self.post_message(self.Loaded(None, str(exc)))
            return
        self.post_message(self.Loaded(data))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.data is None:
            self.notify(t("tui.error", error=message.error), severity="error")
            return
        cursor = self.table.current_id()
        self.data = message.data
        self._show(cursor)

    def _show(self, cursor: int | None = None) -> None:
        if self.data is None:
            return
        plan, cov = self.data.plan, self.data.coverage
        done = sum(1 for i in plan.items if i.done)
        day = f"{plan.date:%Y-%m-%d}"
        head = t("tui.plan.head", date=day, weekday=weekday(plan.date), n=len(plan.items), done=done)
        if not plan.workday:
            head += " · " + t("tui.plan.off", name=f"（{plan.holiday}）" if plan.holiday else "")
        if not plan.items:
            head += " · " + t("tui.plan.none")
        self.query_one("#plan-head", Label).update(Text(head))  # Text, never markup: names come from the book
        notes = [*plan.warnings]
        for c in plan.corrections:
            what = t("cli.on" if c.workday else "cli.off")
            notes.append(t("cli.correction", date=c.day.isoformat(), what=what, note=""))
        warnings = self.query_one("#plan-warnings", Label)
        warnings.update(Text(safe(" · ".join(notes), single_line=True)))
        warnings.display = bool(notes)
        self.table.show(plan.items, cursor)
        self.query_one(WeekTable).show(self.data.week)
        tiers = " ".join(f"{tier_name(k, lang())}{n}" for k, n in cov.outside.items() if n)
        coverage = t(
            "tui.plan.coverage",
            contacts=cov.contacts,
            target=cov.target,
            reached=cov.clients_reached,
            gone=cov.workdays_gone,
            days=cov.workdays,
            overdue=cov.overdue_total,
            tiers=tiers or "—",
        )
        self.query_one("#plan-coverage", Label).update(Text(coverage))
        self._detail()

    def _detail(self) -> None:
        row = self.current_row()
        text = ""
        if row is not None:
            group = t("status.prospect") if row.prospect else tier_name(row.tier, lang())
            lines = [f"{safe(row.name, single_line=True)} · {group}"]
            question = row.question(lang()) if row.ask and not row.done else None
            ask = f"? {t('cli.today_ask', question=question)}" if question else None
            lines += [f"· {safe(r.text(lang()), single_line=True)}" for r in row.reasons[:2]]
            if ask and len(lines) < 3:  # the box shows two lines under the name: the reasons come first
                lines.append(ask)
            elif ask:
                lines[0] += f"  {ask}"
            text = "\n".join(lines)
        self.query_one("#plan-detail", Static).update(Text(text))

    def current_row(self) -> PlanRow | None:
        if self.data is None:
            return None
        cid = self.table.current_id()
        return next((r for r in self.data.plan.items if r.client_id == cid), None)

    @on(DataTable.RowHighlighted, "#plan-today")
    def _highlighted(self) -> None:
        self._detail()

    @on(DataTable.RowSelected, "#plan-today")
    def _selected(self, message: DataTable.RowSelected) -> None:
        if message.row_key.value is not None:
            self.post_message(self.OpenClient(int(message.row_key.value)))

    def on_resize(self, event: Resize) -> None:
        self._show(self.table.current_id())

    # actions ------------------------------------------------------------------------------------------------
    def _target(self) -> PlanRow | None:
        row = self.current_row()
        if row is None or self.query_one("#plan-views", ContentSwitcher).current != "plan-today":
            self.notify(t("tui.plan.nothing"), severity="warning")
            return None
        return row

    def action_log(self) -> None:
        from workbench.tui.plan_dialogs import LogDialog

        if row := self._target():
            self.app.push_screen(LogDialog(row.client_id, row.name, row.channel), self._after)

    def action_snooze(self) -> None:
        from workbench.tui.plan_dialogs import SnoozeDialog

        if (row := self._target()) and self.data is not None:
            suggested = next((d.date for d in self.data.week[1:] if d.workday), self.data.week[-1].date)
            self.app.push_screen(SnoozeDialog(row.client_id, row.name, suggested), self._after)

    def action_skip(self) -> None:
        from workbench.tui.plan_dialogs import SkipDialog

        if row := self._target():
            self.app.push_screen(SkipDialog(row.client_id, row.name), self._after)

    def action_visit(self) -> None:
        if row := self._target():
            self._start_visit(row.client_id, [r.text(lang()) for r in row.reasons])

    @work(thread=True, group="planner-visit")
    def _start_visit(self, client_id: int, reasons: list[str]) -> None:
        from workbench.services import visits

        try:
            started = visits.start_visit(client_id, reasons=reasons)
        except WorkbenchError as exc:
            self.app.call_from_thread(self.notify, t("tui.error", error=str(exc)), severity="error")
            return
        self.app.call_from_thread(self._open_visit, started.id, started.name, started.date, started.created)

    def _open_visit(self, visit_id: int, name: str, day: dt.date, created: bool) -> None:
        """The visit started (or today's, resumed): open the wizard on it."""
        from workbench.tui.wizard import VisitWizard

        key = "tui.plan.visit" if created else "tui.plan.visit_resumed"
        self.notify(t(key, name=safe(name, single_line=True), day=day.isoformat()), markup=False)
        self.app.push_screen(VisitWizard(visit_id))

    def action_week(self) -> None:
        views = self.query_one("#plan-views", ContentSwitcher)
        views.current = "plan-week" if views.current == "plan-today" else "plan-today"
        focus_now(self.query_one(f"#{views.current}", DataTable))
        self.query_one("#plan-detail", Static).display = views.current == "plan-today"

    def action_reload(self) -> None:
        self.reload()

    def _after(self, message: str | None) -> None:
        if message:
            self.notify(safe(message, single_line=True))
            self.reload()
        focus_now(self.table)
