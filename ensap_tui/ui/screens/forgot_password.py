"""«Mot de passe oublié»: ask for a reset link by NIR; the answer never tells if a space exists."""

from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Input, Label, Static

from ensap_tui.ui.screens.base import FormScreen
from ensap_tui.ui.widgets.action_bar import action_bar
from ensap_tui.ui.widgets.field_error import FieldErrorLine
from ensap_tui.ui.widgets.notice import Notice
from ensap_tui.ui.widgets.steady_input import SteadyInput

INTRO = (
    "Saisissez le numéro de sécurité sociale de votre espace. Si un espace activé existe pour "
    "ce numéro, un courriel contenant un lien pour choisir un nouveau mot de passe est envoyé à "
    "son adresse de messagerie. Ce lien est valable 30 minutes et ne sert qu'une fois."
)
SENT = (
    "Si un espace existe pour ce numéro, un courriel contenant un lien de réinitialisation "
    "a été envoyé à son adresse de messagerie. Ouvrez-le et suivez le lien (valable 30 minutes). "
    "Si rien n'arrive, vérifiez le numéro saisi et votre dossier de courrier indésirable."
)


class ForgotPasswordScreen(FormScreen):
    """``#identifiant`` and ``#envoyer``; the answer (``#message-oubli``) is always the same.

    The request runs in a thread worker. After it, ``#ouvrir-boite`` opens the simulated
    mailbox. A malformed NIR is reported in ``#identifiant-erreur`` (that says nothing about
    any account).
    """

    HELP_TOPIC = "oubli"
    SCREEN_NAME = "Mot de passe oublié"
    # Below 96 columns the three buttons fit in a row only with narrower margins (stylesheet).
    HORIZONTAL_BREAKPOINTS = [(0, "-etroit"), (96, "-large")]  # noqa: RUF012 - Textual's type

    def compose_body(self) -> ComposeResult:
        yield Static("Mot de passe oublié", classes="titre-page")
        yield Static(INTRO, classes="introduction", markup=False)
        yield Label("Identifiant  (N° de sécurité sociale 15 caractères)", classes="libelle")
        yield SteadyInput(id="identifiant", max_length=40)
        yield FieldErrorLine("identifiant")
        yield Notice(id="message-oubli")
        yield from action_bar(
            Button("Retour", id="retour"),
            right=[
                Button("Ouvrir la boîte de réception (simulée)", id="ouvrir-boite"),
                Button("Envoyer", id="envoyer", variant="primary"),
            ],
        )

    def on_mount(self) -> None:
        self.query_one("#ouvrir-boite").display = False

    @on(Button.Pressed, "#envoyer")
    def submit(self) -> None:
        if not self.begin_attempt():
            return
        self.call_service(
            partial(
                self.services.recovery.request_reset, self.query_one("#identifiant", Input).value
            ),
            self._show_outcome,
            group="oubli",
        )

    def _show_outcome(self, _: object) -> None:
        self.query_one("#message-oubli", Notice).show(SENT, "succes")
        mailbox = self.query_one("#ouvrir-boite", Button)
        mailbox.display = True
        mailbox.focus()
