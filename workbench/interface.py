"""What the settings may name in the interface, as plain data: the themes and the ids of the key bindings.

``services.config`` checks ``theme`` and the ``[keys]`` table against these without importing Textual; a
test keeps BINDING_IDS equal to the ids the TUI's BINDINGS declare (workbench/tui/keys.py explains them).
"""

from __future__ import annotations

# "dark" and "light" are Workbench's own names for Textual's default pair; any Textual built-in theme also works.
THEME_ALIASES = {"dark": "textual-dark", "light": "textual-light"}
THEMES = (
    "ansi-dark",
    "ansi-light",
    "atom-one-dark",
    "atom-one-light",
    "catppuccin-frappe",
    "catppuccin-latte",
    "catppuccin-macchiato",
    "catppuccin-mocha",
    "dracula",
    "flexoki",
    "gruvbox",
    "monokai",
    "nord",
    "rose-pine",
    "rose-pine-dawn",
    "rose-pine-moon",
    "solarized-dark",
    "solarized-light",
    "textual-dark",
    "textual-light",
    "tokyo-night",
)

BINDING_IDS = frozenset(
    """
    dashboard.next_month dashboard.prev_month dashboard.reload pane.dashboard amend.field_next amend.field_prev
    answer.confirm answer.skip app.help app.note app.palette app.quit app.quit_now choice.next choice.next_field
    choice.prev client.back client.convert client.edit client.lost client.referrer client.reveal client.tab_assets
    client.tab_contacts client.tab_dates client.tab_next client.tab_prev client.tab_profile client.visit
    client.win_back complaint.step demo.empty demo.generate editor.cancel editor.save find.close find.next
    find.page_down find.page_up find.prev form.back form.cancel form.next help.close journal.archive
    journal.follow_up journal.inbox journal.lesson journal.lessons journal.link journal.read journal.reload
    journal.review journal.search lesson.save log.channel_next log.channel_prev need.agree need.kind
    note.choice_next note.choice_prev note.close note.complete pane.journal pane.planner pane.portfolio pane.visits
    pick.choice_next pick.choice_prev planner.log planner.reload planner.skip planner.snooze planner.visit
    planner.week portfolio.clear portfolio.next_page portfolio.prev_page portfolio.reload portfolio.reverse
    portfolio.search portfolio.sort portfolio.status portfolio.tier portfolio.tier_prev profile.edit reader.close
    search.clear search.done stage.next stage.next_field stage.prev table.down table.first table.last table.open
    table.page_down table.page_up table.up visits.add_complaint visits.events events.back events.add events.invite
    events.attended events.absent events.reload visits.cause_lesson visits.complaints visits.complete_step
    visits.pipeline visits.reload wizard.amend wizard.back_field wizard.finish wizard.leave wizard.next
    wizard.next_field wizard.prev wizard.stage_after wizard.stage_before wizard.stage_during
""".split()
)


def theme_name(value: str) -> str:
    """The Textual theme a setting names."""
    return THEME_ALIASES.get(value, value)
