"""Step 3 of 4: «Mes coordonnées», whose «Valider et Continuer» creates the pending space."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from ensap_tui.domain.errors import FieldError
from ensap_tui.services.models import RegistrationRequest
from ensap_tui.ui.screens.step import RegistrationStep
from ensap_tui.ui.widgets.action_bar import action_bar
from ensap_tui.ui.widgets.field_error import FieldErrorLine
from ensap_tui.ui.widgets.steady_input import SteadyInput
from ensap_tui.ui.widgets.step_indicator import StepIndicator

if TYPE_CHECKING:
    from ensap_tui.ui.screens.step import Wizard

EMAIL_INFO = (
    "ℹ Par défaut, votre courriel principal sera utilisé pour vous informer des événements "
    "concernant votre espace sécurisé (notamment lors du dépôt de nouveaux documents)."
)
#: Under each phone field, as on the real site.
PHONE_EXAMPLE = "(exemple : 0615147879 ou depuis l'étranger XXX615147978)"
PHONE_ABROAD = (
    "XXX est l'indicatif du pays (+33615147879 ou 0033615147879). Pour la Polynésie, il faut "
    "impérativement utiliser le format suivant : « 0689 + votre numéro de téléphone à "
    "8 chiffres »."
)
BUSY_TEXT = "Création de votre espace en cours…"


def _field(
    label: str, field: str, value: str, placeholder: str = "", example: str = ""
) -> ComposeResult:
    with Vertical(classes="champ"):
        yield Label(label, classes="libelle")
        yield SteadyInput(value, placeholder=placeholder, id=field, max_length=254)
        if example:
            yield Static(example, classes="exemple", markup=False)
            # Its line comes after the example: composed with it. The others' come with their
            # first error, right after their field (ContactsScreen.LAZY_ERROR_LINES).
            yield FieldErrorLine(field)


class ContactsScreen(RegistrationStep):
    """Step 3: e-mails (main required, backup optional, each confirmed) and phones (optional).

    Ids: ``#etapes``, ``#courriel``, ``#confirmation-courriel``, ``#courriel-secours``,
    ``#confirmation-courriel-secours``, ``#telephone``, ``#telephone-secondaire``,
    ``#retour-etape``, ``#valider``, ``#travail-en-cours`` (shown while the space is created);
    errors in ``#<field>-erreur`` (the e-mails' created with their first error). «Valider et
    Continuer» checks the fields, then the wizard has this step :meth:`register` in a thread
    worker; the receipt or the refused fields (:class:`ValidationFailed`) go back to the
    wizard, which shows the finalisation or the step owning the first wrong field.
    """

    STEP: ClassVar[int] = 3
    LAZY_ERROR_LINES: ClassVar[dict[str, str]] = {
        field: field
        for field in (
            "courriel", "confirmation-courriel", "courriel-secours",
            "confirmation-courriel-secours",
        )
    }
    HELP_TOPIC: ClassVar[str] = "coordonnees"
    SCREEN_NAME: ClassVar[str] = "Étape 3 — Coordonnées"

    def __init__(self, draft: RegistrationRequest, wizard: Wizard | None = None) -> None:
        super().__init__(draft, wizard)

    def compose_body(self) -> ComposeResult:
        d = self.draft
        yield StepIndicator(3)
        with Horizontal(classes="entete-formulaire titre-section"):
            yield Static("Mes coordonnées", classes="titre")
            yield Static("* Informations obligatoires", classes="obligatoire")
        yield Static("Courriel", classes="sous-titre")
        with Grid(classes="deux-colonnes"):
            yield from _field("Courriel principal *", "courriel", d.email, "prenom.nom@exemple.fr")
            yield from _field(
                "Confirmation courriel principal *", "confirmation-courriel", d.email_confirmation
            )
            yield from _field("Courriel de secours", "courriel-secours", d.email_backup)
            yield from _field(
                "Confirmation courriel de secours",
                "confirmation-courriel-secours",
                d.email_backup_confirmation,
            )
        yield Static(EMAIL_INFO, classes="information")
        yield Static("Téléphone", classes="sous-titre")
        with Grid(classes="deux-colonnes"):
            yield from _field(
                "Téléphone principal", "telephone", d.phone, "0615147879", PHONE_EXAMPLE
            )
            yield from _field(
                "Téléphone secondaire", "telephone-secondaire", d.phone_secondary, "",
                PHONE_EXAMPLE,
            )
        yield Static(PHONE_ABROAD, classes="exemple", markup=False)
        yield from action_bar(
            Button("Retour à l'étape précédente", id="retour-etape"),
            right=[Button("Valider et Continuer", id="valider", variant="primary")],
            busy=BUSY_TEXT,
        )

    def save(self) -> None:
        """Copies the six fields into the draft."""
        d = self.draft
        d.email = self.query_one("#courriel", Input).value
        d.email_confirmation = self.query_one("#confirmation-courriel", Input).value
        d.email_backup = self.query_one("#courriel-secours", Input).value
        d.email_backup_confirmation = self.query_one("#confirmation-courriel-secours", Input).value
        d.phone = self.query_one("#telephone", Input).value
        d.phone_secondary = self.query_one("#telephone-secondaire", Input).value

    def check_fields(self) -> list[FieldError]:
        self.save()
        return self.services.registration.check_contacts(self.draft.contacts)

    def submit(self) -> None:
        if not self.busy:
            super().submit()

    def register(self) -> None:
        """Registers the draft in a thread worker (the buttons wait meanwhile); the receipt or
        the refused fields go to the wizard."""
        # A copy: the fields stay editable while the worker reads it on its thread. argon2 is
        # slow on purpose: this runs through the service-call path.
        self.call_service(
            partial(self.services.registration.register, replace(self.draft)),
            self.wizard.registered,
            group="inscription",
        )

    def go_back(self) -> None:
        if not self.busy:
            super().go_back()

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        if busy:
            self.query_one("#travail-en-cours").scroll_visible()

    def refused(self, errors: Sequence[FieldError]) -> None:
        """The wizard shows each error on the step that owns its field."""
        self.wizard.refused(errors)
