"""The planner's dialogs: log a contact, snooze, skip. Each saves through the planner service in a worker
and closes only once the book has it; on an error it stays open with what was typed and says why."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from workbench.errors import WorkbenchError, reason
from workbench.i18n import t
from workbench.rules.dates import parse_day_input
from workbench.rules.planner import CHANNELS
from workbench.rules.text import safe
from workbench.services.settings import today as today_
from workbench.tui.keys import focus_now, localise


class PlanDialog(ModalScreen[str | None]):
    """A small form: a title, inputs, an error line. Enter in the last input (or any, see ``submit_from``)
    saves; Esc closes without saving. Dismissed with the message to show, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "tui.key.cancel", id="dialog.cancel")]

    def __init__(self, client_id: int, name: str) -> None:
        super().__init__()
        localise(self)
        self.client_id, self.client_name = client_id, name
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text()), classes="dialog-title")  # Text: client names are never markup
            yield from self.fields()
            yield Label("", id="dialog-error", classes="dialog-error")

    def title_text(self) -> str:
        raise NotImplementedError

    def fields(self) -> ComposeResult:
        raise NotImplementedError

    def on_mount(self) -> None:
        focus_now(self.query(Input).first())

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        if self.saving:
            return
        try:
            args = self.collect()
        except ValueError as exc:
            self.show_error(reason(exc))
            return
        self.saving = True
        self._save(args)

    def collect(self) -> tuple:
        """The form's values, checked; ValueError saying what is wrong."""
        raise NotImplementedError

    def save(self, *args: object) -> str:
        """Write through the service (in a worker thread); the message to show."""
        raise NotImplementedError

    @work(thread=True, exclusive=True, group="plan-dialog")
    def _save(self, args: tuple) -> None:
        try:
            message = self.save(*args)
        except WorkbenchError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self.dismiss, message)

    def _failed(self, why: str) -> None:
        self.saving = False
        self.show_error(t("tui.plan.unsaved", why=why))

    def show_error(self, text: str) -> None:
        self.query_one("#dialog-error", Label).update(Text(safe(text, single_line=True)))

    def value(self, selector: str) -> str:
        return self.query_one(selector, Input).value


class LogDialog(PlanDialog):
    """Log a contact: the suggested channel is chosen already (↑↓ change it); type the outcome, Enter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "channel(-1)", "tui.key.channel_prev", id="log.channel_prev"),
        Binding("down", "channel(1)", "tui.key.channel_next", id="log.channel_next"),
    ]

    def __init__(self, client_id: int, name: str, channel: str) -> None:
        super().__init__(client_id, name)
        self.channel = channel if channel in CHANNELS else "phone"

    def title_text(self) -> str:
        return t("tui.plan.log.title", name=safe(self.client_name, single_line=True))

    def fields(self) -> ComposeResult:
        yield Label(self._channel_text(), id="log-channel")
        yield Input(placeholder=t("tui.plan.log.outcome"), id="log-outcome", max_length=2000)
        yield Input(placeholder=t("tui.plan.log.next"), id="log-next", max_length=20)

    def _channel_text(self) -> str:
        return t("tui.plan.log.channel", channel=t(f"channel.{self.channel}"))

    def action_channel(self, step: int) -> None:
        self.channel = CHANNELS[(CHANNELS.index(self.channel) + step) % len(CHANNELS)]
        self.query_one("#log-channel", Label).update(self._channel_text())

    def collect(self) -> tuple:
        outcome = self.value("#log-outcome").strip()
        if not outcome:
            raise ValueError(t("tui.plan.log.outcome"))
        text = self.value("#log-next").strip()
        next_date = parse_day_input(text, today_()) if text else None
        return self.channel, outcome, next_date

    def save(self, channel: str, outcome: str, next_date: dt.date | None) -> str:
        from workbench.services import planner

        logged = planner.log_contact(self.client_id, channel, outcome, next_date=next_date)
        due = logged.next_due.isoformat() if logged.next_due else "—"
        return t("tui.plan.logged", name=logged.name, due=due)


class SnoozeDialog(PlanDialog):
    """Put the contact off to a day (the next workday is filled in)."""

    def __init__(self, client_id: int, name: str, suggested: dt.date) -> None:
        super().__init__(client_id, name)
        self.suggested = suggested

    def title_text(self) -> str:
        return t("tui.plan.snooze.title", name=safe(self.client_name, single_line=True))

    def fields(self) -> ComposeResult:
        yield Label(t("tui.plan.snooze.until"), classes="dialog-hint")
        yield Input(self.suggested.isoformat(), id="snooze-until", max_length=20)
        yield Input(placeholder=t("tui.plan.snooze.reason"), id="snooze-reason", max_length=500)

    def collect(self) -> tuple:
        return parse_day_input(self.value("#snooze-until"), today_()), self.value("#snooze-reason")

    def save(self, until: dt.date, reason: str) -> str:
        from workbench.services import planner

        planner.snooze(self.client_id, until, reason)
        return t("tui.plan.snoozed", name=self.client_name, day=until.isoformat())


class SkipDialog(PlanDialog):
    """Leave the client out of today's list, saying why."""

    def title_text(self) -> str:
        return t("tui.plan.skip.title", name=safe(self.client_name, single_line=True))

    def fields(self) -> ComposeResult:
        yield Input(placeholder=t("tui.plan.skip.reason"), id="skip-reason", max_length=500)

    def collect(self) -> tuple:
        reason = self.value("#skip-reason").strip()
        if not reason:
            raise ValueError(t("tui.plan.skip.reason"))
        return (reason,)

    def save(self, reason: str) -> str:
        from workbench.services import planner

        planner.skip(self.client_id, reason)
        return t("tui.plan.skipped", name=self.client_name)
