"""The command palette (Ctrl+P): the screens of the home page and, in demo mode, the demo page
and the demo clock's commands."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, cast

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider

from ensap_tui.services.demo import ONE_DAY, ONE_HOUR
from ensap_tui.ui.browser_keys import shown_key
from ensap_tui.ui.screens import navigation as to
from ensap_tui.ui.screens.demo import move_demo_clock, open_demo_page
from ensap_tui.ui.screens.home import HOME_CHOICES
from ensap_tui.ui.screens.navigation import Destination, Navigator

if TYPE_CHECKING:
    from ensap_tui.ui.journeys import AppNavigator

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


def open_screen(app: App[Any], destination: Destination) -> None:
    """Opens ``destination`` over the current screen, as the home page's button does (nothing
    when the current screen is already the one it opens)."""
    navigator = cast("AppNavigator", cast(_HasNavigator, app).navigator)
    if isinstance(destination, to.Registration):
        # Building the wizard's first step would start a new wizard: compare with the class.
        from ensap_tui.ui.screens.identity import IdentityScreen

        if isinstance(app.screen, IdentityScreen):
            return
    elif type(app.screen) is type(navigator.screen_for(destination)):
        return
    navigator.open(destination)


def palette_commands(app: App[Any]) -> list[PaletteCommand]:
    """The commands offered on ``app``: the home page, the screens of its buttons (the same
    table, :data:`~ensap_tui.ui.screens.home.HOME_CHOICES`), then the demo ones in demo mode.
    None on the trainer's board: its app shows the board only (the palette keeps Textual's
    own commands: help, theme, quit)."""
    if getattr(app, "board_room", None) is not None:
        return []
    commands = [
        PaletteCommand("Accueil", "revenir à la page d'accueil", partial(go_home, app)),
        *(
            PaletteCommand(
                choice.label, choice.explanation, partial(open_screen, app, choice.destination)
            )
            for choice in HOME_CHOICES
        ),
    ]
    in_browser = bool(getattr(app, "in_browser", False))

    def key(terminal_key: str) -> str:
        return shown_key(terminal_key, in_browser=in_browser)

    if getattr(app, "demo", False):
        commands.append(
            PaletteCommand(
                "Page démo",
                "comptes fictifs, mots de passe et horloge de démonstration (F2)",
                partial(open_demo_page, app),
            )
        )
    link = getattr(app, "poste_link", None)
    if link is not None:  # a training room's poste: F6-F8 move its own clock
        commands += [
            PaletteCommand(
                "Horloge du poste : avancer d'1 heure",
                f"les blocages de 15 minutes prennent fin ({key('f6')})",
                partial(link.move_clock, ONE_HOUR),
            ),
            PaletteCommand(
                "Horloge du poste : avancer de 24 heures",
                f"les liens d'activation expirent, les blocages prennent fin ({key('f7')})",
                partial(link.move_clock, ONE_DAY),
            ),
            PaletteCommand(
                "Horloge du poste : revenir à l'heure de la salle",
                f"annule les avances de l'horloge du poste ({key('f8')})",
                partial(link.move_clock, None),
            ),
        ]
    elif getattr(app, "demo", False):
        commands += [
            PaletteCommand(
                "Horloge de démonstration : avancer d'1 heure",
                f"les blocages de 15 minutes prennent fin ({key('f6')})",
                partial(move_demo_clock, app, ONE_HOUR),
            ),
            PaletteCommand(
                "Horloge de démonstration : avancer de 24 heures",
                f"les liens d'activation expirent, les blocages prennent fin ({key('f7')})",
                partial(move_demo_clock, app, ONE_DAY),
            ),
            PaletteCommand(
                "Horloge de démonstration : revenir à l'heure réelle",
                f"annule les avances de l'horloge ({key('f8')})",
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
