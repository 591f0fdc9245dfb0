"""The journal's dialogs: link a note to a client, make it a follow-up, file it as a lesson, read it whole.

Each form saves through ``services.journal`` in a worker and closes only once the book has it; on an error it
stays open with what was typed and says why. Every text from the book is made safe and shown as ``Text``,
never read as markup.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from workbench.errors import WorkbenchError
from workbench.i18n import lang, t
from workbench.rules.dates import parse_day_input
from workbench.rules.identity import mask_in_text
from workbench.rules.journal import LESSON_FIELDS, SALES_STAGES, STAGE_KEYS, split_facet
from workbench.rules.text import safe
from workbench.rules.tiers import TIER_KEYS, tier_name
from workbench.services.settings import today as today_
from workbench.tui.client_pick import ClientPickForm
from workbench.tui.forms import FormScreen
from workbench.tui.keys import focus_now, localise

if TYPE_CHECKING:
    from workbench.services.journal import NoteRow

FOLLOW_UP_DEFAULT = "+7"
FACETS_SHOWN = ("tier", "industry", "product")  # the stage has its own chooser
# pieces end at a comma, or at a space before the next "label:" (so a value may hold spaces)
_FACET_SPLIT = re.compile(r"\s*[,，;；、]\s*|\s+(?=[^\s:：]+[:：])")


# --- what a note says, for the detail area and the reader ---------------------------------------------------


def stage_name(key: str | None) -> str:
    for k, zh, en in SALES_STAGES:
        if k == key:
            return zh if lang() == "zh" else en
    return t("tui.lesson.no_stage")


def field_label(name: str) -> str:
    f = next(f for f in LESSON_FIELDS if f.name == name)
    return f.zh if lang() == "zh" else f.en


def field_question(name: str) -> str:
    f = next(f for f in LESSON_FIELDS if f.name == name)
    return f.ask_zh if lang() == "zh" else f.ask_en


def facet_value(facet: str, value: str) -> str:
    if facet == "tier" and value in TIER_KEYS:
        return tier_name(value, lang())
    if facet == "stage":
        return stage_name(value)
    return value


def who(note: NoteRow, warn: object = "bold") -> Text:
    """Linked clients, then the mentions still to settle (marked ⚠)."""
    out = Text(t("tui.list_sep").join(safe(name, single_line=True) for _cid, name in note.clients))
    if note.unresolved:
        if out:
            out.append(" ")
        out.append("⚠" + " ".join(safe(m, single_line=True) for m in note.unresolved), style=warn)  # type: ignore[arg-type]
    return out


def tags_text(note: NoteRow) -> str:
    shown = []
    for tag in note.tags:
        facet = split_facet(tag)
        if facet is None:
            shown.append("#" + safe(tag, single_line=True))
        else:
            shown.append(f"{t(f'tui.lesson.facet.{facet[0]}')}:{safe(facet_value(*facet), single_line=True)}")
    return " ".join(shown)


def note_words(note: NoteRow, *, masked: bool = False) -> Text:
    """What the note says: its text, or a lesson's fields a line each (then the note it came from); with
    ``masked`` (under the journal's list) any phone or ID number in it masked, as in every list."""

    def shown(text: str) -> str:
        return safe(mask_in_text(text) if masked else text)

    body = Text()
    filled = [(f.name, note.lesson.get(f.name)) for f in LESSON_FIELDS if note.lesson.get(f.name)]
    for name, value in filled:
        body.append(f"{field_label(name)}：", style="bold")
        body.append(shown(value) + "\n")
    if not filled or (note.text and note.text not in (v for _n, v in filled)):
        body.append(shown(note.text), style="dim" if filled else "")
    body.rstrip()
    return body


def note_facts(note: NoteRow) -> Text:
    """Clients, mentions to settle, tags and follow-ups, in one line."""
    facts = []
    if note.clients:
        names = t("tui.list_sep").join(safe(name, single_line=True) for _cid, name in note.clients)
        facts.append(t("tui.journal.clients", names=names))
    if note.unresolved:
        facts.append(t("tui.journal.unresolved", mentions=" ".join(safe(m, single_line=True) for m in note.unresolved)))
    if note.tags:
        facts.append(t("tui.journal.tags", tags=tags_text(note)))
    if note.follow_ups:
        facts.append(t("tui.journal.follow_ups", n=note.follow_ups))
    return Text(" · ".join(facts), style="italic")


def note_body(note: NoteRow) -> Text:
    """The whole note, then its facts on a line of their own."""
    body = note_words(note)
    facts = note_facts(note)
    if facts:
        body.append("\n\n")
        body.append_text(facts)
    return body


class ReaderScreen(ModalScreen[None]):
    """A note (or a search result) read whole: the text wraps; ↑↓ scroll; Esc or Enter closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "close", "tui.key.close", id="reader.close"),
    ]

    def __init__(self, title: str, body: Text) -> None:
        super().__init__()
        localise(self)
        self.title_text, self.body = title, body

    def compose(self) -> ComposeResult:
        with Vertical(id="reader-box"):
            yield Label(Text(self.title_text), classes="dialog-title")
            with VerticalScroll(id="reader-body"):
                yield Static(self.body, id="reader-text")

    def on_mount(self) -> None:
        focus_now(self.query_one("#reader-body", VerticalScroll))

    def action_close(self) -> None:
        self.dismiss(None)


def note_title(note: NoteRow) -> str:
    kind = t("search.kind.lesson") if note.kind == "lesson" else t("search.kind.note")
    return f"{kind} #{note.id} · {note.date.isoformat()} · {t(f'tui.journal.status.{note.status}')}"


# --- the forms ----------------------------------------------------------------------------------------------


class JournalDialog(FormScreen):
    """A form about one note (forms: workbench.tui.forms)."""

    BOX_CLASSES = "journal-dialog"

    def __init__(self, note: NoteRow) -> None:
        super().__init__()
        self.note = note

    def snippet(self, cells: int = 40) -> str:
        flat = safe(self.note.text, single_line=True)
        return flat if len(flat) <= cells else flat[: cells - 1] + "…"


class PickingDialog(ClientPickForm, JournalDialog):
    """A dialog about a note with a client to find (workbench.tui.client_pick); a mention still to settle is
    typed in already."""

    def __init__(self, note: NoteRow) -> None:
        super().__init__(note)
        self.mention = note.unresolved[0] if note.unresolved else None

    def client_fields(self, start: str = "") -> ComposeResult:
        yield from super().client_fields(start or (self.mention.lstrip("@") if self.mention else ""))


class LinkDialog(PickingDialog):
    """Link the note to a client: type a name, pinyin or initials; ↑↓ choose; Enter links. When the note has
    mentions still to settle, the first one is settled (and is typed in already)."""

    def title_text(self) -> str:
        return t("tui.link.title", text=self.snippet())

    def fields(self) -> ComposeResult:
        hint = t("tui.link.settle", mention=safe(self.mention, single_line=True)) if self.mention else ""
        yield Label(Text(hint or t("tui.link.hint")), classes="dialog-hint")
        yield from self.client_fields()

    @on(Input.Submitted, "#client-query")
    def _submitted(self) -> None:
        self.submit()

    def collect(self) -> tuple:
        return self.chosen_client()

    def save(self, client_id: int, name: str) -> str:
        from workbench.services import journal

        journal.link(self.note.id, client_id, mention=self.mention)
        return t("tui.link.done", name=name)


class FollowUpDialog(PickingDialog):
    """A follow-up: for the note's client (or, when it has none yet, a client found here), a due day (a date
    or +days, +7 filled in) and what to do (the note's text unless changed)."""

    def __init__(self, note: NoteRow) -> None:
        super().__init__(note)
        single = "\n" not in note.text and note.text.isprintable()
        self.prefill = note.text if single else ""
        self.client = (note.clients[0][0], note.clients[0][1]) if note.clients else None

    def title_text(self) -> str:
        if self.client is None:
            return t("tui.follow.title_any", text=self.snippet())
        return t("tui.follow.title", name=safe(self.client[1], single_line=True))

    def fields(self) -> ComposeResult:
        if self.client is None:
            yield Label(Text(t("tui.follow.client")), classes="dialog-hint")
            yield from self.client_fields()
        yield Label(Text(t("tui.follow.due")), classes="dialog-hint")
        yield Input(FOLLOW_UP_DEFAULT, id="follow-due", max_length=20)
        yield Label(Text(t("tui.follow.text")), classes="dialog-hint")
        yield Input(self.prefill, placeholder=t("tui.follow.same"), id="follow-text", max_length=5000)

    @on(Input.Submitted, "#client-query")
    def _client_entered(self) -> None:
        focus_now(self.query_one("#follow-due", Input))

    @on(Input.Submitted, "#follow-due")
    def _due_entered(self) -> None:
        focus_now(self.query_one("#follow-text", Input))

    @on(Input.Submitted, "#follow-text")
    def _text_entered(self) -> None:
        self.submit()

    def collect(self) -> tuple:
        client = self.client if self.client is not None else self.chosen_client()
        due = parse_day_input(self.value("#follow-due"), today_())
        text = self.value("#follow-text").strip()
        return client, due, (None if not text or text == self.prefill else text)

    def save(self, client: tuple[int, str], due: dt.date, text: str | None) -> str:
        from workbench.services import journal

        journal.follow_up(self.note.id, due, text, client_id=client[0])
        return t("tui.follow.done", name=client[1], due=due.isoformat())


class StageChoice(Static, can_focus=True):
    """The sales stage of a lesson: ←/→ go through the five stages and none."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right", "step(1)", "tui.key.stage_next", id="stage.next"),
        Binding("left", "step(-1)", "tui.key.stage_prev", id="stage.prev"),
        Binding("enter", "next_field", "tui.key.next_field", id="stage.next_field"),
    ]

    CHOICES: ClassVar[tuple[str | None, ...]] = (None, *STAGE_KEYS)

    def __init__(self) -> None:
        super().__init__("", id="lesson-stage")
        localise(self)
        self.stage: str | None = None

    def on_mount(self) -> None:
        self._show()

    def action_step(self, step: int) -> None:
        self.stage = self.CHOICES[(self.CHOICES.index(self.stage) + step) % len(self.CHOICES)]
        self._show()

    def action_next_field(self) -> None:
        self.screen.focus_next()

    def _show(self) -> None:
        self.update(Text(t("tui.lesson.stage", stage=stage_name(self.stage))))


class LessonDialog(JournalDialog):
    """File the note as a lesson: the five questions of the template, a sales stage (←/→), and the facets
    (tier, industry, products of the note's client, filled in). Enter goes to the next field; Enter on the
    last one, or ctrl+s anywhere, saves."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "tui.key.save", id="lesson.save", priority=True),
    ]

    class Facets(Message):
        def __init__(self, facets: list[tuple[str, str]]) -> None:
            self.facets = facets
            super().__init__()

    def __init__(self, note: NoteRow) -> None:
        super().__init__(note)
        self.client_id = note.clients[0][0] if note.clients else None

    def title_text(self) -> str:
        return t("tui.lesson.title", text=self.snippet())

    def fields(self) -> ComposeResult:
        for f in LESSON_FIELDS:
            with Horizontal(classes="lesson-row"):
                yield Label(Text(field_label(f.name)), classes="lesson-label")
                yield Input(
                    self.note.lesson.get(f.name) or "",
                    placeholder=field_question(f.name),
                    id=f"lesson-{f.name}",
                    max_length=5000,
                )
        with Horizontal(classes="lesson-row"):
            yield Label(Text(t("tui.lesson.facet.stage")), classes="lesson-label")
            yield StageChoice()
        with Horizontal(classes="lesson-row"):
            yield Label(Text(t("tui.lesson.facets")), classes="lesson-label")
            yield Input(placeholder=t("tui.lesson.facets_hint"), id="lesson-facets", max_length=500)
        yield Label(Text(t("tui.lesson.keys")), classes="dialog-hint")

    def on_mount(self) -> None:
        super().on_mount()
        if self.client_id is not None:
            self._suggest(self.client_id)

    @work(thread=True, exclusive=True, group="lesson-facets")
    def _suggest(self, client_id: int) -> None:
        from workbench.services import journal

        try:
            facets = journal.suggested_facets(client_id)
        except WorkbenchError:
            return  # the facets stay for the user to type
        self.post_message(self.Facets(facets))

    @on(Facets)
    def _facets(self, message: Facets) -> None:
        box = self.query_one("#lesson-facets", Input)
        if not box.value:
            box.value = facets_text(message.facets)

    @on(Input.Submitted)
    def _entered(self, message: Input.Submitted) -> None:
        if message.input.id == "lesson-facets":
            self.submit()
        else:
            self.focus_next()

    def action_save(self) -> None:
        self.submit()

    def collect(self) -> tuple:
        fields = {f.name: self.value(f"#lesson-{f.name}") for f in LESSON_FIELDS}
        if not any(v.strip() for v in fields.values()):
            raise ValueError(t("tui.lesson.empty"))
        facets = parse_facets(self.value("#lesson-facets"))
        stage = self.query_one(StageChoice).stage
        if stage is not None:
            facets = [f for f in facets if f[0] != "stage"] + [("stage", stage)]
        return fields, facets

    def save(self, fields: dict[str, str], facets: list[tuple[str, str]]) -> str:
        from workbench.services import journal

        journal.make_lesson(self.note.id, fields, facets, client_id=self.client_id)
        return t("tui.lesson.done")


# --- facets as one line of text ---------------------------------------------------------------------------------


def facets_text(facets: Sequence[tuple[str, str]]) -> str:
    """``层级:黑金 行业:软件 产品:理财`` (labels in the interface language)."""
    return " ".join(
        f"{t(f'tui.lesson.facet.{facet}')}:{facet_value(facet, value)}"
        for facet, value in facets
        if facet in FACETS_SHOWN
    )


def parse_facets(text: str) -> list[tuple[str, str]]:
    """Facets typed as ``label:value`` (or ``tier:black``), separated by spaces or commas; ValueError saying
    which piece is not one."""
    from workbench.i18n import text as text_in

    names = {}
    for facet in (*FACETS_SHOWN, "stage"):
        names[facet] = facet
        for language in ("zh", "en"):
            names[text_in(f"tui.lesson.facet.{facet}", language).lower()] = facet
    out = []
    for piece in _FACET_SPLIT.split(text.strip()):
        if not piece:
            continue
        label, sep, value = piece.replace("：", ":").partition(":")
        facet = names.get(label.strip().lower())
        value = value.strip()
        if not sep or facet is None or not value:
            raise ValueError(t("tui.lesson.bad_facet", piece=piece))
        if facet == "tier":
            value = _key_of(value, {k: (tier_name(k, "zh"), tier_name(k, "en")) for k in TIER_KEYS}, piece)
        elif facet == "stage":
            value = _key_of(value, {k: (zh, en) for k, zh, en in SALES_STAGES}, piece)
        out.append((facet, value))
    return out


def _key_of(value: str, names: dict[str, tuple[str, str]], piece: str) -> str:
    for key, (zh, en) in names.items():
        if value.lower() in (key, zh.lower(), en.lower()):
            return key
    raise ValueError(t("tui.lesson.bad_facet", piece=piece))
