"""Helpers for the screen tests: ways to read the screens and to act on them (the people and
the service-side helpers are in ``tests/support/``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, Input

from tests.support import waiting
from tests.support.people import NIR_SPACED, PASSWORD


def text_of(widget: Widget) -> str:
    """The plain text a widget draws (what a person reads, markup never interpreted)."""
    visual = widget.render()
    plain = getattr(visual, "plain", None)
    return plain if isinstance(plain, str) else str(visual)


def shown(app: App[Any], selector: str) -> str:
    """The plain text of the widget at ``selector`` on the current screen."""
    return text_of(app.screen.query_one(selector))


def visible(app: App[Any], selector: str) -> bool:
    """True when the widget at ``selector`` exists and is displayed on the current screen."""
    found = app.screen.query(selector)
    return bool(found) and all(w.display for w in found.first().ancestors_with_self
                               if isinstance(w, Widget))


async def settle(pilot: Pilot[Any]) -> None:
    """Waits for the workers to finish and their messages to be handled (a few rounds: a
    handled result may push a screen, whose mounting takes another turn)."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def fill(pilot: Pilot[Any], selector: str, text: str) -> None:
    """Puts ``text`` in the input at ``selector`` (as if typed) and focuses it."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = text
    await pilot.pause()


async def click(pilot: Pilot[Any], selector: str) -> None:
    """Clicks the widget at ``selector`` and lets the app react (workers included).

    A button clicked again is clicked once the flash of its last press has ended: it would
    ignore the click (``waiting.wait_for_press_ready``)."""
    for button in pilot.app.screen.query(selector).results(Button):
        if button.id is not None:
            await waiting.wait_for_press_ready(pilot, button.id, f"click {selector}")
        break
    await pilot.click(selector)
    await settle(pilot)


async def sign_in(pilot: Pilot[Any], nir: str = NIR_SPACED, password: str = PASSWORD) -> None:
    """Types the identifier and password on the sign-in screen, then Enter."""
    await fill(pilot, "#identifiant", nir)
    await fill(pilot, "#mot-de-passe", password)
    await pilot.press("enter")
    await settle(pilot)


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool]) -> None:
    """Lets the app run until ``condition`` holds (the debounced search, workers) and the
    active screen is mounted: ``tests.support.waiting.wait_until``."""
    await waiting.wait_until(pilot, condition, "the condition")
