"""Waiting for the app under Pilot: for a condition, never for a time.

``pilot.pause()`` lets the app run until it looks idle, which on a busy machine (CI: two cores
shared with other work) can come before a posted message is handled; a focus moved with
``focus()`` or a button's ``Pressed`` then lands one round later. These helpers let the app run,
round after round, until what the test expects holds; the bound only turns a real failure into
an assertion instead of a hang.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.css.query import NoMatches
from textual.pilot import Pilot
from textual.widgets import Button
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

#: Rounds of ``pilot.pause(ROUND)`` before giving up: 30 s of a loaded machine.
ROUNDS = 1500
ROUND = 0.02


def _screen_mounted(pilot: Pilot[Any]) -> bool:
    """Whether the active screen has been composed and mounted (True once the app has gone)."""
    try:
        return pilot.app.screen.is_mounted
    except Exception:  # no screen any more: the app has exited, nothing left to wait for
        return True


def _holds(condition: Callable[[], bool]) -> bool:
    """``condition()``, False while what it looks at is not there yet (the screen it queries
    not composed, a table's row not listed): a wait goes on rather than failing early."""
    try:
        return condition()
    except (NoMatches, CellDoesNotExist, RowDoesNotExist):
        return False


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool], what: str = "") -> None:
    """Lets the app run until ``condition()`` holds, then until the active screen is mounted;
    fails naming ``what`` otherwise.

    A pushed screen is ``app.screen`` before Textual has composed it: on a loaded machine a
    test that waited for ``isinstance(app.screen, …)`` then queried one of its fields found
    none (NoMatches). Waiting for the mount as well makes every such wait safe."""
    for _ in range(ROUNDS):
        if _holds(condition):
            break
        await pilot.pause(ROUND)
    else:
        raise AssertionError(f"never happened: {what or condition}")
    for _ in range(ROUNDS):
        if _screen_mounted(pilot):
            return
        await pilot.pause(ROUND)
    raise AssertionError(f"the screen never finished mounting after: {what or condition}")


def focused_id(pilot: Pilot[Any]) -> str | None:
    """The id of the widget that has the focus (None when nothing has it)."""
    focused = pilot.app.focused
    return None if focused is None else focused.id


async def wait_for_focus(pilot: Pilot[Any], widget_id: str, context: str = "") -> None:
    """Lets the app run until ``#widget_id`` has the focus; the failure says who has it."""
    for _ in range(ROUNDS):
        if focused_id(pilot) == widget_id:
            return
        await pilot.pause(ROUND)
    raise AssertionError(f"{context}: focus on #{focused_id(pilot)}, expected #{widget_id}")


def takes_a_press(pilot: Pilot[Any], button_id: str) -> bool:
    """Whether ``#button_id`` on the active screen would act on a press now (Enter or click).

    Textual's ``Button`` ignores a press while the flash of its previous one lasts (its
    ``-active`` class, 0.2 s of the clock): one press wanted, not two."""
    return not pilot.app.screen.query_one(f"#{button_id}", Button).has_class("-active")


async def wait_for_press_ready(pilot: Pilot[Any], button_id: str, context: str = "") -> None:
    """Lets the app run until ``#button_id`` takes a press (:func:`takes_a_press`).

    For a test that presses the same button again: on a loaded machine the end of the first
    press's flash (a timer) can come later than the test's next Enter, which was then ignored
    while the test waited for what it does."""
    await wait_until(
        pilot, lambda: takes_a_press(pilot, button_id), f"{context}: #{button_id} takes a press"
    )
