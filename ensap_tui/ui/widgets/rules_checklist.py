"""The password rules, each ticked «✔» or crossed «✖» as it holds or not."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

if TYPE_CHECKING:
    from ensap_tui.domain.password import Assessment, Rule

#: One piece of a line: ``True`` (a «✔»), ``False`` (a «✖») or ``None`` (plain text), and its text.
_Piece = tuple[bool | None, str]
_Line = tuple[_Piece, ...]


class RulesChecklist(Widget, can_focus=False):
    """The rules of :attr:`assessment` in columns, «✔ label» or «✖ label», redrawn live.

    Set :attr:`assessment` to the result of ``ensap_tui.domain.password.assess`` (the one for an
    empty password lists every rule crossed). ``None`` shows nothing. The mark is text, so the
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

    # Drawn line by line (Textual's line API): a key that turns one rule around repaints the
    # line of that rule, from strips kept for each line's content, instead of the whole list
    # laid out again, which cost a sixth of a frame on every such key.
    assessment: reactive[Assessment | None] = reactive(None, repaint=False)
    """The password's assessment, or ``None`` to show nothing."""

    def __init__(
        self,
        assessment: Assessment | None = None,
        *,
        id: str | None = "regles",
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(RulesChecklist.assessment, assessment)
        self._strips: dict[_Line, Strip] = {}

    def watch_assessment(
        self, previous: Assessment | None, assessment: Assessment | None
    ) -> None:
        if (previous is None) != (assessment is None):
            self.refresh(layout=True)  # from nothing to the rules, or back: the height changes
            return
        if previous is None or assessment is None or previous.rules == assessment.rules:
            return
        width = self.content_size.width
        before, after = self._lines(previous, width), self._lines(assessment, width)
        if len(before) != len(after):
            self.refresh(layout=True)
            return
        changed = [
            Region(0, y, width, 1)
            for y, (old, new) in enumerate(zip(before, after, strict=True))
            if old != new
        ]
        if changed:
            self.refresh(*changed)

    def notify_style_update(self) -> None:
        """Forgets the drawn lines: their colours come from the styles."""
        super().notify_style_update()
        self._strips.clear()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 0 if self.assessment is None else len(self._lines(self.assessment, width))

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        lines = [] if self.assessment is None else self._lines(self.assessment, width)
        if y >= len(lines):
            return Strip.blank(width, self.rich_style)
        line = lines[y]
        strip = self._strips.get(line)
        if strip is None:
            if len(self._strips) > 256:  # a few dozen lines ever occur; never let it grow
                self._strips.clear()
            base = self.rich_style
            styles = {
                True: self.get_component_rich_style("rules-checklist--ok"),
                False: self.get_component_rich_style("rules-checklist--ko"),
            }
            strip = Strip(
                [Segment(text, base if mark is None else styles[mark]) for mark, text in line]
            )
            self._strips[line] = strip
        return strip

    def _lines(self, assessment: Assessment, width: int) -> list[_Line]:
        """The lines showing ``assessment`` at ``width`` cells."""
        rules = assessment.rules
        if width < self.COLUMN_WIDTH:
            return [line for rule in rules for line in self._wrapped(rule, max(1, width))]
        columns = max(1, min(3, width // self.COLUMN_WIDTH))
        widths = [
            max([self.COLUMN_WIDTH - 2, *(cell_len(rule.label) + 2 for rule in rules[c::columns])])
            for c in range(columns)
        ]
        lines: list[_Line] = []
        for start in range(0, len(rules), columns):
            pieces: list[_Piece] = []
            row = rules[start : start + columns]
            for index, rule in enumerate(row):
                # The label padded to its column, then 2 spaces before the next column.
                pad = widths[index] - 2 - cell_len(rule.label) + (2 if index < len(row) - 1 else 0)
                pieces += [(rule.ok, _mark(rule)), (None, rule.label + " " * pad)]
            lines.append(tuple(pieces))
        return lines

    @staticmethod
    def _wrapped(rule: Rule, width: int) -> list[_Line]:
        """One rule narrower than a column: its label wrapped under the mark."""
        # textwrap counts characters; the labels are French words of one cell per character.
        parts = textwrap.wrap(rule.label, max(1, width - 2)) or [""]
        first: _Line = ((rule.ok, _mark(rule)), (None, parts[0]))
        return [first, *(((None, f"  {part}"),) for part in parts[1:])]


def _mark(rule: Rule) -> str:
    return "✔ " if rule.ok else "✖ "
