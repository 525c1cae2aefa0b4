"""A check box drawn «☐» / «☑», so its state never depends on colour alone."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.widgets import Checkbox


class TickBox(Checkbox, inherit_bindings=False):
    """A :class:`~textual.widgets.Checkbox` whose box reads «☐» when off and «☑» when on.

    Space (or a click) toggles it. Enter is left to the screen, where it submits the step.
    It posts the usual ``Checkbox.Changed``; handle it with ``@on(Checkbox.Changed, "#id")``.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_button", "Cocher", show=False),
    ]

    DEFAULT_CSS = """
    TickBox {
        border: none;
        padding: 0 1;
        background: transparent;
        &:focus { border: none; }
        & > .toggle--button { background: transparent; color: $foreground; }
        &.-on > .toggle--button { background: transparent; color: $text-success; }
    }
    """

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # Textual's toggle buttons are one line tall; a long label (the terms box) wraps
        # instead of losing its end.
        return max(1, len(self.render().wrap(width)))

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.styled("☑" if self.value else "☐", style)
