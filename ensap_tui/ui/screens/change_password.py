"""«Modifier mon mot de passe», from Mon espace."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import var
from textual.widgets import Button, Input, LoadingIndicator, Static

from ensap_tui.domain.errors import FieldError
from ensap_tui.domain.password import PersonalInfo
from ensap_tui.services.errors import NotSignedIn, TooManyAttempts, ValidationFailed
from ensap_tui.services.models import Session
from ensap_tui.ui.screens.base import FormScreen
from ensap_tui.ui.screens.signed_in import SignedInScreen, SignOutReason
from ensap_tui.ui.screens.store_trouble import STORE_ERRORS, StoreTrouble
from ensap_tui.ui.widgets.field_error import FieldErrorLine
from ensap_tui.ui.widgets.new_password import NewPassword
from ensap_tui.ui.widgets.password_field import PasswordField


class ChangePasswordScreen(SignedInScreen, FormScreen):
    """``#mot-de-passe-actuel``, ``#mot-de-passe`` (with ``#regles`` and ``#niveau-securite``
    live), ``#confirmation-mot-de-passe``, ``#valider``, ``#annuler``.

    Errors go to ``#<field>-erreur``. The check and the hashing run in a thread worker. The
    screen dismisses with True once the password is changed, None when cancelled, or a
    :class:`SignOutReason` when the session ends (inactivity, account gone).
    """

    HELP_TOPIC = "modifier-mot-de-passe"

    class Changed(Message):
        """The worker finished: ``errors`` on the fields, or ``ended`` when signed out."""

        def __init__(
            self, errors: list[FieldError], ended: bool = False,
            reason: SignOutReason = SignOutReason.ENDED,
        ) -> None:
            super().__init__()
            self.errors = errors
            self.ended = ended
            self.reason = reason

    personal: var[PersonalInfo | None] = var(None, init=False)
    """The signed-in person's name, birth date, NIR and e-mail, for the :class:`NewPassword`
    checks."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)

    def compose_body(self) -> ComposeResult:
        yield Static("Modifier mon mot de passe", classes="titre-page")
        yield PasswordField(
            "Mot de passe actuel *", input_id="mot-de-passe-actuel"
        )
        yield FieldErrorLine("mot-de-passe-actuel")
        yield NewPassword(
            confirmation_label="Confirmation nouveau mot de passe *"
        ).data_bind(ChangePasswordScreen.personal)
        with Horizontal(id="travail-en-cours"):
            yield LoadingIndicator()
            yield Static("Enregistrement du nouveau mot de passe…")
        with Horizontal(classes="actions"):
            yield Button("Annuler", id="annuler")
            yield Static(classes="espace")
            yield Button("Valider", id="valider", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#travail-en-cours").display = False
        try:
            account = self.services.account.account(self.session)
        except NotSignedIn:
            self.leave(SignOutReason.ENDED)
            return
        self.personal = PersonalInfo(
            account.nir, account.birth_name, account.birth_date, account.contacts.email
        )

    def check_fields(self) -> list[FieldError] | None:
        # Cheap checks (no I/O): the current password is only verified on «Valider».
        errors = self.services.registration.check_password(
            self.query_one("#mot-de-passe", Input).value,
            self.query_one("#confirmation-mot-de-passe", Input).value,
            self.personal or PersonalInfo(),
        )
        # A shown «current password» error stays until that field is typed in again.
        current = self.query_one("#mot-de-passe-actuel-erreur", FieldErrorLine)
        if current.message and not self.query_one("#mot-de-passe-actuel", Input).value:
            errors.insert(0, FieldError("mot-de-passe-actuel", current.message))
        return errors

    @on(Button.Pressed, "#valider")
    def submit(self) -> None:
        if self.has_class("-occupe"):
            return
        self.clear_errors()
        self.set_busy(True)
        self._change(
            self.query_one("#mot-de-passe-actuel", Input).value,
            self.query_one("#mot-de-passe", Input).value,
            self.query_one("#confirmation-mot-de-passe", Input).value,
        )

    @work(thread=True, exclusive=True, group="modifier-mot-de-passe")
    def _change(self, current: str, new: str, confirmation: str) -> None:
        try:
            self.services.account.change_password(self.session, current, new, confirmation)
        except ValidationFailed as failed:
            self.post_message(self.Changed(failed.errors))
        except TooManyAttempts:
            self.post_message(self.Changed([], ended=True, reason=SignOutReason.ATTEMPTS))
        except NotSignedIn:
            self.post_message(self.Changed([], ended=True))
        except STORE_ERRORS as error:
            self.post_message(StoreTrouble(error))
        else:
            self.post_message(self.Changed([]))

    @on(Changed)
    def _show_outcome(self, message: Changed) -> None:
        self.set_busy(False)
        if message.ended:
            self.leave(message.reason)
        elif message.errors:
            if any(error.field == "mot-de-passe-actuel" for error in message.errors):
                self.query_one("#mot-de-passe-actuel", Input).value = ""
            self.show_errors(message.errors)
        else:
            self.leave(True)

    @on(Button.Pressed, "#annuler")
    def _cancel(self) -> None:
        self.go_back()

    @on(StoreTrouble)
    def _store_trouble(self, message: StoreTrouble) -> None:
        self.set_busy(False)
        self.notify(message.text, severity="error", markup=False, timeout=10)
