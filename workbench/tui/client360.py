"""The client 360 view (Enter on a row): a header, then tabs 概况/资产/日期/联系
(Profile/Assets/Dates/Contacts).

The view is read by ``services.client360.client_view`` and saved by ``update_field`` in thread workers;
results come back as messages. Phone and ID number are masked until ``r``. The screen is dismissed with True
when a field was saved, so the list under it can refresh the row.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static, TabbedContent, TabPane, Tabs

from workbench.errors import BadInput, WorkbenchError, reason
from workbench.i18n import t
from workbench.services import client360
from workbench.services.client360 import ClientView
from workbench.tui import format as fmt
from workbench.tui.client_tabs import AssetsTab, ContactsTab, DatesTab
from workbench.tui.footer import KeysFooter
from workbench.tui.keys import focus_now, localise
from workbench.tui.profile_editor import FieldEditor, ProfileTable, field_label

TABS = ("profile", "assets", "dates", "contacts")


class ClientHeader(Static):
    """Who the client is and what the figures say, wrapped to the width; colours from the .tcss."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "client-header--name",
        "client-header--pending",
        "client-header--churn",
        "client-header--low",
    }

    def show(self, view: ClientView) -> None:
        style = self.get_component_rich_style
        text = Text()
        text.append(fmt.one_line(view.name), style("client-header--name", partial=True))
        facts = [fmt.one_line(view.client_no) or fmt.NONE, fmt.term("kind", view.kind), fmt.tier(view.tier)]
        if view.status != "active":
            facts.append(fmt.term("tui.c360.status", view.status))
        text.append("  " + " · ".join(facts))
        if view.tier_pending:
            pending = fmt.tier_pending(view.tier_pending, view.tier_pending_months)
            text.append(
                t("tui.c360.pending", text=pending) if pending else "",
                style("client-header--pending", partial=True),
            )
        text.append("\n")
        text.append(t("tui.c360.aum", aum=fmt.amount(view.aum)))
        text.append(f" · {fmt.trend(view.trend, False)} {fmt.trend_words(view.trend)}")
        complete = t("tui.c360.completeness", pct=view.completeness)
        if view.missing:
            complete += t("tui.c360.missing_count", n=len(view.missing))
        text.append(" · ")
        text.append(complete, style("client-header--low", partial=True) if view.completeness < 50 else "")
        if summary := fmt.life_summary(view.life):  # how it came or went, on one line
            text.append("\n" + summary)
        if view.churn:  # a line of its own: the longest part, and the one to notice
            reason = fmt.churn_reason(view.churn_reason)
            text.append("\n")
            churn = t("tui.c360.churn", reason=reason) if reason else t("churn")
            text.append(churn, style("client-header--churn", partial=True))
        self.update(text)


LIFE_ACTIONS = {"convert": ("prospect",), "lost": ("prospect", "active"), "win_back": ("lost",)}


class Client360Screen(Screen[bool]):
    CSS_PATH = "client360.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "tui.key.back", id="client.back"),
        Binding("r", "reveal", "tui.key.reveal", id="client.reveal"),
        Binding("e", "edit", "tui.key.edit", id="client.edit", priority=True),  # so typing follows at once
        Binding("v", "visit", "tui.key.visit", id="client.visit"),
        Binding("c", "convert", "tui.key.convert", id="client.convert"),
        Binding("x", "lost", "tui.key.lost", id="client.lost"),
        Binding("w", "win_back", "tui.key.win_back", id="client.win_back"),
        Binding("i", "referrer", "tui.key.referrer", show=False, id="client.referrer"),
        Binding("1", "tab('profile')", "tui.c360.tab.profile", show=False, id="client.tab_profile"),
        Binding("2", "tab('assets')", "tui.c360.tab.assets", show=False, id="client.tab_assets"),
        Binding("3", "tab('dates')", "tui.c360.tab.dates", show=False, id="client.tab_dates"),
        Binding("4", "tab('contacts')", "tui.c360.tab.contacts", show=False, id="client.tab_contacts"),
        Binding(
            "left_square_bracket",
            "step_tab(-1)",
            "tui.key.tab_prev",
            id="client.tab_prev",
            group=Binding.Group("tui.key.tab", compact=True),
        ),
        Binding(
            "right_square_bracket",
            "step_tab(1)",
            "tui.key.tab_next",
            id="client.tab_next",
            group=Binding.Group("tui.key.tab", compact=True),
        ),
    ]

    class Loaded(Message):
        def __init__(self, view: ClientView) -> None:
            self.view = view
            super().__init__()

    class Failed(Message):
        def __init__(self, client_id: int, error: str) -> None:
            self.client_id, self.error = client_id, error
            super().__init__()

    class Saved(Message):
        def __init__(self, field: str, view: ClientView) -> None:
            self.field, self.view = field, view
            super().__init__()

    class SaveRefused(Message):
        def __init__(self, client_id: int, field: str, why: str) -> None:
            self.client_id, self.field, self.why = client_id, field, why
            super().__init__()

    def __init__(self, client_id: int) -> None:
        super().__init__()
        localise(self)
        self.client_id = client_id
        self.view: ClientView | None = None
        self.revealed = False
        self.changed = False
        self.tab = "profile"

    def compose(self) -> ComposeResult:
        yield ClientHeader(t("tui.c360.loading"), id="client-header")
        with TabbedContent(id="client-tabs"):
            with TabPane(t("tui.c360.tab.profile"), id="profile"):
                yield ProfileTable(id="profile-table")
            with TabPane(t("tui.c360.tab.assets"), id="assets"):
                yield AssetsTab()
            with TabPane(t("tui.c360.tab.dates"), id="dates"):
                yield DatesTab()
            with TabPane(t("tui.c360.tab.contacts"), id="contacts"):
                yield ContactsTab()
        yield FieldEditor(id="editor")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.editor.display = False
        focus_now(self.profile_table)
        self._load(self.client_id, self.revealed)

    @property
    def editor(self) -> FieldEditor:
        return self.query_one(FieldEditor)

    @property
    def profile_table(self) -> ProfileTable:
        return self.query_one(ProfileTable)

    # data ---------------------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="client-view")
    def _load(self, client_id: int, reveal: bool) -> None:
        try:
            view = client360.client_view(client_id, reveal=reveal)
        except WorkbenchError as exc:
            self.post_message(self.Failed(client_id, str(exc)))
            return
        self.post_message(self.Loaded(view))

    @work(thread=True, exclusive=True, group="client-save")
    def _save(self, client_id: int, field: str, text: str, reveal: bool) -> None:
        try:
            view = client360.update_field(client_id, field, text)
            if reveal:
                view = client360.client_view(client_id, reveal=True)
        except BadInput as exc:
            self.post_message(self.SaveRefused(client_id, field, reason(exc.why)))  # in the interface language
            return
        except WorkbenchError as exc:
            self.post_message(self.SaveRefused(client_id, field, str(exc)))
            return
        self.post_message(self.Saved(field, view))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.view.id == self.client_id:  # not an answer about the client shown before
            self._show(message.view)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        if message.client_id != self.client_id:
            return
        self.query_one(ClientHeader).update(t("tui.c360.not_found"))
        self.notify(t("tui.error", error=message.error), severity="error")

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        if message.view.id != self.client_id:
            return
        self.changed = True
        self.editor.close()
        self._show(message.view)
        self.profile_table.select_field(message.field)
        focus_now(self.profile_table)
        self.notify(t("tui.c360.saved", field=field_label(message.field)))

    @on(SaveRefused)
    def _refused(self, message: SaveRefused) -> None:
        if message.client_id != self.client_id:
            return
        self.editor.show_error(t("tui.c360.bad", why=message.why))
        self.app.bell()

    def _show(self, view: ClientView) -> None:
        self.view = view
        self.refresh_bindings()
        self.query_one(ClientHeader).show(view)
        self.profile_table.show(view)
        self.query_one(AssetsTab).show(view)
        self.query_one(DatesTab).show(view)
        self.query_one(ContactsTab).show(view)

    # actions ------------------------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss(self.changed)

    def action_reveal(self) -> None:
        self.revealed = not self.revealed
        self._load(self.client_id, self.revealed)
        self.notify(t("tui.c360.revealed" if self.revealed else "tui.c360.masked"))

    def action_edit(self) -> None:
        if self.view is None or self.editor.field is not None:
            return
        if self.tab != "profile":
            self.action_tab("profile")
        name = self.profile_table.current_field()
        field = next((f for f in self.view.profile if f.name == name), None)
        if field is None:
            return
        if not field.editable:
            self.notify(t("tui.c360.not_editable", field=field_label(field.name)), severity="warning")
            return
        self.editor.open(field, self.revealed)

    def action_convert(self) -> None:
        from workbench.tui.life_dialogs import ConvertDialog

        if self.view is not None:
            self.app.push_screen(ConvertDialog(self.client_id, self.view.name), self._life_changed)

    def action_lost(self) -> None:
        from workbench.tui.life_dialogs import LostDialog

        if self.view is not None:
            self.app.push_screen(LostDialog(self.client_id, self.view.name), self._life_changed)

    def action_referrer(self) -> None:
        from workbench.tui.life_dialogs import ReferrerDialog

        if self.view is not None:
            self.app.push_screen(ReferrerDialog(self.client_id, self.view.name), self._life_changed)

    def action_win_back(self) -> None:
        self._win_back(self.client_id)

    @work(thread=True, group="client-life")
    def _win_back(self, client_id: int) -> None:
        from workbench.services import lifecycle

        try:
            done = lifecycle.win_back(client_id)
        except WorkbenchError as exc:
            self.app.call_from_thread(self.notify, t("tui.error", error=str(exc)), severity="error")
            return
        self.app.call_from_thread(self._life_changed, t("tui.life.won_back", name=done.name))

    def _life_changed(self, message: str | None) -> None:
        if message is None:
            return
        self.changed = True
        self.notify(message)
        self._load(self.client_id, self.revealed)

    def action_visit(self) -> None:
        """Start a visit to this client today (or resume today's) and open the wizard on it."""
        self._start_visit(self.client_id)

    @work(thread=True, group="client-visit")
    def _start_visit(self, client_id: int) -> None:
        from workbench.services import visits

        try:
            started = visits.start_visit(client_id)
        except WorkbenchError as exc:
            self.app.call_from_thread(self.notify, t("tui.error", error=str(exc)), severity="error")
            return
        self.app.call_from_thread(self._open_visit, started.id)

    def _open_visit(self, visit_id: int) -> None:
        from workbench.tui.wizard import VisitWizard

        self.app.push_screen(VisitWizard(visit_id), self._visit_closed)

    def _visit_closed(self, changed: bool | None) -> None:
        if changed:  # finished: a contact, the next contact, confirmed answers in the profile
            self.changed = True
            self._load(self.client_id, self.revealed)
        focus_now(self.profile_table)

    def action_tab(self, tab: str) -> None:
        self.tab = tab  # kept here: TabbedContent.active settles only after its messages are handled
        self.query_one(TabbedContent).active = tab
        self._focus_tab(tab)

    def action_step_tab(self, step: int) -> None:
        self.action_tab(TABS[(TABS.index(self.tab) + step) % len(TABS)])

    def _focus_tab(self, tab: str) -> None:
        if tab == "profile":
            focus_now(self.profile_table)
        else:
            focus_now(self.query_one(f"#{tab} VerticalScroll"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in LIFE_ACTIONS or action in ("edit", "tab", "step_tab", "reveal", "visit", "referrer"):
            if self.editor.field is not None:
                return False  # while editing, keys go to the input
        if action in LIFE_ACTIONS:  # only what the client's status allows
            return self.view is not None and self.view.status in LIFE_ACTIONS[action]
        return True

    # events -------------------------------------------------------------------------------------------------
    @on(ProfileTable.RowSelected, "#profile-table")
    def _field_chosen(self) -> None:
        self.action_edit()

    @on(FieldEditor.Save)
    def _save_field(self, message: FieldEditor.Save) -> None:
        field = self.editor.field
        unchanged = field is not None and not self.editor.hidden_value and message.text == field.value
        if unchanged or (self.editor.hidden_value and not message.text.strip()):
            self._close_editor(t("tui.c360.unchanged"))
            return
        self._save(self.client_id, message.field, message.text, self.revealed)

    @on(FieldEditor.Cancel)
    def _cancel_edit(self) -> None:
        self._close_editor()

    def _close_editor(self, note: str = "") -> None:
        self.editor.close()
        focus_now(self.profile_table)
        if note:
            self.notify(note)

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id in TABS and isinstance(self.focused, Tabs):  # chosen on the tab bar itself
            self.tab = event.pane.id
        if self.editor.field is not None:
            self._close_editor()

    @on(Input.Changed, "#editor-input")
    def _typing(self) -> None:
        self.editor.show_error("")
