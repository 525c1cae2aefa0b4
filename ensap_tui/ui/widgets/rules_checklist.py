"""The password rules, each ticked «✔» or crossed «✖» as it holds or not."""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.strip import Strip

from ensap_tui.ui.widgets.kept_lines import KeptLines

if TYPE_CHECKING:
    from ensap_tui.domain.password import Rule

#: One piece of a line: ``True`` (a «✔»), ``False`` (a «✖») or ``None`` (plain text), and its text.
_Piece = tuple[bool | None, str]
_Line = tuple[_Piece, ...]
#: A line before the rules' states are known: the index of the rule whose mark comes first
#: (``None``: no mark), and the text that follows it.
_Template = tuple[tuple[int | None, str], ...]
_MARKS = {True: "✔ ", False: "✖ "}  # two cells each


@dataclass(frozen=True)
class _Layout:
    """The lines of a set of rules at a width, marks left out, and the (x, y) of each rule's
    mark by its index."""

    lines: list[_Template]
    marks: dict[int, tuple[int, int]]


class RulesChecklist(KeptLines, can_focus=False):
    """The :attr:`rules` in columns, «✔ label» or «✖ label», redrawn live.

    Set :attr:`rules` to the ``rules`` of an ``ensap_tui.domain.password.assess`` result (those
    of an empty password are all crossed); nothing happens when they are set to rules in the
    same states. ``None`` shows nothing. The mark is text, so the
    state never depends on colour alone; component classes ``rules-checklist--ok`` and
    ``rules-checklist--ko`` colour it. Columns of :attr:`COLUMN_WIDTH` cells, up to three as
    the width allows; narrower than one column, each rule wraps under its mark.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"rules-checklist--ok", "rules-checklist--ko"}

    DEFAULT_CSS = """
    RulesChecklist {
        height: auto;
        width: 1fr;
        padding: 0 0 0 2;
        & > .rules-checklist--ok { color: $text-success; }
        & > .rules-checklist--ko { color: $text-error; }
    }
    """

    #: Width of one column of rules, in cells.
    COLUMN_WIDTH: ClassVar[int] = 34

    # Drawn line by line (Textual's line API): a key that turns a rule around repaints the cell
    # of its mark, from strips kept for each line's content, instead of the whole list laid out
    # again, which cost a sixth of a frame on every such key. The styles are kept until the
    # styles change (Textual forgets its own at every repaint), and every strip the rules can
    # need is drawn once the list is first shown, so that no key pays for a first one.
    rules: reactive[tuple[Rule, ...] | None] = reactive(None, repaint=False)
    """The rules in display order, or ``None`` to show nothing."""

    def __init__(
        self,
        rules: Sequence[Rule] | None = None,
        *,
        id: str | None = "regles",
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(RulesChecklist.rules, None if rules is None else tuple(rules))
        self._strips: dict[_Line, Strip] = {}
        self._styles: dict[bool | None, Style] = {}
        self._layouts: dict[tuple[tuple[str, ...], int], _Layout] = {}
        self._shown: tuple[tuple[tuple[Rule, ...], int], list[_Line]] | None = None

    def watch_rules(
        self, previous: tuple[Rule, ...] | None, rules: tuple[Rule, ...] | None
    ) -> None:
        if previous is None or rules is None or len(previous) != len(rules):
            self.refresh(layout=True)  # from nothing to the rules, or back: the height changes
            return
        width = self.content_size.width
        layout = self._layout(previous, width)
        if layout is not self._layout(rules, width):  # other labels (never while typing)
            self.refresh(layout=True)
            return
        # Only the cells that differ (the mark of a rule that turned) are repainted.
        marks = layout.marks
        changed = [
            Region(*marks[index], 2, 1)
            for index, (old, new) in enumerate(zip(previous, rules, strict=True))
            if old.ok != new.ok
        ]
        if changed:
            self.refresh(*changed)

    def on_mount(self) -> None:
        self.call_after_refresh(self._prepare)

    def notify_style_update(self) -> None:
        """Forgets the drawn lines and their styles: their colours come from the styles."""
        super().notify_style_update()
        self._strips.clear()
        self._styles.clear()
        if self.is_mounted:
            self.call_after_refresh(self._prepare)

    def _prepare(self) -> None:
        """Draws every line the rules can show at this width: each of its marks either way."""
        rules, width = self.rules, self.content_size.width
        if rules is None or not width:
            return
        for template in self._layout(rules, width).lines:
            marked = sum(index is not None for index, _ in template)
            for oks in itertools.product((True, False), repeat=marked):
                self._strip(_fill(template, iter(oks)))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 0 if self.rules is None else len(self._layout(self.rules, width).lines)

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        lines = [] if self.rules is None else self._lines(self.rules, width)
        if y >= len(lines):
            return Strip.blank(width, self._style(None))
        return self._strip(lines[y])

    def _strip(self, line: _Line) -> Strip:
        strip = self._strips.get(line)
        if strip is None:
            if len(self._strips) > 256:  # a few dozen lines ever occur; never let it grow
                self._strips.clear()
            strip = Strip([Segment(text, self._style(mark)) for mark, text in line])
            self._strips[line] = strip
        return strip

    def _style(self, mark: bool | None) -> Style:
        style = self._styles.get(mark)
        if style is None:
            style = self._styles[mark] = (
                self.rich_style
                if mark is None
                else self.get_component_rich_style(
                    "rules-checklist--ok" if mark else "rules-checklist--ko"
                )
            )
        return style

    def _lines(self, rules: tuple[Rule, ...], width: int) -> list[_Line]:
        """The lines showing ``rules`` at ``width`` cells (the last ones kept: each line drawn
        asks for them)."""
        shown = self._shown
        if shown is not None and shown[0] == (rules, width):
            return shown[1]
        lines = [
            _fill(template, (rules[index].ok for index, _ in template if index is not None))
            for template in self._layout(rules, width).lines
        ]
        self._shown = ((rules, width), lines)
        return lines

    def _layout(self, rules: tuple[Rule, ...], width: int) -> _Layout:
        """The lines of ``rules`` at ``width`` cells, marks left out, and where each mark goes
        (they depend only on the labels: kept for each set of labels and width)."""
        labels = tuple(rule.label for rule in rules)
        layout = self._layouts.get((labels, width))
        if layout is None:
            if len(self._layouts) > 16:  # one set of labels, a few widths
                self._layouts.clear()
            lines = self._lay_out(labels, width)
            marks: dict[int, tuple[int, int]] = {}
            for y, template in enumerate(lines):
                x = 0
                for index, text in template:
                    if index is not None:
                        marks[index] = (x, y)
                        x += 2
                    x += cell_len(text)
            layout = self._layouts[labels, width] = _Layout(lines, marks)
        return layout

    def _lay_out(self, labels: tuple[str, ...], width: int) -> list[_Template]:
        if width < self.COLUMN_WIDTH:
            return [line for index, label in enumerate(labels)
                    for line in self._wrapped(index, label, max(1, width))]
        columns = max(1, min(3, width // self.COLUMN_WIDTH))
        widths = [
            max([self.COLUMN_WIDTH - 2, *(cell_len(label) + 2 for label in labels[c::columns])])
            for c in range(columns)
        ]
        lines: list[_Template] = []
        for start in range(0, len(labels), columns):
            row = labels[start : start + columns]
            pieces: list[tuple[int | None, str]] = []
            for column, label in enumerate(row):
                # The label padded to its column, then 2 spaces before the next column.
                pad = widths[column] - 2 - cell_len(label) + (2 if column < len(row) - 1 else 0)
                pieces.append((start + column, label + " " * pad))
            lines.append(tuple(pieces))
        return lines

    @staticmethod
    def _wrapped(index: int, label: str, width: int) -> list[_Template]:
        """One rule narrower than a column: its label wrapped under the mark."""
        # textwrap counts characters; the labels are French words of one cell per character.
        parts = textwrap.wrap(label, max(1, width - 2)) or [""]
        return [((index, parts[0]),), *(((None, f"  {part}"),) for part in parts[1:])]


def _fill(template: _Template, oks: Iterator[bool]) -> _Line:
    """The line of ``template`` with a mark for each of ``oks``, in order."""
    pieces: list[_Piece] = []
    for index, text in template:
        if index is not None:
            ok = next(oks)
            pieces.append((ok, _MARKS[ok]))
        pieces.append((None, text))
    return tuple(pieces)
