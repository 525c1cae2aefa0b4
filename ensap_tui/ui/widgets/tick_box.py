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
    def _box(self) -> str:
        return "☑" if self.value else "☐"

    @property
    def _button(self) -> Content:
        return Content.styled(self._box, self.get_visual_style("toggle--button"))

    def render(self) -> Content:
        """«☐ Afficher »: the box, one space, the label (as wide as Textual draws it). The space
        goes with the box rather than as the label's first cell: pictures (SVG) drop the
        leading space of a text run, which glued the label to its box («☐Afficher»)."""
        box = Content.styled(f"{self._box} ", self.get_visual_style("toggle--button"))
        label = self._label.pad_right(1).stylize_before(self.get_visual_style("toggle--label"))
        return Content.assemble(box, label)
