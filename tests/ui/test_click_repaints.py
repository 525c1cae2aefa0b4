"""A click into a field or a list repaints what changed, not the whole screen, and the screen
as sent (update after update) is still the screen a full render draws."""

from __future__ import annotations

from typing import Any

import pytest
from rich.segment import ControlType, Segment
from textual.widgets import Select

from tests.support.waiting import wait_for_focus, wait_until

from .registration_wizard import open_identity_step, type_text

SIZE = (100, 40)
Cells = list[list[tuple[str, object]]]


def blank() -> Cells:
    return [[(" ", None)] * SIZE[0] for _ in range(SIZE[1])]


def draw(cells: Cells, segments: list[Segment]) -> None:
    """Writes an update's segments the way a terminal does: a cursor move, then cells."""
    x = y = 0
    for segment in segments:
        if segment.control:
            for code in segment.control:
                if code[0] == ControlType.CURSOR_MOVE_TO:
                    x, y = code[1], code[2]
            continue
        if segment.text == "\n":
            continue
        for char in segment.text:
            if 0 <= y < SIZE[1] and 0 <= x < SIZE[0]:
                cells[y][x] = (char, segment.style)
            x += 1


class Terminal:
    """What a terminal shows after every update the app sent."""

    def __init__(self, app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        self.app = app
        self.cells = blank()
        real_display = app._display

        def display(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                draw(self.cells, list(app.console.render(renderable)))
            real_display(screen, renderable)

        monkeypatch.setattr(app, "_display", display)

    def text(self) -> str:
        return "\n".join("".join(char for char, _style in row) for row in self.cells)

    async def wait_for_first_frame(self, pilot: Any) -> None:
        """Waits until the terminal shows step 1 (its frame may come an update after the
        screen is current), and the app is idle."""
        await wait_until(pilot, lambda: "Mon identité" in self.text(), "step 1 drawn")
        await pilot.pause()

    def as_drawn_whole(self) -> Cells:
        """The current screen drawn in one full render, from fresh renders of every widget."""
        screen = self.app.screen
        for widget in screen.walk_children(with_self=True):
            widget._styles_cache.clear()
            widget._render_cache = widget._render_cache.__class__(widget.size, [])
            widget.refresh()
        cells = blank()
        update = screen._compositor.render_update(full=True)
        draw(cells, list(self.app.console.render(update)))
        return cells


async def test_a_click_into_a_field_repaints_no_whole_screen_and_leaves_it_right(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        terminal = Terminal(app, monkeypatch)
        await open_identity_step(pilot)
        await terminal.wait_for_first_frame(pilot)
        screen = app.screen
        whole_repaints: list[str] = []
        real_refresh = screen.refresh

        def refresh(*regions: Any, **kwargs: Any) -> Any:
            if not regions and not kwargs.get("layout"):
                whole_repaints.append(str(kwargs))
            return real_refresh(*regions, **kwargs)

        monkeypatch.setattr(screen, "refresh", refresh)
        await pilot.click("#nir")
        await wait_for_focus(pilot, "nir")
        await type_text(pilot, "185")
        await pilot.click("#nom-naissance")
        await wait_for_focus(pilot, "nom-naissance")
        await pilot.pause()
        # Textual repainted the whole screen on each click (its focus and its mouse
        # selection state each asked for it): a full update, every widget rendered again.
        assert whole_repaints == []
        assert terminal.cells == terminal.as_drawn_whole()


async def test_the_screen_stays_right_through_lists_and_a_mouse_selection(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        terminal = Terminal(app, monkeypatch)
        await open_identity_step(pilot)
        await terminal.wait_for_first_frame(pilot)
        select = app.screen.query_one("#mois", Select)
        await pilot.click("#mois")
        await wait_until(pilot, lambda: select.expanded, "#mois open")
        await pilot.pause()
        assert terminal.cells == terminal.as_drawn_whole()
        await type_text(pilot, "05")
        await pilot.press("enter")
        await wait_until(pilot, lambda: select.value == "05" and not select.expanded, "05")
        await pilot.pause()
        assert terminal.cells == terminal.as_drawn_whole()
        # A drag over the help text selects it; a click elsewhere drops the selection.
        await pilot.click("#aide-nir")
        await pilot.pause()
        await pilot.mouse_down(offset=(2, 2))
        await pilot.hover(offset=(40, 3))
        await pilot.mouse_up(offset=(40, 3))
        await pilot.pause()
        assert app.screen.selections
        assert terminal.cells == terminal.as_drawn_whole()
        await pilot.click("#nir")
        await wait_for_focus(pilot, "nir")
        await pilot.pause()
        assert not app.screen.selections
        assert terminal.cells == terminal.as_drawn_whole()
