"""The visits pane (key 3): the visits (unfinished first), the sales pipeline (p) and the complaints (c).

On a visit, Enter opens the wizard (a finished one read-only, with its amendments). The pipeline lists the
opportunities of the visits under the five sales stages. On a complaint, Enter or s completes the step under
way, l files its cause as a lesson, a adds one. Each view is read by the services in a thread worker and comes
back as one ``Loaded`` message; the pane reads again each time it is shown and after every action.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.message import Message
from textual.widgets import ContentSwitcher, DataTable, Label, Static

from workbench.errors import WorkbenchError
from workbench.i18n import t
from workbench.rules.journal import STAGE_KEYS
from workbench.rules.text import fit, safe, width
from workbench.tui.complaints import ComplaintTable, complaint_detail
from workbench.tui.keys import focus_now, localise
from workbench.tui.tables import SCROLLBAR, WorkbenchTable
from workbench.tui.visit_widgets import stage_name

if TYPE_CHECKING:
    from workbench.services.complaints import ComplaintRow
    from workbench.services.visits import VisitRow

VIEWS = ("list", "pipeline", "complaints")
COMPLAINTS_ONLY = ("add_complaint", "complete_step", "file_lesson")
OUTCOMES = ("succeeded", "partly", "failed", "postponed")


@dataclass(frozen=True)
class VisitsData:
    view: str
    visits: list[VisitRow] = field(default_factory=list)
    pipeline: dict[str, list[tuple[str, str, dt.date]]] = field(default_factory=dict)
    complaints: list[ComplaintRow] = field(default_factory=list)


def one(text: object) -> str:
    return safe(str(text or ""), single_line=True)


def visit_stage(stage: str) -> str:
    return t(f"tui.visit.stage.{stage}")


def outcome_name(outcome: str | None) -> str:
    return t(f"tui.visit.outcome.{outcome}") if outcome in OUTCOMES else ""


class VisitTable(WorkbenchTable):
    """Visits, one a row: date, client, stage, outcome. Row keys are visit ids."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"visit-table--open"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.visits: list[VisitRow] = []

    def show(self, visits: list[VisitRow], cursor_id: int | None, cursor_row: int) -> None:
        self.visits = visits
        total = (self.size.width or self.app.size.width) - SCROLLBAR
        stages = max(width(visit_stage(s)) for s in ("before", "during", "after", "done"))
        outcomes = max(width(outcome_name(o)) for o in OUTCOMES)
        widths = {"date": 10, "stage": max(stages, width(t("tui.visits.col.stage"))), "outcome": outcomes}
        widths["client"] = max(10, total - sum(widths.values()) - 2 * self.cell_padding * 5)
        labels = {
            "date": t("col.date"),
            "client": t("col.name"),
            "stage": t("tui.visits.col.stage"),
            "outcome": t("col.outcome"),
        }
        self.clear(columns=True)
        for key in ("date", "client", "stage", "outcome"):
            self.add_column(Text(fit(labels[key], widths[key])), width=widths[key], key=key)
        open_style = self.style_of("visit-table--open")
        for v in visits:
            stage = Text(fit(visit_stage(v.stage), widths["stage"]))
            if v.stage != "done":
                stage.stylize(open_style)  # type: ignore[arg-type]
            self.add_row(
                Text(v.date.isoformat()),
                Text(fit(one(v.client), widths["client"])),
                stage,
                Text(fit(outcome_name(v.outcome), widths["outcome"])),
                key=str(v.id),
            )
        if visits:
            index = next((i for i, v in enumerate(visits) if v.id == cursor_id), min(cursor_row, len(visits) - 1))
            self.move_cursor(row=max(0, index), animate=False)

    def current(self) -> VisitRow | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return next((v for v in self.visits if str(v.id) == key), None)


def pipeline_text(pipeline: dict[str, list[tuple[str, str, dt.date]]]) -> Text:
    """The opportunities under the five sales stages: client, product, the day of the visit that set it."""
    out = Text()
    for n, key in enumerate(STAGE_KEYS, 1):
        items = pipeline.get(key) or []
        if n > 1:
            out.append("\n")
        out.append(t("tui.visits.stage_count", n=n, stage=stage_name(key), count=len(items)), style="bold")
        for name, product, day in sorted(items, key=lambda x: (x[2], x[0]), reverse=True):
            out.append(f"\n   {one(name)} · {one(product)} · {day:%m-%d}")
    return out


class VisitsPane(Vertical):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "view('pipeline')", "tui.key.pipeline", id="visits.pipeline"),
        Binding("c", "view('complaints')", "tui.key.complaints", id="visits.complaints"),
        Binding("s", "complete_step", "tui.key.complete_step", id="visits.complete_step"),
        Binding("l", "file_lesson", "tui.key.cause_lesson", id="visits.cause_lesson"),
        Binding("a", "add_complaint", "tui.key.add_complaint", id="visits.add_complaint"),
        Binding("e", "events", "tui.key.events", id="visits.events"),
        Binding("f5,ctrl+r", "reload", "tui.key.refresh", show=False, id="visits.reload"),
    ]

    class Loaded(Message):
        def __init__(self, data: VisitsData | None, error: str | None = None) -> None:
            self.data, self.error = data, error
            super().__init__()

    class Changed(Message):
        """A complaint moved or a visit was finished: the planner may read differently."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        localise(self)
        self.view = "list"
        self.data: VisitsData | None = None
        self.loaded = False
        self._cursor: tuple[int | None, int] = (None, 0)

    def compose(self) -> ComposeResult:
        with Horizontal(id="visits-bar"):
            yield Label(Text(t("tui.rows.loading")), id="visits-head")
            yield Label(Text(t("tui.visits.keys.list")), id="visits-keys")
        with ContentSwitcher(initial="visits-list", id="visits-views"):
            yield VisitTable(id="visits-list")
            with VerticalScroll(id="visits-pipeline"):
                yield Static("", id="visits-pipeline-text")
            yield ComplaintTable(id="visits-complaints")
        with Vertical(id="visits-detail"):
            yield Static("", id="visits-detail-text")

    def on_mount(self) -> None:
        if getattr(self.app, "book", None) is not None:
            self.focus_list()

    def focus_list(self) -> None:
        """Shown: focus the view and read it again (a visit may have moved since)."""
        focus_now(self.query_one(f"#visits-{self.view}"))
        self.reload()

    # loading ------------------------------------------------------------------------------------------------
    def _table(self) -> VisitTable | ComplaintTable | None:
        if self.view == "pipeline":
            return None
        return self.query_one(f"#visits-{self.view}", VisitTable if self.view == "list" else ComplaintTable)

    def reload(self) -> None:
        self.loaded = True
        table = self._table()
        if table is not None and table.row_count:
            current = table.current()
            self._cursor = (current.id if current else None, table.cursor_row)
        self._fetch(self.view)

    @work(thread=True, exclusive=True, group="visits")
    def _fetch(self, view: str) -> None:
        from workbench.services import complaints, visits

        try:
            if view == "list":
                data = VisitsData(view, visits=visits.list_visits())
            elif view == "pipeline":
                data = VisitsData(view, pipeline=visits.pipeline())
            else:
                data = VisitsData(view, complaints=complaints.list_complaints())
        except WorkbenchError as exc:
            self.post_message(self.Loaded(None, str(exc)))
            return
        self.post_message(self.Loaded(data))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.data is None:
            self.notify(t("tui.error", error=message.error), severity="error", markup=False)
            return
        if message.data.view != self.view:
            return
        self.data = message.data
        self._show()

    def _show(self) -> None:
        data = self.data
        if data is None:
            return
        if data.view == "list":
            open_n = sum(1 for v in data.visits if v.stage != "done")
            head = t("tui.visits.head", n=len(data.visits), open=open_n) if data.visits else t("tui.visits.none")
            self.query_one(VisitTable).show(data.visits, *self._cursor)
        elif data.view == "pipeline":
            n = sum(len(x) for x in data.pipeline.values())
            head = t("tui.visits.pipeline", n=n)
            self.query_one("#visits-pipeline-text", Static).update(pipeline_text(data.pipeline))
        else:
            open_n = sum(1 for c in data.complaints if c.resolved_at is None)
            total = len(data.complaints)
            head = t("tui.complaint.head", n=total, open=open_n) if total else t("tui.complaint.none")
            self.query_one(ComplaintTable).show(data.complaints, *self._cursor)
        self.query_one("#visits-head", Label).update(Text(head))
        self.query_one("#visits-keys", Label).update(Text(t(f"tui.visits.keys.{data.view}")))
        self._detail()

    def _detail(self) -> None:
        box = self.query_one("#visits-detail")
        box.display = self.view != "pipeline"
        text = self.query_one("#visits-detail-text", Static)
        if self.view == "list":
            visit = self.query_one(VisitTable).current()
            if visit is None:
                text.update(Text(t("tui.visits.empty_hint") if self.data and not self.data.visits else ""))
                return
            words = Text()
            words.append(one(visit.client), style="bold")
            words.append(f" · {visit.date.isoformat()} · {visit_stage(visit.stage)}")
            if visit.outcome:
                words.append(f" · {outcome_name(visit.outcome)}")
            words.append("\n" + (t("tui.visits.goal", goal=one(visit.goal)) if visit.goal else t("tui.visits.no_goal")))
            text.update(words)
        elif self.view == "complaints":
            row = self.query_one(ComplaintTable).current()
            if row is None:
                empty = self.data is not None and not self.data.complaints
                text.update(Text(t("tui.complaint.empty_hint") if empty else ""))
                return
            text.update(complaint_detail(row))

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._detail()

    @on(DataTable.RowSelected, "#visits-list")
    def _visit_chosen(self) -> None:
        visit = self.query_one(VisitTable).current()
        if visit is not None:
            self.open_visit(visit.id)

    @on(DataTable.RowSelected, "#visits-complaints")
    def _complaint_chosen(self) -> None:
        self.action_complete_step()

    def open_visit(self, visit_id: int) -> None:
        from workbench.tui.wizard import VisitWizard

        self.app.push_screen(VisitWizard(visit_id), self._wizard_closed)

    def _wizard_closed(self, changed: bool | None) -> None:
        self.reload()  # the app hears VisitWizard.Done and tells the other panes
        focus_now(self.query_one(f"#visits-{self.view}"))

    def on_resize(self, event: Resize) -> None:
        if self.data is not None and self.view != "pipeline":
            table = self._table()
            if table is not None and table.row_count:
                current = table.current()
                self._cursor = (current.id if current else None, table.cursor_row)
            self._show()

    # views --------------------------------------------------------------------------------------------------
    def action_view(self, view: str) -> None:
        if view not in VIEWS:
            return
        if view == self.view:
            view = "list"  # the same key again goes back to the visits
        self.view = view
        self.data = None
        self._cursor = (None, 0)
        self.query_one("#visits-views", ContentSwitcher).current = f"visits-{view}"
        self.query_one("#visits-head", Label).update(Text(t("tui.rows.loading")))
        focus_now(self.query_one(f"#visits-{view}"))
        self.refresh_bindings()
        self._detail()
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in COMPLAINTS_ONLY:
            return self.view == "complaints"
        return True

    def action_events(self) -> None:
        from workbench.tui.events import EventsScreen

        self.app.push_screen(EventsScreen(), lambda _: self.action_reload())

    def action_reload(self) -> None:
        self.reload()

    # complaints ---------------------------------------------------------------------------------------------
    def _complaint(self) -> ComplaintRow | None:
        row = self.query_one(ComplaintTable).current() if self.view == "complaints" else None
        if row is None:
            self.notify(t("tui.complaint.nothing"), severity="warning", markup=False)
        return row

    def action_complete_step(self) -> None:
        from workbench.tui.complaints import StepDialog, under_way

        row = self._complaint()
        if row is None:
            return
        if under_way(row) is None:
            self.notify(t("tui.complaint.all_done"), markup=False)
            return
        self.app.push_screen(StepDialog(row), self._after)

    def action_add_complaint(self) -> None:
        from workbench.tui.complaints import AddComplaintDialog

        self.app.push_screen(AddComplaintDialog(), self._after)

    def action_file_lesson(self) -> None:
        row = self._complaint()
        if row is None:
            return
        if not any(d.get("step") == "分析原因" and d.get("note") for d in row.done):
            self.notify(t("tui.complaint.no_cause"), severity="warning", markup=False)
            return
        self._file_lesson(row.id)

    @work(thread=True, group="visits-lesson")
    def _file_lesson(self, complaint_id: int) -> None:
        from workbench.services import complaints

        try:
            note_id = complaints.cause_to_lesson(complaint_id)
        except WorkbenchError as exc:
            self.app.call_from_thread(self.notify, t("tui.error", error=str(exc)), severity="error", markup=False)
            return
        self.app.call_from_thread(self._after, t("tui.complaint.lesson", id=note_id))

    def _after(self, message: str | None) -> None:
        if message:
            self.notify(safe(message, single_line=True), markup=False)
            self.reload()
            self.post_message(self.Changed())
        focus_now(self.query_one(f"#visits-{self.view}"))
