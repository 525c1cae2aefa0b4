"""Textual's command palette with French words (placeholder, key help, no match)."""

from __future__ import annotations

from typing import ClassVar

from rich.align import Align
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

#: What the palette says when nothing matches what was typed (Textual writes it in English).
NO_MATCH = "Aucune commande ne correspond à votre recherche"


class FrenchCommandPalette(CommandPalette):
    """The command palette (Ctrl+P), its placeholder and keys in French."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+end, shift+end", "command_list('last')", "Aller à la fin", show=False),
        Binding("ctrl+home, shift+home", "command_list('first')", "Aller au début", show=False),
        Binding("down", "cursor_down", "Commande suivante", show=False),
        Binding("escape", "escape", "Fermer la palette", key_display="Échap"),
        Binding("pagedown", "command_list('page_down')", "Page suivante", show=False),
        Binding("pageup", "command_list('page_up')", "Page précédente", show=False),
        Binding("up", "command_list('cursor_up')", "Commande précédente", show=False),
    ]

    def __init__(self, placeholder: str = "Rechercher une commande…", **kwargs: object) -> None:
        super().__init__(placeholder=placeholder, **kwargs)  # type: ignore[arg-type]

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's, with the line in French: the palette shows it when a search has found
        # nothing for half a second (an empty search shows no list instead).
        self._stop_no_matches_countdown()

        def show_no_match() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(NO_MATCH, style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_match)
