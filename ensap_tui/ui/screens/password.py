"""Step 2 of 4: «Mon mot de passe»."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import var
from textual.widgets import Button, Static

from ensap_tui.domain.errors import FieldError
from ensap_tui.domain.password import PersonalInfo
from ensap_tui.ui.screens.step import RegistrationStep
from ensap_tui.ui.widgets.action_bar import action_bar
from ensap_tui.ui.widgets.new_password import NewPassword
from ensap_tui.ui.widgets.step_indicator import StepIndicator

if TYPE_CHECKING:
    from ensap_tui.services.models import RegistrationRequest
    from ensap_tui.ui.screens.step import Wizard

POLICY = (
    "Le mot de passe doit être « FORT » : il doit contenir au moins 8 caractères et se composer "
    "de 3 des 4 types de caractères suivants : majuscules, minuscules, chiffres et caractères "
    "spéciaux."
)
KEEP_IT = "Il est important de conserver précieusement son mot de passe."


class PasswordScreen(RegistrationStep):
    """Step 2: the password, its live level and rules, its confirmation.

    Ids: ``#etapes``, ``#mot-de-passe`` (``#afficher-mot-de-passe``), ``#niveau-securite``,
    ``#regles``, ``#confirmation-mot-de-passe`` (``#afficher-confirmation-mot-de-passe``),
    ``#en-savoir-plus`` (the sentence of rules, ending with its «Pour en savoir plus.» link),
    ``#retour-etape``, ``#valider``; errors in ``#mot-de-passe-erreur`` and
    ``#confirmation-mot-de-passe-erreur``. «Retour» and «Valider et Continuer» keep what was typed
    in the draft; with the latter the wizard goes on to step 3 only with a «Fort» password
    confirmed identically.
    """

    STEP: ClassVar[int] = 2
    HELP_TOPIC: ClassVar[str] = "mot-de-passe"
    SCREEN_NAME: ClassVar[str] = "Étape 2 — Mot de passe"

    personal: var[PersonalInfo | None] = var(None, init=False)
    """What the password must not contain, from step 1 (fed to the :class:`NewPassword`)."""

    def __init__(self, draft: RegistrationRequest, wizard: Wizard | None = None) -> None:
        super().__init__(draft, wizard)
        # Step 1 does not change while this screen is open: computed once, not per keystroke.
        self.set_reactive(PasswordScreen.personal, draft.personal())

    def compose_body(self) -> ComposeResult:
        yield StepIndicator(2)
        with Horizontal(classes="entete-formulaire titre-section"):
            yield Static("Mon mot de passe", classes="titre")
            yield Static("* Informations obligatoires", classes="obligatoire")
        yield Static(KEEP_IT, classes="information", markup=False)
        yield Static("Mot de passe", classes="sous-titre")
        yield NewPassword(
            label="Mot de passe *",
            rules_text=POLICY,
            learn_more="screen.learn_more",
            password=self.draft.password,
            confirmation=self.draft.password_confirmation,
            personal=self.personal,
        ).data_bind(PasswordScreen.personal)
        yield from action_bar(
            Button("Retour à l'étape précédente", id="retour-etape"),
            right=[Button("Valider et Continuer", id="valider", variant="primary")],
        )

    def save(self) -> None:
        """Copies both fields into the draft."""
        new = self.query_one(NewPassword)
        self.draft.password = new.password
        self.draft.password_confirmation = new.confirmation

    def check_fields(self) -> list[FieldError]:
        self.save()
        return self.services.registration.check_password(
            self.draft.password, self.draft.password_confirmation, self.personal or PersonalInfo()
        )

    def action_learn_more(self) -> None:
        """«Pour en savoir plus.», at the end of the sentence of rules: the help on passwords."""
        from ensap_tui.ui.help import HelpScreen

        self.app.push_screen(HelpScreen("mot-de-passe"))
