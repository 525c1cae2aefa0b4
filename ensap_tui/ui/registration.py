"""The creation wizard: its draft, the order of its steps, and where a refused field goes back.

Modelled on subiquity's client (a list of steps walked by «next» and «back», each step a
controller/view pair): :class:`RegistrationController` owns the draft and the list of step
views; the views (``ui/screens/identity.py``, ``password.py``, ``contacts.py``,
``finalisation.py``, ``terms.py``) show the draft and report to it, and none imports another.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ensap_tui.domain.errors import FieldError
from ensap_tui.services.models import RegistrationReceipt, RegistrationRequest
from ensap_tui.ui.screens.base import EnsapScreen
from ensap_tui.ui.screens.contacts import ContactsScreen
from ensap_tui.ui.screens.identity import IdentityScreen
from ensap_tui.ui.screens.password import PasswordScreen
from ensap_tui.ui.screens.step import RegistrationStep

if TYPE_CHECKING:
    from textual.app import App

    from ensap_tui.ui.journeys import AppNavigator

#: The step (1 to 3) whose screen owns each field, for routing an error back to it.
STEP_OF_FIELD: dict[str, int] = {
    "nir": 1,
    "nom-naissance": 1,
    "date-naissance": 1,
    "cgu": 1,
    "mot-de-passe": 2,
    "confirmation-mot-de-passe": 2,
    "courriel": 3,
    "confirmation-courriel": 3,
    "courriel-secours": 3,
    "confirmation-courriel-secours": 3,
    "telephone": 3,
    "telephone-secondaire": 3,
}


#: The wizard's draft is the registration request being filled in: one type, not two.
RegistrationDraft = RegistrationRequest

#: The question asked before leaving the wizard with something typed, and what it explains.
ABANDON_TITLE = "Abandonner la création de votre espace ?"
ABANDON_QUESTION = (
    "Ce que vous avez saisi (identité, mot de passe, coordonnées) sera effacé : il faudra tout "
    "saisir de nouveau pour créer votre espace."
)


def has_data(draft: RegistrationDraft) -> bool:
    """True when anything was typed or ticked in ``draft``."""
    return any(getattr(draft, field.name) for field in dataclasses.fields(draft))


class RegistrationController:
    """One run of the wizard: the draft, the steps in order, next and back.

    Steps 1 to 3 (:attr:`STEPS`) are views of :attr:`draft`, stacked over the home page in
    order, so that «Retour» and Escape find the step before with what was typed. Step 3's
    «Valider et Continuer» registers; the finalisation (step 4) then replaces the whole wizard,
    or each error of a refusal goes to the step that owns its field (:data:`STEP_OF_FIELD`).
    """

    #: The views of steps 1, 2 and 3, in order.
    STEPS: tuple[type[RegistrationStep], ...] = (IdentityScreen, PasswordScreen, ContactsScreen)

    def __init__(
        self, navigator: AppNavigator, app: App[Any], draft: RegistrationDraft | None = None
    ) -> None:
        self._navigator = navigator
        self._app = app
        self.draft = draft if draft is not None else RegistrationDraft()

    def first_step(self) -> RegistrationStep:
        """The view of step 1 on this draft."""
        return self._view(1)

    def _view(self, step: int) -> RegistrationStep:
        return self.STEPS[step - 1](self.draft, self)

    def next(self, step: RegistrationStep) -> None:
        """After step 1 or 2, opens the next step; after the last one, registers."""
        if len(self.STEPS) > step.STEP:
            self._app.push_screen(self._view(step.STEP + 1))
        elif isinstance(step, ContactsScreen):
            step.register()

    def back(self, step: RegistrationStep) -> None:
        """Closes ``step``: the step before it (or the home page) is under it, unchanged.

        Leaving the wizard (back from step 1) with something typed first asks
        «Abandonner la création de votre espace ?»: «Annuler» (or Escape) stays on step 1 with
        the draft; «Abandonner» closes the wizard and the draft goes with it.
        """
        if len(self._app.screen_stack) <= 1 or self._app.screen is not step:
            return
        if step.STEP != 1 or not has_data(self.draft):
            step.dismiss()
            return
        from ensap_tui.ui.screens.confirm import ConfirmScreen

        def answered(abandon: bool | None) -> None:
            if abandon and self._app.screen is step:
                step.dismiss()

        self._app.push_screen(
            ConfirmScreen(ABANDON_TITLE, ABANDON_QUESTION, confirm_label="Abandonner"), answered
        )

    def read_terms(self, done: Callable[[bool | None], None]) -> None:
        """Shows the terms of use over the current step; ``done`` gets True when accepted."""
        from ensap_tui.ui.screens.terms import TermsScreen

        self._app.push_screen(TermsScreen(), done)

    def registered(self, receipt: RegistrationReceipt) -> None:
        """Replaces the wizard by the finalisation: going back makes no sense any more."""
        from ensap_tui.ui.screens.finalisation import FinalisationScreen

        self._navigator.return_home(FinalisationScreen(receipt))

    def refused(self, errors: Sequence[FieldError]) -> None:
        """Shows the errors of the earliest step concerned on that step's screen (still on the
        stack, with its values), closing the steps above it."""
        step = min((STEP_OF_FIELD.get(error.field, 3) for error in errors), default=3)
        own = [error for error in errors if STEP_OF_FIELD.get(error.field, 3) == step]
        app = self._app
        if getattr(app.screen, "STEP", 0) == step and isinstance(app.screen, EnsapScreen):
            app.screen.show_errors(own)
            return

        async def route() -> None:
            while len(app.screen_stack) > 1 and getattr(app.screen, "STEP", 0) != step:
                await app.pop_screen()
            screen = app.screen
            if isinstance(screen, EnsapScreen):
                screen.show_errors(own)

        app.call_later(route)
