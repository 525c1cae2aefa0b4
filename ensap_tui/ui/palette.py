"""Textual's command palette with French words (placeholder and key help)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.command import CommandPalette


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
