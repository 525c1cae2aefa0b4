"""The live «Niveau de sécurité» of a password: a bar and the word."""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Region
from textual.reactive import reactive
from textual.selection import Selection
from textual.strip import Strip

from ensap_tui.ui.widgets.kept_lines import KeptLines

#: How much of the bar each level fills, in thirds.
_THIRDS = {"Faible": 1, "Moyen": 2, "Fort": 3}
_LABEL = "Niveau de sécurité"
_NO_LEVEL = "—"
#: The narrowest width the whole line fits in (the label, the shortest bar, the longest word).
_FITS = len(_LABEL) + 3 + 3 + 3 + len("Faible")


class StrengthMeter(KeptLines, can_focus=False):
    """«Niveau de sécurité ██████░░░░░░ Moyen»: one line, redrawn in the frame of each change.

    Set :attr:`level` (``""`` while nothing is typed: empty bar, «—»; else ``"Faible"``,
    ``"Moyen"`` or ``"Fort"``, as ``ensap_tui.domain.password.assess`` says); nothing happens
    when it is set to the level it already has. The widget carries the matching state class
    ``-faible`` / ``-moyen`` / ``-fort`` (for queries; its colours come from the component
    classes below). The level is always written as a word, so colour is never the only sign.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "strength-meter--label",
        "strength-meter--bar",
        "strength-meter--empty",
        "strength-meter--level",
        "strength-meter--bar-faible",
        "strength-meter--bar-moyen",
        "strength-meter--bar-fort",
        "strength-meter--level-faible",
        "strength-meter--level-moyen",
        "strength-meter--level-fort",
    }
    """
    | Class | Description |
    | :- | :- |
    | `strength-meter--label` | «Niveau de sécurité». |
    | `strength-meter--bar` | The filled part of the bar, with no level. |
    | `strength-meter--bar-faible` (`-moyen`, `-fort`) | The filled part of the bar at a level. |
    | `strength-meter--empty` | The rest of the bar. |
    | `strength-meter--level` | The word, with no level («—»). |
    | `strength-meter--level-faible` (`-moyen`, `-fort`) | The word: Faible, Moyen, Fort. |

    The colours of a level are component classes chosen when the line is drawn, not rules on
    the state classes: a change of class would compute the widget's styles again, which costs
    more than the frame it happens in.
    """

    DEFAULT_CSS = """
    StrengthMeter {
        height: 1;
        width: 1fr;
        & > .strength-meter--label { text-style: bold; }
        & > .strength-meter--empty { color: $foreground 30%; }
        & > .strength-meter--bar { color: $foreground 50%; }
        & > .strength-meter--level { text-style: bold; }
        & > .strength-meter--bar-faible { color: $error; }
        & > .strength-meter--level-faible { text-style: bold; color: $text-error; }
        & > .strength-meter--bar-moyen { color: $warning; }
        & > .strength-meter--level-moyen { text-style: bold; color: $text-warning; }
        & > .strength-meter--bar-fort { color: $success; }
        & > .strength-meter--level-fort { text-style: bold; color: $text-success; }
    }
    """

    #: The widest the bar gets, in cells.
    BAR_MAX_WIDTH: ClassVar[int] = 36

    # Drawn with Textual's line API from a strip kept for each level and width (and forgotten
    # when the styles change): a new level costs a look-up, not a rich text laid out again with
    # its component styles computed again (Textual forgets those at every repaint).
    level: reactive[str] = reactive("", repaint=False)
    """The level word: ``""`` (nothing typed), ``"Faible"``, ``"Moyen"`` or ``"Fort"``."""

    def __init__(
        self,
        level: str = "",
        *,
        id: str | None = "niveau-securite",
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(StrengthMeter.level, level)
        self._strips: dict[tuple[str, int], Strip] = {}
        self._styles: dict[str, Style] = {}
        self._selected = False

    def watch_level(self, level: str) -> None:
        self._show_level(level)
        width = self.content_size.width
        if width < _FITS or self._selected:
            self.refresh()
        else:
            # The label stays: only the bar and the word are repainted.
            start = len(_LABEL) + 3
            self.refresh(Region(start, 0, width - start, 1))

    def selection_updated(self, selection: Selection | None) -> None:
        self._selected = selection is not None
        super().selection_updated(selection)

    def _show_level(self, level: str) -> None:
        # State classes for queries and tests only (update=False: no style depends on them,
        # see COMPONENT_CLASSES).
        self.update_classes(
            {f"-{name.lower()}": level == name for name in _THIRDS}, update=False
        )

    def on_mount(self) -> None:
        self._show_level(self.level)
        self.call_after_refresh(self._prepare)

    def notify_style_update(self) -> None:
        """Forgets the drawn lines and their styles: they come from the styles."""
        super().notify_style_update()
        self._strips.clear()
        self._styles.clear()
        if self.is_mounted:
            self.call_after_refresh(self._prepare)

    def _prepare(self) -> None:
        """Draws every level at this width once it is shown, so that no key pays for a first
        one."""
        width = self.content_size.width
        if width >= _FITS:
            for level in ("", *_THIRDS):
                self._strip(level, width)

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = (
                self.rich_style if not name else self.get_component_rich_style(name)
            )
        return style

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        if width < _FITS or self._selected:
            # Textual's own drawing of render(): it wraps a line too long for the width, and
            # draws a selection made with the mouse.
            return super().render_line(y)
        if y:
            return Strip.blank(width, self._style(""))
        return self._strip(self.level, width)

    def _strip(self, level: str, width: int) -> Strip:
        strip = self._strips.get((level, width))
        if strip is None:
            if len(self._strips) > 64:  # 4 levels × the widths seen; never let it grow
                self._strips.clear()
            strip = self._strips[level, width] = self._draw(level, width)
        return strip

    def render(self) -> RenderResult:
        """The line as rich text (what :meth:`render_line` draws, for whoever asks)."""
        pieces = self._pieces(self.level, self.content_size.width)
        return Text.assemble(*((text, self._style(name) if name else "") for text, name in pieces))

    def _draw(self, level: str, width: int) -> Strip:
        """The line for ``level`` at ``width`` cells, as Textual draws :meth:`render`: each
        piece knows its offset (for a selection with the mouse), the rest is background."""
        base = self._style("")
        segments: list[Segment] = []
        x = 0
        for text, name in self._pieces(level, width):
            if text:
                style = base if not name else base + self._style(name)
                segments.append(Segment(text, style + Style(meta={"offset": (x, 0)})))
                x += len(text)
        return Strip(segments).adjust_cell_length(width, Style(bgcolor=base.bgcolor))

    def _pieces(self, level: str, width: int) -> tuple[tuple[str, str], ...]:
        """The texts of the line and the component class of each (``""``: none)."""
        bar_width = max(3, min(self.BAR_MAX_WIDTH, width - len(_LABEL) - len("Faible") - 6))
        filled = bar_width * _THIRDS.get(level, 0) // 3
        suffix = f"-{level.lower()}" if level in _THIRDS else ""
        return (
            (_LABEL, "strength-meter--label"),
            ("   ", ""),
            ("█" * filled, f"strength-meter--bar{suffix}"),
            ("░" * (bar_width - filled), "strength-meter--empty"),
            ("   ", ""),
            (level or _NO_LEVEL, f"strength-meter--level{suffix}"),
        )
