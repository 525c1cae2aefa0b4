"""A yes-or-no dialog over the current screen, for actions that cannot be undone."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Button, Static

from ensap_tui.ui.screens.dialog import Dialog


class ConfirmScreen(Dialog[bool]):
    """Asks ``question`` (shown literally) with ``#confirmer`` and ``#annuler``.

    Dismisses with True for «confirm», False for «Annuler» or Escape. The focus starts on
    «Annuler»: Enter pressed by habit does not destroy anything.
    """

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
        background: $background 60%;
    }
    #confirmation-cadre {
        width: 72;
        max-width: 92%;
        height: auto;
        border: thick $error;
        background: $surface;
        padding: 1 2;
    }
    #confirmation-titre {
        text-style: bold;
        color: $text-error;
        margin: 0 0 1 0;
    }
    #confirmation-question {
        margin: 0 0 1 0;
    }
    #confirmation-actions {
        height: auto;
        align-horizontal: right;
    }
    #confirmation-actions Button {
        margin: 0 0 0 2;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuler", key_display="Échap"),
    ]

    PREFIX = "confirmation"

    def __init__(
        self,
        title: str,
        question: str,
        *,
        confirm_label: str = "Confirmer",
        danger: bool = True,
    ) -> None:
        confirm = Button(confirm_label, id="confirmer", variant="error" if danger else "primary")
        super().__init__(
            title, [(Button("Annuler", id="annuler"), False), (confirm, True)], False,
            id="confirmation",
        )
        self._question = question

    def compose_content(self) -> ComposeResult:
        yield Static(self._question, id="confirmation-question", markup=False)

    def on_mount(self) -> None:
        self.query_one("#annuler", Button).focus()

    def action_cancel(self) -> None:
        """Closes the dialog without doing anything."""
        self.action_close()
