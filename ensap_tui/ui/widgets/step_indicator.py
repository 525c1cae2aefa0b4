"""The four-part progress of the creation wizard: «Étape 2 sur 4 — Mot de passe»."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual.reactive import reactive
from textual.widget import Widget

#: The creation steps, in order.
STEPS: tuple[str, ...] = ("Identité", "Mot de passe", "Coordonnées", "Finalisation")


def _fitted(head: str, name: str, width: int, *, padded: bool) -> str:
    """The label of a step in ``width`` cells, never cut inside a word: the current step's
    label framed by a space each side when there is room, else bare, else as many whole words
    of the name as fit (at least the number)."""
    label = f"{head}{name}"
    if padded and len(label) + 2 <= width:
        return f" {label} "
    if len(label) <= width:
        return label
    words = name.split()
    while words and len(head) + len(" ".join(words)) > width:
        words.pop()
    return f"{head}{' '.join(words)}".rstrip()[:width]


class StepIndicator(Widget, can_focus=False):
    """Three lines: the current step written out (and the next one), a four-part bar, the labels.

    :attr:`current` is 1 to 4. Steps already done show «✔» and a full bar, the current one a full
    bar and its label in reverse video, the steps to come a thin line: the position never depends
    on colour alone, and «Étape N sur 4 — Nom» says it in words.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "step-indicator--title",
        "step-indicator--next",
        "step-indicator--done",
        "step-indicator--current",
        "step-indicator--todo",
    }

    DEFAULT_CSS = """
    StepIndicator {
        height: 3;
        width: 1fr;
        margin: 0 0 1 0;
        & > .step-indicator--title { text-style: bold; color: $text-primary; }
        & > .step-indicator--next { color: $text-muted; }
        & > .step-indicator--done { color: $text-primary; }
        & > .step-indicator--current { color: $text-accent; text-style: bold; }
        & > .step-indicator--todo { color: $text-muted; }
    }
    """

    current: reactive[int] = reactive(1)
    """The step being filled in, 1 to 4."""

    def __init__(self, current: int = 1, *, id: str | None = "etapes") -> None:
        super().__init__(id=id)
        self.set_reactive(StepIndicator.current, current)

    def _validate_current(self, current: int) -> int:
        return max(1, min(len(STEPS), current))

    @property
    def caption(self) -> str:
        """The step in words, e.g. «Étape 2 sur 4 — Mot de passe»."""
        return f"Étape {self.current} sur {len(STEPS)} — {STEPS[self.current - 1]}"

    @property
    def next_caption(self) -> str:
        """«Étape suivante : Coordonnées», or «Dernière étape» on the last one."""
        if self.current >= len(STEPS):
            return "Dernière étape"
        return f"Étape suivante : {STEPS[self.current]}"

    def render(self) -> RenderResult:
        width = max(len(STEPS) * 8, self.content_size.width)
        part = (width - (len(STEPS) - 1)) // len(STEPS)
        title = Text(self.caption, style=self.get_component_rich_style("step-indicator--title"))
        following = self.next_caption
        gap = max(2, width - len(title) - len(following))
        title.append(" " * gap)
        title.append(following, style=self.get_component_rich_style("step-indicator--next"))
        bars = Text()
        labels = Text()
        for number, name in enumerate(STEPS, start=1):
            if number < self.current:
                state, line, mark = "done", "━", "✔ "
            elif number == self.current:
                state, line, mark = "current", "━", "▶ "
            else:
                state, line, mark = "todo", "─", ""
            style = self.get_component_rich_style(f"step-indicator--{state}")
            separator = " " if number > 1 else ""
            bars.append(separator + line * part, style=style)
            label = _fitted(f"{mark}{number}. ", name, part, padded=number == self.current)
            labels.append(separator)
            labels.append(label, style=style + Style(reverse=number == self.current))
            labels.append(" " * (part - len(label)))
        return Group(title, bars, labels)
