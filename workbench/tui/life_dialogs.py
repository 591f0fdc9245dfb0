"""The 360 view's dialogs for a client's life: convert a prospect (the bank's client number, if given yet), mark
a client lost (the reason, and whether the loss was normal), and say who introduced the client. Each saves
through services.lifecycle."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Label

from workbench.i18n import t
from workbench.rules import lifecycle as rules
from workbench.rules.text import safe
from workbench.tui.capture import PickList
from workbench.tui.client_pick import ClientPickForm
from workbench.tui.forms import FormScreen
from workbench.tui.keys import focus_now

YES = ("y", "yes", "是", "正常", "1")
NO = ("n", "no", "否", "非正常", "不正常", "0")


class ConvertDialog(FormScreen):
    """A prospect becomes a client; Enter converts (its history stays)."""

    BOX_CLASSES = "visit-dialog"

    def __init__(self, client_id: int, name: str) -> None:
        super().__init__()
        self.client_id, self.client_name = client_id, name

    def title_text(self) -> str:
        return t("tui.life.convert_title", name=safe(self.client_name, single_line=True))

    def fields(self) -> ComposeResult:
        yield Label(Text(t("tui.life.client_no")), classes="dialog-hint")
        yield Input(placeholder=t("tui.life.client_no_hint"), id="client-no", max_length=40)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.submit()

    def collect(self) -> tuple:
        return (self.value("#client-no").strip() or None,)

    def save(self, client_no: str | None) -> str:
        from workbench.services import lifecycle

        done = lifecycle.convert(self.client_id, client_no=client_no)
        if done.follow_up:
            return t("tui.life.converted_thanks", name=done.name, referrer=done.referrer or "")
        return t("tui.life.converted", name=done.name)


class LostDialog(FormScreen):
    """Why the client was lost and whether it was normal (y/n; a known reason fills it in). Enter saves."""

    BOX_CLASSES = "visit-dialog"

    def __init__(self, client_id: int, name: str) -> None:
        super().__init__()
        self.client_id, self.client_name = client_id, name

    def title_text(self) -> str:
        return t("tui.life.lost_title", name=safe(self.client_name, single_line=True))

    def fields(self) -> ComposeResult:
        known = t("tui.list_sep").join(words[0] for words in rules.LOSS_REASONS.values())
        yield Label(Text(t("tui.life.reason", known=known)), classes="dialog-hint")
        yield Input(id="lost-reason", max_length=rules.MAX_TEXT)
        yield Label(Text(t("tui.life.normal")), classes="dialog-hint")
        yield Input(placeholder="y / n", id="lost-normal", max_length=5)

    @on(Input.Changed, "#lost-reason")
    def _reason_typed(self, event: Input.Changed) -> None:
        try:
            default = rules.loss_reason(event.value)[1]
        except rules.LifecycleError:
            return
        if default is not None:
            self.query_one("#lost-normal", Input).value = "y" if default else "n"

    @on(Input.Submitted, "#lost-reason")
    def _reason_entered(self) -> None:
        focus_now(self.query_one("#lost-normal", Input))

    @on(Input.Submitted, "#lost-normal")
    def _normal_entered(self) -> None:
        self.submit()

    def collect(self) -> tuple:
        reason = self.value("#lost-reason").strip()
        if not reason:
            raise ValueError(t("tui.life.reason_required"))
        answer = self.value("#lost-normal").strip().lower()
        if answer not in YES + NO:
            raise ValueError(t("tui.life.normal_required"))
        return reason, answer in YES

    def save(self, reason: str, normal: bool) -> str:
        from workbench.services import lifecycle

        done = lifecycle.mark_lost(self.client_id, reason, normal)
        return t("tui.life.lost", name=done.name)


class ReferrerDialog(ClientPickForm):
    """Who introduced this client: find the referrer (name, pinyin or initials; ↑↓ choose), Enter saves."""

    BOX_CLASSES = "visit-dialog"

    def __init__(self, client_id: int, name: str) -> None:
        super().__init__()
        self.client_id, self.client_name = client_id, name

    def title_text(self) -> str:
        return t("tui.life.referrer_title", name=safe(self.client_name, single_line=True))

    def fields(self) -> ComposeResult:
        yield Label(Text(t("tui.follow.client")), classes="dialog-hint")
        yield from self.client_fields()

    @on(Input.Submitted, "#client-query")
    def _entered(self) -> None:
        self.submit()

    def collect(self) -> tuple:
        match = self.query_one(PickList).chosen(first=True)
        if match is None:
            raise ValueError(t("tui.link.choose"))
        return (match[0],)

    def save(self, referrer_id: int) -> str:
        from workbench.services import lifecycle

        done = lifecycle.set_referrer(self.client_id, referrer_id)
        return t("tui.life.referrer_saved", name=done.name, referrer=done.referrer or "")
