"""Quick capture from any pane (``n``): one line, ``@`` to name a client, ``#`` to tag, Enter saves.

The note goes in through ``services.capture.capture`` in a thread worker, which never loses the text (when the
book cannot be written it is spooled). Esc closes without saving, but the draft stays on the app and comes
back with the next ``n``. While the word before the cursor is ``@`` and a few letters, up to five clients
whose name, pinyin or initials start with them are listed under the input; Tab (or ↓ then Enter) puts the
full name in its place. The input keeps the focus, so every key typed is text, never an app binding.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from workbench.errors import WorkbenchError
from workbench.i18n import t
from workbench.rules.text import safe
from workbench.tui.keys import focus_now, localise

if TYPE_CHECKING:
    from workbench.services.capture import Captured

COMPLETIONS = 5
MAX_DRAFT = 100_000
# "@" and what follows it up to the cursor: no space, no punctuation that ends a mention
_PARTIAL = re.compile(r"(?<![A-Za-z0-9_.])@([^\s@#,，。;；:：!！?？、()（）\[\]【】\"'“”]+)$")
# a name the capture parser reads whole after "@": one CJK run, or one latin run
_WHOLE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f·]+|[A-Za-z0-9_.\-]+")

Match = tuple[int, str, "str | None"]  # (client id, name, client number)


def partial_mention(text: str, cursor: int) -> tuple[int, str] | None:
    """Where the ``@word`` before the cursor starts, and the word; None when the cursor is not in one."""
    found = _PARTIAL.search(text[:cursor])
    if found is None:
        return None
    return found.start(), found.group(1)


def mention_for(match: Match, matches: Sequence[Match]) -> str:
    """What to write after ``@`` so that capture links this client: the name, or the client number when the
    name is shared with another match or would not be read whole (spaces, brackets)."""
    _cid, name, number = match
    shared = sum(1 for m in matches if m[1] == name) > 1
    if (shared or not _WHOLE.fullmatch(name)) and number and _WHOLE.fullmatch(number):
        return number
    return name


def match_label(match: Match) -> Text:
    _cid, name, number = match
    label = Text(safe(name, single_line=True))
    if number:
        label.append(f"  {safe(number, single_line=True)}", style="dim")
    return label


class PickList(OptionList, can_focus=False):
    """Matches under an input. The input keeps the focus; it moves the highlight with ↑↓."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="pick-list")
        self.matches: list[Match] = []
        self.display = False

    def fill(self, matches: Sequence[Match], *, highlight_first: bool) -> None:
        self.matches = list(matches)
        self.set_options([Option(match_label(m), id=f"m{n}") for n, m in enumerate(matches)])
        self.highlighted = 0 if highlight_first and matches else None
        self.display = bool(matches)

    def move(self, step: int) -> None:
        if not self.matches:
            return
        if self.highlighted is None:
            self.highlighted = 0 if step > 0 else len(self.matches) - 1
        else:
            self.highlighted = (self.highlighted + step) % len(self.matches)

    def chosen(self, first: bool = False) -> Match | None:
        """The highlighted match (or, with ``first``, the first when none is highlighted)."""
        if not self.matches:
            return None
        if self.highlighted is None:
            return self.matches[0] if first else None
        return self.matches[self.highlighted]


class NoteInput(Input):
    """The capture line. Tab completes the @name; ↑↓ move through the names offered."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "complete", "tui.key.complete", id="note.complete"),
        Binding("down", "choice(1)", "tui.key.choice_next", id="note.choice_next"),
        Binding("up", "choice(-1)", "tui.key.choice_prev", id="note.choice_prev"),
    ]

    class Complete(Message):
        pass

    class Choice(Message):
        def __init__(self, step: int) -> None:
            self.step = step
            super().__init__()

    def __init__(self, value: str) -> None:
        super().__init__(
            value, placeholder=t("tui.note.placeholder"), id="note-text", max_length=MAX_DRAFT, select_on_focus=False
        )
        localise(self)

    def action_complete(self) -> None:
        self.post_message(self.Complete())

    def action_choice(self, step: int) -> None:
        self.post_message(self.Choice(step))


class CaptureScreen(ModalScreen["Captured | None"]):
    """Dismissed with what was saved, or None when closed with Esc (the draft is kept on the app)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "tui.key.keep_draft", id="note.close"),
    ]

    class Matches(Message):
        def __init__(self, serial: int, matches: list[Match]) -> None:
            self.serial, self.matches = serial, matches
            super().__init__()

    def __init__(self, draft: str = "") -> None:
        super().__init__()
        localise(self)
        self.draft = draft
        self.saving = False
        self._serial = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Label(Text(t("tui.note.title")), classes="dialog-title")
            yield NoteInput(self.draft)
            yield PickList(id="note-matches")
            yield Label(Text(t("tui.note.hint")), classes="dialog-hint")
            yield Label("", id="note-error", classes="dialog-error")

    def on_mount(self) -> None:
        box = self.input
        focus_now(box)
        box.cursor_position = len(box.value)

    @property
    def input(self) -> NoteInput:
        return self.query_one(NoteInput)

    @property
    def picks(self) -> PickList:
        return self.query_one(PickList)

    # the draft and @-completion -----------------------------------------------------------------------------
    @on(Input.Changed, "#note-text")
    def _typed(self, message: Input.Changed) -> None:
        keep_draft(self.app, message.value)
        self.query_one("#note-error", Label).update("")
        self._serial += 1
        found = partial_mention(message.value, self.input.cursor_position)
        if found is None:
            self.picks.fill([], highlight_first=False)
            return
        self._complete(self._serial, found[1])

    @work(thread=True, exclusive=True, group="note-complete")
    def _complete(self, serial: int, prefix: str) -> None:
        from workbench.services import journal

        try:
            matches = journal.complete_mention(prefix, limit=COMPLETIONS)
        except WorkbenchError:
            matches = []  # completion is a help, not a step: typing goes on without it
        self.post_message(self.Matches(serial, matches))

    @on(Matches)
    def _matches(self, message: Matches) -> None:
        if message.serial == self._serial:
            self.picks.fill(message.matches, highlight_first=False)

    @on(NoteInput.Choice)
    def _choice(self, message: NoteInput.Choice) -> None:
        self.picks.move(message.step)

    @on(NoteInput.Complete)
    def _complete_key(self) -> None:
        self._accept(self.picks.chosen(first=True))

    def _accept(self, match: Match | None) -> bool:
        box = self.input
        found = partial_mention(box.value, box.cursor_position)
        if match is None or found is None:
            return False
        start, _word = found
        name = mention_for(match, self.picks.matches)
        end = box.cursor_position
        rest = box.value[end:]
        head = f"{box.value[:start]}@{name}"
        if not rest.startswith(" "):
            head += " "
        box.value = head + rest
        box.cursor_position = len(head) + (1 if rest.startswith(" ") else 0)
        self._serial += 1
        self.picks.fill([], highlight_first=False)
        return True

    # saving -------------------------------------------------------------------------------------------------
    @on(Input.Submitted, "#note-text")
    def _submitted(self, message: Input.Submitted) -> None:
        message.stop()
        if self.picks.display and self._accept(self.picks.chosen()):
            return  # Enter on a name chosen with ↓ takes the name; the next Enter saves
        if self.saving:
            return
        text = self.input.value
        if not text.strip():
            self.query_one("#note-error", Label).update(Text(t("tui.note.empty")))
            return
        self.saving = True
        self._save(text, book_target(self.app))

    @work(thread=True, exclusive=True, group="note-save")
    def _save(self, text: str, target: str | None) -> None:
        from workbench.services import capture

        try:
            saved = capture.capture(text, target=target, source="tui")
        except WorkbenchError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._saved, saved)

    def _saved(self, saved: Captured) -> None:
        keep_draft(self.app, "")
        self.dismiss(saved)

    def _failed(self, why: str) -> None:
        self.saving = False
        self.query_one("#note-error", Label).update(Text(safe(t("tui.note.unsaved", why=why), single_line=True)))

    def action_close(self) -> None:
        if self.saving:
            return  # the note is being written: closing now would leave the draft behind a saved note
        keep_draft(self.app, self.input.value)
        self.dismiss(None)


def keep_draft(app: object, text: str) -> None:
    if hasattr(app, "note_draft"):
        app.note_draft = text  # type: ignore[attr-defined]


def book_target(app: object) -> str | None:
    book = getattr(app, "book", None)
    return book.target if book is not None else getattr(app, "target", None)


def saved_text(saved: Captured) -> tuple[str, str]:
    """What to tell the user about a capture: the message, and its severity."""
    if saved.spooled is not None:
        why = safe(saved.warnings[0] if saved.warnings else "", single_line=True)
        return t("tui.note.spooled", why=why, path=str(saved.spooled)), "warning"
    what = t("tui.note.lesson") if saved.kind == "lesson" else t(f"tui.note.{saved.status}")
    lines = [t("tui.note.saved", id=saved.note_id, what=what)]
    if saved.from_spool:
        lines.append(t("tui.note.from_spool", n=saved.from_spool))
    for m in saved.mentions:
        written = safe(m.written, single_line=True)
        if m.status == "linked":
            lines.append(t("tui.note.linked", written=written, name=safe(m.name, single_line=True)))
        elif m.status == "ambiguous":
            names = t("tui.list_sep").join(safe(n, single_line=True) for n in m.candidates[:6])
            lines.append(t("tui.note.ambiguous", written=written, names=names))
        else:
            lines.append(t("tui.note.unknown", written=written))
    if saved.tags:
        lines.append(t("tui.note.tags", tags=" ".join("#" + safe(tag, single_line=True) for tag in saved.tags)))
    severity = "warning" if any(m.status != "linked" for m in saved.mentions) else "information"
    return "\n".join(lines), severity
