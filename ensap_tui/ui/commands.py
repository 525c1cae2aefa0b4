"""The command palette (Ctrl+P): the screens of the home page and, in demo mode, the demo page
and the demo clock's commands."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol, cast

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider

from ensap_tui.services.demo import ONE_DAY, ONE_HOUR
from ensap_tui.ui.screens import navigation as to
from ensap_tui.ui.screens.demo import move_demo_clock, open_demo_page
from ensap_tui.ui.screens.navigation import Destination, Navigator


class _HasNavigator(Protocol):
    navigator: Navigator


@dataclass(frozen=True)
class PaletteCommand:
    """One line of the palette: its name, its explanation, and what it does."""

    name: str
    help: str
    run: Callable[[], object]


def go_home(app: App[Any]) -> None:
    """Closes every screen above the home page, unless a session is open there (leaving it
    must go through signing out)."""
    from ensap_tui.ui.screens.signed_in import SignedInScreen

    if any(isinstance(screen, SignedInScreen) for screen in app.screen_stack):
        app.notify(
            "Vous êtes connecté : quittez d'abord votre espace (« Se déconnecter » ou Échap).",
            title="Accueil",
            markup=False,
        )
        return

    async def unwind() -> None:
        with app.batch_update():
            while len(app.screen_stack) > 1:
                await app.pop_screen()

    app.call_later(unwind)


def open_screen(app: App[Any], destination: Destination, kind: type) -> None:
    """Opens ``destination`` over the current screen, as the home page's button does (nothing
    when the current screen is already of that ``kind``)."""
    if isinstance(app.screen, kind):
        return
    cast(_HasNavigator, app).navigator.open(destination)


def palette_commands(app: App[Any]) -> list[PaletteCommand]:
    """The commands offered on ``app``: the screens, then the demo ones in demo mode."""
    from ensap_tui.ui.screens.activation import ActivationScreen
    from ensap_tui.ui.screens.identity import IdentityScreen
    from ensap_tui.ui.screens.mailbox import MailboxScreen
    from ensap_tui.ui.screens.sign_in import SignInScreen

    commands = [
        PaletteCommand("Accueil", "revenir à la page d'accueil", partial(go_home, app)),
        PaletteCommand(
            "Créer mon espace",
            "première connexion : créer l'espace en 4 étapes",
            partial(open_screen, app, to.Registration(), IdentityScreen),
        ),
        PaletteCommand(
            "Accéder à mon espace",
            "se connecter avec le numéro de sécurité sociale et le mot de passe",
            partial(open_screen, app, to.SignIn(), SignInScreen),
        ),
        PaletteCommand(
            "Activer mon espace",
            "coller le lien d'activation reçu par courriel",
            partial(open_screen, app, to.Activation(), ActivationScreen),
        ),
        PaletteCommand(
            "Boîte de réception (simulée)",
            "les courriels envoyés par le simulateur",
            partial(open_screen, app, to.Mailbox(), MailboxScreen),
        ),
    ]
    if getattr(app, "demo", False):
        commands += [
            PaletteCommand(
                "Page démo",
                "comptes fictifs, mots de passe et horloge de démonstration (F2)",
                partial(open_demo_page, app),
            ),
            PaletteCommand(
                "Horloge de démonstration : avancer d'1 heure",
                "les blocages de 15 minutes prennent fin (F6)",
                partial(move_demo_clock, app, ONE_HOUR),
            ),
            PaletteCommand(
                "Horloge de démonstration : avancer de 24 heures",
                "les liens d'activation expirent, les blocages prennent fin (F7)",
                partial(move_demo_clock, app, ONE_DAY),
            ),
            PaletteCommand(
                "Horloge de démonstration : revenir à l'heure réelle",
                "annule les avances de l'horloge (F8)",
                partial(move_demo_clock, app, None),
            ),
        ]
    return commands


class EnsapCommands(Provider):
    """The simulator's own commands in Textual's palette (Ctrl+P)."""

    async def discover(self) -> Hits:
        for command in palette_commands(self.app):
            yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in palette_commands(self.app):
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), command.run, help=command.help)
