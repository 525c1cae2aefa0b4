"""Step 2 of 4: «Mon mot de passe»."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input, Static

from ensap_tui.domain import password
from ensap_tui.domain.errors import FieldError
from ensap_tui.ui.screens.step import RegistrationStep
from ensap_tui.ui.widgets.field_error import FieldErrorLine
from ensap_tui.ui.widgets.password_field import PasswordField
from ensap_tui.ui.widgets.rules_checklist import RulesChecklist
from ensap_tui.ui.widgets.step_indicator import StepIndicator
from ensap_tui.ui.widgets.strength_meter import StrengthMeter

if TYPE_CHECKING:
    from ensap_tui.services.models import RegistrationRequest
    from ensap_tui.ui.screens.step import Wizard

POLICY = (
    "Le mot de passe doit être « FORT » : il doit contenir au moins 8 caractères et se composer "
    "de 3 des 4 types de caractères suivants : majuscules, minuscules, chiffres et caractères "
    "spéciaux."
)


class PasswordScreen(RegistrationStep):
    """Step 2: the password, its live level and rules, its confirmation.

    Ids: ``#etapes``, ``#mot-de-passe`` (``#afficher-mot-de-passe``), ``#niveau-securite``,
    ``#regles``, ``#confirmation-mot-de-passe`` (``#afficher-confirmation-mot-de-passe``),
    ``#en-savoir-plus``, ``#retour-etape``, ``#valider``; errors in ``#mot-de-passe-erreur`` and
    ``#confirmation-mot-de-passe-erreur``. «Retour» and «Valider et Continuer» keep what was typed
    in the draft; with the latter the wizard goes on to step 3 only with a «Fort» password
    confirmed identically.
    """

    STEP: ClassVar[int] = 2
    HELP_TOPIC: ClassVar[str] = "mot-de-passe"

    def __init__(self, draft: RegistrationRequest, wizard: Wizard | None = None) -> None:
        super().__init__(draft, wizard)
        # Step 1 does not change while this screen is open: compute it once, not per keystroke.
        self._personal = draft.personal()
        self._live: tuple[RulesChecklist, StrengthMeter] | None = None

    def compose_body(self) -> ComposeResult:
        assessment = password.assess(self.draft.password, self._personal)
        yield StepIndicator(2)
        with Horizontal(classes="entete-formulaire titre-section"):
            yield Static("Mon mot de passe", classes="titre")
            yield Static("* Informations obligatoires", classes="obligatoire")
        yield PasswordField("Mot de passe *", input_id="mot-de-passe", value=self.draft.password)
        yield FieldErrorLine("mot-de-passe")
        yield Static(POLICY, classes="consigne")
        yield RulesChecklist(assessment)
        yield StrengthMeter(assessment if self.draft.password else None)
        yield PasswordField(
            "Confirmation mot de passe *",
            input_id="confirmation-mot-de-passe",
            value=self.draft.password_confirmation,
        )
        yield FieldErrorLine("confirmation-mot-de-passe")
        yield Button("Pour en savoir plus", id="en-savoir-plus", classes="lien")
        with Horizontal(classes="actions"):
            yield Button("Retour à l'étape précédente", id="retour-etape")
            yield Static(classes="espace")
            yield Button("Valider et Continuer", id="valider", variant="primary")

    def on_mount(self) -> None:
        # A watcher, not an Input.Changed handler: it runs while the key is being processed,
        # so the level and the rules are drawn in the same frame as the character typed (the
        # Changed message often reaches the screen after that frame, costing a second one).
        self.watch(self.query_one("#mot-de-passe", Input), "value", self._assess, init=False)

    def _assess(self, value: str) -> None:
        assessment = password.assess(value, self._personal)
        if self._live is None:  # found once: a query on every key costs a tenth of a frame
            self._live = (self.query_one(RulesChecklist), self.query_one(StrengthMeter))
        rules, meter = self._live
        rules.assessment = assessment
        meter.assessment = assessment if value else None

    def save(self) -> None:
        """Copies both fields into the draft."""
        self.draft.password = self.query_one("#mot-de-passe", Input).value
        self.draft.password_confirmation = self.query_one(
            "#confirmation-mot-de-passe", Input
        ).value

    def check_fields(self) -> list[FieldError]:
        self.save()
        return self.services.registration.check_password(
            self.draft.password, self.draft.password_confirmation, self._personal
        )

    @on(Button.Pressed, "#valider")
    def _validate(self) -> None:
        self.submit()

    @on(Button.Pressed, "#retour-etape")
    def _back(self) -> None:
        self.go_back()

    @on(Button.Pressed, "#en-savoir-plus")
    def _learn_more(self) -> None:
        from ensap_tui.ui.help import HelpScreen

        self.app.push_screen(HelpScreen("mot-de-passe"))
