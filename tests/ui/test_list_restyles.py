"""What opening and closing a date list restyles: the overlay (an option list, the dearest
widget to restyle) only for its own changes, and every widget of the list still styled as a
full restyle would style it."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.widgets import Select
from textual.widgets._select import SelectOverlay

from tests.support.waiting import wait_for_focus, wait_until

from .registration_wizard import open_identity_step, type_text

SIZE = (100, 40)


def spy_restyles(app: Any, monkeypatch: pytest.MonkeyPatch) -> Counter[DOMNode]:
    """Counts the nodes the app's stylesheet styles from now on (the real styling runs)."""
    counts: Counter[DOMNode] = Counter()
    stylesheet = app.stylesheet
    real_apply = Stylesheet.apply

    def apply(node: DOMNode, *args: Any, **kwargs: Any) -> None:
        counts[node] += 1
        real_apply(stylesheet, node, *args, **kwargs)

    monkeypatch.setattr(stylesheet, "apply", apply)
    return counts


def css_rules(select: Select[str]) -> list[tuple[str, dict[str, object]]]:
    return [
        (repr(node), dict(node._css_styles.get_rules()))
        for node in select.walk_children(with_self=True)
    ]


async def open_list(pilot: Any, select: Select[str]) -> None:
    await pilot.click(f"#{select.id}")
    await wait_until(pilot, lambda: select.expanded, f"#{select.id} open")
    overlay = select.query_one(SelectOverlay)
    await wait_until(pilot, lambda: overlay.has_focus, "its overlay focused")


async def test_opening_and_closing_a_list_restyles_its_overlay_only_for_its_own_changes(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_identity_step(pilot)
        await pilot.click("#nir")
        await wait_for_focus(pilot, "nir")
        select = app.screen.query_one("#jour", Select)
        overlay = select.query_one(SelectOverlay)
        counts = spy_restyles(app, monkeypatch)

        await open_list(pilot, select)
        # Shown (``-expanded``), then focused: Textual restyled it twice more, for the list's
        # own focus coming and going, which no rule of the overlay reads.
        assert counts[overlay] == 2
        await type_text(pilot, "14")
        await pilot.press("enter")
        await wait_until(pilot, lambda: not select.expanded and select.has_focus, "closed")
        await pilot.pause()
        assert select.value == "14"
        assert counts[overlay] == 4  # blurred, then hidden


async def test_a_list_opened_and_closed_is_styled_as_a_full_restyle_styles_it(
    make_app: Any,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_identity_step(pilot)
        select = app.screen.query_one("#mois", Select)

        def styled_as_a_full_restyle(when: str) -> None:
            kept = css_rules(select)
            app.stylesheet.update_nodes(select.walk_children(with_self=True))
            assert css_rules(select) == kept, when

        await open_list(pilot, select)
        styled_as_a_full_restyle("open")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not select.expanded and select.has_focus, "closed")
        styled_as_a_full_restyle("closed by Escape, the list focused")
        await open_list(pilot, select)
        await type_text(pilot, "05")
        await pilot.press("enter")
        await wait_until(pilot, lambda: select.value == "05" and select.has_focus, "05 chosen")
        styled_as_a_full_restyle("closed by Enter, the list focused")
        await pilot.click("#nom-naissance")
        await wait_for_focus(pilot, "nom-naissance")
        styled_as_a_full_restyle("the focus gone to another field")
