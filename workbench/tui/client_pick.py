"""A form with a client to find: type a name, pinyin or initials in ``#client-query``; the matches show under
it (looked up in a worker, the newest answer only); ↑↓ choose; the first is taken unless another is chosen.
The journal's link and follow-up dialogs and the new-complaint dialog are such forms."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input

from workbench.errors import WorkbenchError
from workbench.i18n import t
from workbench.tui.capture import Match, PickList
from workbench.tui.forms import FormScreen

MATCHES = 6


class ClientPickForm(FormScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "choice(1)", "tui.key.choice_next", id="pick.choice_next"),
        Binding("up", "choice(-1)", "tui.key.choice_prev", id="pick.choice_prev"),
    ]

    class Matches(Message):
        def __init__(self, serial: int, matches: list[Match]) -> None:
            self.serial, self.matches = serial, matches
            super().__init__()

    _serial = 0

    def client_fields(self, start: str = "") -> ComposeResult:
        yield Input(start, placeholder=t("tui.link.placeholder"), id="client-query", max_length=100)
        yield PickList(id="client-matches")

    def on_mount(self) -> None:
        super().on_mount()
        if self.query("#client-query") and self.value("#client-query").strip():
            self._look_up()

    @on(Input.Changed, "#client-query")
    def _typed(self) -> None:
        self._look_up()

    def _look_up(self) -> None:
        self._serial += 1
        text = self.value("#client-query").strip()
        if not text:
            self.query_one(PickList).fill([], highlight_first=True)
            return
        self._find(self._serial, text)

    @work(thread=True, exclusive=True, group="client-find")
    def _find(self, serial: int, text: str) -> None:
        from workbench.services import journal

        try:
            matches = journal.complete_mention(text, limit=MATCHES)
        except WorkbenchError as exc:
            self.app.call_from_thread(self.show_error, str(exc))
            matches = []
        self.post_message(self.Matches(serial, matches))

    @on(Matches)
    def _matches(self, message: Matches) -> None:
        if message.serial != self._serial:
            return
        self.query_one(PickList).fill(message.matches, highlight_first=True)
        none = not message.matches and self.value("#client-query").strip()
        self.show_error(t("tui.link.none") if none else "")

    def action_choice(self, step: int) -> None:
        if self.query("#client-query"):
            self.query_one(PickList).move(step)

    def chosen_client(self) -> tuple[int, str]:
        """The client chosen (id, and a name to show, with the number when there is one)."""
        match = self.query_one(PickList).chosen(first=True)
        if match is None:
            raise ValueError(t("tui.link.choose"))
        cid, name, number = match
        return cid, f"{name}（{number}）" if number else name
