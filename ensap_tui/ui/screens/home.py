"""Accueil: the four ways in."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Button, Static

from ensap_tui.ui.screens import navigation as to
from ensap_tui.ui.screens.base import EnsapScreen


class HomeScreen(EnsapScreen):
    """The home page: create, sign in, activate, or read the simulated mailbox.

    Buttons: ``#creer-espace``, ``#acceder-espace``, ``#activer-espace``, ``#boite-reception``,
    ``#espace-assistance`` (the help desk's sign-in).
    It is the bottom of the screen stack: Escape does nothing here.
    """

    HELP_TOPIC: ClassVar[str] = "accueil"

    def compose_body(self) -> ComposeResult:
        yield Static(
            "Bienvenue sur votre espace numérique sécurisé (simulation)",
            classes="titre-page",
        )
        yield Static(
            "Ce simulateur de formation reproduit la création de l'espace, son activation par "
            "courriel et la connexion. Appuyez sur F1 à tout moment pour obtenir de l'aide.",
            classes="introduction",
        )
        with Grid(id="choix-accueil"):
            yield Button("Créer mon espace", id="creer-espace", variant="primary")
            yield Static(
                "première connexion : créez votre espace en 4 étapes", classes="explication"
            )
            yield Button("Accéder à mon espace", id="acceder-espace")
            yield Static("numéro de sécurité sociale et mot de passe", classes="explication")
            yield Button("Activer mon espace", id="activer-espace")
            yield Static("collez le lien reçu par courriel", classes="explication")
            yield Button("Boîte de réception (simulée)", id="boite-reception")
            yield Static("les courriels envoyés par le simulateur", classes="explication")
            yield Button("Espace assistance", id="espace-assistance")
            yield Static(
                "agents d'assistance : retrouver un espace, le débloquer…",
                classes="explication",
            )

    def go_back(self) -> None:
        """Nothing is under the home page."""

    @on(Button.Pressed, "#creer-espace")
    def _create(self) -> None:
        self.navigator.open(to.Registration())

    @on(Button.Pressed, "#acceder-espace")
    def _sign_in(self) -> None:
        self.navigator.open(to.SignIn())

    @on(Button.Pressed, "#activer-espace")
    def _activate(self) -> None:
        self.navigator.open(to.Activation())

    @on(Button.Pressed, "#boite-reception")
    def _mailbox(self) -> None:
        self.navigator.open(to.Mailbox())

    @on(Button.Pressed, "#espace-assistance")
    def _assistance(self) -> None:
        self.navigator.open(to.AgentSignIn())
