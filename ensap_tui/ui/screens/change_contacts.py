"""«Modifier mes coordonnées», from Mon espace."""

from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from ensap_tui.domain.contact import format_phone
from ensap_tui.domain.errors import FieldError
from ensap_tui.services.models import Account, Contacts, ContactsForm, Session
from ensap_tui.ui.screens.contacts import EMAIL_INFO, PHONE_EXAMPLE
from ensap_tui.ui.screens.signed_in import AccountForm
from ensap_tui.ui.widgets.field_error import FieldErrorLine
from ensap_tui.ui.widgets.steady_input import SteadyInput

#: The six fields, in screen order.
FIELDS = (
    "courriel",
    "confirmation-courriel",
    "courriel-secours",
    "confirmation-courriel-secours",
    "telephone",
    "telephone-secondaire",
)


def _field(label: str, field: str) -> ComposeResult:
    with Vertical(classes="champ"):
        yield Label(label, classes="libelle")
        yield SteadyInput(id=field, max_length=254)
        yield FieldErrorLine(field)


def _phone_for_editing(e164: str) -> str:
    # Shown as people write it (06 15 14 78 79); the services accept that form back.
    if not e164:
        return ""
    try:
        return format_phone(e164)
    except FieldError:
        return e164


def prefill(contacts: Contacts) -> dict[str, str]:
    """The six fields' starting values: the current details, confirmations included."""
    return {
        "courriel": contacts.email,
        "confirmation-courriel": contacts.email,
        "courriel-secours": contacts.email_backup,
        "confirmation-courriel-secours": contacts.email_backup,
        "telephone": _phone_for_editing(contacts.phone),
        "telephone-secondaire": _phone_for_editing(contacts.phone_secondary),
    }


class ChangeContactsScreen(AccountForm):
    """The six contact fields of creation step 3 (``#courriel``, ``#confirmation-courriel``,
    ``#courriel-secours``, ``#confirmation-courriel-secours``, ``#telephone``,
    ``#telephone-secondaire``), prefilled with the current details; ``#valider``, ``#annuler``.

    Same rules as step 3, errors in ``#<field>-erreur``. The write runs in a thread worker. The
    screen dismisses with True once saved, None when cancelled, or a :class:`SignOutReason`
    when the session ends.
    """

    HELP_TOPIC = "modifier-coordonnees"
    SCREEN_NAME = "Modifier mes coordonnées"
    BUSY_TEXT = "Enregistrement de vos coordonnées…"

    def __init__(self, session: Session) -> None:
        super().__init__(session)

    def compose_fields(self) -> ComposeResult:
        with Horizontal(classes="entete-formulaire"):
            yield Static("Modifier mes coordonnées", classes="titre-page")
            yield Static("* Informations obligatoires", classes="obligatoire")
        yield Static("Courriel", classes="sous-titre")
        with Grid(classes="deux-colonnes"):
            yield from _field("Courriel principal *", "courriel")
            yield from _field("Confirmation courriel principal *", "confirmation-courriel")
            yield from _field("Courriel de secours", "courriel-secours")
            yield from _field("Confirmation courriel de secours", "confirmation-courriel-secours")
        yield Static(EMAIL_INFO, classes="information", markup=False)
        yield Static("Téléphone", classes="sous-titre")
        with Grid(classes="deux-colonnes"):
            yield from _field("Téléphone principal", "telephone")
            yield from _field("Téléphone secondaire", "telephone-secondaire")
        yield Static(PHONE_EXAMPLE, classes="exemple", markup=False)

    def fill(self, account: Account) -> None:
        for field, value in prefill(account.contacts).items():
            self.query_one(f"#{field}", Input).value = value

    def _values(self) -> list[str]:
        return [self.query_one(f"#{field}", Input).value for field in FIELDS]

    def check_fields(self) -> list[FieldError] | None:
        return self.services.registration.check_contacts(ContactsForm(*self._values()))

    @on(Button.Pressed, "#valider")
    def submit(self) -> None:
        if self.busy or self.show_errors(self.check_fields() or []):
            return
        form = ContactsForm(*self._values())
        self.call_service(
            partial(self.services.account.change_contacts, self.session, form),
            lambda _: self.leave(True),
            group="modifier-coordonnees",
        )
