"""What every step of the creation wizard shares: it shows the draft and reports what was typed
to the registration controller, which knows the order of the steps."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar, Protocol, cast

from textual import on
from textual.widgets import Button

from ensap_tui.ui.screens.base import FormScreen

if TYPE_CHECKING:
    from ensap_tui.domain.errors import FieldError
    from ensap_tui.services.models import RegistrationReceipt, RegistrationRequest


class Wizard(Protocol):
    """What a step of the creation wizard asks of the registration controller."""

    def next(self, step: RegistrationStep) -> None:
        """``step``'s fields are in the draft and valid: shows the following step."""

    def back(self, step: RegistrationStep) -> None:
        """``step``'s fields are in the draft: shows the step before (the home page from step
        1)."""

    def read_terms(self, done: Callable[[bool | None], None]) -> None:
        """Shows the terms of use; ``done`` gets True when they were accepted."""

    def registered(self, receipt: RegistrationReceipt) -> None:
        """The registration went through: the finalisation replaces the wizard."""

    def refused(self, errors: Sequence[FieldError]) -> None:
        """The service refused fields: each error goes to the step that owns its field."""


class _Wizards(Protocol):
    def wizard(self, draft: RegistrationRequest) -> Wizard: ...


class _HasWizards(Protocol):
    navigator: _Wizards


class RegistrationStep(FormScreen):
    """One step (``STEP``, 1 to 4) of the wizard: a view of :attr:`draft`.

    It fills its fields from the draft, writes them back with :meth:`save`, and checks them
    through the services (:meth:`check_fields`). «Continuer» (:meth:`submit`; the button
    ``#continuer`` or ``#valider``) and «Retour» (:meth:`go_back`; ``#retour-accueil``,
    ``#retour-etape`` or Escape) save, then hand over to :attr:`wizard`: a step never opens
    another step itself.
    """

    STEP: ClassVar[int] = 0

    def __init__(self, draft: RegistrationRequest, wizard: Wizard | None = None) -> None:
        super().__init__()
        self.draft = draft
        self._wizard = wizard

    @property
    def wizard(self) -> Wizard:
        """The registration controller of :attr:`draft` (the app's, found on first use when
        the step was opened on its own, as the tests do)."""
        if self._wizard is None:
            self._wizard = cast(_HasWizards, self.app).navigator.wizard(self.draft)
        return self._wizard

    @on(Button.Pressed, "#continuer, #valider")
    def _continue(self) -> None:
        self.submit()

    def save(self) -> None:
        """Copies the fields into the draft."""

    def submit(self) -> None:
        """Saves and checks the fields; when nothing is wrong, the wizard goes on."""
        if self.show_errors(self.check_fields() or []):
            return
        self.wizard.next(self)

    def go_back(self) -> None:
        """Keeps what was typed in the draft and goes back one step."""
        self.save()
        self.wizard.back(self)
