"""The planner's dialogs: log a contact, snooze, skip (forms: workbench.tui.forms)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Label

from workbench.errors import reason
from workbench.i18n import t
from workbench.rules.dates import parse_day_input
from workbench.rules.planner import CHANNELS
from workbench.rules.text import safe
from workbench.services.settings import today as today_
from workbench.tui.forms import FormScreen


class PlanDialog(FormScreen):
    """A form about one planned client; Enter in any input saves."""

    BOX_CLASSES = "plan-dialog"

    def __init__(self, client_id: int, name: str) -> None:
        super().__init__()
        self.client_id, self.client_name = client_id, name

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.submit()


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
        try:
            next_date = parse_day_input(text, today_()) if text else None
        except ValueError as exc:  # the field's only label is its placeholder, hidden once typed in: name it
            raise ValueError(t("tui.plan.log.next_bad", why=reason(exc))) from None
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
