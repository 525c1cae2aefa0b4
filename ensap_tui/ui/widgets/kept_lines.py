"""Lines kept from one frame to the next, for the widgets that redraw live under an input."""

from __future__ import annotations

from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget


class KeptLines(Widget):
    """A widget whose lines, once drawn, are given again as they are until it is marked for
    repaint, its styles change, its size or the part asked for differ, or the app's line
    filters change (a dimmed terminal, no colours).

    Textual asks every widget under a repainted area for its lines at each frame, and under a
    scrolling container that is every widget of the screen: even from its cache of lines, a
    widget works out its background, opacity and filters again each time. The checklist and the
    meter sit under the password input, so each keystroke paid for both, changed or not.
    """

    def __init__(
        self,
        *children: Widget,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(*children, name=name, id=id, classes=classes, disabled=disabled)
        self._kept_lines: tuple[tuple[object, ...], list[Strip]] | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        key = (crop, self.size, tuple(self.app.get_line_filters()))
        kept = self._kept_lines
        if kept is not None and kept[0] == key:
            return list(kept[1])
        lines = super().render_lines(crop)
        self._kept_lines = (key, lines)
        return list(lines)

    def _set_dirty(self, *regions: Region) -> None:
        # Every repaint of a widget goes through here (a refresh, a new size, new styles).
        self._kept_lines = None
        super()._set_dirty(*regions)

    def notify_style_update(self) -> None:
        self._kept_lines = None
        super().notify_style_update()
