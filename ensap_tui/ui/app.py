"""The Textual application and its one factory, :func:`create_app`."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme

from ensap_tui.bootstrap import Settings, open_services
from ensap_tui.services.container import Services
from ensap_tui.services.ports import Clock, TokenSource
from ensap_tui.ui.help import HelpScreen
from ensap_tui.ui.screens.base import EnsapScreen
from ensap_tui.ui.screens.home import HomeScreen

#: Our own colours: a deep blue, white, and a red accent. Deliberately not an official palette.
ENSAP_THEME = Theme(
    name="ensap",
    primary="#1B3C8C",
    secondary="#4A64B8",
    accent="#C4122F",
    warning="#A45A00",
    error="#B3001B",
    success="#1C7A3E",
    foreground="#1A1A2E",
    background="#FFFFFF",
    surface="#F3F5FA",
    panel="#E2E8F6",
    dark=False,
    variables={
        "footer-key-foreground": "#1B3C8C",
        "block-cursor-text-style": "bold",
        "input-selection-background": "#4A64B8 35%",
    },
)


class EnsapApp(App[None], inherit_bindings=False):
    """The simulator. Every screen reaches the use cases through :attr:`services`.

    Keys everywhere: F1 opens the help of the current screen, Escape goes back (not on the home
    page), Ctrl+P the command palette, Ctrl+Q quits. The theme «ensap» is registered and
    selected; Textual's own themes stay available from the palette. The services are closed when
    the app exits.
    """

    TITLE = "ENSAP — simulateur de formation"
    CSS_PATH = "ensap.tcss"
    #: Screens get ``-court`` below 32 rows (80×24 and the like): the stylesheet tightens them.
    VERTICAL_BREAKPOINTS = [(0, "-court"), (32, "-haut")]  # noqa: RUF012 - Textual's own type
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Aide", key_display="F1"),
        Binding("escape", "back", "Retour", key_display="Échap"),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commandes",
            key_display="Ctrl+P",
            show=False,  # the footer shows it on its right
            priority=True,
            tooltip="Ouvrir la palette de commandes",
        ),
        Binding("ctrl+q", "quit", "Quitter", key_display="Ctrl+Q", priority=True),
        # Textual's own: Ctrl+C explains how to quit (App.BINDINGS is not inherited, for order).
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(self, services: Services, *, demo: bool = False) -> None:
        super().__init__()
        self.services = services
        self.demo = demo
        self.register_theme(ENSAP_THEME)
        self.theme = ENSAP_THEME.name

    def get_default_screen(self) -> Screen[object]:
        return HomeScreen()

    def on_mount(self) -> None:
        for notice in self.services.notices:
            self.notify(notice, title="Information", markup=False, timeout=15)

    def on_unmount(self) -> None:
        self.services.close()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            # Hidden on the home page: there is nowhere to go back to.
            return len(self.screen_stack) > 1
        return True

    def action_help(self) -> None:
        """Opens the help page of the current screen."""
        if isinstance(self.screen, HelpScreen):
            return
        topic = getattr(self.screen, "HELP_TOPIC", "accueil")
        self.push_screen(HelpScreen(str(topic)))

    async def action_back(self) -> None:
        """Goes back one screen (each screen decides what that means)."""
        screen = self.screen
        if isinstance(screen, EnsapScreen):
            screen.go_back()
        elif len(self.screen_stack) > 1:
            await self.pop_screen()


def create_app(
    db_path: Path,
    clock: Clock | None = None,
    token_source: TokenSource | None = None,
    *,
    settings: Settings | None = None,
) -> EnsapApp:
    """Builds the app on the database at ``db_path`` (created if needed).

    The one factory of the command line, the tests, the screenshots and the browser server.
    ``clock`` and ``token_source`` are for tests (system clock and random tokens otherwise);
    ``settings.demo`` marks the demo mode. Raises ``ensap_tui.bootstrap.StartupError`` with a
    French message when the database or its secret cannot be used.
    """
    services = open_services(db_path, clock=clock, token_source=token_source, settings=settings)
    return EnsapApp(services, demo=settings.demo if settings is not None else False)
