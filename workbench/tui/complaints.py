"""Complaints in the visits pane (c), walked through the six steps of DOMAIN.md §6: 安抚 calm · 接受 accept ·
判定 decide · 确定部门 route · 解决方案 resolve · 分析原因 find the cause.

The table lists open complaints first; Enter or s completes the step under way with a note (the cause is
required), l files the cause as a lesson, a adds a complaint for a client found by name, pinyin or initials.
The dialogs save through ``services.complaints`` in a worker and close only once the book has it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Label

from workbench.i18n import lang, t
from workbench.rules.text import fit, safe
from workbench.tui.capture import PickList
from workbench.tui.client_pick import ClientPickForm
from workbench.tui.forms import FormScreen
from workbench.tui.keys import focus_now
from workbench.tui.tables import SCROLLBAR, WorkbenchTable
from workbench.tui.visit_widgets import colon

if TYPE_CHECKING:
    from workbench.services.complaints import ComplaintRow

CAUSE = 5  # the index of 分析原因, whose note is required
RESOLVE = 4  # the index of 解决方案, which resolves the complaint


def steps() -> tuple[str, ...]:
    from workbench.services.complaints import STEPS, STEPS_EN

    return STEPS if lang() == "zh" else STEPS_EN


def step_name(index: int) -> str:
    return steps()[index]


def under_way(row: ComplaintRow) -> int | None:
    """The index of the step to complete next, or None when all six are done."""
    n = len(row.done)
    return n if n < len(steps()) else None


def state_text(row: ComplaintRow) -> str:
    index = under_way(row)
    if index is None:
        return t("tui.complaint.all_done")
    return ("✓" if row.resolved_at else "") + step_name(index)


def one(text: object) -> str:
    return safe(str(text or ""), single_line=True)


def complaint_detail(row: ComplaintRow) -> Text:
    """The complaint and the steps done, a line each."""
    out = Text()
    out.append(one(row.client), style="bold")
    out.append(f" · {t('tui.complaint.opened', day=row.opened.isoformat())}")
    if row.resolved_at:
        out.append(f" · {t('tui.complaint.resolved_on', day=row.resolved_at.isoformat())}")
    out.append(f"\n{one(row.text)}")
    names = {zh: step_name(n) for n, zh in enumerate(_zh_steps())}
    done = []
    for d in row.done:
        note = f"{colon()}{one(d.get('note'))}" if d.get("note") else ""
        done.append(f"{names.get(d.get('step', ''), d.get('step', ''))} {str(d.get('date', ''))[5:]}{note}")
    if done:
        out.append("\n✓ " + " · ".join(done), style="dim")
    return out


def _zh_steps() -> tuple[str, ...]:
    from workbench.services.complaints import STEPS

    return STEPS


class ComplaintTable(WorkbenchTable):
    """Complaints, one a row: opened, client, the step under way (✓ once resolved), what it is about. Row keys
    are complaint ids."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "tui.key.complete_step", show=False, id="complaint.step"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.complaints: list[ComplaintRow] = []

    def show(self, rows: list[ComplaintRow], cursor_id: int | None, cursor_row: int) -> None:
        self.complaints = rows
        total = (self.size.width or self.app.size.width) - SCROLLBAR
        widths = {"date": 5, "client": 14 if total < 100 else 20, "step": 10 if lang() == "zh" else 16}
        widths["text"] = max(10, total - sum(widths.values()) - 2 * self.cell_padding * 5)
        labels = {
            "date": t("tui.complaint.col.opened"),
            "client": t("col.name"),
            "step": t("tui.complaint.col.step"),
            "text": t("tui.complaint.col.text"),
        }
        self.clear(columns=True)
        for key in ("date", "client", "step", "text"):
            self.add_column(Text(fit(labels[key], widths[key])), width=widths[key], key=key)
        muted = self.get_component_rich_style("datatable--header", partial=True)
        for row in rows:
            cells = [
                Text(f"{row.opened:%m-%d}"),
                Text(fit(one(row.client), widths["client"])),
                Text(fit(state_text(row), widths["step"])),
                Text(fit(one(row.text), widths["text"])),
            ]
            if row.resolved_at:
                for cell in cells:
                    cell.stylize(muted)  # type: ignore[arg-type]
            self.add_row(*cells, key=str(row.id))
        if rows:
            index = next((i for i, r in enumerate(rows) if r.id == cursor_id), min(cursor_row, len(rows) - 1))
            self.move_cursor(row=max(0, index), animate=False)

    def current(self) -> ComplaintRow | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return next((r for r in self.complaints if str(r.id) == key), None)


# --- the dialogs ----------------------------------------------------------------------------------------------


class StepDialog(FormScreen):
    """Complete the step under way: what was done (required for 分析原因: what the complaint says about the
    client's concerns). Enter saves."""

    BOX_CLASSES = "visit-dialog"

    def __init__(self, row: ComplaintRow) -> None:
        super().__init__()
        self.row = row
        self.index = under_way(row) or 0

    def title_text(self) -> str:
        return t("tui.complaint.step_title", name=one(self.row.client), step=step_name(self.index))

    def fields(self) -> ComposeResult:
        yield Label(Text(one(self.row.text)), classes="dialog-hint")
        yield Label(Text(t(f"tui.complaint.step.{self.index}")), classes="dialog-hint")
        hint = t("tui.complaint.cause_hint") if self.index == CAUSE else t("tui.complaint.note_hint")
        yield Input(placeholder=hint, id="step-note", max_length=5000)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.submit()

    def collect(self) -> tuple:
        note = self.value("#step-note").strip()
        if self.index == CAUSE and not note:
            raise ValueError(t("tui.complaint.cause_required"))
        return (note,)

    def save(self, note: str) -> str:
        from workbench.services import complaints

        row = complaints.complete_step(self.row.id, note)
        if self.index == RESOLVE:
            return t("tui.complaint.resolved", name=row.client)
        if under_way(row) is None:
            return t("tui.complaint.finished", name=row.client)
        return t("tui.complaint.stepped", step=step_name(self.index), next=step_name(len(row.done)))


class AddComplaintDialog(ClientPickForm):
    """A new complaint: find the client (name, pinyin or initials; ↑↓ choose, Enter takes it), then say what
    the complaint is about; Enter saves. It starts at 安抚."""

    BOX_CLASSES = "visit-dialog"

    def title_text(self) -> str:
        return t("tui.complaint.add_title")

    def fields(self) -> ComposeResult:
        yield Label(Text(t("tui.follow.client")), classes="dialog-hint")
        yield from self.client_fields()
        yield Label(Text(t("tui.complaint.text")), classes="dialog-hint")
        yield Input(placeholder=t("tui.complaint.text_hint"), id="complaint-text", max_length=5000)

    @on(Input.Submitted, "#client-query")
    def _client_entered(self) -> None:
        focus_now(self.query_one("#complaint-text", Input))

    @on(Input.Submitted, "#complaint-text")
    def _text_entered(self) -> None:
        self.submit()

    def collect(self) -> tuple:
        match = self.query_one(PickList).chosen(first=True)
        if match is None:
            raise ValueError(t("tui.link.choose"))
        text = self.value("#complaint-text").strip()
        if not text:
            raise ValueError(t("tui.complaint.text_required"))
        return match[0], match[1], text

    def save(self, client_id: int, name: str, text: str) -> str:
        from workbench.services import complaints

        complaints.add(client_id, text)
        return t("tui.complaint.added", name=name)
