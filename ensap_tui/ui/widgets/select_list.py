"""A drop-down list whose own key help is French (Textual's says «Dismiss menu»)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Select
from textual.widgets._select import SelectCurrent, SelectOverlay


class _FrenchOverlay(SelectOverlay):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Fermer la liste", key_display="Échap")
    ]


class SelectList(Select[str]):
    """``Select`` with the same behaviour (type to search included) and French key help."""

    def compose(self) -> ComposeResult:
        # Same as Select.compose, with the overlay that speaks French in the footer.
        yield SelectCurrent(self.prompt)
        yield _FrenchOverlay(type_to_search=self._type_to_search).data_bind(
            compact=Select.compact
        )
