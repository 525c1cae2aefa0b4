"""Moving between the session screens without piling up copies of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.app import App
from textual.screen import Screen

S = TypeVar("S", bound=Screen[object])


def return_to(app: App[object], kind: type[S], make: Callable[[], S]) -> S | None:
    """Goes back to the nearest screen of ``kind`` in the stack, closing those above it, or
    pushes ``make()`` when there is none. Returns the screen found (None when one was pushed).

    Used after a reset or an expired link, where the journey loops back to a screen the person
    came through (sign-in, «Mot de passe oublié»): going back keeps Escape meaningful.
    """
    for screen in reversed(app.screen_stack[:-1]):
        if isinstance(screen, kind):
            screen.pop_until_active()
            return screen
    app.push_screen(make())
    return None
