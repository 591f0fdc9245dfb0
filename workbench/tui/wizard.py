"""The visit wizard (DOMAIN.md §5): 1 准备 the brief, goal, questions, materials · 2 拜访中 望闻问切 · 3 总结
outcome, needs, follow-ups, opportunities, next contact, lesson (ctrl+s finishes); the stage always shown.

Every field is saved as typed (visits.save in a worker, 0.3 s after the last key, the last value winning), so
Esc or a dropped link loses nothing. A finished visit is read-only; ``e`` amends, and amendments are listed.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Input, Label, Static, TextArea

from workbench.errors import BadInput, WorkbenchError, reason
from workbench.i18n import lang, t
from workbench.rules.dates import parse_day_input
from workbench.rules.journal import LESSON_FIELDS
from workbench.rules.text import safe
from workbench.services.settings import today as today_
from workbench.tui.footer import KeysFooter
from workbench.tui.keys import focus_now, localise
from workbench.tui.visit_amend import AmendDialog, refusal, save_fields
from workbench.tui.visit_text import (
    StageBar,
    WizardData,
    field_name,
    one,
    visit_text,
)
from workbench.tui.visit_widgets import (
    AnswerRow,
    Changed,
    Choice,
    RowInput,
    RowList,
    field_key,
    semicolon,
)
from workbench.tui.wizard_stages import stage_fields

if TYPE_CHECKING:
    from workbench.services.brief import Brief
    from workbench.services.visits import VisitView

STAGES = ("before", "during", "after")
SAVE_DELAY = 0.3  # seconds after the last key before a field is saved
FIRST_FIELD = {"before": "#f-goal", "during": "#f-observe", "after": "#f-outcome"}
WHERE = {"outcome": "#f-outcome", "lesson": "#lesson-situation", "follow_ups": "#f-follow_ups"}  # shown if refused
_SKIP = object()  # a value not to save (a date still being typed)


class VisitWizard(Screen[bool]):
    """The visit with ``visit_id``. Dismissed with True when the book changed beyond the visit's own fields
    (it was finished or amended), so what is under it can read again."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "tui.key.back", id="wizard.leave"),
        Binding("ctrl+left,f2", "step(-1)", "tui.key.wizard_prev", id="wizard.prev", priority=True),
        Binding("ctrl+right,f3", "step(1)", "tui.key.wizard_next", id="wizard.next", priority=True),
        Binding("ctrl+s", "finish", "tui.key.finish_visit", id="wizard.finish", priority=True),
        # as in every form: Tab moves on before the keys typed after it reach a field (tui/forms.py)
        Binding("tab", "app.focus_next", "tui.key.next_field", show=False, priority=True, id="wizard.next_field"),
        Binding(
            "shift+tab",
            "app.focus_previous",
            "tui.key.previous_field",
            show=False,
            priority=True,
            id="wizard.back_field",
        ),
        Binding("e", "amend", "tui.key.amend", id="wizard.amend"),
        Binding("1", "stage('before')", "tui.wizard.stage.before", show=False, id="wizard.stage_before"),
        Binding("2", "stage('during')", "tui.wizard.stage.during", show=False, id="wizard.stage_during"),
        Binding("3", "stage('after')", "tui.wizard.stage.after", show=False, id="wizard.stage_after"),
    ]

    class Loaded(Message):
        def __init__(self, data: WizardData | None, error: str | None = None) -> None:
            self.data, self.error = data, error
            super().__init__()

    class Saved(Message):
        def __init__(self, errors: list[str]) -> None:
            self.errors = errors
            super().__init__()

    class Finished(Message):
        def __init__(self, view: VisitView | None, error: str = "", column: str | None = None) -> None:
            self.view, self.error, self.column = view, error, column
            super().__init__()

    class Done(Message):
        """Posted to the app when the wizard closes."""

        def __init__(self, visit_id: int, changed: bool) -> None:
            self.visit_id, self.changed = visit_id, changed
            super().__init__()

    def __init__(self, visit_id: int) -> None:
        super().__init__()
        localise(self)
        self.visit_id = visit_id
        self.view: VisitView | None = None
        self.brief: Brief | None = None
        self.stage = "before"
        self.data: dict[str, object] = {}  # what the fields hold now (saved, or about to be)
        self.changed = False
        self._pending: dict[str, object] = {}
        self._timer: Timer | None = None
        self._saving = False
        self._leaving = False
        self._dismissed = False
        self._finishing = False
        self._built: set[str] = set()  # the stages whose fields are mounted
        self._ask: tuple[object, ...] | None = None  # the questions the 问 rows were built for
        self._said: tuple[str, bool] = ("", False)  # what the status line says

    @property
    def finished(self) -> bool:
        return self.view is not None and self.view.finished

    def compose(self) -> ComposeResult:
        yield StageBar(Text(t("tui.rows.loading")), id="stage-bar")
        with ContentSwitcher(initial="stage-before", id="wizard-stages"):
            for stage in STAGES:  # the fields take the focus, not the page they are on
                yield VerticalScroll(id=f"stage-{stage}", classes="stage-body", can_focus=False)
            yield VerticalScroll(id="stage-done", classes="stage-body")
        yield Label("", id="wizard-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._load()

    # loading ------------------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="wizard-load")
    def _load(self) -> None:
        from workbench.services import brief, visits

        try:
            view = visits.get(self.visit_id)
            data = WizardData(view, None if view.finished else brief.build(view.client_id, lang()))
        except WorkbenchError as exc:
            self.post_message(self.Loaded(None, str(exc)))
            return
        self.post_message(self.Loaded(data))

    @on(Loaded)
    async def _loaded(self, message: Loaded) -> None:
        if message.data is None:
            self._status(t("tui.error", error=message.error), error=True)
            return
        self.view, self.brief = message.data.view, message.data.brief
        self.data = dict(self.view.data)
        if self.view.finished:
            self._show_done()
            return
        self.stage = self.view.stage if self.view.stage in STAGES else "before"
        await self._go(self.stage, save=False)

    async def _build(self, stage: str) -> None:
        """Mount a stage's fields the first time it is shown, from what the visit holds now."""
        body = self.query_one(f"#stage-{stage}", VerticalScroll)
        if stage in self._built:
            return
        self._built.add(stage)
        await body.mount_all(self._fields(stage))
        if stage == "after":
            self._lesson_required()

    def _fields(self, stage: str) -> list[Widget]:
        return stage_fields(stage, self.data, self.brief)

    async def _build_ask(self) -> None:
        """The 问 rows: each prepared question, then each gap of the profile (the brief's, and any answered
        before). Built again only when the questions changed."""
        from workbench.rules import profile

        questions = [str(q).strip() for q in self.data.get("questions") or [] if str(q).strip()]  # type: ignore[union-attr]
        gap_answers = dict(self.data.get("gap_answers") or {})  # type: ignore[call-overload]
        gaps = [(g.field, g.label, g.question) for g in (self.brief.gaps if self.brief else [])]
        for name in gap_answers:
            if name not in {g[0] for g in gaps} and (f := profile.BY_NAME.get(name)) is not None:
                gaps.append((name, f.label(lang()), f.question(lang())))
        signature = (tuple(questions), tuple(gaps))
        if signature == self._ask:
            return
        self._ask = signature
        box = self.query_one("#f-ask", Vertical)
        await box.remove_children()
        answers = dict(self.data.get("answers") or {})  # type: ignore[call-overload]
        rows: list[Widget] = []
        for n, question in enumerate(questions):
            a = answers.get(str(n)) or {}
            rows.append(
                AnswerRow(
                    "answers",
                    str(n),
                    f"{n + 1}. {question}",
                    str(a.get("answer") or ""),
                    skipped=a.get("status") == "skipped",
                )
            )
        for name, label, question in gaps:
            g = gap_answers.get(name)
            rows.append(
                AnswerRow(
                    "gap_answers",
                    name,
                    t("tui.wizard.gap_question", label=label, question=question),
                    str((g or {}).get("answer") or ""),
                    skipped=g is not None and not g.get("answer") and not g.get("confirmed"),
                    confirmed=bool((g or {}).get("confirmed")),
                )
            )
        if not rows:
            rows.append(Label(Text(t("tui.wizard.no_questions")), classes="stage-hint"))
        await box.mount_all(rows)

    # stages -------------------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("step", "stage", "finish"):
            return self.view is not None and not self.finished
        if action == "amend":
            return self.finished
        return True

    async def action_step(self, step: int) -> None:
        index = max(0, min(len(STAGES) - 1, STAGES.index(self.stage) + step))
        await self._go(STAGES[index])

    async def action_stage(self, stage: str) -> None:
        await self._go(stage)

    async def _go(self, stage: str, *, save: bool = True) -> None:
        if self.view is None or self.finished or stage not in STAGES:
            return
        changed = stage != self.stage
        self.stage = stage
        await self._build(stage)
        if stage == "during":
            await self._build_ask()
        self.query_one("#wizard-stages", ContentSwitcher).current = f"stage-{stage}"
        self._bar()
        self.query_one(f"#stage-{stage}", VerticalScroll).scroll_home(animate=False)
        focus_now(self.query_one(FIRST_FIELD[stage]))
        if save and changed:
            self._set_stage(stage)

    def _bar(self) -> None:
        if self.view is not None:
            self.query_one(StageBar).show(self.view.client, self.view.date, self.stage, self.finished)

    @work(thread=True, group="wizard-stage")
    def _set_stage(self, stage: str) -> None:
        from workbench.services import visits

        try:
            visits.set_stage(self.visit_id, stage)
        except WorkbenchError as exc:
            self.app.call_from_thread(self._status, t("tui.error", error=str(exc)), error=True)

    # saving as typed ----------------------------------------------------------------------------------------
    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Changed)
    def _field_changed(self, message: Message) -> None:
        widget = getattr(message, "control", None)
        key = field_key(widget, self)
        if key is None:
            return
        if key == "answers" or key == "gap_answers":
            row = next((a for a in widget.ancestors_with_self if isinstance(a, AnswerRow)), None)  # type: ignore[union-attr]
            if row is not None and isinstance(message, Input.Changed):
                row.typed()
        self._changed(key)
        if isinstance(message, Input.Changed | Changed):
            rows = next((a for a in widget.ancestors_with_self if isinstance(a, RowList)), None)  # type: ignore[union-attr]
            if rows is not None:
                rows.grow()

    def _changed(self, key: str) -> None:
        if self.view is None or self.finished:
            return
        value = self._value(key)
        if value is _SKIP or value == self.data.get(key):
            return
        self.data[key] = value
        self._pending[key] = value
        if key == "outcome":
            self._lesson_required()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SAVE_DELAY, self._flush)

    def _value(self, key: str) -> object:
        """What the fields for ``key`` hold, in the form ``visits.save`` takes."""
        self._status("")
        if key in ("goal", "materials"):
            return self.query_one(f"#f-{key}", Input).value
        if key in ("observe", "listen", "why", "needs_found"):
            return self.query_one(f"#f-{key}", TextArea).text
        if key in ("questions", "confirm", "opportunities"):
            return self.query_one(f"#f-{key}", RowList).values()
        if key == "follow_ups":
            return [self._follow_up(f) for f in self.query_one("#f-follow_ups", RowList).values()]  # type: ignore[arg-type]
        if key == "outcome":
            return self.query_one("#f-outcome", Choice).value
        if key == "next_contact":
            return self._day(self.query_one("#f-next_contact", Input).value, field_name("next_contact"))
        if key == "lesson":
            return {f.name: self.query_one(f"#lesson-{f.name}", Input).value for f in LESSON_FIELDS}
        if key in ("answers", "gap_answers"):
            out = {}
            for row in self.query(AnswerRow):
                if row.field_key == key and (value := row.value()) is not None:
                    out[row.ident] = value
            return out
        return _SKIP

    def _follow_up(self, item: dict[str, str]) -> dict[str, object]:
        due = self._day(item["due"], t("tui.wizard.due_of", text=one(item["text"])))
        return {"text": item["text"], "due": None if due is _SKIP else due}

    def _day(self, text: str, what: str) -> object:
        """A day typed (a date or +days) as ISO text; None when empty; _SKIP (and said) when not a day yet."""
        if not text.strip():
            return None
        try:
            return parse_day_input(text, today_()).isoformat()
        except ValueError as exc:
            self._status(t("tui.wizard.bad_date", what=what, why=reason(exc)), error=True)
            return _SKIP

    def _flush(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._saving or not self._pending:
            return
        batch, self._pending = self._pending, {}
        self._saving = True
        if not self._said[1]:  # an error stays said until the next key
            self._status(t("tui.wizard.saving"))
        self._save(batch)

    @work(thread=True, group="wizard-save")
    def _save(self, batch: dict[str, object]) -> None:
        self.post_message(self.Saved(save_fields(self.visit_id, batch)))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self._saving = False
        if message.errors:
            self._status(t("tui.wizard.unsaved", why=semicolon().join(message.errors)), error=True)
        elif not self._pending and not self._said[1]:  # a day still wrong stays said
            self._status(t("tui.wizard.saved", time=dt.datetime.now().strftime("%H:%M:%S")))
        if self._pending and (self._timer is None or self._leaving or self._finishing):
            self._flush()
        self._after_saving()

    def _idle(self) -> bool:
        return not self._pending and not self._saving

    def _after_saving(self) -> None:
        if not self._idle():
            return
        if self._finishing:
            self._finishing = False
            self._finish()
        elif self._leaving:
            self._close()

    def on_unmount(self) -> None:
        """Quitting the app with a key still waiting to be saved: save it now rather than lose it."""
        if self._timer is not None:
            self._timer.stop()
        if self._pending and not self.finished:
            save_fields(self.visit_id, self._pending)
            self._pending = {}

    def _status(self, text: str, *, error: bool = False) -> None:
        if (text, error) == self._said:
            return
        self._said = (text, error)
        status = self.query_one("#wizard-status", Label)
        status.update(Text(safe(text, single_line=True)))
        status.set_class(error, "-error")

    def _lesson_required(self) -> None:
        if self.query("#lesson-required"):
            self.query_one("#lesson-required").display = self.data.get("outcome") == "failed"

    # moving between fields ----------------------------------------------------------------------------------
    @on(Input.Submitted)
    def _entered(self, message: Input.Submitted) -> None:
        """Enter moves to the next field; in the empty row at the end of a list, past the list."""
        rows = next((a for a in message.input.ancestors if isinstance(a, RowList)), None)
        if rows is not None and isinstance(message.input, RowInput):
            last = rows.rows()[-1] if rows.rows() else None
            if last is not None and last.is_empty() and message.input in last.query(Input):
                self._focus_after(rows)
                return
        self.focus_next()

    def _focus_after(self, container: Widget) -> None:
        chain = self.focus_chain
        inside = [n for n, w in enumerate(chain) if container in w.ancestors]
        if inside and inside[-1] + 1 < len(chain):
            focus_now(chain[inside[-1] + 1])
        else:
            self.focus_next()

    @on(Choice.Entered)
    def _choice_entered(self) -> None:
        self.focus_next()

    @on(RowInput.Empty)
    def _row_emptied(self, message: RowInput.Empty) -> None:
        """Backspace in an empty row removes it (the empty row at the end stays)."""
        rows = next((a for a in message.box.ancestors if isinstance(a, RowList)), None)
        if rows is None:
            return
        all_rows = rows.rows()
        row = next((r for r in all_rows if message.box in r.query(Input)), None)
        if row is None or row is all_rows[-1] or not row.is_empty():
            if row is all_rows[-1] and len(all_rows) > 1:
                focus_now(all_rows[-2].first_input())
            return
        index = all_rows.index(row)
        focus_now(all_rows[index - 1].first_input() if index else all_rows[index + 1].first_input())
        row.remove()
        self.call_after_refresh(self._changed, rows.field_key)

    # leaving, finishing, amending ---------------------------------------------------------------------------
    def action_leave(self) -> None:
        self._leaving = True
        self._flush()
        if self._idle():
            self._close()

    def _close(self) -> None:
        if self.is_current and not self._dismissed:
            self._dismissed = True
            self.app.post_message(self.Done(self.visit_id, self.changed))
            self.dismiss(self.changed)

    def action_finish(self) -> None:
        if self.view is None or self.finished or self._finishing:
            return
        if "after" in self._built and self._value("next_contact") is _SKIP:
            self.app.bell()  # the day is still wrong (said on the status line): not finished without it
            return
        self._finishing = True
        self._status(t("tui.wizard.finishing"))
        self._flush()
        self._after_saving()

    @work(thread=True, exclusive=True, group="wizard-finish")
    def _finish(self) -> None:
        from workbench.services import visits

        try:
            view = visits.finish(self.visit_id)
        except BadInput as exc:
            self.post_message(self.Finished(None, refusal(exc), exc.column))
            return
        except WorkbenchError as exc:
            self.post_message(self.Finished(None, str(exc)))
            return
        self.post_message(self.Finished(view))

    @on(Finished)
    async def _finished(self, message: Finished) -> None:
        if message.view is None:
            self._status(t("tui.wizard.not_finished", why=message.error), error=True)
            self.notify(t("tui.wizard.not_finished", why=message.error), severity="error", markup=False)
            self.app.bell()
            where = WHERE.get(message.column or "")
            if where and self.stage != "after":
                await self._go("after")
            if where:
                target = self.query_one(where)
                focus_now(target.query(Input).first() if isinstance(target, RowList) else target)
            return
        self.view = message.view
        self.changed = True
        follow_ups = len(message.view.data.get("follow_ups") or [])  # type: ignore[arg-type]
        self.notify(t("tui.wizard.finished", n=follow_ups), markup=False)
        self._show_done()

    def _show_done(self) -> None:
        assert self.view is not None
        self.query_one("#wizard-stages", ContentSwitcher).current = "stage-done"
        done = self.query_one("#stage-done", VerticalScroll)
        if done.query("#visit-text"):
            done.query_one("#visit-text", Static).update(visit_text(self.view))
        else:
            done.mount(Static(visit_text(self.view), id="visit-text"))
        self._bar()
        self._status(t("tui.wizard.read_only"))
        focus_now(done)
        self.refresh_bindings()

    def action_amend(self) -> None:
        if self.view is not None and self.finished:
            self.app.push_screen(AmendDialog(self.view), self._amended)

    def _amended(self, message: str | None) -> None:
        if message:
            self.changed = True
            self.notify(safe(message, single_line=True), markup=False)
            self._load()
        focus_now(self.query_one("#stage-done", VerticalScroll))
