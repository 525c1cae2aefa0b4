"""The trainer's board («Salle de formation»): every poste of a training room, read again every
second from the shared database, and the trainer's actions on one poste or on the whole room."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Footer, Static

from ensap_tui.domain.timefmt import format_datetime, format_short, format_time
from ensap_tui.services.assistance import event_label
from ensap_tui.services.demo import ONE_DAY, ONE_HOUR, describe_step
from ensap_tui.ui.screens.base import EnsapScreen

if TYPE_CHECKING:
    from ensap_tui.services.models import Event, PosteRow, Room

NONE = "—"
#: How many of the room's latest events the journal panel shows.
JOURNAL_LIMIT = 50

#: The postes' columns: label, key, width, and the narrowest it may get. The last one (the
#: last event) takes what the terminal has left; below 100 columns the others give up width,
#: in proportion to what they can spare, until it has its least. Texts longer than their
#: column end with «…» (the journal below has them whole): every poste stays on one line.
POSTE_COLUMNS: tuple[tuple[str, str, int, int], ...] = (
    ("Poste", "poste", 10, 8),
    ("En ligne", "connecte", 8, 8),
    ("Écran", "ecran", 18, 10),
    ("Espace", "espace", 23, 12),
    ("Erreurs", "erreurs", 7, 7),
    ("Dernier événement", "evenement", 18, 12),
)
#: The journal's columns, likewise (the detail takes the rest).
JOURNAL_COLUMNS: tuple[tuple[str, str, int, int], ...] = (
    ("Quand", "quand", 11, 11),
    ("Poste", "poste", 12, 8),
    ("Événement", "evenement", 30, 16),
    ("Détail", "detail", 16, 12),
)
#: The buttons of the selected poste: label and key (shown in the label from :data:`WIDE`
#: columns).
POSTE_BUTTONS: dict[str, tuple[str, str]] = {
    "poste-plus-1h": ("+1 h", "F6"),
    "poste-plus-24h": ("+24 h", "F7"),
    "poste-heure-salle": ("Heure de la salle", "F8"),
    "relancer-poste": ("Relancer", "R"),
    "reinitialiser-poste": ("Réinitialiser", "Suppr"),
}
#: Terminal width (columns) from which the buttons name their keys.
WIDE = 100
#: The columns beside the tables: the body's side padding (2), its scroll bar (2) and the
#: table's own (1, once it has more postes than lines).
BODY_MARGINS = 5
#: The journal panel's border and padding.
PANEL_FRAME = 4


@dataclass(frozen=True, slots=True)
class BoardView:
    """One reading of the room, made in a thread worker: the room, the time on its clock, its
    postes in joining order and its latest events (newest first)."""

    room: Room
    now: datetime
    rows: list[PosteRow]
    events: list[Event]


def column_widths(columns: Sequence[tuple[str, str, int, int]], available: int) -> list[int]:
    """The widths of ``columns`` (label, key, width, least width) in ``available`` cells, each
    column with one cell of padding on either side: the last column takes what the others
    leave; when that is less than its least, the others give up width in proportion to what
    they can spare (never below their least; the table scrolls sideways only then)."""
    widths = [width for _, _, width, _ in columns[:-1]]
    least_last = columns[-1][3]
    space = available - 2 * len(columns)
    deficit = least_last - (space - sum(widths))
    spare = [width - least for _, _, width, least in columns[:-1]]
    total: int = sum(spare)
    if deficit > 0 and total:
        take = min(deficit, total)
        cuts = [room * take // total for room in spare]
        # What the rounding left: one cell at a time from those that can spare the most.
        for index in sorted(range(len(cuts)), key=lambda i: cuts[i] - spare[i]):
            if sum(cuts) == take:
                break
            if cuts[index] < spare[index]:
                cuts[index] += 1
        widths = [width - cut for width, cut in zip(widths, cuts, strict=True)]
    return [*widths, max(least_last, space - sum(widths))]


def _update(static: Static, content: str | Text) -> None:
    """Gives ``static`` its new content only when it differs: a new content lays the screen
    out again, and the board is read every second."""
    if static.content != content:
        static.update(content)


def connected_text(connected: bool) -> Text:
    """A sign and a word, so that the state never rests on colour alone."""
    if connected:
        return Text("● oui", style="bold")
    return Text("○ non", style="dim")


def offset_text(offset: timedelta) -> str:
    """``"+1 h"``, ``"+25 h 30 min"``: how far a poste's clock runs ahead of the room's."""
    seconds = int(offset.total_seconds())
    sign = "+" if seconds >= 0 else "−"
    hours, rest = divmod(abs(seconds), 3600)
    minutes = rest // 60
    if hours and minutes:
        return f"{sign}{hours} h {minutes:02d} min"
    if hours:
        return f"{sign}{hours} h"
    return f"{sign}{minutes} min"


def count_text(rows: Sequence[PosteRow]) -> str:
    """``"12 postes, 11 connectés"``."""
    joined = len(rows)
    connected = sum(1 for row in rows if row.connected)
    if not joined:
        return "aucun poste pour l'instant"
    postes = "1 poste" if joined == 1 else f"{joined} postes"
    online = f"{connected} connecté" + ("s" if connected > 1 else "")
    return f"{postes}, {online}"


def of_poste(first_name: str, *, capital: bool = False) -> str:
    """``"poste de Bruno"``, ``"poste d'Amélie"`` («Poste …» with ``capital``): «de» elided
    before a vowel, as French writes it (an initial «h» is left alone: «de Hugues» but
    «d'Hélène», and no rule tells them apart)."""
    base = unicodedata.normalize("NFD", first_name[:1])[:1].lower()
    words = f"oste d'{first_name}" if base and base in "aeiou" else f"oste de {first_name}"
    return ("P" if capital else "p") + words


def last_event_text(row: PosteRow) -> str:
    """``"14:07 espace activé"``: the time on the poste's clock, then the help desk's words."""
    if row.last_event_at is None or not row.last_event:
        return NONE
    return f"{format_time(row.last_event_at)} {row.last_event}"


_STEP = re.compile(r"Étape (\d) — (.+)")


def screen_text(screen: str) -> str:
    """The screen a poste reports, as short as the board can show it: a wizard step
    («Étape 2 — Mot de passe») as «2. Mot de passe», as the step bar numbers it."""
    step = _STEP.fullmatch(screen)
    return f"{step[1]}. {step[2]}" if step else screen


def poste_cells(row: PosteRow) -> tuple[Text, ...]:
    """The cells of one poste's line, in the order of :data:`POSTE_COLUMNS`."""
    return (
        Text(row.poste.first_name, overflow="ellipsis", no_wrap=True),
        connected_text(row.connected),
        Text(screen_text(row.screen) or NONE, overflow="ellipsis", no_wrap=True),
        Text(row.space or NONE, overflow="ellipsis", no_wrap=True),
        Text(str(row.field_errors)),
        Text(last_event_text(row), overflow="ellipsis", no_wrap=True),
    )


class BoardScreen(EnsapScreen):
    """The board of the room ``room_id``, the only screen of the trainer's app.

    - ``#salle-titre`` (the room code), ``#salle-horloge`` (the room's clock), ``#salle-adresse``
      (``address``, what the trainees open, and the code again), ``#salle-postes`` (postes
      joined, postes connected).
    - ``#postes``: one line per poste in joining order (first name, connected or not, screen or
      wizard step, state of its space, field errors, last event). Read again every
      :attr:`REFRESH_SECONDS` in a thread worker; the cursor stays on the same poste, and when a
      reading fails (a busy database) a notice says so and the last table stays.
    - ``#poste-selectionne``: the selected poste and its clock. Its actions: ``#poste-plus-1h``
      (F6), ``#poste-plus-24h`` (F7), ``#poste-heure-salle`` (F8), ``#relancer-poste`` (R),
      ``#reinitialiser-poste`` (Suppr, after a confirmation).
    - The room's actions: ``#salle-plus-24h`` (after a confirmation), ``#terminer-salle``
      (after a confirmation; then the app exits, the room ended; Ctrl+Q asks the same).
    - ``#journal-salle`` (``#evenements-salle``): the room's latest events, worded as the help
      desk's journal.

    Each action runs in a thread worker and says what it did in a notification.
    """

    HELP_TOPIC: ClassVar[str] = "salle"
    SCREEN_NAME: ClassVar[str] = "Tableau de la salle"
    AUTO_FOCUS: ClassVar[str | None] = "#postes"
    #: Seconds between two readings of the room.
    REFRESH_SECONDS: ClassVar[float] = 1.0

    BINDINGS: ClassVar[list[BindingType]] = [
        # Below WIDE columns the footer shows F7 only (the five keys and Ctrl+Q do not fit 80
        # columns); F6 and F8 still work there, through their hidden twins (check_action).
        Binding("f6", "poste_clock('hour')", "+1 h", key_display="F6"),
        Binding("f6", "clock_key('hour')", show=False),
        Binding("f7", "poste_clock('day')", "+24 h", key_display="F7"),
        Binding("f8", "poste_clock('room')", "Heure salle", key_display="F8"),
        Binding("f8", "clock_key('room')", show=False),
        Binding("r", "restart_poste", "Relancer", key_display="R"),
        Binding("delete", "reset_poste", "Réinitialiser", key_display="Suppr"),
    ]

    def __init__(self, room_id: int, address: str) -> None:
        super().__init__()
        self.room_id = room_id
        self.address = address
        self._view: BoardView | None = None
        self._reading = False
        self._ending = False
        self._ended_room = False
        #: The poste ids of the table's lines, in order (the rows of the last reading shown).
        self._keys: list[str] = []
        self._cells: dict[str, tuple[Text, ...]] = {}
        self._event_ids: list[int] = []
        self._width: int | None = None
        #: (busy, no poste selected) as the buttons and keys last showed it.
        self._actions_state: tuple[bool, bool] | None = None

    # -- layout ------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="salle-ligne"):
            yield Static("Salle de formation", id="salle-titre", markup=False)
            yield Static(id="salle-horloge", markup=False)
        with Horizontal(classes="salle-ligne"):
            yield Static(id="salle-adresse", markup=False)
            yield Static(id="salle-postes", markup=False)
        postes: DataTable[Text] = DataTable(
            id="postes", cursor_type="row", zebra_stripes=True
        )
        yield postes
        yield Static(id="poste-selectionne", markup=False)
        with Horizontal(id="actions-poste", classes="actions-salle"):
            yield Button("+1 h", id="poste-plus-1h", variant="primary")
            yield Button("+24 h", id="poste-plus-24h", variant="primary")
            yield Button("Heure de la salle", id="poste-heure-salle")
            yield Button("Relancer", id="relancer-poste")
            yield Button("Réinitialiser", id="reinitialiser-poste", variant="error")
        with Horizontal(id="actions-salle", classes="actions-salle"):
            yield Static("Toute la salle :", classes="libelle-actions")
            yield Button("Tout le monde +24 h", id="salle-plus-24h", variant="primary")
            yield Button("Terminer la salle", id="terminer-salle", variant="error")
        with Vertical(id="journal-salle"):
            yield Static("Journal de la salle", id="journal-salle-titre", markup=False)
            journal: DataTable[Text] = DataTable(id="evenements-salle", cursor_type="none")
            yield journal

    def on_mount(self) -> None:
        # Ctrl+P still opens the palette; its place in the footer goes to the board's keys.
        self.query_one(Footer).show_command_palette = False
        self._fit_to_width()
        self._update_actions()
        self.refresh_board()
        self.set_interval(self.REFRESH_SECONDS, self._tick)

    def on_resize(self) -> None:
        self._fit_to_width()

    def go_back(self) -> None:
        """Nothing is under the board: Escape does nothing here."""

    def _fit_to_width(self) -> None:
        """The columns for the terminal's width (:func:`column_widths`): the postes' lines do
        not scroll sideways down to 80 columns."""
        width = self.app.size.width
        if width == self._width:
            return
        self._width = width
        room = width - BODY_MARGINS
        # The keys are in the footer too: below 100 columns the buttons leave them out, so
        # that the five fit in a row.
        for button_id, (label, key) in POSTE_BUTTONS.items():
            self.query_one(f"#{button_id}", Button).label = (
                label if width < WIDE else f"{label} ({key})"
            )
        self.refresh_bindings()  # F6 and F8 leave the footer below WIDE columns, or come back
        selected = self._selected_key()  # before the table is emptied
        for selector, columns, available in (
            ("#postes", POSTE_COLUMNS, room),
            ("#evenements-salle", JOURNAL_COLUMNS, room - PANEL_FRAME),
        ):
            table: DataTable[Text] = self.query_one(selector, DataTable)
            table.clear(columns=True)
            widths = column_widths(columns, available)
            for (label, key, _, _), column_width in zip(columns, widths, strict=True):
                table.add_column(label, width=column_width, key=key)
        self._keys, self._cells, self._event_ids = [], {}, []
        if self._view is not None:
            self._show(self._view, keep=selected)

    # -- reading the room --------------------------------------------------------------------

    def _tick(self) -> None:
        # One reading at a time: on a busy database a reading may wait, and the next second's
        # must not pile up behind it.
        if not self._reading and not self._ending:
            self.refresh_board()

    def refresh_board(self) -> None:
        """Reads the room again (in a thread worker) and shows it; a newer reading (after an
        action) replaces one still running."""
        service = self.services.room
        real_clock = self.services.real_clock
        room_id = self.room_id

        def read() -> BoardView:
            room = service.room(room_id)
            return BoardView(
                room=room,
                now=real_clock.now() + room.clock_offset,
                rows=service.board(room_id),
                events=service.room_events(room_id, limit=JOURNAL_LIMIT),
            )

        self._reading = True
        self.call_service(
            read, self._show, group="lecture-salle", busy=False, after=self._read_done
        )

    def _read_done(self) -> None:
        self._reading = False

    def _show(self, view: BoardView, keep: str | None = None) -> None:
        self._view = view
        room = view.room
        _update(
            self.query_one("#salle-titre", Static),
            # Each space ends a run: a picture (SVG) drops the space a run starts with.
            Text.assemble(
                ("Salle de formation ", "bold"), "— code ", (f"{room.display_code} ", "bold"),
                ("— salle terminée", "bold") if room.ended else "",
            )
        )
        _update(
            self.query_one("#salle-horloge", Static),
            f"Horloge de la salle : {format_datetime(view.now)}"
        )
        _update(
            self.query_one("#salle-adresse", Static),
            Text.assemble("Adresse à donner aux stagiaires : ", (self.address, "bold"))
        )
        _update(self.query_one("#salle-postes", Static), count_text(view.rows))
        self._show_rows(view.rows, keep)
        self._show_journal(view)
        self._selection_changed()

    def _show_rows(self, rows: Sequence[PosteRow], keep: str | None) -> None:
        """Changes only the cells that differ and adds the postes that joined: the cursor
        stays where it is and nothing is drawn for nothing. When the table is new (first
        reading, new columns) or a poste left the list, it is built again and the cursor
        put back on ``keep`` (else the poste it was on), if that poste is still there."""
        table: DataTable[Text] = self.query_one("#postes", DataTable)
        keys = [str(row.poste.id) for row in rows]
        cells = {str(row.poste.id): poste_cells(row) for row in rows}
        columns = [key for _, key, _, _ in POSTE_COLUMNS]
        if self._keys and keys[: len(self._keys)] == self._keys:
            for key in self._keys:
                for column, old, new in zip(columns, self._cells[key], cells[key], strict=True):
                    if old != new:
                        table.update_cell(key, column, new)
            for key in keys[len(self._keys):]:
                table.add_row(*cells[key], key=key)
        else:
            keep = keep or self._selected_key()
            table.clear()
            for key in keys:
                table.add_row(*cells[key], key=key)
            if keep in keys:
                table.move_cursor(row=keys.index(keep), animate=False)
        self._keys, self._cells = keys, cells

    def _show_journal(self, view: BoardView) -> None:
        ids = [event.id for event in view.events]
        if ids == self._event_ids:
            return
        self._event_ids = ids
        names = {row.poste.id: row.poste.first_name for row in view.rows}
        table: DataTable[Text] = self.query_one("#evenements-salle", DataTable)
        table.clear()
        for event in view.events:
            table.add_row(
                Text(format_short(event.at)),
                Text(names.get(event.poste_id or 0, NONE), overflow="ellipsis", no_wrap=True),
                Text(event_label(event.kind), overflow="ellipsis", no_wrap=True),
                Text(event.detail or NONE, overflow="ellipsis", no_wrap=True),
            )
        count = len(view.events)
        title = "Journal de la salle" + (
            f" (les {count} derniers événements)" if count >= JOURNAL_LIMIT
            else f" ({count} événement{'s' if count > 1 else ''})"
        )
        _update(self.query_one("#journal-salle-titre", Static), Text(title, style="bold"))

    @property
    def view(self) -> BoardView | None:
        """The last reading shown (None before the first one)."""
        return self._view

    # -- the selected poste ------------------------------------------------------------------

    def _selected_key(self) -> str | None:
        table: DataTable[Text] = self.query_one("#postes", DataTable)
        if not self._keys or not 0 <= table.cursor_row < len(self._keys):
            return None
        return self._keys[table.cursor_row]

    def selected(self) -> PosteRow | None:
        """The poste under the table's cursor, as last read (None when the room has none)."""
        key = self._selected_key()
        if key is None or self._view is None:
            return None
        return next((row for row in self._view.rows if str(row.poste.id) == key), None)

    @on(DataTable.RowHighlighted, "#postes")
    def _highlighted(self) -> None:
        self._selection_changed()

    def _selection_changed(self) -> None:
        self._update_actions()
        line = self.query_one("#poste-selectionne", Static)
        row = self.selected()
        if row is None or self._view is None:
            _update(line, "Aucun poste sélectionné.")
            return
        offset = row.poste.clock_offset
        if offset:
            clock = f"{offset_text(offset)} sur la salle ({format_short(row.now)})"
        else:
            clock = "heure de la salle"
        _update(line, Text.assemble(
            "Poste sélectionné : ", (f"{row.poste.first_name} ", "bold"), f"— horloge : {clock}"
        ))

    def _update_actions(self) -> None:
        state = (self.busy, self.selected() is None)
        if state == self._actions_state:
            return  # every second's reading: nothing to redraw, the footer least of all
        self._actions_state = state
        busy, none = state
        for button in self.query("#actions-poste Button").results(Button):
            button.disabled = busy or none
        for button in self.query("#actions-salle Button").results(Button):
            button.disabled = busy
        self.refresh_bindings()

    def set_busy(self, busy: bool) -> None:
        """While an action runs, the actions are off (the readings go on)."""
        self.busy = busy
        self._update_actions()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("poste_clock", "clock_key") and parameters != ("day",):
            # F6 and F8: the footer's binding from WIDE columns, the hidden twin below.
            narrow = self.app.size.width < WIDE
            if (action == "clock_key") != narrow:
                return False
        if action in ("poste_clock", "clock_key", "restart_poste", "reset_poste"):
            # Shown dimmed while no poste is selected or an action runs.
            return None if self.busy or self.selected() is None else True
        return super().check_action(action, parameters)

    # -- actions on the selected poste -------------------------------------------------------

    @on(Button.Pressed, "#poste-plus-1h")
    def _plus_hour(self) -> None:
        self.action_poste_clock("hour")

    @on(Button.Pressed, "#poste-plus-24h")
    def _plus_day(self) -> None:
        self.action_poste_clock("day")

    @on(Button.Pressed, "#poste-heure-salle")
    def _room_time(self) -> None:
        self.action_poste_clock("room")

    @on(Button.Pressed, "#relancer-poste")
    def _restart_pressed(self) -> None:
        self.action_restart_poste()

    @on(Button.Pressed, "#reinitialiser-poste")
    def _reset_pressed(self) -> None:
        self.action_reset_poste()

    def action_poste_clock(self, step: str) -> None:
        """Moves the selected poste's clock: ``hour`` +1 h, ``day`` +24 h, ``room`` back to
        the room's time."""
        row = self.selected()
        if row is None:
            return
        name = row.poste.first_name
        by = {"hour": ONE_HOUR, "day": ONE_DAY}.get(step)
        if by is None:
            said = f"{of_poste(name, capital=True)} : horloge remise à l'heure de la salle."
        else:
            said = f"{of_poste(name, capital=True)} : horloge avancée {describe_step(by)}."
        self._act(partial(self.services.room.move_poste_clock, row.poste.id, by), said)

    def action_clock_key(self, step: str) -> None:
        """F6 or F8 below :data:`WIDE` columns, kept off the footer."""
        self.action_poste_clock(step)

    def action_restart_poste(self) -> None:
        """Sends the selected poste's app back to its home page."""
        row = self.selected()
        if row is None:
            return
        self._act(
            partial(self.services.room.restart_poste, row.poste.id),
            f"{of_poste(row.poste.first_name, capital=True)} relancé : son application "
            "revient à l'accueil.",
        )

    def action_reset_poste(self) -> None:
        """Asks, then erases the selected poste's spaces, mails and clock and restarts it."""
        from ensap_tui.ui.screens.confirm import ConfirmScreen

        row = self.selected()
        if row is None or self.busy:
            return
        poste_id, name = row.poste.id, row.poste.first_name
        question = (
            f"Les espaces créés depuis le {of_poste(name)}, ses courriels simulés et l'avance de "
            "son horloge seront effacés, et son application reviendra à l'accueil. "
            "Le journal de la salle est conservé."
        )

        def confirmed(answer: bool | None) -> None:
            if answer:
                self._act(
                    partial(self.services.room.reset_poste, poste_id),
                    f"{of_poste(name, capital=True)} réinitialisé : il repart de l'accueil, "
                    "sans espace.",
                )

        self.app.push_screen(
            ConfirmScreen(
                f"Réinitialiser le {of_poste(name)} ?", question, confirm_label="Réinitialiser"
            ),
            confirmed,
        )

    # -- actions on the room -----------------------------------------------------------------

    @on(Button.Pressed, "#salle-plus-24h")
    def _everyone_day(self) -> None:
        """Asks first: it moves every trainee's clock, and the board has no way back (a
        stray click would expire every link waiting in the room)."""
        from ensap_tui.ui.screens.confirm import ConfirmScreen

        if self.busy:
            return
        question = (
            "L'horloge de tous les postes avance de 24 heures : les liens d'activation en "
            "attente expirent chez tous les stagiaires, les blocages prennent fin. Le tableau "
            "ne remet pas la salle à l'heure réelle."
        )

        def confirmed(answer: bool | None) -> None:
            if answer:
                self._act(
                    partial(self.services.room.move_room_clock, self.room_id, ONE_DAY),
                    "Horloge de la salle avancée de 24 heures, pour tous les postes.",
                )

        self.app.push_screen(
            ConfirmScreen(
                "Avancer toute la salle de 24 heures ?", question,
                confirm_label="Tout le monde +24 h",
            ),
            confirmed,
        )

    @on(Button.Pressed, "#terminer-salle")
    def _end_pressed(self) -> None:
        self.confirm_end()

    def confirm_end(self) -> None:
        """Asks whether to end the room; once it is ended, the app exits."""
        from ensap_tui.ui.screens.confirm import ConfirmScreen

        # Not while a question is open over the board (Ctrl+Q is the app's key, and reaches
        # here through a dialog: ``is_current`` is also true for a screen under a dialog).
        if self._ending or self.app.screen is not self:
            return
        question = (
            "Les stagiaires ne pourront plus rejoindre la salle ni rouvrir le simulateur ; "
            "ce tableau se ferme. Les espaces créés et le journal restent dans la base."
        )

        def confirmed(answer: bool | None) -> None:
            if answer:
                self._ending = True
                self.call_service(
                    partial(self.services.room.end_room, self.room_id),
                    self._ended,
                    group="terminer-salle",
                    after=self._after_end,
                )

        self.app.push_screen(
            ConfirmScreen("Terminer la salle ?", question, confirm_label="Terminer la salle"),
            confirmed,
        )

    @property
    def ended(self) -> bool:
        """True once the room is ended (the app is exiting)."""
        return self._ended_room

    def _ended(self, _: object) -> None:
        self._ended_room = True
        self.app.exit()

    def _after_end(self) -> None:
        if not self._ended_room:
            self._ending = False  # it failed (said): the trainer may try again

    # -- running an action -------------------------------------------------------------------

    def _act(self, call: Callable[[], Any], said: str) -> None:
        if self.busy:
            return
        self.call_service(call, partial(self._acted, said), group="action-salle", exclusive=False)

    def _acted(self, said: str, _: object) -> None:
        self.notify(said, title="Salle de formation", markup=False)
        self.refresh_board()
