"""«Espace assistance»: a help-desk agent identifies before the console opens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Input, Label, Static

from ensap_tui.domain.errors import FieldError
from ensap_tui.services.models import AgentSession, AgentSignInResult, SignInStatus
from ensap_tui.ui.screens import navigation as to
from ensap_tui.ui.screens.sign_in_form import SignInForm, attempts_left, until_text
from ensap_tui.ui.widgets.action_bar import action_bar
from ensap_tui.ui.widgets.field_error import FieldErrorLine
from ensap_tui.ui.widgets.notice import Notice, NoticeKind
from ensap_tui.ui.widgets.password_field import PasswordField
from ensap_tui.ui.widgets.steady_input import SteadyInput

INTRO = (
    "Réservé aux agents d'assistance, pour retrouver l'espace d'un usager et agir dessus. "
    "Les agents sont créés en ligne de commande : « ensap-tui agent add NOM »."
)
ATTEMPTS_WARNING = (
    "! Après 3 tentatives infructueuses, l'accès à la console est momentanément bloqué."
)
FAILED = "Identifiant d'agent ou mot de passe incorrect."
SIGNED_OUT = "Vous avez quitté la console d'assistance."


def agent_attempts_text(left: int | None) -> str:
    """The sentence after a failure: how many attempts remain before a block."""
    return attempts_left(left, "avant le blocage de l'accès à la console")


def agent_blocked_text(until: datetime, now: datetime) -> str:
    """The block message with the local time it ends (and the date when not today)."""
    return (
        "Après 3 tentatives infructueuses, l'accès à la console d'assistance est momentanément "
        f"bloqué {until_text(until, now)}. Vous pourrez alors réessayer."
    )


class AgentSignInScreen(SignInForm):
    """The agent's identifier (``#agent-identifiant``), password (``#agent-mot-de-passe``) and
    ``#agent-connexion``; the outcome in ``#message-agent``.

    The attempt runs in a thread worker (argon2). A failure, whatever its cause, gives one
    message and how many attempts remain; the third blocks the name like a NIR (15, 30, then
    60 minutes). The password is cleared after each failure. On success the console opens
    with the agent's session; when it closes, this screen says so, its fields empty.
    """

    HELP_TOPIC = "agent"
    SCREEN_NAME = "Assistance — identification"
    IDENTIFIER = "agent-identifiant"
    PASSWORD = "agent-mot-de-passe"
    NOTICE = "message-agent"
    GROUP = "connexion-agent"

    def compose_body(self) -> ComposeResult:
        yield Static("Espace assistance — identification de l'agent", classes="titre-page")
        yield Static(INTRO, classes="introduction", markup=False)
        yield Label("Identifiant de l'agent", classes="libelle")
        yield SteadyInput(id="agent-identifiant", max_length=60)
        yield FieldErrorLine("agent-identifiant")
        yield PasswordField("Mot de passe", input_id="agent-mot-de-passe")
        yield FieldErrorLine("agent-mot-de-passe")
        yield Static(ATTEMPTS_WARNING, id="avertissement-agent", markup=False)
        yield Notice(id="message-agent")
        yield from action_bar(
            Button("Retour à la page d'accueil", id="retour-accueil"),
            right=[Button("Ouvrir la console", id="agent-connexion", variant="primary")],
            busy="Vérification en cours…",
        )

    def on_mount(self) -> None:
        self.query_one("#agent-identifiant", Input).focus()

    @on(Button.Pressed, "#agent-connexion")
    def _pressed(self) -> None:
        self.submit()

    def identifier_errors(self, identifier: str) -> list[FieldError]:
        if identifier.strip():
            return []
        return [FieldError(self.IDENTIFIER, "Saisissez votre identifiant.")]

    def attempt(self, identifier: str, password: str) -> Callable[[], AgentSignInResult]:
        return partial(self.services.agents.sign_in, identifier, password)

    def failure(self, result: AgentSignInResult) -> tuple[str, NoticeKind]:
        if result.status is SignInStatus.BLOCKED and result.blocked_until is not None:
            return agent_blocked_text(result.blocked_until, self.services.clock.now()), "erreur"
        return FAILED + agent_attempts_text(result.attempts_left), "erreur"

    def signed_in(self, session: AgentSession) -> None:
        self.navigator.open(to.Console(session), self._console_closed)

    def _console_closed(self, reason: object) -> None:
        notice = self.query_one("#message-agent", Notice)
        if isinstance(reason, str) and reason:
            notice.show(reason, "attention")
        else:
            notice.show(SIGNED_OUT, "info")
        self.query_one("#agent-identifiant", Input).focus()
