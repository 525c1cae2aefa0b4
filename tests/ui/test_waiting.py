"""The waiting helpers of ``tests.support.waiting`` wait for what Textual really does."""

from __future__ import annotations

from typing import Self

from textual.app import App, ComposeResult
from textual.widgets import Button

from tests.support.waiting import takes_a_press, wait_for_focus, wait_for_press_ready, wait_until


class CountingButton(Button):
    """Counts the Enters it gets (``asked``) and the presses it acts on (``pressed``)."""

    asked = 0
    pressed = 0

    def action_press(self) -> None:
        self.asked += 1
        super().action_press()

    def press(self) -> Self:
        self.pressed += 1
        return super().press()


class OneButton(App[None]):
    """One button whose press flash lasts ``flash`` seconds."""

    def __init__(self, flash: float) -> None:
        super().__init__()
        self.button = CountingButton("Continuer", id="continuer")
        self.button.active_effect_duration = flash

    def compose(self) -> ComposeResult:
        yield self.button


async def test_an_enter_during_the_flash_of_the_last_press_is_ignored() -> None:
    """Why a test must wait before pressing the same button again (an hour-long flash: the
    second Enter surely comes during it)."""
    app = OneButton(flash=3600)
    button = app.button
    async with app.run_test() as pilot:
        await wait_for_focus(pilot, "continuer")
        await pilot.press("enter")
        await wait_until(pilot, lambda: button.pressed == 1, "the first press")
        assert not takes_a_press(pilot, "continuer")
        await pilot.press("enter")
        await wait_until(pilot, lambda: button.asked == 2, "the second Enter reaches the button")
        assert button.pressed == 1


async def test_a_second_enter_after_waiting_for_the_button_is_taken() -> None:
    app = OneButton(flash=0.3)
    button = app.button
    async with app.run_test() as pilot:
        await wait_for_focus(pilot, "continuer")
        await pilot.press("enter")
        await wait_until(pilot, lambda: button.pressed == 1, "the first press")
        await wait_for_press_ready(pilot, "continuer", "second press")
        await pilot.press("enter")
        await wait_until(pilot, lambda: button.pressed == 2, "the second press")
