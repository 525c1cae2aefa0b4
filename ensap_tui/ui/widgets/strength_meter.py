"""The live «Niveau de sécurité» of a password: a bar and the word."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import RenderResult
from textual.reactive import reactive
from textual.widget import Widget

if TYPE_CHECKING:
    from ensap_tui.domain.password import Assessment

#: How much of the bar each level fills, in thirds.
_THIRDS = {"Faible": 1, "Moyen": 2, "Fort": 3}
_LABEL = "Niveau de sécurité"
_NO_LEVEL = "—"


class StrengthMeter(Widget, can_focus=False):
    """«Niveau de sécurité ██████░░░░░░ Moyen»: one line, redrawn in the frame of each change.

    Modelled on Textual's ``ProgressBar``: set :attr:`assessment` (the result of
    ``ensap_tui.domain.password.assess``), or ``None`` while nothing is typed (empty bar, «—»).
    :attr:`level` derives from it (``""``, ``"Faible"``, ``"Moyen"`` or ``"Fort"``) and the
    widget carries the matching state class ``-faible`` / ``-moyen`` / ``-fort`` (for queries;
    its colours come from the component classes below). The level is
    always written as a word, so colour is never the only sign. Nothing here calls
    ``Static.update``: :meth:`render` draws from the reactive values.
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

    The colours of a level are component classes chosen by :meth:`render`, not rules on the
    state classes: a change of class would compute the widget's styles again, which costs more
    than the frame it happens in.
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

    # Not drawn again for a new assessment, only for a new level (which repaints): most keys
    # change the assessment but not the level.
    assessment: reactive[Assessment | None] = reactive(None, repaint=False)
    """The password's assessment, or ``None`` while the field is empty."""

    level: reactive[str] = reactive("")
    """The level word derived from :attr:`assessment` (``""`` when there is none)."""

    def __init__(
        self,
        assessment: Assessment | None = None,
        *,
        id: str | None = "niveau-securite",
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(StrengthMeter.assessment, assessment)

    def _compute_level(self) -> str:
        return "" if self.assessment is None else str(self.assessment.level)

    def watch_level(self, previous: str, level: str) -> None:
        if level != previous:  # Textual also calls it, unchanged, each time the level is read
            self._show_level(level)

    def _show_level(self, level: str) -> None:
        # State classes for queries and tests only (update=False: no style depends on them,
        # see COMPONENT_CLASSES); the repaint draws the level in its colours (a computed
        # reactive does not repaint by itself).
        self.update_classes(
            {f"-{name.lower()}": level == name for name in _THIRDS}, update=False
        )
        self.refresh()

    def on_mount(self) -> None:
        self._show_level(self.level)

    def render(self) -> RenderResult:
        level = self.level
        word = level or _NO_LEVEL
        width = self.content_size.width
        bar_width = max(3, min(self.BAR_MAX_WIDTH, width - len(_LABEL) - len("Faible") - 6))
        filled = bar_width * _THIRDS.get(level, 0) // 3
        suffix = f"-{level.lower()}" if level in _THIRDS else ""
        return Text.assemble(
            (_LABEL, self.get_component_rich_style("strength-meter--label")),
            "   ",
            ("█" * filled, self.get_component_rich_style(f"strength-meter--bar{suffix}")),
            ("░" * (bar_width - filled), self.get_component_rich_style("strength-meter--empty")),
            "   ",
            (word, self.get_component_rich_style(f"strength-meter--level{suffix}")),
        )
