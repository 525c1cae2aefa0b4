"""The busy line of a form (``#travail-en-cours``): what the app is doing while a call runs."""

from __future__ import annotations

from time import monotonic
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual.color import Gradient
from textual.reactive import reactive
from textual.widget import Widget

_DOT = "●"
_DOTS = 5
#: Frames a second of the moving dots (Textual's ``LoadingIndicator``'s rate).
FRAMES_PER_SECOND = 16.0


class BusyLine(Widget):
    """One row that always keeps its place and shows, while :attr:`busy`, moving dots and
    ``text`` (bold); empty otherwise.

    Turning :attr:`busy` on or off repaints this row only: the screen is not laid out again
    (a ``display`` toggle there cost 15–28 ms at the very click that starts the work). The
    dots move as Textual's ``LoadingIndicator``'s do, and stand still when the app's
    animations are off. They are redrawn :data:`FRAMES_PER_SECOND` times a second, or as often
    as the app's ``busy_line_frames_per_second`` says when it has one (a training room's poste
    asks for fewer: its frames cross the network, and 30 postes share the trainer's cores); the
    dots keep their speed, only the steps between two frames grow.
    """

    DEFAULT_CSS = """
    BusyLine {
        height: 1;
        width: 1fr;
    }
    BusyLine > .busy-line--dots {
        color: $primary;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"busy-line--dots"}

    busy: reactive[bool] = reactive(False, layout=False)
    """True while the work runs: the line shows its text."""

    def __init__(self, text: str, *, id: str = "travail-en-cours") -> None:
        super().__init__(id=id)
        self.text = text
        self._since = 0.0

    def watch_busy(self, busy: bool) -> None:
        self._since = monotonic()
        animated = busy and self.app.animation_level != "none"
        rate = float(getattr(self.app, "busy_line_frames_per_second", FRAMES_PER_SECOND))
        self.auto_refresh = 1 / rate if animated and rate > 0 else None

    def render(self) -> RenderResult:
        if not self.busy:
            return ""
        dots = self._dots()
        return Text.assemble(dots, " ", (self.text, "bold"), no_wrap=True, overflow="ellipsis")

    def _dots(self) -> Text:
        """Five dots, their shades running left to right (LoadingIndicator's gradient)."""
        background = self.colors[2]
        color = self.get_component_styles("busy-line--dots").color
        if self.app.animation_level == "none":
            return Text(f"{_DOT} " * _DOTS, style=Style.from_color(color.rich_color))
        gradient = Gradient(
            (0.0, background.blend(color, 0.1)), (0.7, color), (1.0, color.lighten(0.1))
        )
        elapsed = monotonic() - self._since
        shades = [(elapsed * 0.8 - number / 8) % 1 for number in range(_DOTS)]
        return Text.assemble(
            *(
                (f"{_DOT} ", Style.from_color(gradient.get_color((1 - shade) ** 2).rich_color))
                for shade in shades
            )
        )
