"""The training room (issue 12): a room with its code, the postes that join it, their clocks,
and what the trainer's board reads and does.

A poste is data, not a process: it lives in the database, so the board sees every browser
tab's process, and the app of each tab reports its screen, its field errors and its heartbeat
through this service (``seen``, ``count_field_errors``, ``left``). A poste's clock is the real
time plus the room's offset plus the poste's own; the composition root builds it for a poste's
app, and :meth:`RoomService.poste_now` gives the same time to the board.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import datetime, timedelta

from ensap_tui.domain.errors import FieldError
from ensap_tui.domain.throttle import blocked_until, effective_failure_state
from ensap_tui.domain.timefmt import format_datetime, format_time, local
from ensap_tui.services import events
from ensap_tui.services.errors import ActionRefused
from ensap_tui.services.models import AccountStatus, Event, Poste, PosteRow, Room
from ensap_tui.services.ports import Clock, Store, StoreError, StoreTx, TokenSource
from ensap_tui.services.registration import registration_expired

#: The characters of a room code: no 0/O, 1/I/L, that people misread on a projected screen.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
#: The longest first name a poste takes.
MAX_FIRST_NAME = 30
#: The longest screen name a poste reports (a wizard step's name is far shorter).
MAX_SCREEN = 60
#: A poste is connected while its last heartbeat (every ~2 s) is this recent.
CONNECTED_WITHIN = timedelta(seconds=6)
#: A clock never runs further ahead than this (a year of training is plenty).
MAX_OFFSET = timedelta(days=366)
#: ``Event.actor`` of what the trainer does from the board.
TRAINER = "formateur"

#: What the code field says when the code is empty, unknown or of an ended room.
MSG_CODE_EMPTY = "Indiquez le code de la salle donné par votre formateur."
MSG_CODE_UNKNOWN = (
    "Ce code ne correspond à aucune salle ouverte. Vérifiez-le auprès de votre formateur."
)
MSG_CODE_ENDED = (
    "Cette salle est terminée. Demandez le code de la nouvelle salle à votre formateur."
)
MSG_NAME_EMPTY = "Indiquez votre prénom."
MSG_NAME_LONG = f"Le prénom ne peut pas dépasser {MAX_FIRST_NAME} caractères."
MSG_NAME_CHARACTERS = (
    "Le prénom ne peut contenir que des lettres, des espaces, des traits d'union "
    "et des apostrophes."
)

_CODE_IGNORED = str.maketrans("", "", " -\u00a0\u202f\u2010\u2011\u2012\u2013\t")
_NAME_PUNCTUATION = {" ", "-", "'", "\u2019"}


class UnknownRoom(LookupError):
    """No such room; ``str()`` is a French message."""


class UnknownPoste(LookupError):
    """No such poste; ``str()`` is a French message."""


class PosteUnavailable(LookupError):
    """A poste's app cannot open: no such poste, or its room has ended; ``str()`` is a French
    message."""


def code_from_token(token: str) -> str:
    """A room code drawn from a token of the :class:`TokenSource` (so tests get fixed codes):
    6 characters of :data:`CODE_ALPHABET` from the token's SHA-256."""
    number = int.from_bytes(hashlib.sha256(token.encode()).digest(), "big")
    letters = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(CODE_ALPHABET))
        letters.append(CODE_ALPHABET[index])
    return "".join(letters)


def display_code(code: str) -> str:
    """``K7M4QX`` → ``K7M-4QX``."""
    return f"{code[:3]}-{code[3:]}"


def parse_code(text: str) -> str:
    """The code as stored, from what was typed: case, spaces and hyphens ignored. Raises
    :class:`FieldError` on ``code`` for an empty one or one no room can have."""
    code = unicodedata.normalize("NFKC", text).translate(_CODE_IGNORED).upper()
    if not code:
        raise FieldError("code", MSG_CODE_EMPTY)
    if len(code) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in code):
        raise FieldError("code", MSG_CODE_UNKNOWN)
    return code


def check_first_name(text: str) -> str:
    """The first name as kept (NFC, spaces collapsed): letters, spaces, hyphens and
    apostrophes, at most :data:`MAX_FIRST_NAME` characters, at least one letter. Raises
    :class:`FieldError` on ``prenom``."""
    name = " ".join(unicodedata.normalize("NFC", text).split())
    if not name:
        raise FieldError("prenom", MSG_NAME_EMPTY)
    if len(name) > MAX_FIRST_NAME:
        raise FieldError("prenom", MSG_NAME_LONG)
    if not any(char.isalpha() for char in name) or any(
        not (char.isalpha() or char in _NAME_PUNCTUATION or unicodedata.category(char) == "Mn")
        for char in name
    ):
        raise FieldError("prenom", MSG_NAME_CHARACTERS)
    return name


def format_room_offset(offset: timedelta) -> str:
    """``"heure de la salle"``, ``"heure de la salle + 25 h"``: a poste's own offset."""
    return _format_offset("heure de la salle", offset)


def format_real_offset(offset: timedelta) -> str:
    """``"heure réelle"``, ``"heure réelle + 24 h"``: an offset from the real time."""
    return _format_offset("heure réelle", offset)


def _format_offset(base: str, offset: timedelta) -> str:
    seconds = int(offset.total_seconds())
    if seconds <= 0:
        return base
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    return f"{base} + {hours} h {minutes:02d}" if minutes else f"{base} + {hours} h"


def _step(delta: timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    minutes = int(delta.total_seconds() % 3600 // 60)
    if minutes:
        return f"de {hours} h {minutes:02d}"
    return "d'1 heure" if hours == 1 else f"de {hours} heures"


def _seconds(offset: timedelta) -> int:
    return int(offset.total_seconds())


class RoomService:
    """Rooms, postes, their clocks and the board. ``clock`` is the real time (the base of
    every poste's clock, and of the heartbeats); ``tokens`` draws the room codes."""

    def __init__(self, store: Store, clock: Clock, tokens: TokenSource) -> None:
        self._store = store
        self._clock = clock
        self._tokens = tokens

    # -- the room ----------------------------------------------------------------------------

    def open_room(self) -> Room:
        """A new open room with a code no open room has."""
        now = self._clock.now()
        with self._store.write() as tx:
            for _ in range(50):
                code = code_from_token(self._tokens.new_token())
                taken = tx.room_by_code(code)
                if taken is None or taken.ended:
                    break
            else:  # 31^6 codes: only a broken token source repeats itself 50 times
                raise StoreError("Impossible de tirer un code de salle libre : réessayez.")
            room_id = tx.insert_room(code, now)
            tx.add_event(Event(at=now, kind=events.ROOM_OPENED, actor=TRAINER,
                               detail=f"code {display_code(code)}", room_id=room_id))
            return self._room(tx, room_id)

    def room(self, room_id: int) -> Room:
        """The room; :class:`UnknownRoom` when there is none."""
        with self._store.read() as tx:
            return self._room(tx, room_id)

    def end_room(self, room_id: int) -> None:
        """Ends the room: no poste joins it or opens an app any more (ending twice is one
        end)."""
        now = self._clock.now()
        with self._store.write() as tx:
            room = self._room(tx, room_id)
            if room.ended:
                return
            tx.end_room(room_id, now)
            tx.add_event(Event(at=now, kind=events.ROOM_ENDED, actor=TRAINER,
                               detail=f"code {room.display_code}", room_id=room_id))

    def move_room_clock(self, room_id: int, by: timedelta | None) -> timedelta:
        """Moves every poste's clock forward by ``by`` (the board's «tout le monde + 24 h»),
        or back to the real time when None; returns the room's new offset. Raises
        :class:`ActionRefused` for a step that is not forward or beyond a year."""
        now = self._clock.now()
        with self._store.write() as tx:
            room = self._open(tx, room_id)
            offset = timedelta(0) if by is None else self._forward(room.clock_offset, by)
            tx.set_room_clock_offset(room_id, _seconds(offset))
            detail = (
                "horloge de la salle remise à l'heure réelle" if by is None
                else f"horloge de la salle avancée {_step(by)} ({format_real_offset(offset)})"
            )
            tx.add_event(Event(at=now, kind=events.ROOM_CLOCK, actor=TRAINER, detail=detail,
                               room_id=room_id))
        return offset

    # -- joining -----------------------------------------------------------------------------

    def join(self, code: str, first_name: str) -> Poste:
        """A new poste in the open room of ``code`` for ``first_name``. Raises
        :class:`FieldError` on ``code`` (empty, unknown, ended room) or ``prenom``."""
        wanted = parse_code(code)
        name = check_first_name(first_name)
        now = self._clock.now()
        with self._store.write() as tx:
            room = tx.room_by_code(wanted)
            if room is None:
                raise FieldError("code", MSG_CODE_UNKNOWN)
            if room.ended:
                raise FieldError("code", MSG_CODE_ENDED)
            poste_id = tx.insert_poste(room.id, name, now)
            tx.add_event(Event(at=now, kind=events.POSTE_JOINED, detail=name,
                               poste_id=poste_id, room_id=room.id))
            return self._poste(tx, poste_id)

    def poste(self, poste_id: int) -> Poste:
        """The poste; :class:`UnknownPoste` when there is none."""
        with self._store.read() as tx:
            return self._poste(tx, poste_id)

    def room_of_poste(self, poste_id: int) -> Room:
        """The room of the poste; :class:`UnknownPoste` when there is no such poste."""
        with self._store.read() as tx:
            return self._room(tx, self._poste(tx, poste_id).room_id)

    def open_poste(self, poste_id: int) -> Poste:
        """The poste whose app is about to open; :class:`PosteUnavailable` when there is no
        such poste or its room has ended."""
        with self._store.read() as tx:
            poste = tx.poste_by_id(poste_id)
            room = None if poste is None else tx.room_by_id(poste.room_id)
        if poste is None or room is None:
            raise PosteUnavailable(f"Le poste {poste_id} n'existe pas.")
        if room.ended:
            raise PosteUnavailable(
                f"La salle du poste {poste_id} (code {room.display_code}) est terminée."
            )
        return poste

    # -- clocks ------------------------------------------------------------------------------

    def clock_offset(self, poste_id: int) -> timedelta:
        """The poste's whole offset from the real time: its room's plus its own."""
        with self._store.read() as tx:
            poste = self._poste(tx, poste_id)
            return self._room(tx, poste.room_id).clock_offset + poste.clock_offset

    def poste_now(self, poste_id: int) -> datetime:
        """The time on the poste's clock."""
        return self._clock.now() + self.clock_offset(poste_id)

    def move_poste_clock(
        self, poste_id: int, by: timedelta | None, *, actor: str = TRAINER
    ) -> timedelta:
        """Moves the poste's own clock forward by ``by``, or back to the room's time when
        None; returns the poste's own new offset. ``actor`` is who did it (the trainer by
        default, ``""`` for the trainee from their poste). Raises :class:`ActionRefused` for
        a step that is not forward, beyond a year, or in an ended room."""
        now = self._clock.now()
        with self._store.write() as tx:
            poste = self._poste(tx, poste_id)
            self._open(tx, poste.room_id)
            offset = timedelta(0) if by is None else self._forward(poste.clock_offset, by)
            tx.set_poste_clock_offset(poste_id, _seconds(offset))
            detail = (
                "horloge du poste remise à l'heure de la salle" if by is None
                else f"horloge du poste avancée {_step(by)} ({format_room_offset(offset)})"
            )
            tx.add_event(Event(at=now, kind=events.POSTE_CLOCK, actor=actor, detail=detail,
                               poste_id=poste_id))
        return offset

    # -- the trainer's actions on a poste -----------------------------------------------------

    def reset_poste(self, poste_id: int) -> int:
        """Deletes the poste's spaces (with their links and sign-in counters) and mails, puts
        its clock back on the room's time and its field errors to 0, then lets it start
        again (:meth:`restart_poste`). Returns its new generation."""
        now = self._clock.now()
        with self._store.write() as tx:
            poste = self._poste(tx, poste_id)
            spaces = tx.clear_poste(poste_id)
            generation = tx.next_poste_generation(poste_id)
            detail = {0: "aucun espace supprimé", 1: "1 espace supprimé"}.get(
                spaces, f"{spaces} espaces supprimés"
            )
            tx.add_event(Event(at=now, kind=events.POSTE_RESET, actor=TRAINER,
                               detail=f"{poste.first_name} : {detail}", poste_id=poste_id))
        return generation

    def restart_poste(self, poste_id: int) -> int:
        """Lets the poste start again: its generation grows, and its app, at its next
        heartbeat, goes back to the home page. Returns the new generation."""
        now = self._clock.now()
        with self._store.write() as tx:
            poste = self._poste(tx, poste_id)
            generation = tx.next_poste_generation(poste_id)
            tx.add_event(Event(at=now, kind=events.POSTE_RESTARTED, actor=TRAINER,
                               detail=poste.first_name, poste_id=poste_id))
        return generation

    # -- what a poste's app reports -------------------------------------------------------------

    def seen(self, poste_id: int, screen: str | None = None) -> int:
        """The poste's heartbeat (every ~2 s, and at each change of screen): it is connected,
        on ``screen`` (a short French name; kept when None). Returns the poste's generation,
        which the app compares with its own to see a restart."""
        return self.heartbeat(poste_id, screen)[0]

    def heartbeat(self, poste_id: int, screen: str | None = None) -> tuple[int, bool]:
        """:meth:`seen`, and whether the poste's room has ended, in one transaction (what the
        poste's app asks every ~2 s): ``(generation, ended)``."""
        shown = None if screen is None else " ".join(screen.split())[:MAX_SCREEN]
        with self._store.write() as tx:
            poste = self._poste(tx, poste_id)
            tx.set_poste_seen(poste_id, self._clock.now(), shown)
            return poste.generation, self._room(tx, poste.room_id).ended

    def was_reset(self, poste_id: int) -> bool:
        """Whether the poste's last event is the trainer's reset: what its app, seeing its
        generation grow, tells a reset (its spaces and mails erased) from a mere restart
        (False as soon as the poste has written anything since)."""
        with self._store.read() as tx:
            last = tx.last_event_of_poste(poste_id)
        return last is not None and last.kind == events.POSTE_RESET

    def left(self, poste_id: int) -> None:
        """The poste's app closed: it is no longer connected (its last screen is kept)."""
        with self._store.write() as tx:
            self._poste(tx, poste_id)
            tx.set_poste_seen(poste_id, None, None)

    def count_field_errors(self, poste_id: int, count: int) -> None:
        """Adds ``count`` field errors met by the poste (nothing for 0 or less)."""
        if count <= 0:
            return
        with self._store.write() as tx:
            self._poste(tx, poste_id)
            tx.add_poste_field_errors(poste_id, count)

    # -- the board ---------------------------------------------------------------------------

    def board(self, room_id: int) -> list[PosteRow]:
        """One row per poste of the room, in joining order (see :class:`PosteRow`)."""
        real_now = self._clock.now()
        with self._store.read() as tx:
            room = self._room(tx, room_id)
            rows = []
            for poste in tx.postes_of_room(room_id):
                offset = room.clock_offset + poste.clock_offset
                now = real_now + offset
                last = tx.last_event_of_poste(poste.id)
                seen = poste.last_seen_at
                rows.append(PosteRow(
                    poste=poste,
                    connected=seen is not None and real_now - seen <= CONNECTED_WITHIN,
                    screen=poste.screen or "",
                    space=_space_text(tx, poste.id, now),
                    last_event=_label(last.kind) if last is not None else "",
                    last_event_at=None if last is None else last.at,
                    field_errors=poste.field_errors,
                    now=now,
                    clock_offset=offset,
                ))
            return rows

    def room_events(self, room_id: int, limit: int = 50) -> list[Event]:
        """The journal of the room (its own events and its postes'), the last written
        first."""
        with self._store.read() as tx:
            self._room(tx, room_id)
            return tx.room_events(room_id, limit)

    # -- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _room(tx: StoreTx, room_id: int) -> Room:
        room = tx.room_by_id(room_id)
        if room is None:
            raise UnknownRoom(f"La salle {room_id} n'existe pas.")
        return room

    @staticmethod
    def _open(tx: StoreTx, room_id: int) -> Room:
        room = RoomService._room(tx, room_id)
        if room.ended:
            raise ActionRefused(f"La salle {room.display_code} est terminée.")
        return room

    @staticmethod
    def _poste(tx: StoreTx, poste_id: int) -> Poste:
        poste = tx.poste_by_id(poste_id)
        if poste is None:
            raise UnknownPoste(f"Le poste {poste_id} n'existe pas.")
        return poste

    @staticmethod
    def _forward(offset: timedelta, by: timedelta) -> timedelta:
        if by <= timedelta(0):
            raise ActionRefused("L'horloge ne recule pas : revenez à l'heure de la salle.")
        moved = offset + by
        if moved > MAX_OFFSET:
            raise ActionRefused(
                "L'horloge ne peut pas avancer de plus d'un an : revenez à l'heure de la salle."
            )
        return moved


def _label(kind: str) -> str:
    from ensap_tui.services.assistance import event_label

    return event_label(kind)


def _space_text(tx: StoreTx, poste_id: int, now: datetime) -> str:
    """Where the poste's newest space stands at ``now`` (the poste's clock), in French."""
    account = tx.newest_account_of_poste(poste_id)
    if account is None:
        return "aucun espace"
    until = blocked_until(effective_failure_state(tx.failure_state(account.nir), now), now)
    if until is not None:
        if local(until).date() == local(now).date():
            return f"bloqué jusqu'à {format_time(until)}"
        return f"bloqué jusqu'au {format_datetime(until)}"
    if account.status is AccountStatus.ACTIVE:
        return "actif"
    if registration_expired(tx, account, now):
        return "lien expiré"
    return "en attente d'activation"
