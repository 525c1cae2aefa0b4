"""«J'accède à mon espace sécurisé»: sign in with the NIR and the password."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Input, Label, Static

from ensap_tui.domain import nir
from ensap_tui.domain.errors import FieldError
from ensap_tui.services.models import Session, SignInResult, SignInStatus
from ensap_tui.ui.screens import navigation as to
from ensap_tui.ui.screens.sign_in_form import SignInForm, attempts_left, until_text
from ensap_tui.ui.screens.signed_in import SignOutReason, idle_seconds
from ensap_tui.ui.widgets.action_bar import action_bar
from ensap_tui.ui.widgets.field_error import FieldErrorLine
from ensap_tui.ui.widgets.notice import Notice, NoticeKind
from ensap_tui.ui.widgets.password_field import PasswordField
from ensap_tui.ui.widgets.steady_input import SteadyInput

ATTEMPTS_WARNING = (
    "! Attention, après 3 tentatives de connexion infructueuses, l'accès à votre espace sera "
    "momentanément bloqué."
)
FAILED = "Identifiant ou mot de passe incorrect."
NOT_ACTIVATED = (
    "Votre espace n'est pas encore activé. Pour l'activer, suivez le lien du courriel reçu "
    "après la création de votre espace (valable 24 heures) ; passé ce délai, recommencez la "
    "création de votre espace."
)
SESSION_ENDED = "Votre session a pris fin : reconnectez-vous pour accéder à votre espace."
SIGNED_OUT = "Déconnexion effectuée : votre session est fermée."


def attempts_left_text(left: int | None) -> str:
    """The sentence after a failure, saying how many attempts remain before a block."""
    return attempts_left(left, "avant que l'accès à votre espace soit momentanément bloqué")


def blocked_text(until: datetime, now: datetime) -> str:
    """The block message, with the local time it ends (and the date if not today)."""
    return (
        "Après 3 tentatives de connexion infructueuses, l'accès à votre espace est "
        f"momentanément bloqué {until_text(until, now)}. Vous pourrez alors réessayer. Si vous "
        "avez oublié votre mot de passe, choisissez « Mot de passe oublié »."
    )


def duration_text(seconds: float) -> str:
    """«10 minutes», «1 minute», «30 secondes»: the idle timeout in words."""
    if seconds >= 60:
        minutes = round(seconds / 60)
        return f"{minutes} minute{'s' if minutes > 1 else ''}"
    whole = max(1, round(seconds))
    return f"{whole} seconde{'s' if whole > 1 else ''}"


def idle_text(timeout: timedelta) -> str:
    """The message shown after an automatic sign-out."""
    return (
        f"Par sécurité, votre session a été fermée après {duration_text(idle_seconds(timeout))} "
        "sans activité. Saisissez de nouveau votre identifiant et votre mot de passe pour "
        "accéder à votre espace."
    )


class SignInScreen(SignInForm):
    """Sign-in by NIR (``#identifiant``) and password (``#mot-de-passe``), ``#acceder``.

    The attempt runs in a thread worker (argon2); meanwhile ``#travail-en-cours`` shows and the
    buttons are disabled. The outcome goes to ``#message-connexion``: one message for any
    failure (unknown NIR, wrong password, space not activated with a wrong password), the block
    with the local time it ends, «not activated» only after the right password. The password is
    cleared after each failure. On success Mon espace opens; when it closes (sign-out,
    inactivity) this screen says why.

    ``notice`` is a message to show on arrival (e.g. after a password reset).
    """

    HELP_TOPIC = "connexion"
    SCREEN_NAME = "Connexion"
    IDENTIFIER = "identifiant"
    PASSWORD = "mot-de-passe"
    NOTICE = "message-connexion"
    GROUP = "connexion"

    def __init__(self, notice: str = "") -> None:
        super().__init__()
        self._initial_notice = notice

    def compose_body(self) -> ComposeResult:
        yield Static("J'accède à mon espace sécurisé", classes="titre-page")
        yield Label("Identifiant  (N° de sécurité sociale 15 caractères)", classes="libelle")
        yield SteadyInput(id="identifiant", max_length=40)
        yield FieldErrorLine("identifiant")
        yield PasswordField("Mot de passe", input_id="mot-de-passe")
        yield FieldErrorLine("mot-de-passe")
        yield Static(ATTEMPTS_WARNING, id="avertissement-tentatives", markup=False)
        yield Notice(id="message-connexion")
        yield from action_bar(
            Button("Accéder à mon espace", id="acceder", variant="primary"),
            right=[
                Button("Mot de passe oublié", id="mot-de-passe-oublie", classes="lien"),
            ],
            busy="Vérification en cours…",
        )

    def on_mount(self) -> None:
        if self._initial_notice:
            self.query_one("#message-connexion", Notice).show(self._initial_notice, "succes")

    @on(Button.Pressed, "#acceder")
    def _pressed(self) -> None:
        self.submit()

    def identifier_errors(self, identifier: str) -> list[FieldError]:
        try:
            nir.parse_nir(identifier, field=self.IDENTIFIER)
        except FieldError as error:
            return [error]
        return []

    def attempt(self, identifier: str, password: str) -> Callable[[], SignInResult]:
        return partial(self.services.sign_in.sign_in, identifier, password)

    def failure(self, result: SignInResult) -> tuple[str, NoticeKind]:
        if result.status is SignInStatus.BLOCKED and result.blocked_until is not None:
            return blocked_text(result.blocked_until, self.services.clock.now()), "erreur"
        if result.status is SignInStatus.NOT_ACTIVATED:
            return NOT_ACTIVATED, "attention"
        return FAILED + attempts_left_text(result.attempts_left), "erreur"

    def signed_in(self, session: Session) -> None:
        self.navigator.open(to.Espace(session), self._signed_out)

    def show_notice(self, message: str, kind: NoticeKind = "info") -> None:
        """Shows ``message`` in ``#message-connexion`` (e.g. coming back after a reset) and puts
        the focus where the person goes on: the password when the number is filled in, the
        number otherwise (not the «Mot de passe oublié» button the journey left from, where
        the new password typed at once would be lost and Enter would ask for another link)."""
        self.query_one("#message-connexion", Notice).show(message, kind)
        nir_input = self.query_one("#identifiant", Input)
        (self.query_one("#mot-de-passe", Input) if nir_input.value.strip() else nir_input).focus()

    def _signed_out(self, reason: object) -> None:
        notice = self.query_one("#message-connexion", Notice)
        if reason == SignOutReason.IDLE:
            notice.show(idle_text(self.services.idle_timeout), "attention")
        elif reason == SignOutReason.ENDED:
            notice.show(SESSION_ENDED, "attention")
        elif reason == SignOutReason.ATTEMPTS:
            from ensap_tui.services.account import TOO_MANY_ATTEMPTS

            notice.show(TOO_MANY_ATTEMPTS, "erreur")
        else:
            notice.show(SIGNED_OUT, "info")
        self.query_one("#identifiant", Input).focus()

    @on(Button.Pressed, "#mot-de-passe-oublie")
    def _forgot(self) -> None:
        self.navigator.open(to.ForgotPassword())
