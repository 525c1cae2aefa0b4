"""The training room's service (issue 12): opening and ending a room, joining it, the postes'
clocks, the trainer's actions, what a poste's app reports, and the board."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.bootstrap import Settings, open_services
from ensap_tui.domain.errors import FieldError
from ensap_tui.services import events as kinds
from ensap_tui.services import room as rooms
from ensap_tui.services.container import Services
from ensap_tui.services.errors import ActionRefused
from ensap_tui.services.models import (
    AccountStatus,
    Contacts,
    FailureState,
    MailMessage,
    NewAccount,
    Poste,
    TokenPurpose,
)
from ensap_tui.services.room import PosteUnavailable, UnknownPoste, UnknownRoom
from tests.conftest import T0
from tests.support.people import NIR, OTHER_NIR, REQUEST

#: The code the first room of a test draws from the test token source (fixed tokens).
FIRST_CODE = rooms.code_from_token("jetontest000000000001")


def new_space(services: Services, poste_id: int, nir: str = NIR, *,
              active: bool = False) -> None:
    """A space of ``poste_id`` as registration leaves it (its link valid 24 h), or active."""
    now = services.clock.now()
    with services.store.write() as tx:
        account_id = tx.insert_account(NewAccount(
            nir=nir, birth_name="DUPONT", birth_date=date(1985, 5, 14), password_hash="$x",
            contacts=Contacts(email=REQUEST.email), created_at=now, poste_id=poste_id,
        ))
        tx.insert_token(account_id, TokenPurpose.ACTIVATION, nir.ljust(64, "0"), now,
                        now + timedelta(hours=24))
        if active:
            tx.set_status(account_id, AccountStatus.ACTIVE, now)


# -- codes and first names ------------------------------------------------------------------


def test_codes_use_an_unambiguous_alphabet_and_are_typed_loosely() -> None:
    code = rooms.code_from_token("jetontest000000000001")
    assert len(code) == 6 and set(code) <= set(rooms.CODE_ALPHABET)
    assert not set("0O1IL") & set(rooms.CODE_ALPHABET)
    assert rooms.code_from_token("jetontest000000000002") != code
    shown = rooms.display_code(code)
    assert shown == f"{code[:3]}-{code[3:]}"
    for typed in (shown, shown.lower(), f" {code[:3]} {code[3:]} ", f"{code[:3]}\u00a0{code[3:]}"):
        assert rooms.parse_code(typed) == code


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", rooms.MSG_CODE_EMPTY), (" - ", rooms.MSG_CODE_EMPTY),
     ("K7M-4Q", rooms.MSG_CODE_UNKNOWN), ("K7M-4QXX", rooms.MSG_CODE_UNKNOWN),
     ("K0M-4QX", rooms.MSG_CODE_UNKNOWN), ("K7M_4QX", rooms.MSG_CODE_UNKNOWN)],
)
def test_a_code_no_room_can_have_is_refused_on_its_field(typed: str, message: str) -> None:
    with pytest.raises(FieldError) as refused:
        rooms.parse_code(typed)
    assert (refused.value.field, refused.value.message) == ("code", message)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("Camille", "Camille"), ("  Jean   Pierre ", "Jean Pierre"), ("Anne-Sophie", "Anne-Sophie"),
     ("N'Golo", "N'Golo"), ("Zoé", "Zoé"), ("Zoe\u0301", "Zoé"), ("D\u2019Arcy", "D\u2019Arcy"),
     ("A" * 30, "A" * 30)],
)
def test_a_first_name_is_kept_tidy(typed: str, kept: str) -> None:
    assert rooms.check_first_name(typed) == kept


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", rooms.MSG_NAME_EMPTY), ("   ", rooms.MSG_NAME_EMPTY), ("A" * 31, rooms.MSG_NAME_LONG),
     ("Camille2", rooms.MSG_NAME_CHARACTERS), ("--", rooms.MSG_NAME_CHARACTERS),
     ("<b>Léo</b>", rooms.MSG_NAME_CHARACTERS), ("Léo\x1b[31m", rooms.MSG_NAME_CHARACTERS)],
)
def test_a_bad_first_name_is_refused_on_its_field(typed: str, message: str) -> None:
    with pytest.raises(FieldError) as refused:
        rooms.check_first_name(typed)
    assert (refused.value.field, refused.value.message) == ("prenom", message)


# -- opening, joining, ending ----------------------------------------------------------------


def test_a_room_opens_with_a_code_drawn_from_the_token_source(services: Services) -> None:
    room = services.room.open_room()
    assert (room.code, room.created_at, room.ended_at, room.clock_offset) == (
        FIRST_CODE, T0, None, timedelta(0))
    assert services.room.room(room.id) == room
    other = services.room.open_room()
    assert other.code != room.code
    journal = services.room.room_events(room.id)
    assert [(e.kind, e.actor, e.detail) for e in journal] == [
        (kinds.ROOM_OPENED, rooms.TRAINER, f"code {room.display_code}")]
    with pytest.raises(UnknownRoom, match="n'existe pas"):
        services.room.room(other.id + 1)


def test_an_open_rooms_code_is_never_drawn_again(
    db_path: Path, clock: FixedClock
) -> None:
    class Repeating:
        """Gives its first token twice: the second room must draw again."""

        def __init__(self) -> None:
            self.given: list[str] = []
            self._next = ["jetontest000000000001"] * 2 + ["jetontest000000000002"]

        def new_token(self) -> str:
            self.given.append(self._next.pop(0))
            return self.given[-1]

    tokens = Repeating()
    services = open_services(db_path, clock=clock, token_source=tokens,
                             settings=Settings.for_tests())
    try:
        first = services.room.open_room()
        second = services.room.open_room()
    finally:
        services.close()
    assert first.code == FIRST_CODE and second.code != FIRST_CODE
    assert len(tokens.given) == 3


def test_joining_gives_a_poste_in_joining_order(services: Services, clock: FixedClock) -> None:
    room = services.room.open_room()
    camille = services.room.join(room.display_code.lower(), "  Camille ")
    clock.advance(timedelta(seconds=3))
    leo = services.room.join(room.code, "Léo")
    assert camille == Poste(camille.id, room.id, "Camille", T0)
    assert services.room.poste(leo.id) == leo
    assert [row.poste.first_name for row in services.room.board(room.id)] == ["Camille", "Léo"]
    joined = [e for e in services.room.room_events(room.id) if e.kind == kinds.POSTE_JOINED]
    assert [(e.detail, e.poste_id) for e in joined] == [("Léo", leo.id), ("Camille", camille.id)]
    with pytest.raises(UnknownPoste, match="n'existe pas"):
        services.room.poste(leo.id + 1)


def test_a_wrong_or_ended_code_and_a_bad_name_start_no_poste(services: Services) -> None:
    room = services.room.open_room()
    other_code = rooms.code_from_token("jetontest000000000099")
    with pytest.raises(FieldError) as unknown:
        services.room.join(other_code, "Camille")
    assert (unknown.value.field, unknown.value.message) == ("code", rooms.MSG_CODE_UNKNOWN)
    with pytest.raises(FieldError) as no_name:
        services.room.join(room.code, "")
    assert no_name.value.field == "prenom"
    services.room.end_room(room.id)
    with pytest.raises(FieldError) as ended:
        services.room.join(room.code, "Camille")
    assert (ended.value.field, ended.value.message) == ("code", rooms.MSG_CODE_ENDED)
    assert services.room.board(room.id) == []


def test_ending_a_room_closes_its_postes_apps_once(services: Services) -> None:
    room = services.room.open_room()
    poste = services.room.join(room.code, "Camille")
    assert services.room.open_poste(poste.id) == poste
    assert not services.room.room_of_poste(poste.id).ended
    services.room.end_room(room.id)
    assert services.room.room_of_poste(poste.id).ended
    services.room.end_room(room.id)
    assert services.room.room(room.id).ended_at == T0
    with pytest.raises(PosteUnavailable, match="est terminée"):
        services.room.open_poste(poste.id)
    with pytest.raises(PosteUnavailable, match="n'existe pas"):
        services.room.open_poste(poste.id + 1)
    assert [e.kind for e in services.room.room_events(room.id)].count(kinds.ROOM_ENDED) == 1
    with pytest.raises(ActionRefused, match="terminée"):
        services.room.move_room_clock(room.id, timedelta(hours=24))
    with pytest.raises(ActionRefused, match="terminée"):
        services.room.move_poste_clock(poste.id, timedelta(hours=1))


# -- clocks ----------------------------------------------------------------------------------


def test_a_postes_clock_is_real_time_plus_the_rooms_offset_plus_its_own(
    services: Services,
) -> None:
    room = services.room.open_room()
    a = services.room.join(room.code, "Camille")
    b = services.room.join(room.code, "Léo")
    assert services.room.move_poste_clock(a.id, timedelta(hours=1), actor="") == timedelta(hours=1)
    assert services.room.move_poste_clock(a.id, timedelta(hours=24)) == timedelta(hours=25)
    assert services.room.move_room_clock(room.id, timedelta(hours=24)) == timedelta(hours=24)
    assert services.room.poste_now(a.id) == T0 + timedelta(hours=49)
    assert services.room.poste_now(b.id) == T0 + timedelta(hours=24)
    assert services.room.move_poste_clock(a.id, None) == timedelta(0)
    assert services.room.poste_now(a.id) == T0 + timedelta(hours=24)
    assert services.room.move_room_clock(room.id, None) == timedelta(0)
    assert services.room.clock_offset(b.id) == timedelta(0)
    clock_events = [(e.kind, e.actor, e.detail, e.poste_id)
                    for e in reversed(services.room.room_events(room.id))
                    if e.kind in (kinds.POSTE_CLOCK, kinds.ROOM_CLOCK)]
    assert clock_events == [
        (kinds.POSTE_CLOCK, "", "horloge du poste avancée d'1 heure (heure de la salle + 1 h)",
         a.id),
        (kinds.POSTE_CLOCK, rooms.TRAINER,
         "horloge du poste avancée de 24 heures (heure de la salle + 25 h)", a.id),
        (kinds.ROOM_CLOCK, rooms.TRAINER,
         "horloge de la salle avancée de 24 heures (heure réelle + 24 h)", None),
        (kinds.POSTE_CLOCK, rooms.TRAINER, "horloge du poste remise à l'heure de la salle",
         a.id),
        (kinds.ROOM_CLOCK, rooms.TRAINER, "horloge de la salle remise à l'heure réelle", None),
    ]


def test_a_clock_moves_forward_and_at_most_a_year(services: Services) -> None:
    room = services.room.open_room()
    poste = services.room.join(room.code, "Camille")
    with pytest.raises(ActionRefused, match="ne recule pas"):
        services.room.move_poste_clock(poste.id, timedelta(hours=-1))
    with pytest.raises(ActionRefused, match="ne recule pas"):
        services.room.move_room_clock(room.id, timedelta(0))
    services.room.move_poste_clock(poste.id, timedelta(days=366))
    with pytest.raises(ActionRefused, match="plus d'un an"):
        services.room.move_poste_clock(poste.id, timedelta(hours=1))
    assert services.room.clock_offset(poste.id) == timedelta(days=366)


# -- what a poste's app reports ------------------------------------------------------------


def test_a_heartbeat_connects_a_poste_for_a_few_seconds_and_leaving_disconnects_it(
    services: Services, clock: FixedClock
) -> None:
    room = services.room.open_room()
    poste = services.room.join(room.code, "Camille")
    [row] = services.room.board(room.id)
    assert (row.connected, row.screen) == (False, "")
    assert services.room.seen(poste.id, "Étape 2 — Mot de passe") == 0
    [row] = services.room.board(room.id)
    assert (row.connected, row.screen) == (True, "Étape 2 — Mot de passe")
    clock.advance(rooms.CONNECTED_WITHIN)
    assert services.room.board(room.id)[0].connected
    clock.advance(timedelta(seconds=1))
    assert not services.room.board(room.id)[0].connected
    services.room.seen(poste.id)  # a heartbeat without a new screen keeps the screen
    [row] = services.room.board(room.id)
    assert (row.connected, row.screen) == (True, "Étape 2 — Mot de passe")
    services.room.seen(poste.id, "  Boîte de réception\n" + "x" * 100)
    assert services.room.poste(poste.id).screen == ("Boîte de réception " + "x" * 100)[:60]
    services.room.left(poste.id)
    [row] = services.room.board(room.id)
    assert not row.connected and row.screen.startswith("Boîte de réception")
    with pytest.raises(UnknownPoste):
        services.room.seen(poste.id + 1, "Accueil")


def test_a_postes_heartbeat_also_says_when_its_room_has_ended(
    services: Services, clock: FixedClock
) -> None:
    # The poste's app asks both every ~2 s: one transaction, not a write then a read.
    room = services.room.open_room()
    poste = services.room.join(room.code, "Camille")
    assert services.room.heartbeat(poste.id, "Accueil") == (0, False)
    assert services.room.board(room.id)[0].screen == "Accueil"
    services.room.restart_poste(poste.id)
    services.room.end_room(room.id)
    clock.advance(timedelta(seconds=1))
    assert services.room.heartbeat(poste.id) == (1, True)
    [row] = services.room.board(room.id)
    assert row.screen == "Accueil" and row.connected
    with pytest.raises(UnknownPoste):
        services.room.heartbeat(poste.id + 1, "Accueil")


def test_field_errors_add_up(services: Services) -> None:
    room = services.room.open_room()
    poste = services.room.join(room.code, "Camille")
    services.room.count_field_errors(poste.id, 2)
    services.room.count_field_errors(poste.id, 0)
    services.room.count_field_errors(poste.id, 1)
    assert services.room.board(room.id)[0].field_errors == 3


# -- the trainer's actions on a poste ------------------------------------------------------


def test_restarting_a_poste_raises_its_generation_and_is_journaled(services: Services) -> None:
    room = services.room.open_room()
    poste = services.room.join(room.code, "Camille")
    assert services.room.restart_poste(poste.id) == 1
    assert services.room.seen(poste.id, "Accueil") == 1
    last = services.room.room_events(room.id)[0]
    assert (last.kind, last.actor, last.detail, last.poste_id) == (
        kinds.POSTE_RESTARTED, rooms.TRAINER, "Camille", poste.id)


def test_a_poste_tells_a_reset_from_a_restart_until_it_acts_again(services: Services) -> None:
    room = services.room.open_room()
    poste = services.room.join(room.code, "Camille")
    assert not services.room.was_reset(poste.id)  # joined only
    services.room.restart_poste(poste.id)
    assert not services.room.was_reset(poste.id)
    services.room.reset_poste(poste.id)
    assert services.room.was_reset(poste.id)
    services.room.move_poste_clock(poste.id, timedelta(hours=1), actor="")  # the poste acts
    assert not services.room.was_reset(poste.id)


def test_resetting_a_poste_deletes_its_spaces_and_mails_and_nothing_else(
    services: Services,
) -> None:
    room = services.room.open_room()
    a = services.room.join(room.code, "Camille")
    b = services.room.join(room.code, "Léo")
    new_space(services, a.id, NIR)
    new_space(services, b.id, OTHER_NIR)
    with services.store.write() as tx:
        for nir in (NIR, OTHER_NIR):
            tx.add_mail(MailMessage(recipient="x@example.fr", subject="Objet", body="…",
                                    sent_at=T0, kind="activation", nir=nir))
            tx.save_failure_state(FailureState(nir, failures=2))
    services.room.move_poste_clock(a.id, timedelta(hours=24))
    services.room.count_field_errors(a.id, 3)
    assert services.room.reset_poste(a.id) == 1
    with services.store.read() as tx:
        assert tx.account_by_nir(NIR) is None and tx.account_by_nir(OTHER_NIR) is not None
        assert [m.nir for m in tx.list_mail()] == [OTHER_NIR]
        assert tx.failure_state(NIR).failures == 0 and tx.failure_state(OTHER_NIR).failures == 2
    after = services.room.poste(a.id)
    assert (after.clock_offset, after.field_errors, after.generation) == (timedelta(0), 0, 1)
    last = services.room.room_events(room.id)[0]
    assert (last.kind, last.detail, last.poste_id) == (
        kinds.POSTE_RESET, "Camille\u00a0: 1 espace supprimé", a.id)
    assert services.room.reset_poste(a.id) == 2
    assert services.room.room_events(room.id)[0].detail == "Camille\u00a0: aucun espace supprimé"


# -- the board ---------------------------------------------------------------------------


def test_the_board_says_where_each_postes_space_stands_on_its_own_clock(
    services: Services, clock: FixedClock
) -> None:
    room = services.room.open_room()
    postes = [services.room.join(room.code, name) for name in ("Ana", "Bea", "Cyril", "Dan")]
    ana, bea, cyril, dan = (p.id for p in postes)
    new_space(services, bea, NIR)
    new_space(services, cyril, OTHER_NIR)
    new_space(services, dan, "192049712001143", active=True)
    services.room.move_poste_clock(cyril, timedelta(hours=24))  # Cyril's link expires
    with services.store.write() as tx:
        tx.save_failure_state(FailureState(
            "192049712001143", failures=0, blocks=1,
            blocked_until=T0 + timedelta(minutes=15), last_failure_at=T0))
    rows = {row.poste.first_name: row for row in services.room.board(room.id)}
    assert {name: row.space for name, row in rows.items()} == {
        "Ana": "aucun espace", "Bea": "en attente d'activation", "Cyril": "lien expiré",
        "Dan": "bloqué jusqu'à 14:17",
    }
    assert rows["Cyril"].now == T0 + timedelta(hours=24)
    assert rows["Cyril"].clock_offset == timedelta(hours=24)
    assert rows["Ana"].now == T0
    assert rows["Cyril"].last_event == "horloge du poste déplacée"
    assert rows["Ana"].last_event == "stagiaire arrivé dans la salle"
    assert rows["Ana"].last_event_at == T0
    # Dan's block ends at 14:17 on Dan's clock: a day later on the room's clock it has ended.
    services.room.move_room_clock(room.id, timedelta(hours=24))
    rows = {row.poste.first_name: row for row in services.room.board(room.id)}
    assert rows["Dan"].space == "actif"
    assert rows["Bea"].space == "lien expiré"
    assert ana in {row.poste.id for row in rows.values()}


def test_a_block_ending_another_day_shows_its_date(services: Services) -> None:
    room = services.room.open_room()
    poste = services.room.join(room.code, "Ana")
    new_space(services, poste.id, NIR, active=True)
    with services.store.write() as tx:
        tx.save_failure_state(FailureState(
            NIR, blocks=3, blocked_until=T0 + timedelta(days=1), last_failure_at=T0))
    assert services.room.board(room.id)[0].space == "bloqué jusqu'au 27/11/2026 à 14:02"


def test_the_rooms_journal_holds_only_its_own_events(services: Services) -> None:
    first = services.room.open_room()
    second = services.room.open_room()
    services.room.join(first.code, "Ana")
    services.room.join(second.code, "Bea")
    services.registration.register(REQUEST)  # outside any room
    assert [e.detail for e in services.room.room_events(first.id)] == [
        "Ana", f"code {first.display_code}"]
    assert len(services.room.room_events(first.id, limit=1)) == 1
    with pytest.raises(UnknownRoom):
        services.room.room_events(second.id + 1)


def test_a_board_row_is_a_frozen_record(services: Services) -> None:
    room = services.room.open_room()
    services.room.join(room.code, "Ana")
    [row] = services.room.board(room.id)
    with pytest.raises(AttributeError):
        row.connected = True  # type: ignore[misc]
    assert replace(row, connected=True).connected
