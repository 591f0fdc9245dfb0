"""Search everything written (``/`` in the journal): clients, notes, lessons and contacts' outcomes.

Results follow the typing: a search runs 0.2 s after the last key, in a thread worker, and carries a serial
number, so an answer to an older query never replaces a newer one. Each result says what it is, when, for
whom, and shows a line around the match with the matched words highlighted (the service marks them between
【 and 】; only marks around a searched word are taken, so brackets written in a note stay as they are).
Enter on a client opens the client's 360 view; on anything else it shows the whole text. Esc closes.
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
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from workbench.errors import WorkbenchError
from workbench.i18n import t
from workbench.rules.text import safe
from workbench.tui.keys import focus_now, localise

if TYPE_CHECKING:
    from workbench.services.search import Hit

DEBOUNCE = 0.2  # seconds after the last key before the search runs
LIMIT = 30
KINDS = ("client", "note", "lesson", "contact")


def marked(snippet: str, words: Sequence[str], style: object) -> Text:
    """The snippet as text, each 【word】 the service marked shown as the word in ``style``."""
    flat = safe(snippet, single_line=True)
    if not words:
        return Text(flat)
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    out, at = Text(), 0
    for m in re.finditer(f"【({alternatives})】", flat, flags=re.IGNORECASE):
        out.append(flat[at : m.start()])
        out.append(m.group(1), style=style)  # type: ignore[arg-type]
        at = m.end()
    out.append(flat[at:])
    return out


def kind_label(kind: str) -> str:
    return t(f"search.kind.{kind}") if kind in KINDS else kind


def hit_head(hit: Hit) -> str:
    parts = [kind_label(hit.kind)]
    if hit.date:
        parts.append(safe(hit.date, single_line=True)[:10])
    if hit.client:
        parts.append(safe(hit.client, single_line=True))
    return " · ".join(parts)


class HitList(OptionList, can_focus=False):
    """The results under the search box; the box keeps the focus and moves the highlight with ↑↓."""

    def __init__(self) -> None:
        super().__init__(id="find-hits")
        self.hits: list[Hit] = []

    def fill(self, hits: list[Hit], words: Sequence[str], kind_style: object, match_style: object) -> None:
        self.hits = hits
        options = []
        for n, hit in enumerate(hits):
            prompt = Text(f"[{kind_label(hit.kind)}] ", style=kind_style)  # type: ignore[arg-type]
            if hit.kind == "client":  # one line: the name (matches marked), when last contacted
                prompt.append_text(marked(hit.snippet, words, match_style))
                if hit.date:
                    prompt.append("  " + t("tui.find.last_contact", date=safe(hit.date, single_line=True)), "dim")
            else:
                prompt.append(hit_head(hit).partition(" · ")[2])
                prompt.append("\n  ")
                prompt.append_text(marked(hit.snippet, words, match_style))
            options.append(Option(prompt, id=f"hit{n}"))
        self.set_options(options)
        self.highlighted = 0 if hits else None

    def move(self, step: int) -> None:
        if self.hits:
            index = 0 if self.highlighted is None else self.highlighted + step
            self.highlighted = max(0, min(len(self.hits) - 1, index))

    def chosen(self) -> Hit | None:
        if not self.hits:
            return None
        return self.hits[self.highlighted or 0]


class SearchScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "tui.key.close", id="find.close"),
        Binding("down", "move(1)", "tui.key.result_next", id="find.next"),
        Binding("up", "move(-1)", "tui.key.result_prev", id="find.prev"),
        Binding("pagedown", "move(5)", "tui.key.results_down", show=False, id="find.page_down"),
        Binding("pageup", "move(-5)", "tui.key.results_up", show=False, id="find.page_up"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"search-screen--match", "search-screen--kind"}

    class Found(Message):
        def __init__(self, serial: int, query: str, words: list[str], hits: list[Hit] | None, error: str = "") -> None:
            self.serial, self.query, self.words, self.hits, self.error = serial, query, words, hits, error
            super().__init__()

    def __init__(self) -> None:
        super().__init__()
        localise(self)
        self._serial = 0
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="find-box"):
            yield Label(Text(t("tui.find.title")), classes="dialog-title")
            yield Input(placeholder=t("tui.find.placeholder"), id="find-query", max_length=200)
            yield Label(Text(t("tui.find.hint")), id="find-status")
            yield HitList()

    def on_mount(self) -> None:
        focus_now(self.query_one("#find-query", Input))

    @property
    def hits(self) -> HitList:
        return self.query_one(HitList)

    # searching ----------------------------------------------------------------------------------------------
    @on(Input.Changed, "#find-query")
    def _typed(self) -> None:
        self._serial += 1  # whatever is on its way is already out of date
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE, self._search_now)

    def _search_now(self) -> None:
        self._debounce = None
        query = self.query_one("#find-query", Input).value.strip()
        self._serial += 1
        if not query:
            self.hits.fill([], [], "", "")
            self._status(t("tui.find.hint"))
            return
        self._search(self._serial, query)

    @work(thread=True, exclusive=True, group="find")
    def _search(self, serial: int, query: str) -> None:
        from workbench.services import search

        words = search.words_of(query)
        try:
            hits = search.search_open_book(query, limit=LIMIT)
        except WorkbenchError as exc:
            self.post_message(self.Found(serial, query, words, None, str(exc)))
            return
        self.post_message(self.Found(serial, query, words, hits))

    @on(Found)
    def _found(self, message: Found) -> None:
        if message.serial != self._serial:
            return  # an answer to an older query
        if message.hits is None:
            self.notify(t("tui.error", error=message.error), severity="error", markup=False)
            return
        style = self.get_component_rich_style
        self.hits.fill(
            message.hits,
            message.words,
            style("search-screen--kind", partial=True),
            style("search-screen--match", partial=True),
        )
        n = len(message.hits)
        self._status(t("tui.find.count", n=n) if n else t("tui.find.none"))

    def _status(self, text: str) -> None:
        self.query_one("#find-status", Label).update(Text(text))

    # moving and opening -------------------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        self.hits.move(step)

    @on(Input.Submitted, "#find-query")
    def _open(self) -> None:
        if self._debounce is not None:  # Enter before the pause: search now; Enter again opens
            self._debounce.stop()
            self._search_now()
            return
        hit = self.hits.chosen()
        if hit is None:
            return
        if hit.kind == "client" and hasattr(self.app, "open_client"):
            self.app.open_client(hit.id)
            return
        from workbench.tui.journal_dialogs import ReaderScreen

        self.app.push_screen(ReaderScreen(hit_head(hit), Text(safe(hit.text))))

    def action_close(self) -> None:
        self.dismiss(None)
