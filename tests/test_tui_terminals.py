"""Terminals as they are (issue 9): every pane readable in 256 and in 16 colours, in the dark and the light
theme, at 80×24.

Textual paints in true colour and the terminal driver lowers each colour to what the terminal has
(``TEXTUAL_COLOR_SYSTEM=standard``: the 16 ANSI colours). Two colours that differ in true colour can become
the same one: text then vanishes into its background. These tests render each screen as the driver would
for such a terminal and look at every cell that shows a character.
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.color import ColorSystem
from textual.app import App
from textual.geometry import Region

from tests.test_tui_books import SIZE, settle
from workbench.services import demo
from workbench.tui.app import PANES, WorkbenchApp

pytestmark = pytest.mark.usefixtures("chinese")
TODAY = "2026-11-23"
SYSTEMS = {"16": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT}


@pytest.fixture
def demo_book(book, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WORKBENCH_TODAY", TODAY)
    demo.generate(120, seed=7)
    return book


def lowered_cells(app: App, system: ColorSystem, region: Region | None = None) -> list[tuple[str, object, object]]:
    """Each visible character of the screen (within ``region``) with its foreground and background as a
    terminal with ``system`` colours shows them (an ANSI number, or the RGB triplet in true colour)."""
    out = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        x = 0
        for text, style, control in strip:
            if control:
                continue
            at, x = x, x + cell_len(text)
            if not style or not text.strip() or (region and not (region.y <= y < region.bottom)):
                continue
            fg, bg = style.color, style.bgcolor
            if style.reverse:
                fg, bg = bg, fg
            low_fg = fg.downgrade(system) if fg else None
            low_bg = bg.downgrade(system) if bg else None
            for ch in text:
                inside = region is None or region.x <= at < region.right
                at += cell_len(ch)
                if inside and not ch.isspace() and not "\u2500" <= ch <= "\u259f":  # lines, blocks: not read
                    out.append((ch, _value(low_fg), _value(low_bg)))
    return out


def _value(color) -> object:
    if color is None:
        return None
    return color.number if color.number is not None else tuple(color.get_truecolor())


def unreadable(app: App, system: ColorSystem, region: Region | None = None) -> str:
    """The characters drawn in their own background's colour, as one string (empty when none are)."""
    return "".join(ch for ch, fg, bg in lowered_cells(app, system, region) if fg is not None and fg == bg)


@pytest.mark.slow
@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_every_pane_is_readable_in_16_and_256_colours(demo_book, theme: str) -> None:
    from workbench.services import config

    config.path().parent.mkdir(parents=True, exist_ok=True)
    config.path().write_text(f'theme = "{theme}"\n', encoding="utf-8")  # as a manager chooses it
    config.reload()
    app = WorkbenchApp(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == theme
        await settle(pilot)
        for number, pane in enumerate(PANES, 1):
            await pilot.press(str(number))
            await settle(pilot, 0.05)
            assert app.pane == pane
            assert len(lowered_cells(app, ColorSystem.STANDARD)) > 200, pane  # the pane shows something
            for name, system in SYSTEMS.items():
                assert unreadable(app, system) == "", f"{pane} in {name} colours, {theme}"
        for keys, what in ((["1", "enter"], "the 360 view"), (["escape", "question_mark"], "the help")):
            for key in keys:
                await pilot.press(key)
            await settle(pilot, 0.05)
            # a dialog over a dimmed screen: what is behind it is not to be read
            region = app.screen.children[0].region if app.screen.is_modal else None
            assert len(lowered_cells(app, ColorSystem.STANDARD, region)) > 50, what
            for name, system in SYSTEMS.items():
                assert unreadable(app, system, region) == "", f"{what} in {name} colours, {theme}"


async def test_the_check_sees_text_drawn_in_its_background_colour(demo_book) -> None:
    """The check itself: a label whose colour differs from its background in true colour only."""
    from textual.widgets import Static

    app = WorkbenchApp(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        label = Static("看不见的字", id="probe")
        await app.screen.mount(label)
        label.styles.background = "#202020"
        label.styles.color = "#2a2a2a"  # two near-blacks: both ANSI black in 16 colours
        await pilot.pause()
        assert "看不见的字" in unreadable(app, ColorSystem.STANDARD)
        assert "看不见的字" not in unreadable(app, ColorSystem.TRUECOLOR)
