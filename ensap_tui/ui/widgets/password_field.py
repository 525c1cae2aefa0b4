"""A masked password input with its «☐ Afficher» box."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label

from ensap_tui.domain.password import MAX_LENGTH
from ensap_tui.ui.widgets.steady_input import SteadyInput
from ensap_tui.ui.widgets.tick_box import TickBox


class PasswordField(Vertical):
    """A label line, then a masked :class:`Input` with a «☐ Afficher» box on its right.

    ``PasswordField("Mot de passe *", input_id="mot-de-passe")`` composes:

    - ``Input#mot-de-passe`` (``password=True``; it posts the usual ``Input.Changed`` /
      ``Input.Submitted``, so screens handle ``@on(Input.Changed, "#mot-de-passe")``);
    - ``TickBox#afficher-mot-de-passe`` («Afficher»): ticking it shows the text, unticking masks
      it again. ``show_toggle=False`` leaves the box out.

    The box comes after the input so Tab goes from the input to its box, then on. The label is
    shown literally. :attr:`value` reads and writes the input's text. The input takes at most
    the domain's one password limit (``password.MAX_LENGTH``, counted as typed), so whatever a
    screen accepts as a new password can be typed or pasted again at sign-in.
    """

    DEFAULT_CSS = """
    PasswordField {
        height: auto;
        width: 1fr;
        & > Label { width: 1fr; }
        & > .password-field--saisie { height: auto; width: 1fr; }
        & > .password-field--saisie > Input { width: 1fr; }
        & > .password-field--saisie > TickBox { width: auto; height: 1; margin: 1 0 0 1; }
    }
    """

    def __init__(
        self,
        label: str,
        *,
        input_id: str = "mot-de-passe",
        value: str = "",
        placeholder: str = "",
        show_toggle: bool = True,
        max_length: int = MAX_LENGTH,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id or f"champ-{input_id}", classes=classes)
        self._label = label
        self._input_id = input_id
        self._value = value
        self._placeholder = placeholder
        self._show_toggle = show_toggle
        self._max_length = max_length

    @property
    def toggle_id(self) -> str:
        """Id of the «Afficher» box: ``afficher-<input_id>``."""
        return f"afficher-{self._input_id}"

    @property
    def input(self) -> Input:
        """The masked input."""
        return self.query_one(f"#{self._input_id}", Input)

    @property
    def value(self) -> str:
        """The text typed so far."""
        return self.input.value

    @value.setter
    def value(self, text: str) -> None:
        self.input.value = text

    def compose(self) -> ComposeResult:
        yield Label(self._label, markup=False)
        with Horizontal(classes="password-field--saisie"):
            yield SteadyInput(
                value=self._value,
                placeholder=self._placeholder,
                password=True,
                id=self._input_id,
                max_length=self._max_length,
            )
            if self._show_toggle:
                yield TickBox("Afficher", id=self.toggle_id)

    @on(Checkbox.Changed)
    def _reveal(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == self.toggle_id:
            event.stop()
            self.input.password = not event.value
