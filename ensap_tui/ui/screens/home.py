"""Accueil: the ways in, one table (:data:`HOME_CHOICES`) shared with the command palette."""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Button, Static

from ensap_tui.ui.screens import navigation as to
from ensap_tui.ui.screens.base import EnsapScreen


# Named tuples rather than dataclasses: this module is imported as the app starts, and a
# dataclass compiles its methods when its class is made (about half a millisecond each).
class HomeChoice(NamedTuple):
    """One top-level screen: the home page's button (``id``, ``label``) and its
    ``explanation``, also the command palette's line of the same name and explanation, and the
    ``destination`` both open."""

    id: str
    label: str
    explanation: str
    destination: to.Destination


#: The top-level screens, in the order of the home page and of the command palette.
HOME_CHOICES: tuple[HomeChoice, ...] = (
    HomeChoice(
        "creer-espace", "Créer mon espace",
        "première connexion : créez votre espace en 4 étapes", to.Registration(),
    ),
    HomeChoice(
        "acceder-espace", "Accéder à mon espace",
        "numéro de sécurité sociale et mot de passe", to.SignIn(),
    ),
    HomeChoice(
        "activer-espace", "Activer mon espace", "collez le lien reçu par courriel",
        to.Activation(),
    ),
    HomeChoice(
        "boite-reception", "Boîte de réception (simulée)",
        "les courriels envoyés par le simulateur", to.Mailbox(),
    ),
    HomeChoice(
        "espace-assistance", "Espace assistance",
        "agents d'assistance : retrouver un espace, le débloquer…", to.AgentSignIn(),
    ),
)


class HomeScreen(EnsapScreen):
    """The home page: create, sign in, activate, or read the simulated mailbox.

    Buttons: ``#creer-espace``, ``#acceder-espace``, ``#activer-espace``, ``#boite-reception``,
    ``#espace-assistance`` (the help desk's sign-in).
    It is the bottom of the screen stack: Escape does nothing here.
    """

    HELP_TOPIC: ClassVar[str] = "accueil"
    SCREEN_NAME: ClassVar[str] = "Accueil"

    def compose_body(self) -> ComposeResult:
        yield Static(
            "Bienvenue sur votre espace numérique sécurisé (simulation)",
            classes="titre-page",
        )
        yield Static(
            "Ce simulateur de formation reproduit la création de l'espace, son activation par "
            f"courriel et la connexion. Appuyez sur {self.key('f1')} à tout moment pour obtenir "
            "de l'aide.",
            classes="introduction",
        )
        with Grid(id="choix-accueil"):
            for index, choice in enumerate(HOME_CHOICES):
                yield Button(
                    choice.label, id=choice.id, variant="primary" if index == 0 else "default"
                )
                yield Static(choice.explanation, classes="explication")

    def go_back(self) -> None:
        """Nothing is under the home page."""

    @on(Button.Pressed, "#choix-accueil Button")
    def _open(self, event: Button.Pressed) -> None:
        for choice in HOME_CHOICES:
            if choice.id == event.button.id:
                self.navigator.open(choice.destination)
