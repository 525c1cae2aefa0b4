"""A one-line input whose typing never lays the screen out again."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class SteadyInput(Input):
    """Textual's :class:`~textual.widgets.Input`, except that the width of its text, which
    changes on every key, only asks for a repaint.

    Textual keeps that width in ``virtual_size``, a reactive that lays the whole screen out
    again when it changes: most of a key's cost on a small machine, though an input whose
    width does not follow its text has nothing to move (the input still scrolls to its cursor:
    the scroll reads ``virtual_size`` itself). An input sized by its text (``width: auto``)
    still asks for the layout it needs: Textual's ``Input`` does so on every change of its
    value.

    Its cursor does not blink where the app's ``cursor_blinks`` is False (a training room's
    poste).
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def on_mount(self) -> None:
        # The app says whether cursors blink (a training room's poste keeps them steady).
        if not getattr(self.app, "cursor_blinks", True):
            self.cursor_blink = False
