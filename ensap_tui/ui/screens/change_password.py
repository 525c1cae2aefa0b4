"""«Modifier mon mot de passe», from Mon espace."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.reactive import var
from textual.widgets import Button, Input, Static

from ensap_tui.domain.errors import FieldError
from ensap_tui.domain.password import PersonalInfo
from ensap_tui.services.errors import NotSignedIn, TooManyAttempts
from ensap_tui.services.models import Account, Session
from ensap_tui.ui.screens.signed_in import AccountForm, SignOutReason
from ensap_tui.ui.widgets.field_error import FieldErrorLine
from ensap_tui.ui.widgets.new_password import NewPassword
from ensap_tui.ui.widgets.password_field import PasswordField


class ChangePasswordScreen(AccountForm):
    """``#mot-de-passe-actuel``, ``#mot-de-passe`` (with ``#regles`` and ``#niveau-securite``
    live), ``#confirmation-mot-de-passe``, ``#valider``, ``#annuler``.

    Errors go to ``#<field>-erreur``. The check and the hashing run in a thread worker. The
    screen dismisses with True once the password is changed, None when cancelled, or a
    :class:`SignOutReason` when the session ends (inactivity, account gone).
    """

    HELP_TOPIC = "modifier-mot-de-passe"
    SCREEN_NAME = "Modifier mon mot de passe"
    BUSY_TEXT = "Enregistrement du nouveau mot de passe…"

    personal: var[PersonalInfo | None] = var(None, init=False)
    """The signed-in person's name, birth date, NIR and e-mail, for the :class:`NewPassword`
    checks."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)

    def compose_fields(self) -> ComposeResult:
        yield Static("Modifier mon mot de passe", classes="titre-page")
        yield PasswordField(
            "Mot de passe actuel *", input_id="mot-de-passe-actuel"
        )
        yield FieldErrorLine("mot-de-passe-actuel")
        yield NewPassword(
            confirmation_label="Confirmation nouveau mot de passe *"
        ).data_bind(ChangePasswordScreen.personal)

    def fill(self, account: Account) -> None:
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
        if self.busy:
            return
        self.clear_errors()
        self.call_service(
            partial(
                self.services.account.change_password,
                self.session,
                self.query_one("#mot-de-passe-actuel", Input).value,
                self.query_one("#mot-de-passe", Input).value,
                self.query_one("#confirmation-mot-de-passe", Input).value,
            ),
            lambda _: self.leave(True),
            group="modifier-mot-de-passe",
        )

    def refused(self, errors: Sequence[FieldError]) -> None:
        """A wrong current password is cleared before the errors are shown."""
        if any(error.field == "mot-de-passe-actuel" for error in errors):
            self.query_one("#mot-de-passe-actuel", Input).value = ""
        self.show_errors(errors)

    def session_ended(self, error: NotSignedIn) -> None:
        """Leaves for the sign-in: with the block's reason after too many wrong current
        passwords (:class:`TooManyAttempts`), else «fin de session»."""
        too_many = isinstance(error, TooManyAttempts)
        self.leave(SignOutReason.ATTEMPTS if too_many else SignOutReason.ENDED)
