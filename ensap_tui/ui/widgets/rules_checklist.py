"""The password rules, each ticked «✔» or crossed «✖» as it holds or not."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import RenderResult
from textual.reactive import reactive
from textual.widget import Widget

if TYPE_CHECKING:
    from ensap_tui.domain.password import Assessment


class RulesChecklist(Widget, can_focus=False):
    """The rules of :attr:`assessment` in columns, «✔ label» or «✖ label», redrawn live.

    Set :attr:`assessment` to the result of ``ensap_tui.domain.password.assess`` (the one for an
    empty password lists every rule crossed). ``None`` shows nothing. The mark is text, so the
    state never depends on colour alone; component classes ``rules-checklist--ok`` and
    ``rules-checklist--ko`` colour it.
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

    # Drawn again only when a rule changes (see watch_assessment), never laid out again on
    # a keystroke: most keys change the assessment but not one line of the checklist.
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

    def watch_assessment(
        self, previous: Assessment | None, assessment: Assessment | None
    ) -> None:
        if (previous is None) != (assessment is None):
            self.refresh(layout=True)  # from nothing to the rules, or back: the height changes
        elif previous is not None and assessment is not None and previous.rules != assessment.rules:
            self.refresh()

    def _line(self, ok: bool, label: str) -> Text:
        style = self.get_component_rich_style(
            "rules-checklist--ok" if ok else "rules-checklist--ko"
        )
        return Text.assemble(("✔ " if ok else "✖ ", style), label)

    def render(self) -> RenderResult:
        assessment = self.assessment
        if assessment is None:
            return Text("")
        columns = max(1, min(3, self.content_size.width // self.COLUMN_WIDTH))
        grid = Table.grid(padding=(0, 2))
        for _ in range(columns):
            grid.add_column(min_width=self.COLUMN_WIDTH - 2)
        cells = [self._line(rule.ok, rule.label) for rule in assessment.rules]
        for start in range(0, len(cells), columns):
            row = cells[start : start + columns]
            grid.add_row(*row, *([""] * (columns - len(row))))
        return grid
