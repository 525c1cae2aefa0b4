"""The app of a training room's poste (issue 12): it tells the room where it is, and moves its
own clock.

- Every ~2 seconds, and at each change of screen, a thread worker reports the screen in front
  (its ``SCREEN_NAME``, a short French name such as «Étape 2 — Mot de passe») with the
  heartbeat (``RoomService.seen``), which answers the poste's generation: when the trainer
  restarted or reset the poste, the app goes back to the home page and says which
  (``RoomService.was_reset``: a reset erased its spaces and mails); once the
  trainer has ended the room, it says so once (the app stays usable until the tab closes).
- The field errors a form shows are counted (``RoomService.count_field_errors``), in a worker.
- F6, F7 and F8 move the poste's own clock (+1 h, +24 h, back to the room's time), with or
  without the demo mode; the header line shows the poste's clock.
- When the app closes, the poste is no longer connected (``RoomService.left``).
"""

from __future__ import annotations

import contextlib
import threading
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from textual.screen import Screen
from textual.worker import Worker, WorkerState

from ensap_tui.domain.timefmt import format_datetime, local
from ensap_tui.ui.screens.base import EnsapScreen, show_header_tag

if TYPE_CHECKING:
    from textual.app import App

    from ensap_tui.services.container import Services

#: Seconds between two heartbeats (the board counts a poste connected for 6 s after one).
HEARTBEAT_SECONDS = 2.0
#: How often a busy line's dots move on a poste («Création de votre espace en cours…»): 4
#: frames a second instead of 16. Each frame is drawn, sent to the room's server and on to the
#: browser; when 30 postes press «Valider» together, 16 frames a second made their busy lines
#: alone take most of 2 cores (about 60 ms of CPU a second per app), while each one's argon2
#: ran at a lower priority and so waited for the others' dots.
POSTE_BUSY_LINE_FRAMES_PER_SECOND = 4.0
#: The worker group of the heartbeats and field-error counts (one heartbeat at a time).
WORKER_GROUP = "poste"
#: What the poste's app says when the trainer let it start again.
RESTARTED = (
    "Le formateur a relancé votre poste\u00a0: vous repartez de la page d'accueil."
)
#: What the poste's app says when the trainer reset it (a restart that erased its spaces).
RESET = (
    "Le formateur a réinitialisé votre poste : les espaces créés depuis ce poste et ses "
    "courriels simulés sont effacés, et vous repartez de la page d'accueil."
)
#: What the poste's app says once the trainer has ended the room.
ROOM_ENDED = (
    "Le formateur a terminé la salle\u00a0: merci de votre participation. Vous pouvez "
    "fermer cet onglet."
)


def screen_name(app: App[Any]) -> str:
    """The short French name of what the poste shows: the front screen's ``SCREEN_NAME``, or
    that of the nearest screen below it that has one (a palette names none)."""
    for screen in reversed(app.screen_stack):
        name = getattr(screen, "SCREEN_NAME", "")
        if name:
            return str(name)
    return ""


def _front_screen(app: App[Any]) -> EnsapScreen | None:
    return next((s for s in reversed(app.screen_stack) if isinstance(s, EnsapScreen)), None)


class PosteLink:
    """What ties ``app`` to its poste ``poste_id`` (see the module's docstring)."""

    def __init__(self, app: App[Any], services: Services, poste_id: int) -> None:
        self._app = app
        self._services = services
        self.poste_id = poste_id
        #: The generation the app started with; a newer one means «start again».
        self.generation: int | None = None
        self._reported = ""
        # A heartbeat still running when the app closes must not mark the poste connected
        # after ``left``: both write under this lock, and no beat writes once it has left.
        self._beat_lock = threading.Lock()
        self._left = False
        self._told_ended = False

    def start(self) -> None:
        """Starts the heartbeat and the header clock (called when the app is mounted)."""
        self._app.screen_change_signal.subscribe(self._app, self._screen_changed)
        self._app.set_interval(HEARTBEAT_SECONDS, self.heartbeat)
        self._app.set_interval(1.0, self.show_clock)
        self._app.call_after_refresh(self.show_clock)
        self.heartbeat()

    # -- heartbeat ---------------------------------------------------------------------------

    def heartbeat(self) -> None:
        """Reports the screen in front, in a thread worker; the answer (the poste's generation,
        and whether its room has ended) comes back through :meth:`worker_ended`."""
        name = screen_name(self._app)
        self._reported = name
        room = self._services.room
        poste_id = self.poste_id

        def beat() -> tuple[int, bool, bool] | None:
            # The heartbeat is quiet: a busy database only delays it to the next one.
            with self._beat_lock, contextlib.suppress(Exception):
                if self._left:
                    return None
                # One transaction: the beat itself and whether the room has ended.
                generation, ended = room.heartbeat(poste_id, name)
                known = self.generation  # an int, set by the app's thread
                reset = known is not None and generation != known and room.was_reset(poste_id)
                return generation, ended, reset
            return None

        self._app.run_worker(
            beat, thread=True, group=WORKER_GROUP, name="heartbeat", exit_on_error=False
        )

    def worker_ended(self, event: Worker.StateChanged) -> bool:
        """Handles the end of a heartbeat (True when ``event`` was one of ours)."""
        worker = event.worker
        if worker.group != WORKER_GROUP:
            return False
        if event.state is WorkerState.SUCCESS and worker.name == "heartbeat":
            self._generation_seen(worker.result)
        return True

    def _generation_seen(self, answer: object) -> None:
        if not isinstance(answer, tuple):
            return
        generation, ended, reset = answer
        if ended and not self._told_ended:
            self._told_ended = True
            self._app.notify(ROOM_ENDED, title="Salle terminée", markup=False, timeout=3600)
        if self.generation is None:
            self.generation = generation
        elif generation != self.generation:
            self.generation = generation
            self._restart(reset=bool(reset))

    def _restart(self, *, reset: bool) -> None:
        if reset:
            self._app.notify(RESET, title="Poste réinitialisé", markup=False, timeout=15)
        else:
            self._app.notify(RESTARTED, title="Poste relancé", markup=False, timeout=15)
        navigator = getattr(self._app, "navigator", None)
        if navigator is not None:
            navigator.return_home()

    def _screen_changed(self, screen: Screen[object]) -> None:
        # The new screen is composed after this signal: read its name after that.
        self._app.call_after_refresh(self._report_if_changed)
        self._app.call_after_refresh(self.show_clock)

    def _report_if_changed(self) -> None:
        if screen_name(self._app) != self._reported:
            self.heartbeat()

    # -- field errors ------------------------------------------------------------------------

    def field_errors_shown(self, count: int) -> None:
        """Counts ``count`` field errors a form has just shown, in a thread worker."""
        room = self._services.room
        poste_id = self.poste_id

        def add() -> None:
            with contextlib.suppress(Exception):  # a count is not worth a notice
                room.count_field_errors(poste_id, count)

        self._app.run_worker(
            add, thread=True, group=WORKER_GROUP, name="field-errors", exit_on_error=False
        )

    def left(self) -> None:
        """The app closes: the poste is no longer connected."""
        with self._beat_lock:
            self._left = True
            with contextlib.suppress(Exception):  # the board sees it stop beating anyway
                self._services.room.left(self.poste_id)

    # -- the poste's clock -------------------------------------------------------------------

    def header_text(self) -> str:
        """``"Simulateur — Salle — 27/11/2026 14:02"``: the right of the header line."""
        d = local(self._services.clock.now())
        return (
            f"Simulateur — Salle — {d.day:02d}/{d.month:02d}/{d.year:04d} "
            f"{d.hour:02d}:{d.minute:02d}"
        )

    def clock_text(self) -> str:
        """``"27/11/2026 à 14:02 (heure de la salle + 24 h)"``: the poste's clock for people."""
        from ensap_tui.services.room import format_room_offset

        room = self._services.room
        offset = room.poste(self.poste_id).clock_offset
        return f"{format_datetime(self._services.clock.now())} ({format_room_offset(offset)})"

    def show_clock(self) -> None:
        """Writes the poste's clock in the header line of the screen in front."""
        screen = _front_screen(self._app)
        text = None if screen is None else screen.call_now(self.header_text)
        if text is None:
            return
        show_header_tag(self._app.screen, text)

    def move_clock(self, step: timedelta | None) -> bool:
        """Moves the poste's clock forward by ``step``, or back to the room's time (None), and
        says where it is now; False (said) when it cannot move. At once, not in a worker: the
        header shows the new time with the key press (one row)."""
        from ensap_tui.services.room import format_room_offset

        room = self._services.room
        poste_id = self.poste_id

        def move() -> str:
            offset = room.move_poste_clock(poste_id, step, actor="")
            now = format_datetime(self._services.clock.now())
            if step is None:
                return f"Horloge du poste remise à l'heure de la salle\u00a0: {now}."
            return f"Horloge du poste avancée\u00a0: {now} ({format_room_offset(offset)})."

        screen = _front_screen(self._app)
        message = None if screen is None else screen.call_now(move)
        if message is None:
            return False
        self._app.notify(message, title="Horloge du poste", markup=False)
        self.show_clock()
        return True
