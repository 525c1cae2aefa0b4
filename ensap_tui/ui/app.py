"""The Textual application and its one factory, :func:`create_app`."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from textual import constants as textual_constants
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.reactive import Reactive
from textual.screen import Screen
from textual.theme import Theme, ThemeProvider
from textual.worker import Worker

from ensap_tui.bootstrap import Database, Settings, open_services
from ensap_tui.services.container import Services
from ensap_tui.services.ports import Clock, TokenSource
from ensap_tui.typography import keep_non_breaking_spaces
from ensap_tui.ui.browser_keys import BROWSER_KEYMAP, key_label, shown_key
from ensap_tui.ui.css_cache import install as install_css_cache
from ensap_tui.ui.journeys import AppNavigator
from ensap_tui.ui.partial_renders import install as install_partial_renders
from ensap_tui.ui.screens.base import EnsapScreen
from ensap_tui.ui.screens.home import HomeScreen
from ensap_tui.ui.widgets.busy_line import FRAMES_PER_SECOND as BUSY_LINE_FRAMES_PER_SECOND

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.widget import AwaitMount

    from ensap_tui.ui.poste import PosteLink

# Start-up time: only the home page is imported here. The help (Markdown), the palettes and
# the demo page are imported when first opened.


def _after_first_frame(services: Services) -> None:
    _restart_collector()
    threading.Thread(
        target=_warm_up, args=(services,), name="ensap-tui-warm-up", daemon=True
    ).start()


#: Every service of :class:`Services`, made in the background after the first frame.
_SERVICES = (
    "registration", "activation", "sign_in", "recovery", "account", "mailbox", "agents",
    "assistance", "demo", "room",
)


def _warm_up(services: Services) -> None:
    """Loads, in the background while the home page is read, what the forms need on first use
    (the services and their records, the NIR key, e-mail and phone validation, the password
    lists), so that no keystroke or button of the first registration waits for it on the
    screen's thread."""
    from ensap_tui.domain import contact, nir, password

    with contextlib.suppress(Exception):  # only a warm-up: the real call will say what fails
        for name in _SERVICES:
            getattr(services, name)
        nir.parse_nir("185057511512364")
        contact.parse_email("prenom.nom@exemple.fr")
        contact.parse_phone("0615147879")
        password.assess("Exemple#2026")


def _restart_collector() -> None:
    """Turns the garbage collector back on once the first screen is drawn, when the command
    line turned it off for the start-up (see ``ensap_tui.cli.main``). What exists now lives as
    long as the application: it is frozen out of the collector's passes first, so that a full
    pass never stalls the screen for a tenth of a second."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _ensap_commands() -> type[Provider]:
    from ensap_tui.ui.commands import EnsapCommands

    return EnsapCommands

#: Terminal width (columns) below which the demo mode's footer keys are drawn closer together.
NARROW_FOOTER_BELOW = 100

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
    """The simulator. Every screen reaches the use cases through :attr:`services` and the other
    screens through :attr:`navigator`.

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
        Binding("f1", "help", "Aide", id="aide"),
        Binding("escape", "back", "Retour", key_display="Échap"),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commandes",
            id="commandes",
            show=False,  # the footer shows it on its right
            priority=True,
            tooltip="Ouvrir la palette de commandes",
        ),
        Binding("ctrl+q", "quit", "Quitter", priority=True, id="quitter"),
        # Textual's own: Ctrl+C explains how to quit (App.BINDINGS is not inherited, for order).
        Binding("ctrl+c", "help_quit", show=False, system=True),
        # Demo mode only (check_action hides them otherwise); F6-F8 are listed on the demo page,
        # in its help and in the palette, to keep the footer short.
        Binding("f2", "demo_page", "Page démo", key_display="F2"),
        Binding("f6", "demo_advance_hour", "+1 h", show=False, id="horloge-plus-1h"),
        Binding("f7", "demo_advance_day", "+24 h", show=False, id="horloge-plus-24h"),
        Binding("f8", "demo_real_time", "Heure réelle", key_display="F8", show=False),
        # A training room's poste only (check_action): the same keys move the poste's own
        # clock, shown in the footer with or without the demo mode. Below 100 columns only F7
        # is shown (F6 and F8 still work, through the hidden poste_key bindings): the three
        # do not fit beside F5 «Actualiser» at 80 columns.
        # The same ids as the demo's: in a browser the keymap moves them to F3 and F4 too.
        Binding("f6", "poste_advance_hour", "+1 h", id="horloge-plus-1h"),
        Binding("f6", "poste_key('hour')", show=False, id="horloge-plus-1h"),
        Binding("f7", "poste_advance_day", "+24 h", id="horloge-plus-24h"),
        Binding("f8", "poste_room_time", "Heure salle", key_display="F8"),
        Binding("f8", "poste_key('room')", show=False),
    ]
    theme: Reactive[str] = Reactive(ENSAP_THEME.name)
    """The current theme: ours unless the person picks another in the palette."""
    #: The name of the theme :attr:`current_theme` last found, and that theme (a class
    #: default: Textual reads it in ``App.__init__``, before ours runs).
    _current_theme: tuple[str, Theme] | None = None

    #: Ctrl+P: Textual's own commands, and ours (screens, demo page, demo clock).
    COMMANDS = App.COMMANDS | {_ensap_commands}

    def __init__(
        self,
        services: Services,
        *,
        demo: bool = False,
        board_room: int | None = None,
        board_address: str = "",
        browser: bool | None = None,
    ) -> None:
        super().__init__()
        self._browser = browser
        # Textual's debug log (the TEXTUAL_LOG file, the devtools console) records every key and
        # every Input value, passwords included: this application never feeds it.
        textual_constants.LOG_FILE = None  # type: ignore[misc]
        self.devtools = None
        # A screen update renders only the rows it sends (see partial_renders.py): Textual's
        # compositor is changed when an app is built, not as a side effect of an import.
        install_partial_renders()
        # The stylesheets parsed at a former start are loaded from the user's cache folder
        # (see css_cache.py): Textual parses them once the app runs, after this.
        install_css_cache()
        self.services = services
        #: Opens the screens the others lead to (``ui/journeys.py``): no screen imports another.
        self.navigator = AppNavigator(self)
        self.demo = demo
        #: The training room whose board this app is (``ensap-tui salle``), else None.
        self.board_room = board_room
        self._board_address = board_address
        self.register_theme(ENSAP_THEME)
        # "ensap" is the theme from the start (the class default below): setting it here would
        # parse the whole stylesheet a second time once running, a tenth of the start-up.
        self.add_class(f"-theme-{ENSAP_THEME.name}")
        # The demo mode's F2 key does not fit the footer below 100 columns with Textual's
        # spacing: the stylesheet tightens the footer keys there (see on_resize).
        self.set_class(demo, "-demo")
        #: What ties the app to its training room's poste (None outside a room).
        self.poste_link: PosteLink | None = None
        #: How often a busy line's dots are redrawn (``widgets/busy_line.py``).
        self.busy_line_frames_per_second = BUSY_LINE_FRAMES_PER_SECOND
        #: Whether the text fields' cursors blink (``widgets/steady_input.py``): not on a
        #: training room's poste, where each blink is a frame drawn and sent by one of 30 apps
        #: sharing the trainer's cores (about 9 ms of CPU a second per app with a field
        #: focused, a seventh of 2 cores for the room, taken from those still typing).
        self.cursor_blinks = services.poste_id is None
        if services.poste_id is not None:
            from ensap_tui.ui.poste import POSTE_BUSY_LINE_FRAMES_PER_SECOND, PosteLink

            self.poste_link = PosteLink(self, services, services.poste_id)
            self.busy_line_frames_per_second = POSTE_BUSY_LINE_FRAMES_PER_SECOND
            # Its three clock keys make the footer as long as the demo mode's F2 does.
            self.add_class("-demo")

    @property
    def in_browser(self) -> bool:
        """Whether the app runs in a browser page (textual-serve's web driver), or was built
        as if it did (``create_app(..., browser=True)``: tests, pictures)."""
        return self.is_web if self._browser is None else self._browser

    def get_key_display(self, binding: Binding) -> str:
        """A key as the simulator writes it (``Ctrl+G``, ``F3``) when the binding does not say
        how; Textual would write ``^g``."""
        if binding.key_display:
            return binding.key_display
        return key_label(binding.key)

    def _use_browser_keys(self) -> None:
        # The keys a browser may keep get another one (ui/browser_keys.py), shown in the
        # footer; the palette's place on the right of the footer follows its new key.
        self.update_keymap(BROWSER_KEYMAP)
        self.COMMAND_PALETTE_BINDING = BROWSER_KEYMAP["commandes"].split(",")[0]  # type: ignore[misc]
        self.add_class("-navigateur")

    def shown_key(self, key: str) -> str:
        """The label of the key that does what the terminal key ``key`` does, here."""
        return shown_key(key, in_browser=self.in_browser)

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW_FOOTER_BELOW
        if narrow != self.has_class("-etroit"):
            self.set_class(narrow, "-etroit")
            if self.poste_link is not None:
                self.screen.refresh_bindings()  # the poste's F6 and F8 show or hide (check_action)

    @property
    def available_themes(self) -> dict[str, Theme]:
        """Textual's themes and ours, which is known before ``App.__init__`` reads it."""
        themes = super().available_themes  # a copy, made for each call
        themes.setdefault(ENSAP_THEME.name, ENSAP_THEME)
        return themes

    @property
    def current_theme(self) -> Theme:
        """Textual's, looked up once per theme name: Textual looks it up by name (two copies
        of the dict of themes) for each colour drawn, five hundred times as a wizard step
        opens (2 % of its CPU). A theme registered or unregistered drops it."""
        name = self.theme
        found = self._current_theme
        if found is None or found[0] != name:
            found = self._current_theme = (name, super().current_theme)
        return found[1]

    def register_theme(self, theme: Theme) -> None:
        self._current_theme = None
        super().register_theme(theme)

    def unregister_theme(self, theme_name: str) -> None:
        self._current_theme = None
        super().unregister_theme(theme_name)

    def get_default_screen(self) -> Screen[object]:
        if self.board_room is not None:
            from ensap_tui.ui.screens.board import BoardScreen

            return BoardScreen(self.board_room, self._board_address)
        return HomeScreen()

    def _get_screen(self, screen: Screen[Any] | str) -> tuple[Screen[Any], AwaitMount]:
        # Textual's (private) step of every push or switch: it queues the awaiting of the
        # screen's widgets' mounting, which ends by asking the screen for a layout. The
        # screen is told when that is done (the callbacks queued here run one after the
        # other), so that it draws its first frame after that layout request, not before.
        found, await_mount = super()._get_screen(screen)
        if isinstance(found, EnsapScreen) and not found._resumed:
            found._pushed = True
            found.mount_pending = True
            self.call_next(found.mount_awaited)
        return found, await_mount

    def update_styles(self, node: DOMNode, animate: bool = True) -> None:
        """Textual's, except for a node not in the DOM yet: the classes a widget gives itself
        in its constructor (a button's variant and style) would each restyle it there, for
        nothing, since mounting it styles it anyway (a tenth of a screen's first frame)."""
        if node is self or node.is_attached:
            super().update_styles(node, animate)

    def on_mount(self) -> None:
        if self.in_browser:
            self._use_browser_keys()
        self.call_after_refresh(_after_first_frame, self.services)
        # The notices come just after the home page's first frame (a toast would add a fifth
        # to the time the page takes to appear).
        self.call_after_refresh(self._show_notices)
        if self.poste_link is not None:
            # The poste's heartbeat, and its clock in the header line (in place of the demo's).
            self.poste_link.start()
        elif self.demo and self.board_room is None:
            # The demo clock in the header line: on each new screen, and every second.
            self.screen_change_signal.subscribe(self, self._demo_screen_changed)
            self.set_interval(1.0, self._show_demo_clock)
            self.call_after_refresh(self._show_demo_clock)

    def watch_app_focus(self, focused: bool) -> None:
        """When the app gets the focus back with nothing focused on its screen, the screen's
        first widget takes it, as if the screen had been opened with the focus.

        Why: textual-serve's web driver says "blur" as the app starts, usually before the
        home page is composed; Textual then skips the page's first focus (the app is blurred)
        and, when the page gets the focus, has nothing to give it back to. In a browser,
        Enter on the home page did nothing until Tab or a click. Called after Textual's own
        watcher, which gives the focus back to the widget that had it when there was one."""
        if not focused or not self.is_running or not self.screen_stack:
            return
        screen = self.screen
        if screen.focused is not None:
            return
        selector = self.AUTO_FOCUS if screen.AUTO_FOCUS is None else screen.AUTO_FOCUS
        if not selector:
            return
        for widget in screen.query(selector):
            if widget.focusable:
                screen.set_focus(widget, scroll_visible=False)
                return

    def _show_notices(self) -> None:
        if self.poste_link is not None:
            # A trainee's poste: the notices are about the database and its secret, the
            # trainer's business; the board, opened on the same database, shows them.
            return
        for notice in self.services.notices:
            self.notify(notice, title="Information", markup=False, timeout=15)

    def on_unmount(self) -> None:
        if self.poste_link is not None:
            self.poste_link.left()
        self.services.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # The app's own workers: the poste's heartbeats and counts (the screens handle theirs).
        if self.poste_link is not None:
            self.poste_link.worker_ended(event)

    def on_ensap_screen_field_errors_shown(self, event: EnsapScreen.FieldErrorsShown) -> None:
        if self.poste_link is not None:
            self.poste_link.field_errors_shown(event.count)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            # Hidden on the home page: there is nowhere to go back to.
            return len(self.screen_stack) > 1
        if action.startswith("poste_"):
            if self.poste_link is None:
                return False
            if action == "poste_advance_day":
                return True
            return (action == "poste_key") == self.has_class("-etroit")
        if action.startswith("demo_"):
            if not self.demo or self.board_room is not None:
                # Outside the demo mode, and on the board (which moves the room's clocks)
                return False  # the demo keys do not exist outside the demo mode
            if self.poste_link is not None and action != "demo_page":
                return False  # a poste's F6-F8 move its own clock (the poste_ actions)
            if action == "demo_page":
                from ensap_tui.ui.screens.demo import DemoScreen

                return not isinstance(self.screen, DemoScreen)  # not when already there
            return True
        return True

    async def action_quit(self) -> None:
        """Quits; on the board, quitting ends the room, so it asks first (the board's
        «Terminer la salle»)."""
        if self.board_room is not None:
            from ensap_tui.ui.screens.board import BoardScreen

            board = self.screen_stack[0] if self.screen_stack else None
            if isinstance(board, BoardScreen) and not board.ended:
                board.confirm_end()
                return
        self.exit()

    def action_help_quit(self) -> None:
        """Ctrl+C: says which key quits (Textual's own notice says it in English)."""
        key = self.shown_key("ctrl+q")
        if self.board_room is not None:
            self.notify(f"Pour terminer la salle et fermer ce tableau, appuyez sur {key}.",
                        title="Terminer la salle ?", markup=False)
        else:
            self.notify(f"Pour quitter le simulateur, appuyez sur {key}.",
                        title="Quitter ?", markup=False)

    # Textual's own commands and palettes, in French.

    def action_command_palette(self) -> None:
        """Opens the command palette (Ctrl+P)."""
        from ensap_tui.ui.palette import FrenchCommandPalette

        if self.use_command_palette and not isinstance(self.screen, FrenchCommandPalette):
            self.push_screen(FrenchCommandPalette(id="--command-palette"))

    def search_themes(self) -> None:
        """Opens the palette of themes."""
        from ensap_tui.ui.palette import FrenchCommandPalette

        self.push_screen(
            FrenchCommandPalette(providers=[ThemeProvider], placeholder="Rechercher un thème…")
        )

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Aide", f"Ouvrir l'aide de l'écran en cours ({self.shown_key('f1')})",
            self.action_help,
        )
        yield SystemCommand(
            "Thème", "Changer les couleurs de l'application", self.action_change_theme
        )
        yield SystemCommand(
            "Quitter", f"Fermer le simulateur ({self.shown_key('ctrl+q')})", self.action_quit
        )

    def action_help(self) -> None:
        """Opens the help page of the current screen."""
        from ensap_tui.ui.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        topic = getattr(self.screen, "HELP_TOPIC", "accueil")
        self.push_screen(HelpScreen(str(topic)))

    # Demo mode (F2, F6, F7, F8; also in the command palette).

    def action_demo_page(self) -> None:
        """Opens the demo page."""
        from ensap_tui.ui.screens.demo import open_demo_page

        open_demo_page(self)

    def action_demo_advance_hour(self) -> None:
        """Advances the demo clock by one hour."""
        from ensap_tui.ui.screens.demo import move_demo_clock

        move_demo_clock(self, timedelta(hours=1))

    def action_demo_advance_day(self) -> None:
        """Advances the demo clock by 24 hours."""
        from ensap_tui.ui.screens.demo import move_demo_clock

        move_demo_clock(self, timedelta(hours=24))

    def action_demo_real_time(self) -> None:
        """Puts the demo clock back on the real time."""
        from ensap_tui.ui.screens.demo import move_demo_clock

        move_demo_clock(self, None)

    # A training room's poste (F6, F7, F8 move its own clock).

    def action_poste_advance_hour(self) -> None:
        """Advances the poste's clock by one hour."""
        if self.poste_link is not None:
            self.poste_link.move_clock(timedelta(hours=1))

    def action_poste_advance_day(self) -> None:
        """Advances the poste's clock by 24 hours."""
        if self.poste_link is not None:
            self.poste_link.move_clock(timedelta(hours=24))

    def action_poste_room_time(self) -> None:
        """Puts the poste's clock back on the room's time."""
        if self.poste_link is not None:
            self.poste_link.move_clock(None)

    def action_poste_key(self, which: str) -> None:
        """F6 (``hour``) or F8 (``room``) of a poste below 100 columns, kept off the footer."""
        if which == "hour":
            self.action_poste_advance_hour()
        elif which == "room":
            self.action_poste_room_time()

    def _demo_screen_changed(self, screen: Screen[object]) -> None:
        # The new screen composes its header after this signal: write the clock after that.
        self.call_after_refresh(self._show_demo_clock)

    def _show_demo_clock(self) -> None:
        from ensap_tui.ui.screens.demo import show_demo_clock

        show_demo_clock(self)

    async def action_back(self) -> None:
        """Goes back one screen (each screen decides what that means)."""
        screen = self.screen
        if isinstance(screen, EnsapScreen):
            screen.go_back()
        elif len(self.screen_stack) > 1:
            await self.pop_screen()


def create_app(
    db_path: Database,
    clock: Clock | None = None,
    token_source: TokenSource | None = None,
    *,
    settings: Settings | None = None,
    board_room: int | None = None,
    board_address: str = "",
    browser: bool | None = None,
) -> EnsapApp:
    """Builds the app on the database at ``db_path``, a file or a PostgreSQL server (created
    if needed).

    The one factory of the command line, the tests, the screenshots and the browser server.
    ``clock`` and ``token_source`` are for tests (system clock and random tokens otherwise);
    ``settings.demo`` marks the demo mode; ``settings.poste`` makes it the app of that training
    room's poste (issue 12: services scoped to the poste, its clock, F6-F8 move it, heartbeat;
    see ``ui/poste.py``). With ``board_room`` (an open room's id) the app is
    the trainer's board of that room (``ensap-tui salle``): its only screen is the board,
    which shows ``board_address`` as the address the trainees open; Ctrl+Q asks whether to end
    the room, and the app exits once the room is ended. ``browser`` forces the keys of a
    browser page (:mod:`ensap_tui.ui.browser_keys`) on or off; by default the app knows from
    its driver (textual-serve's web driver). Raises ``ensap_tui.bootstrap.StartupError`` with
    a French message when the database or its secret cannot be used.
    """
    keep_non_breaking_spaces()
    services = open_services(db_path, clock=clock, token_source=token_source, settings=settings)
    return EnsapApp(
        services,
        demo=settings.demo if settings is not None else False,
        board_room=board_room,
        board_address=board_address,
        browser=browser,
    )
