"""The Textual application and its one factory, :func:`create_app`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import ClassVar

from textual import constants as textual_constants
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme, ThemeProvider

from ensap_tui.bootstrap import Settings, open_services
from ensap_tui.services.container import Services
from ensap_tui.services.ports import Clock, TokenSource
from ensap_tui.ui.commands import EnsapCommands
from ensap_tui.ui.help import HelpScreen
from ensap_tui.ui.palette import FrenchCommandPalette
from ensap_tui.ui.screens.base import EnsapScreen
from ensap_tui.ui.screens.demo import (
    DemoScreen,
    move_demo_clock,
    open_demo_page,
    show_demo_clock,
)
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
        # Demo mode only (check_action hides them otherwise); F6-F8 are listed on the demo page,
        # in its help and in the palette, to keep the footer short.
        Binding("f2", "demo_page", "Page démo", key_display="F2"),
        Binding("f6", "demo_advance_hour", "+1 h", key_display="F6", show=False),
        Binding("f7", "demo_advance_day", "+24 h", key_display="F7", show=False),
        Binding("f8", "demo_real_time", "Heure réelle", key_display="F8", show=False),
    ]
    #: Ctrl+P: Textual's own commands, and ours (screens, demo page, demo clock).
    COMMANDS = App.COMMANDS | {EnsapCommands}

    def __init__(self, services: Services, *, demo: bool = False) -> None:
        super().__init__()
        # Textual's debug log (the TEXTUAL_LOG file, the devtools console) records every key and
        # every Input value, passwords included: this application never feeds it.
        textual_constants.LOG_FILE = None  # type: ignore[misc]
        self.devtools = None
        self.services = services
        self.demo = demo
        self.register_theme(ENSAP_THEME)
        self.theme = ENSAP_THEME.name

    def get_default_screen(self) -> Screen[object]:
        return HomeScreen()

    def on_mount(self) -> None:
        for notice in self.services.notices:
            self.notify(notice, title="Information", markup=False, timeout=15)
        if self.demo:
            # The demo clock in the header line: on each new screen, and every second.
            self.screen_change_signal.subscribe(self, self._demo_screen_changed)
            self.set_interval(1.0, self._show_demo_clock)
            self.call_after_refresh(self._show_demo_clock)

    def on_unmount(self) -> None:
        self.services.close()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            # Hidden on the home page: there is nowhere to go back to.
            return len(self.screen_stack) > 1
        if action.startswith("demo_"):
            if action == "demo_page" and isinstance(self.screen, DemoScreen):
                return False  # already there
            return self.demo  # the demo keys do not exist outside the demo mode
        return True

    # Textual's own commands and palettes, in French.

    def action_command_palette(self) -> None:
        """Opens the command palette (Ctrl+P)."""
        if self.use_command_palette and not isinstance(self.screen, FrenchCommandPalette):
            self.push_screen(FrenchCommandPalette(id="--command-palette"))

    def search_themes(self) -> None:
        """Opens the palette of themes."""
        self.push_screen(
            FrenchCommandPalette(providers=[ThemeProvider], placeholder="Rechercher un thème…")
        )

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield SystemCommand("Aide", "Ouvrir l'aide de l'écran en cours (F1)", self.action_help)
        yield SystemCommand(
            "Thème", "Changer les couleurs de l'application", self.action_change_theme
        )
        yield SystemCommand("Quitter", "Fermer le simulateur (Ctrl+Q)", self.action_quit)

    def action_help(self) -> None:
        """Opens the help page of the current screen."""
        if isinstance(self.screen, HelpScreen):
            return
        topic = getattr(self.screen, "HELP_TOPIC", "accueil")
        self.push_screen(HelpScreen(str(topic)))

    # Demo mode (F2, F6, F7, F8; also in the command palette).

    def action_demo_page(self) -> None:
        """Opens the demo page."""
        open_demo_page(self)

    def action_demo_advance_hour(self) -> None:
        """Advances the demo clock by one hour."""
        move_demo_clock(self, timedelta(hours=1))

    def action_demo_advance_day(self) -> None:
        """Advances the demo clock by 24 hours."""
        move_demo_clock(self, timedelta(hours=24))

    def action_demo_real_time(self) -> None:
        """Puts the demo clock back on the real time."""
        move_demo_clock(self, None)

    def _demo_screen_changed(self, screen: Screen[object]) -> None:
        # The new screen composes its header after this signal: write the clock after that.
        self.call_after_refresh(self._show_demo_clock)

    def _show_demo_clock(self) -> None:
        show_demo_clock(self)

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
