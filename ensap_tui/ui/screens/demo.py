"""Page démo (F2, demo mode only): the fictitious accounts with their passwords, the demo agent,
and the demo clock's commands; plus the helpers the app and the command palette share to move
the demo clock and show it in the header line."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.widgets import Button, DataTable, Static

from ensap_tui.domain.nir import format_nir
from ensap_tui.domain.timefmt import format_short, local
from ensap_tui.services.demo import (
    ONE_DAY,
    ONE_HOUR,
    DemoAccountView,
    describe_step,
)
from ensap_tui.ui.screens.base import EnsapScreen, show_header_tag
from ensap_tui.ui.widgets.notice import Notice

if TYPE_CHECKING:
    from ensap_tui.services.container import Services

#: The keys of the demo clock, everywhere in demo mode (bound by the app).
KEY_ADVANCE_HOUR, KEY_ADVANCE_DAY, KEY_REAL_TIME, KEY_DEMO_PAGE = "f6", "f7", "f8", "f2"

INTRO = (
    "Comptes fictifs pour la démonstration : leurs numéros de sécurité sociale et leurs mots de "
    "passe n'appartiennent à personne. Avancez l'horloge de démonstration pour montrer un lien "
    "qui expire ou un blocage qui prend fin : les règles habituelles s'appliquent."
)
NONE = "—"

#: Terminal width (columns) from which the accounts table takes its wide layout (one line per
#: account, every column as wide as its text: 94 columns with the cell padding).
WIDE = 100
#: The accounts table's columns: label, key, and the width in the narrow layout, where rows
#: are as tall as their text (the NIR, the state and the last sign-in wrap between words) so
#: the table fits 80 columns without scrolling sideways.
ACCOUNT_COLUMNS: tuple[tuple[str, str, str, int], ...] = (
    ("Nom", "nom", "Nom", 13),
    ("N° sécurité sociale", "nir", "N° sécurité\nsociale", 11),
    ("Mot de passe", "mot-de-passe", "Mot de passe", 16),
    ("État", "etat", "État", 14),
    ("Connexion", "derniere-connexion", "Connexion", 9),
)


class _DemoApp(Protocol):
    services: Services
    demo: bool


def _services(app: App[Any]) -> Services:
    return cast(_DemoApp, app).services


def header_clock_text(app: App[Any]) -> str:
    """``"Simulateur — Démo — 27/11/2026 14:02"``: the right of the header line in demo mode."""
    d = local(_services(app).demo.now())
    return (
        f"Simulateur — Démo — {d.day:02d}/{d.month:02d}/{d.year:04d} "
        f"{d.hour:02d}:{d.minute:02d}"
    )


class _PosteClock(Protocol):
    def show_clock(self) -> None: ...
    def move_clock(self, step: timedelta | None) -> bool: ...
    def clock_text(self) -> str: ...


def _poste_link(app: App[Any]) -> _PosteClock | None:
    """The app's link to its training room's poste (``ui/poste.py``), None outside a room."""
    return cast("_PosteClock | None", getattr(app, "poste_link", None))


def _front_screen(app: App[Any]) -> EnsapScreen | None:
    """The screen in front, or the one below a help page or a palette: where the demo clock's
    calls go (None only while the app closes)."""
    return next((s for s in reversed(app.screen_stack) if isinstance(s, EnsapScreen)), None)


def show_demo_clock(app: App[Any]) -> None:
    """Writes the demo clock in the header line of the current screen and refreshes the demo
    pages of the stack. Does nothing outside the demo mode."""
    if not getattr(app, "demo", False):
        return
    link = _poste_link(app)
    if link is not None:  # a training room's poste: its own clock stands for the demo's
        link.show_clock()
        for open_screen in app.screen_stack:
            if isinstance(open_screen, DemoScreen):
                open_screen.refresh_page()
        return
    screen = _front_screen(app)
    text = None if screen is None else screen.call_now(partial(header_clock_text, app))
    if text is None:
        return  # said; shown again at the next tick
    show_header_tag(app.screen, text)
    for open_screen in app.screen_stack:
        if isinstance(open_screen, DemoScreen):
            open_screen.refresh_page()


def move_demo_clock(app: App[Any], step: timedelta | None) -> bool:
    """Advances the demo clock by ``step``, or puts it back on the real time (``None``); says
    where it is now in a notification. False (and an error notification) when it cannot move."""
    if not getattr(app, "demo", False):
        return False
    link = _poste_link(app)
    if link is not None:  # a training room's poste moves its own clock
        moved = bool(link.move_clock(step))
        show_demo_clock(app)
        return moved
    demo = _services(app).demo

    def move() -> str:
        if step is None:
            demo.real_time()
            return f"Horloge de démonstration remise à l'heure réelle : {demo.clock_text()}."
        demo.advance(step)
        return f"Horloge de démonstration avancée {describe_step(step)} : {demo.clock_text()}."

    # At once, not in a worker: the header shows the new time with the key press (one row).
    screen = _front_screen(app)
    message = None if screen is None else screen.call_now(move)
    if message is None:
        return False  # said
    app.notify(message, title="Horloge de démonstration", markup=False)
    show_demo_clock(app)
    return True


def open_demo_page(app: App[Any]) -> None:
    """Shows the demo page: the one already open (closing what is above it), or a new one."""
    if not getattr(app, "demo", False) or isinstance(app.screen, DemoScreen):
        return
    for screen in reversed(app.screen_stack[:-1]):
        if isinstance(screen, DemoScreen):
            screen.pop_until_active()
            return
    app.push_screen(DemoScreen())


class DemoScreen(EnsapScreen):
    """The demo page. Table ``#comptes-demo`` (birth name, NIR, password, state, last sign-in),
    clock line ``#horloge-demo``, buttons ``#avancer-1h``, ``#avancer-24h``, ``#heure-reelle``,
    ``#reinitialiser-demo``, the demo agent in ``#agent-demo``, the outcome in
    ``#message-demo``. What it shows is read again every second and after each clock move.
    """

    HELP_TOPIC: ClassVar[str] = "demo"
    SCREEN_NAME: ClassVar[str] = "Page démo"
    # Below 96 columns the four buttons no longer fit in a row: the stylesheet puts them on two.
    HORIZONTAL_BREAKPOINTS = [(0, "-etroit"), (96, "-large")]  # noqa: RUF012 - Textual's type
    # Laid out first in one row of buttons, then in two: the place its table scrolls to (it
    # takes the focus at mount) depends on it, and the 80×24 picture shows that place.
    EARLY_BREAKPOINTS: ClassVar[bool] = False

    DEFAULT_CSS = """
    /* Like the finalisation's address: a tinted band between side bars, not a round frame
       whose long "────" runs pictures draw narrower than their cells. */
    DemoScreen #horloge-demo {
        text-style: bold;
        color: $text-primary;
        background: $primary 12%;
        border-left: outer $primary;
        border-right: outer $primary;
        padding: 1 1;
        width: auto;
    }
    DemoScreen .actions Button {
        margin: 0 1 0 0;
        padding: 0 1;
        min-width: 0;
    }
    DemoScreen #comptes-demo {
        height: auto;
        margin: 1 0 0 0;
    }
    DemoScreen #agent-demo {
        margin: 1 0 0 0;
    }
    DemoScreen #scenarios-demo {
        color: $text-muted;
        padding: 0 0 0 2;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[tuple[str, ...]] = []
        self._ready = False
        self._reset_succeeded = False
        self._narrow: bool | None = None  # set by the first _fit_to_width

    def compose_body(self) -> ComposeResult:
        demo = self.services.demo
        yield Static("Page démo — comptes fictifs", classes="titre-page")
        yield Static(INTRO, classes="introduction", markup=False)
        yield Static(id="horloge-demo", markup=False)
        with Horizontal(classes="actions"):
            yield Button(f"+1 heure ({self.key('f6')})", id="avancer-1h", variant="primary")
            yield Button(f"+24 heures ({self.key('f7')})", id="avancer-24h", variant="primary")
            if _poste_link(self.app) is None:
                yield Button(f"Heure réelle ({self.key('f8')})", id="heure-reelle")
                yield Button("Réinitialiser la démo", id="reinitialiser-demo", variant="error")
            else:
                # A poste's clock goes back to the room's time; resetting the demo would wipe
                # every poste's spaces: the trainer's board resets a poste.
                yield Button(f"Heure de la salle ({self.key('f8')})", id="heure-reelle")
        yield Notice(id="message-demo")
        table: DataTable[Text] = DataTable(
            id="comptes-demo", cursor_type="row", zebra_stripes=True
        )
        yield table
        yield Static(id="agent-demo")
        yield Static("Ce que montre chaque compte", classes="sous-titre")
        yield Static(
            Text("\n".join(f"• {p.birth_name} : {p.scenario}" for p in demo.people)),
            id="scenarios-demo",
        )

    def on_mount(self) -> None:
        self._ready = True
        self._fit_to_width()
        self.set_interval(1.0, self.refresh_page)
        self.query_one("#comptes-demo", DataTable).focus()

    def on_resize(self) -> None:
        self._fit_to_width()

    def _fit_to_width(self) -> None:
        """The wide layout from :data:`WIDE` columns (one line per account), else the narrow
        one (80×24 and up): fixed widths and rows as tall as their text, so every column is
        in view and nothing is cut mid-word."""
        narrow = self.app.size.width < WIDE
        if narrow == self._narrow or not self._ready:
            return
        self._narrow = narrow
        table: DataTable[Text] = self.query_one("#comptes-demo", DataTable)
        table.clear(columns=True)
        table.header_height = 2 if narrow else 1
        for wide_label, key, slim_label, slim in ACCOUNT_COLUMNS:
            if narrow:
                table.add_column(slim_label, width=slim, key=key)
            else:
                table.add_column(wide_label, key=key)
        self._rows = []  # fill the table again
        self.refresh_page()

    def on_screen_resume(self) -> None:
        self.refresh_page()

    def refresh_page(self) -> None:
        """Reads the demo clock and the accounts again (the table is rebuilt only when a row
        changed, so the selected row stays)."""
        if not self._ready:
            return  # the clock may move before the table has its columns
        demo = self.services.demo
        link = _poste_link(self.app)
        clock_text = demo.clock_text if link is None else link.clock_text
        read = self.call_now(
            lambda: (
                clock_text(), demo.accounts(), agent_text(demo.agent_name, demo.agent_password)
            )
        )
        if read is None:
            return  # said; read again at the next tick
        clock, views, agent = read
        try:
            line = self.query_one("#horloge-demo", Static)
            table: DataTable[Text] = self.query_one("#comptes-demo", DataTable)
            agent_line = self.query_one("#agent-demo", Static)
        except NoMatches:
            return  # the page is being closed
        clock_name = "Horloge de démonstration" if link is None else "Horloge du poste"
        # Read every second, changed once a minute: an update would lay the page out again.
        for static, text in ((line, f"{clock_name} : {clock}"), (agent_line, agent)):
            if static.content != text:
                static.update(text)
        rows = [_row(view) for view in views]
        if rows == self._rows:
            return
        self._rows = rows
        cursor = table.cursor_row
        table.clear()
        for view, row in zip(views, rows, strict=True):
            table.add_row(
                *(Text(cell) for cell in row),
                key=view.person.key,
                height=None if self._narrow else 1,
            )
        if rows:
            table.move_cursor(row=min(max(cursor, 0), len(rows) - 1), animate=False)

    @on(Button.Pressed, "#avancer-1h")
    def _advance_hour(self) -> None:
        move_demo_clock(self.app, ONE_HOUR)

    @on(Button.Pressed, "#avancer-24h")
    def _advance_day(self) -> None:
        move_demo_clock(self.app, ONE_DAY)

    @on(Button.Pressed, "#heure-reelle")
    def _real_time(self) -> None:
        move_demo_clock(self.app, None)

    @on(Button.Pressed, "#reinitialiser-demo")
    def _reset(self) -> None:
        self.query_one("#message-demo", Notice).show(
            "Réinitialisation en cours : les comptes fictifs sont recréés…", "info"
        )
        # argon2 hashes every demo password again: in a thread worker.
        self.call_service(
            self.services.demo.reset,
            self._reset_done,
            group="demo-reset",
            after=self._reset_ended,
        )

    def _reset_ended(self) -> None:
        if not self._reset_succeeded:
            notice = self.query_one("#message-demo", Notice)
            notice.show("La démonstration n'a pas été réinitialisée.", "erreur")
        self._reset_succeeded = False

    def _reset_done(self, _: object) -> None:
        self._reset_succeeded = True
        notice = self.query_one("#message-demo", Notice)
        notice.show(
            "Démonstration réinitialisée : comptes fictifs recréés, horloge de démonstration "
            "remise à l'heure réelle.",
            "succes",
        )
        self._rows = []
        show_demo_clock(self.app)


def agent_text(name: str, password: str | None) -> Text:
    """The demo agent's line: its name and its password, drawn for this demo database."""
    if password is None:
        said = "mot de passe inconnu (base d'une version précédente : réinitialisez la démo)"
    else:
        said = f"mot de passe « {password} »"
    return Text.assemble(("Agent d'assistance : ", "bold"), f"identifiant « {name} », {said}")


def _row(view: DemoAccountView) -> tuple[str, ...]:
    last = view.last_sign_in_at
    return (
        view.person.birth_name,
        format_nir(view.person.nir),
        view.person.password,
        view.label,
        format_short(last) if last is not None else NONE,
    )
