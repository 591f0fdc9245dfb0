"""The journal pane (key 4): the inbox of notes to sort (the default), the lessons (L), the week's review (w).

On the selected inbox note: c links it to a client, f makes it a follow-up with a date, l files it as a
lesson from the template, a archives it, Enter reads it whole; / searches everything written. Each view is
read by ``services.journal`` in a thread worker and comes back as one ``Loaded`` message; after an action the
list is read again and the cursor stays where it was (on the next note when the one acted on has left).
"""

from __future__ import annotations

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
from workbench.i18n import lang, t
from workbench.rules.dates import weekday_name
from workbench.rules.identity import mask_in_text
from workbench.rules.journal import LESSON_FIELDS, split_facet
from workbench.rules.text import fit, safe, width
from workbench.tui.journal_dialogs import note_body, note_facts, note_title, note_words, stage_name, who
from workbench.tui.keys import focus_now, localise
from workbench.tui.tables import SCROLLBAR, WorkbenchTable

if TYPE_CHECKING:
    import datetime as dt

    from workbench.services.journal import NoteRow, WeekReview

VIEWS = ("inbox", "lessons", "review")  # i, L, w
INBOX_ONLY = ("link", "follow_up", "lesson", "archive")
PAGE = 200  # notes read per view (the newest)
REVIEW_LESSONS = 8  # new lessons listed in the week's review


@dataclass(frozen=True)
class JournalData:
    view: str
    notes: list[NoteRow] = field(default_factory=list)
    total: int = 0
    review: WeekReview | None = None


def short_day(day: dt.date) -> str:
    return f"{day:%m-%d}"


def day_name(day: dt.date) -> str:
    return f"{day:%m-%d} {weekday_name(day, lang())}"


def lesson_line(note: NoteRow) -> str:
    """A lesson in one line: its first filled field (or the note's text)."""
    first = next((note.lesson[f.name] for f in LESSON_FIELDS if note.lesson.get(f.name)), None)
    return safe(mask_in_text(first or note.text), single_line=True)


def stage_of(note: NoteRow) -> str | None:
    for tag in note.tags:
        facet = split_facet(tag)
        if facet is not None and facet[0] == "stage":
            return facet[1]
    return None


class NoteTable(WorkbenchTable):
    """Notes, one a row: date, text, and who (linked clients; ⚠ mentions still to settle). Row keys are note
    ids. The lessons' table has a stage column too."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"note-table--warn"}
    BINDINGS: ClassVar[list[BindingType]] = [  # Enter reads the note; said in the head line, not the footer
        Binding("enter", "select_cursor", "tui.key.read", show=False, id="journal.read"),
    ]

    def __init__(self, *, lessons: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lessons = lessons
        self.notes: list[NoteRow] = []

    def show(self, notes: list[NoteRow], cursor_id: int | None, cursor_row: int) -> None:
        self.notes = notes
        total = (self.size.width or self.app.size.width) - SCROLLBAR
        widths = {"date": 5, "who": 16 if total < 100 else 24}
        if self.lessons:
            widths["stage"] = 8 if lang() == "zh" else 12
        widths["text"] = max(10, total - sum(widths.values()) - 2 * self.cell_padding * (len(widths) + 1))
        order = ["date", "text", *(["stage"] if self.lessons else []), "who"]
        labels = {
            "date": t("col.date"),
            "text": t("tui.journal.col.lesson" if self.lessons else "tui.journal.col.text"),
            "stage": t("tui.journal.col.stage"),
            "who": t("col.name"),
        }
        self.clear(columns=True)
        for key in order:
            self.add_column(Text(fit(labels[key], widths[key])), width=widths[key], key=key)
        warn = self.style_of("note-table--warn")
        for note in notes:
            # phone and ID numbers written in a note are masked in the list (the note itself shows them)
            text = lesson_line(note) if self.lessons else safe(mask_in_text(note.text), single_line=True)
            names = who(note, warn)
            names.truncate(widths["who"], pad=True)
            cells = {
                "date": Text(short_day(note.date)),
                "text": Text(fit(text, widths["text"])),
                "stage": Text(fit(stage_name(stage_of(note)) if stage_of(note) else "", widths.get("stage", 0))),
                "who": names,
            }
            self.add_row(*(cells[k] for k in order), key=str(note.id))
        if notes:
            index = next((i for i, n in enumerate(notes) if n.id == cursor_id), min(cursor_row, len(notes) - 1))
            self.move_cursor(row=max(0, index), animate=False)

    def current_id(self) -> int | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return int(key.value) if key.value is not None else None

    def current(self) -> NoteRow | None:
        cid = self.current_id()
        return next((n for n in self.notes if n.id == cid), None)


class JournalPane(Vertical):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "link", "tui.key.link", id="journal.link"),
        Binding("f", "follow_up", "tui.key.follow_up", id="journal.follow_up"),
        Binding("l", "lesson", "tui.key.lesson", id="journal.lesson"),
        Binding("a", "archive", "tui.key.archive", id="journal.archive"),
        Binding("slash", "search", "tui.key.search", show=False, id="journal.search"),
        Binding("i", "view('inbox')", "tui.key.inbox", show=False, id="journal.inbox"),
        Binding("L", "view('lessons')", "tui.key.lessons", show=False, id="journal.lessons"),
        Binding("w", "view('review')", "tui.key.review", show=False, id="journal.review"),
        Binding("f5,ctrl+r", "reload", "tui.key.refresh", show=False, id="journal.reload"),
    ]

    class Loaded(Message):
        def __init__(self, data: JournalData | None, error: str | None = None) -> None:
            self.data, self.error = data, error
            super().__init__()

    class OpenClient(Message):
        def __init__(self, client_id: int) -> None:
            self.client_id = client_id
            super().__init__()

    class Changed(Message):
        """A note became a follow-up, a lesson…: the planner may have something new."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        localise(self)
        self.view = "inbox"
        self.data: JournalData | None = None
        self.loaded = False
        self._cursor: tuple[int | None, int] = (None, 0)

    def compose(self) -> ComposeResult:
        with Horizontal(id="journal-bar"):
            yield Label(Text(t("tui.rows.loading")), id="journal-head")
            yield Label(Text(t("tui.journal.keys")), id="journal-keys")
        with ContentSwitcher(initial="journal-inbox", id="journal-views"):
            yield NoteTable(id="journal-inbox")
            yield NoteTable(lessons=True, id="journal-lessons")
            with VerticalScroll(id="journal-review"):
                yield Static("", id="journal-review-text")
        with Vertical(id="journal-detail"):
            yield Static("", id="journal-detail-text")
            yield Label("", id="journal-detail-facts")

    def on_mount(self) -> None:
        if getattr(self.app, "book", None) is not None:
            self.focus_list()

    @property
    def table(self) -> NoteTable:
        return self.query_one("#journal-inbox" if self.view != "lessons" else "#journal-lessons", NoteTable)

    def focus_list(self) -> None:
        focus_now(self.query_one(f"#journal-{self.view}"))
        if not self.loaded:
            self.reload()

    # loading ------------------------------------------------------------------------------------------------
    def reload(self) -> None:
        self.loaded = True
        if self.view != "review":
            table = self.table
            self._cursor = (table.current_id(), table.cursor_row if table.row_count else 0)
        self._fetch(self.view)

    @work(thread=True, exclusive=True, group="journal")
    def _fetch(self, view: str) -> None:
        from workbench.services import journal

        try:
            if view == "inbox":
                data = JournalData(view, journal.inbox(limit=PAGE), journal.count_inbox())
            elif view == "lessons":
                notes = journal.lessons(limit=PAGE)
                data = JournalData(view, notes, len(notes))
            else:
                data = JournalData(view, review=journal.week_review())
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
            return  # the view changed while it was read
        self.data = message.data
        self._show()

    def _show(self) -> None:
        data = self.data
        if data is None:
            return
        if data.view == "review" and data.review is not None:
            self._head(t("tui.review.head", start=day_name(data.review.start), end=day_name(data.review.end)))
            self.query_one("#journal-review-text", Static).update(self._review(data.review))
        else:
            if data.view == "inbox":
                head = t("tui.journal.inbox", n=data.total) if data.total else t("tui.journal.inbox_empty")
            else:
                head = t("tui.journal.lessons", n=data.total) if data.total else t("tui.journal.lessons_empty")
            self._head(head)
            self.table.show(data.notes, *self._cursor)
        self._detail()

    def _head(self, text: str) -> None:
        self.query_one("#journal-head", Label).update(Text(text))

    def _review(self, r: WeekReview) -> Text:
        rows = [
            (t("tui.review.contacts"), t("tui.review.contacts_n", made=r.contacts_made, planned=r.contacts_planned)),
            (t("tui.review.notes"), t("tui.review.notes_n", n=r.notes_added)),
            (t("tui.review.lessons"), t("tui.review.lessons_n", n=len(r.new_lessons))),
            (t("tui.review.overdue"), t("tui.review.overdue_n", n=r.overdue_clients)),
            (t("tui.review.inbox"), t("tui.review.inbox_n", n=r.inbox)),
        ]
        label_w = max(width(label) for label, _ in rows) + 2
        line_w = max(20, (self.size.width or self.app.size.width) - 6)
        out = Text()
        for n, (label, value) in enumerate(rows):
            out.append(fit(label, label_w), style="bold")
            out.append(value + "\n")
            if n == 2:  # the new lessons, under their count
                for note in r.new_lessons[:REVIEW_LESSONS]:
                    names = t("tui.list_sep").join(safe(c, single_line=True) for _id, c in note.clients)
                    line = f"· {short_day(note.date)} {lesson_line(note)}" + (f"（{names}）" if names else "")
                    out.append(" " * label_w + fit(line, line_w - label_w).rstrip() + "\n")
                if len(r.new_lessons) > REVIEW_LESSONS:
                    out.append(" " * label_w + "…\n")
        out.rstrip()
        return out

    def _detail(self) -> None:
        """The selected note under the list: its words (as many lines as fit), then who and what it is."""
        note = self.current_note()
        self.query_one("#journal-detail").display = self.view != "review"
        words = self.query_one("#journal-detail-text", Static)
        facts = self.query_one("#journal-detail-facts", Label)
        if note is None:
            empty = self.view == "inbox" and self.data is not None and not self.data.notes
            words.update(Text(t("tui.journal.empty_hint") if empty else ""))
            facts.update("")
            return
        words.update(note_words(note, masked=True))  # Enter opens the note as written
        facts.update(note_facts(note))

    def current_note(self) -> NoteRow | None:
        if self.view == "review" or self.data is None:
            return None
        return self.table.current()

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._detail()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        from workbench.tui.journal_dialogs import ReaderScreen

        note = self.current_note()
        if note is not None:
            self.app.push_screen(ReaderScreen(note_title(note), note_body(note)))

    def on_resize(self, event: Resize) -> None:
        if self.data is not None and self.view != "review":
            table = self.table
            self._cursor = (table.current_id(), table.cursor_row if table.row_count else 0)
            self._show()

    # views --------------------------------------------------------------------------------------------------
    def action_view(self, view: str) -> None:
        if view not in VIEWS:
            return
        if view == self.view and view != "inbox":
            view = "inbox"  # the same key again goes back to the inbox
        self.view = view
        self.data = None
        self.query_one("#journal-views", ContentSwitcher).current = f"journal-{view}"
        focus_now(self.query_one(f"#journal-{view}"))
        self.refresh_bindings()
        self._cursor = (None, 0)
        self._head(t("tui.rows.loading"))
        self._detail()
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in INBOX_ONLY:
            return self.view == "inbox"
        return True

    def action_reload(self) -> None:
        self.reload()

    def action_search(self) -> None:
        from workbench.tui.search import SearchScreen

        self.app.push_screen(SearchScreen())

    # actions on the selected note ---------------------------------------------------------------------------
    def _target(self) -> NoteRow | None:
        note = self.current_note()
        if note is None:
            self.notify(t("tui.journal.nothing"), severity="warning", markup=False)
        return note

    def action_link(self) -> None:
        from workbench.tui.journal_dialogs import LinkDialog

        if note := self._target():
            self.app.push_screen(LinkDialog(note), self._after)

    def action_follow_up(self) -> None:
        from workbench.tui.journal_dialogs import FollowUpDialog

        if note := self._target():
            self.app.push_screen(FollowUpDialog(note), self._after)

    def action_lesson(self) -> None:
        from workbench.tui.journal_dialogs import LessonDialog

        if note := self._target():
            self.app.push_screen(LessonDialog(note), self._after)

    def action_archive(self) -> None:
        if note := self._target():
            self._archive(note.id)

    @work(thread=True, group="journal-archive")
    def _archive(self, note_id: int) -> None:
        from workbench.services import journal

        try:
            journal.archive(note_id)
        except WorkbenchError as exc:
            self.app.call_from_thread(self.notify, t("tui.error", error=str(exc)), severity="error", markup=False)
            return
        self.app.call_from_thread(self._after, t("tui.journal.archived", id=note_id))

    def _after(self, message: str | None) -> None:
        if message:
            self.notify(safe(message, single_line=True), markup=False)
            self.reload()
            self.post_message(self.Changed())
        focus_now(self.query_one(f"#journal-{self.view}"))
