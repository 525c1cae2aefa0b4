"""A drop-down list whose own key help is French (Textual's says «Dismiss menu»)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
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

    def watch_has_focus(self, _has_focus: bool) -> None:
        """Restyles the list and its current-value line, not its overlay.

        Textual restyles a widget and all its descendants when its focus changes. Opening a
        list moves the focus from the list to its overlay and closing it moves it back, so
        the overlay (an option list: its styles are the dearest to compute) was restyled
        twice more per open and close for a change no rule reads: the overlay's rules read
        ``-expanded`` (restyled when it changes) and the overlay's own focus (restyled by
        its own focus change), never the list's focus.
        """
        if not self.is_attached:
            return
        nodes: list[DOMNode] = [self]
        for child in self.children:
            if not isinstance(child, SelectOverlay):
                nodes.extend(child.walk_children(with_self=True))
        self.app.stylesheet.update_nodes(nodes, animate=True)
