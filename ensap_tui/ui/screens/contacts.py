"""Step 3 of 4: «Mes coordonnées», whose «Valider et Continuer» creates the pending space."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, LoadingIndicator, Static

from ensap_tui.domain.errors import FieldError
from ensap_tui.services.errors import ValidationFailed
from ensap_tui.services.models import ContactsForm, RegistrationReceipt
from ensap_tui.services.ports import StoreBusyError, StoreError
from ensap_tui.ui.registration import STEP_OF_FIELD, RegistrationDraft
from ensap_tui.ui.screens.base import EnsapScreen, FormScreen
from ensap_tui.ui.widgets.field_error import FieldErrorLine
from ensap_tui.ui.widgets.step_indicator import StepIndicator

EMAIL_INFO = (
    "ℹ Par défaut, votre courriel principal sera utilisé pour vous informer des événements "
    "concernant votre espace sécurisé (notamment lors du dépôt de nouveaux documents)."
)
PHONE_EXAMPLE = (
    "exemple : 0615147879 ou depuis l'étranger XXX615147978, XXX étant l'indicatif du pays "
    "(+33615147879) ; pour la Polynésie, utilisez impérativement le format 0689 + votre numéro "
    "à 8 chiffres"
)
BUSY_TEXT = "Création de votre espace en cours…"
STORE_TROUBLE = (
    "La base de données du simulateur est momentanément indisponible : réessayez dans un instant."
)


def _field(label: str, field: str, value: str, placeholder: str = "") -> ComposeResult:
    with Vertical(classes="champ"):
        yield Label(label, classes="libelle")
        yield Input(value, placeholder=placeholder, id=field, max_length=254)
        yield FieldErrorLine(field)


class ContactsScreen(FormScreen):
    """Step 3: e-mails (main required, backup optional, each confirmed) and phones (optional).

    Ids: ``#etapes``, ``#courriel``, ``#confirmation-courriel``, ``#courriel-secours``,
    ``#confirmation-courriel-secours``, ``#telephone``, ``#telephone-secondaire``,
    ``#retour-etape``, ``#valider``, ``#travail-en-cours`` (shown while the space is created);
    errors in ``#<field>-erreur``. «Valider et Continuer» registers in a thread worker; on success
    the stack is reset to home + Finalisation; a :class:`ValidationFailed` from the service
    goes back to the step owning the first wrong field, its message shown there.
    """

    STEP: ClassVar[int] = 3
    HELP_TOPIC: ClassVar[str] = "coordonnees"

    class Registered(Message):
        """The registration went through (new space, or a notice to the known address)."""

        def __init__(self, receipt: RegistrationReceipt) -> None:
            super().__init__()
            self.receipt = receipt

    class Refused(Message):
        """The service found fields invalid (``errors`` in screen order)."""

        def __init__(self, errors: Sequence[FieldError]) -> None:
            super().__init__()
            self.errors = list(errors)

    class Failed(Message):
        """The registration could not be stored; ``message`` says so in French."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self, draft: RegistrationDraft) -> None:
        super().__init__()
        self.draft = draft
        self.busy = False

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
            yield from _field("Téléphone principal", "telephone", d.phone, "0615147879")
            yield from _field("Téléphone secondaire", "telephone-secondaire", d.phone_secondary)
        yield Static(PHONE_EXAMPLE, classes="exemple")
        with Horizontal(id="travail-en-cours"):
            yield LoadingIndicator()
            yield Static(BUSY_TEXT, markup=False)
        with Horizontal(classes="actions"):
            yield Button("Retour à l'étape précédente", id="retour-etape")
            yield Static(classes="espace")
            yield Button("Valider et Continuer", id="valider", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#travail-en-cours").display = False

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
        d = self.draft
        return self.services.registration.check_contacts(ContactsForm(
            d.email, d.email_confirmation, d.email_backup, d.email_backup_confirmation,
            d.phone, d.phone_secondary,
        ))

    def submit(self) -> None:
        if self.busy or self.show_errors(self.check_fields()):
            return
        self._set_working(True)
        self._register(self.draft)

    def go_back(self) -> None:
        if self.busy:
            return
        self.save()
        super().go_back()

    def _set_working(self, busy: bool) -> None:
        self.busy = busy
        self.set_busy(busy)
        if busy:
            self.query_one("#travail-en-cours").scroll_visible()

    @work(thread=True, exclusive=True, group="inscription")
    def _register(self, draft: RegistrationDraft) -> None:
        # argon2 is slow on purpose: this runs in a thread and only posts messages back.
        try:
            receipt = self.services.registration.register(draft.request())
        except ValidationFailed as refusal:
            self.post_message(self.Refused(refusal.errors))
        except (StoreError, StoreBusyError) as trouble:
            detail = trouble.args[0] if isinstance(trouble, StoreError) and trouble.args else ""
            self.post_message(self.Failed(str(detail) or STORE_TROUBLE))
        else:
            self.post_message(self.Registered(receipt))

    @on(Registered)
    def _registered(self, event: Registered) -> None:
        from ensap_tui.ui.screens.finalisation import FinalisationScreen

        self.return_home(FinalisationScreen(event.receipt))

    @on(Refused)
    def _refused(self, event: Refused) -> None:
        self._set_working(False)
        errors = event.errors
        step = min((STEP_OF_FIELD.get(error.field, 3) for error in errors), default=3)
        if step == 3:
            self.show_errors([e for e in errors if STEP_OF_FIELD.get(e.field, 3) == 3])
            return
        own = [e for e in errors if STEP_OF_FIELD.get(e.field, 3) == step]
        app = self.app

        async def route() -> None:
            # Pop back to the screen of that step (still on the stack, with its values).
            while len(app.screen_stack) > 1 and getattr(app.screen, "STEP", 0) != step:
                await app.pop_screen()
            screen = app.screen
            if isinstance(screen, EnsapScreen):
                screen.show_errors(own)

        app.call_later(route)

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self._set_working(False)
        self.notify(event.message, severity="error", markup=False, timeout=10)

    @on(Button.Pressed, "#valider")
    def _validate(self) -> None:
        self.submit()

    @on(Button.Pressed, "#retour-etape")
    def _back(self) -> None:
        self.go_back()
