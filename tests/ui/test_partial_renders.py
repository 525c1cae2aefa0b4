"""A partial screen update renders only the rows it sends, and sends exactly what Textual's
own rendering sends."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import pytest
from textual._compositor import Compositor
from textual.geometry import Region
from textual.widgets import Input, Select

from ensap_tui.ui import partial_renders
from tests.support.waiting import wait_for_focus, wait_until

from .registration_wizard import open_identity_step, type_text

SIZE = (100, 40)


def sent(app: Any, regions: list[Region], get_renders: Any,
         monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """What the screen's compositor sends for ``regions``, rendered with ``get_renders``."""
    monkeypatch.setattr(Compositor, "_get_renders", get_renders)
    compositor = app.screen._compositor
    compositor._dirty_regions.clear()
    compositor._dirty_regions.update(regions)
    update = compositor.render_update(screen_stack=app._background_screens)
    return [(s.text, s.style, s.control) for s in app.console.render(update)]


def assert_same_as_textual(app: Any, monkeypatch: pytest.MonkeyPatch) -> int:
    """Each visible widget's region, and each pair of them, sent the same by both; returns
    how many updates were compared."""
    regions = [
        region.intersection(clip)
        for region, clip in app.screen._compositor.visible_widgets.values()
        if region.intersection(clip)
    ]
    compared = 0
    for update in [[r] for r in regions] + [list(pair) for pair in combinations(regions, 2)]:
        textual = sent(app, update, partial_renders.TEXTUAL_GET_RENDERS, monkeypatch)
        ours = sent(app, update, partial_renders._get_renders, monkeypatch)
        assert ours == textual, update
        compared += 1
    return compared


async def test_partial_updates_send_what_textual_sends(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_identity_step(pilot)
        await pilot.click("#nir")
        await wait_for_focus(pilot, "nir")
        await type_text(pilot, "1 85 05")
        await wait_until(pilot, lambda: app.screen.query_one("#nir", Input).value == "1 85 05")
        assert assert_same_as_textual(app, monkeypatch) > 100
        # A list open over the fields below it (an overlay on the screen's layer).
        select = app.screen.query_one("#annee", Select)
        await pilot.click("#annee")
        await wait_until(pilot, lambda: select.expanded, "#annee open")
        await pilot.pause()
        assert assert_same_as_textual(app, monkeypatch) > 100


async def test_a_typed_character_renders_only_the_widgets_on_its_field_rows(
    make_app: Any,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_identity_step(pilot)
        field = app.screen.query_one("#nir", Input)
        compositor = app.screen._compositor
        rendered = list(compositor._get_renders(field.region))
        # The field, and behind it the scrolling body and the screen; Textual's rendered every
        # widget of the step (its header, fields, lists, buttons, footer) at each key.
        assert len(rendered) == 3
        assert len(list(partial_renders.TEXTUAL_GET_RENDERS(compositor, field.region))) > 10
        assert all(region.height == field.region.height for region, _clip, _ in rendered)
