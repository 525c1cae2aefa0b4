"""A yes-or-no dialog over the current screen, for actions that cannot be undone."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
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

    def __init__(
        self,
        title: str,
        question: str,
        *,
        confirm_label: str = "Confirmer",
        danger: bool = True,
    ) -> None:
        super().__init__(id="confirmation")
        self._title = title
        self._question = question
        self._confirm_label = confirm_label
        self._danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(id="confirmation-cadre"):
            yield Static(self._title, id="confirmation-titre", markup=False)
            yield Static(self._question, id="confirmation-question", markup=False)
            with Horizontal(id="confirmation-actions"):
                yield Button("Annuler", id="annuler")
                yield Button(
                    self._confirm_label,
                    id="confirmer",
                    variant="error" if self._danger else "primary",
                )

    def on_mount(self) -> None:
        self.query_one("#annuler", Button).focus()

    def action_cancel(self) -> None:
        """Closes the dialog without doing anything."""
        self.dismiss(False)

    @on(Button.Pressed, "#annuler")
    def _cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#confirmer")
    def _confirm(self) -> None:
        self.dismiss(True)
