"""«Mon espace»: the signed-in space, with fictitious documents."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Static

from ensap_tui.domain.nir import mask_nir
from ensap_tui.domain.timefmt import format_datetime, local
from ensap_tui.services.errors import NotSignedIn
from ensap_tui.services.models import Contacts, Session
from ensap_tui.ui.screens import navigation as to
from ensap_tui.ui.screens.shown import phone_text
from ensap_tui.ui.screens.signed_in import SignedInScreen, SignOutReason
from ensap_tui.ui.widgets.notice import Notice

FIRST_SIGN_IN = "Première connexion"
NOT_GIVEN = "non renseigné"
DOCUMENTS_NOTE = (
    "Simulation : ces documents sont fictifs, produits par le simulateur. Aucun bulletin réel "
    "n'est affiché."
)
PASSWORD_CHANGED = (
    "Votre mot de passe a été modifié. Un courriel (simulé) vous informe de ce changement."
)
CONTACTS_CHANGED = "Vos coordonnées ont été mises à jour."

_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)


def last_sign_in_text(session: Session) -> str:
    """«Dernière connexion : 26/11/2026 à 14:02», or «Première connexion»."""
    if session.previous_sign_in_at is None:
        return FIRST_SIGN_IN
    return f"Dernière connexion : {format_datetime(session.previous_sign_in_at)}"


def fictitious_documents(now: datetime) -> list[tuple[str, str, str]]:
    """(document, period, put online) rows: the 3 last monthly payslips and last year's tax
    certificate, dated from ``now`` so the table looks current (and stays fixed in tests)."""
    today = local(now)
    rows: list[tuple[str, str, str]] = []
    year, month = today.year, today.month
    for _ in range(3):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        rows.append(
            ("Bulletin de paie (fictif)", f"{_MONTHS[month - 1]} {year}", f"25/{month:02d}/{year}")
        )
    tax_year = today.year - 1 if today.month >= 2 else today.year - 2
    rows.append(
        ("Attestation fiscale (fictive)", f"année {tax_year}", f"02/02/{tax_year + 1}")
    )
    return rows




def contacts_text(contacts: Contacts) -> Text:
    """The contact details as a literal block (addresses are never read as markup)."""
    lines = (
        ("Courriel principal : ", contacts.email or NOT_GIVEN),
        ("Courriel de secours : ", contacts.email_backup or NOT_GIVEN),
        ("Téléphone principal : ", phone_text(contacts.phone, NOT_GIVEN)),
        ("Téléphone secondaire : ", phone_text(contacts.phone_secondary, NOT_GIVEN)),
    )
    text = Text()
    for index, (label, value) in enumerate(lines):
        if index:
            text.append("\n")
        text.append(label, style="bold")
        text.append(value)
    return text


class EspaceScreen(SignedInScreen):
    """Mon espace for ``session``.

    ``#bienvenue`` shows the birth name (literally), the masked NIR and the previous sign-in
    («Dernière connexion : …» or «Première connexion»); ``#coordonnees`` the contact details;
    ``#documents`` a table of fictitious documents. ``#modifier-mot-de-passe`` and
    ``#modifier-coordonnees`` open their screens, ``#deconnexion`` signs out. Escape signs out
    too (no question: leaving the space means closing it). After ``services.idle_timeout``
    without activity the session is closed with the reason «inactivité».

    The screen dismisses itself with a :class:`SignOutReason` once the session is closed.
    """

    HELP_TOPIC = "espace"
    SCREEN_NAME = "Mon espace"

    # Below 96 columns the three buttons no longer fit in a row: the stylesheet puts them on two.
    HORIZONTAL_BREAKPOINTS = [(0, "-etroit"), (96, "-large")]  # noqa: RUF012 - Textual's type

    # Here Escape leaves the space: the footer says so instead of «Retour».
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "sign_out", "Se déconnecter", key_display="Échap"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._signing_out = False

    def compose_body(self) -> ComposeResult:
        session = self.session
        yield Static("Mon espace", classes="titre-page")
        with Vertical(id="bienvenue"):
            yield Static(
                Text.assemble(("Bienvenue, ", "bold"), (session.birth_name, "bold")),
                id="bienvenue-nom",
            )
            yield Static(
                Text.assemble("N° de sécurité sociale : ", mask_nir(session.nir)),
                id="bienvenue-nir",
            )
            yield Static(Text(last_sign_in_text(session)), id="derniere-connexion")
        yield Notice(id="message-espace")
        with Horizontal(classes="actions"):
            yield Button("Modifier mon mot de passe", id="modifier-mot-de-passe")
            yield Button("Modifier mes coordonnées", id="modifier-coordonnees")
            yield Button("Se déconnecter", id="deconnexion", variant="error")
        yield Static("Mes coordonnées", classes="sous-titre")
        yield Static(id="coordonnees")
        yield Static("Mes documents", classes="sous-titre")
        yield Static(DOCUMENTS_NOTE, id="documents-simulation", classes="paragraphe", markup=False)
        table: DataTable[str] = DataTable(id="documents", cursor_type="row", zebra_stripes=True)
        yield table

    def on_mount(self) -> None:
        table = self.query_one("#documents", DataTable)
        table.add_columns("Document", "Période", "Mis en ligne le")
        for row in fictitious_documents(self.services.clock.now()):
            table.add_row(*row)
        self._show_contacts()

    def _show_contacts(self) -> None:
        account = self.own_account()
        if account is None:
            return
        self.query_one("#coordonnees", Static).update(contacts_text(account.contacts))

    # Leaving the space.

    def go_back(self) -> None:
        """Going back signs out: leaving the space closes the session."""
        self.sign_out(SignOutReason.USER)

    def action_sign_out(self) -> None:
        """Escape: signs out, without a question."""
        self.sign_out(SignOutReason.USER)

    def idle_expired(self) -> None:
        """Closes the session «for inactivity» (help or palette pages above close too)."""
        self.sign_out(SignOutReason.IDLE)

    @on(Button.Pressed, "#deconnexion")
    def _sign_out_pressed(self) -> None:
        self.sign_out(SignOutReason.USER)

    def sign_out(self, reason: SignOutReason) -> None:
        """Closes the session (once), then dismisses the screen with ``reason``."""
        if self._signing_out:
            return
        self._signing_out = True
        for button in self.query(Button):
            button.disabled = True
        # The session ends on screen even when its log line cannot be written (said then).
        self.call_service(
            partial(self.services.sign_in.sign_out, self.session, reason=reason.event_detail),
            group="deconnexion",
            busy=False,  # the buttons are off for good: the screen is closing
            after=partial(self.leave, reason),
        )

    def session_ended(self, error: NotSignedIn) -> None:
        """The session is over (account gone...): signs out with «fin de session»."""
        self.sign_out(SignOutReason.ENDED)

    # The two change screens.

    @on(Button.Pressed, "#modifier-mot-de-passe")
    def _change_password(self) -> None:
        self.navigator.open(to.ChangePassword(self.session), self._password_closed)

    @on(Button.Pressed, "#modifier-coordonnees")
    def _change_contacts(self) -> None:
        self.navigator.open(to.ChangeContacts(self.session), self._contacts_closed)

    def _closed_by_session_end(self, result: object) -> bool:
        if isinstance(result, SignOutReason):
            self.sign_out(result)
            return True
        return False

    def _password_closed(self, result: object) -> None:
        if self._closed_by_session_end(result):
            return
        notice = self.query_one("#message-espace", Notice)
        if result is True:
            notice.show(PASSWORD_CHANGED, "succes")
        self.query_one("#modifier-mot-de-passe", Button).focus()

    def _contacts_closed(self, result: object) -> None:
        if self._closed_by_session_end(result):
            return
        if result is True:
            self.query_one("#message-espace", Notice).show(CONTACTS_CHANGED, "succes")
            self._show_contacts()
        self.query_one("#modifier-coordonnees", Button).focus()
