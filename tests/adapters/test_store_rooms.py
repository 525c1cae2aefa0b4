"""The store's training rooms (issue 12), on each engine (the ``make_store`` fixture): rooms,
postes, and the poste of each space, mail and event."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

import psycopg
import pytest

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.services.models import (
    AccountStatus,
    Event,
    FailureState,
    MailMessage,
    Poste,
    Room,
    TokenPurpose,
)
from ensap_tui.services.ports import Store, StoreError
from tests.adapters.store_support import new_account
from tests.support.engines import Database

NIR_A = "185057511512364"
NIR_B = "278072B03300742"


@pytest.fixture
def store(make_store: Any) -> Iterator[Any]:
    """The store of this test's database (each engine in turn), closed after the test."""
    yield make_store()


def execute(database: Database, sql: str, params: Sequence[Any] = ()) -> None:
    """``sql`` (``?`` placeholders) run by the engine's own driver, as another program would."""
    with database.checks() as checks:
        if database.is_postgres:
            sql = sql.replace("?", "%s")
        checks.conn.execute(sql, tuple(params))
        if not database.is_postgres:
            checks.conn.commit()


def room_with_two_postes(store: Store, clock: FixedClock) -> tuple[int, int, int]:
    with store.write() as tx:
        room = tx.insert_room("K7M4QX", clock.now())
        a = tx.insert_poste(room, "Camille", clock.now())
        b = tx.insert_poste(room, "Léo", clock.now() + timedelta(seconds=1))
    return room, a, b


def mail(nir: str, clock: FixedClock, **changes: object) -> MailMessage:
    message = MailMessage(recipient="x@example.fr", subject="Objet", body="…",
                          sent_at=clock.now(), kind="activation", nir=nir)
    return replace(message, **changes)  # type: ignore[arg-type]


def test_rooms_round_trip_end_and_clock(store: Store, clock: FixedClock) -> None:
    with store.write() as tx:
        room_id = tx.insert_room("K7M4QX", clock.now())
    with store.read() as tx:
        assert tx.room_by_id(room_id) == Room(room_id, "K7M4QX", clock.now())
        assert tx.room_by_code("K7M4QX") == tx.room_by_id(room_id)
        assert tx.room_by_code("AAAAAA") is None
        assert tx.room_by_id(room_id + 1) is None
    later = clock.now() + timedelta(hours=2)
    with store.write() as tx:
        tx.set_room_clock_offset(room_id, 86400)
        tx.end_room(room_id, later)
        tx.end_room(room_id, later + timedelta(hours=1))  # the first end stays
    with store.read() as tx:
        room = tx.room_by_id(room_id)
    assert room is not None
    assert (room.ended_at, room.clock_offset, room.ended) == (later, timedelta(days=1), True)
    assert room.display_code == "K7M-4QX"


def test_a_code_is_unique_among_open_rooms_only(store: Store, clock: FixedClock) -> None:
    with store.write() as tx:
        first = tx.insert_room("K7M4QX", clock.now())
    with pytest.raises(StoreError), store.write() as tx:
        tx.insert_room("K7M4QX", clock.now())
    with store.write() as tx:
        tx.end_room(first, clock.now())
        second = tx.insert_room("K7M4QX", clock.now())
    with store.read() as tx:
        found = tx.room_by_code("K7M4QX")
    assert found is not None and found.id == second  # the open one before the ended one


def test_postes_round_trip_in_joining_order(store: Store, clock: FixedClock) -> None:
    room, a, b = room_with_two_postes(store, clock)
    seen = clock.now() + timedelta(seconds=5)
    with store.write() as tx:
        tx.set_poste_seen(a, seen, "Étape 2 — Mot de passe")
        tx.set_poste_seen(a, seen, None)  # a heartbeat keeps the screen
        tx.add_poste_field_errors(a, 2)
        tx.add_poste_field_errors(a, 1)
        tx.set_poste_clock_offset(b, 3600)
        assert tx.next_poste_generation(b) == 1
        assert tx.next_poste_generation(b) == 2
        assert tx.next_poste_generation(b + 100) == 0
    with store.read() as tx:
        assert tx.poste_by_id(a) == Poste(a, room, "Camille", clock.now(), last_seen_at=seen,
                                          screen="Étape 2 — Mot de passe", field_errors=3)
        assert [p.id for p in tx.postes_of_room(room)] == [a, b]
        poste_b = tx.poste_by_id(b)
        assert poste_b is not None
        assert (poste_b.clock_offset, poste_b.generation) == (timedelta(hours=1), 2)
        assert tx.poste_by_id(b + 100) is None
    with store.write() as tx:
        tx.set_poste_seen(a, None, None)  # the app closed
    with store.read() as tx:
        gone = tx.poste_by_id(a)
    assert gone is not None and (gone.last_seen_at, gone.screen) == (None, "Étape 2 — Mot de passe")


def test_the_poste_clock_is_the_rooms_offset_plus_its_own(store: Any,
                                                          clock: FixedClock) -> None:
    room, a, b = room_with_two_postes(store, clock)
    with store.write() as tx:
        tx.set_room_clock_offset(room, 86400)
        tx.set_poste_clock_offset(a, 3600)
        # read inside a transaction too: the poste's clock is read at every now()
        assert store.peek_poste_clock(a) == 86400 + 3600
    assert store.peek_poste_clock(b) == 86400
    assert store.peek_poste_clock(b + 100) is None


def test_a_spaces_clock_is_that_of_the_poste_it_was_created_from(
    store: Store, clock: FixedClock
) -> None:
    room, a, _b = room_with_two_postes(store, clock)
    with store.write() as tx:
        tx.insert_account(replace(new_account(NIR_A, at=clock.now()), poste_id=a))
        tx.insert_account(new_account(NIR_B, "MARTIN", at=clock.now()))  # outside the room
        tx.set_room_clock_offset(room, 3600)
        tx.set_poste_clock_offset(a, 86400)
    with store.read() as tx:
        assert tx.space_clock_offset(NIR_A) == 86400 + 3600
        assert tx.space_clock_offset(NIR_B) is None
        assert tx.space_clock_offset("299999999999999") is None
        assert tx.space_clock_offsets([NIR_A, NIR_B, "299999999999999"]) == {
            NIR_A: 86400 + 3600}
        assert tx.space_clock_offsets([]) == {}
    # What a sign-in reads before the password, in one statement, has the same clock.
    assert store.sign_in_reading(NIR_A)[2] == 86400 + 3600
    assert store.sign_in_reading(NIR_B)[2] is None
    assert store.sign_in_reading("299999999999999")[2] is None


def test_the_help_desk_search_gives_each_space_its_postes_clock(
    store: Store, clock: FixedClock
) -> None:
    room, a, b = room_with_two_postes(store, clock)
    with store.write() as tx:
        tx.insert_account(replace(new_account(NIR_A, "MARTIN", at=clock.now()), poste_id=a))
        tx.insert_account(replace(new_account(NIR_B, "MARTINEZ", at=clock.now()), poste_id=b))
        tx.insert_account(new_account("192049712001143", "MARTINET", at=clock.now()))
        tx.set_room_clock_offset(room, 3600)
        tx.set_poste_clock_offset(a, 86400)
    hits = store.search_spaces(name_prefix="martin")
    # in the search's order, each with the offset of the poste it was created from (None
    # outside a room), read by the same statement as the accounts
    assert [(account.nir, offset) for account, _state, _expiry, offset in hits] == [
        (NIR_A, 86400 + 3600), ("192049712001143", None), (NIR_B, 3600)]
    assert [(account.nir, offset) for account, *_, offset in store.search_spaces(nir=NIR_B)] == [
        (NIR_B, 3600)]


def test_the_help_desk_search_reads_each_spaces_state_whichever_half_found_it(
    store: Store, clock: FixedClock
) -> None:
    # The state (throttling, newest activation link, poste's clock) is read over the page the
    # two halves make: each space of either half keeps its own, in the search's order.
    room, a, b = room_with_two_postes(store, clock)
    now = clock.now()
    whole, later, later_too = NIR_A, NIR_B, "192049712001143"
    blocked = FailureState(nir=whole, failures=3, blocks=1,
                           blocked_until=now + timedelta(minutes=15), last_failure_at=now)
    counted = FailureState(nir=later, failures=2, blocks=0, blocked_until=None,
                           last_failure_at=now - timedelta(minutes=3))
    with store.write() as tx:
        whole_id = tx.insert_account(replace(new_account(whole, "MARTIN", at=now), poste_id=a))
        later_id = tx.insert_account(
            replace(new_account(later, "DUPONT-MARTIN", at=now), poste_id=b))
        later_too_id = tx.insert_account(new_account(later_too, "LEROY-MARTINEZ", at=now))
        tx.insert_account(new_account("170069935000525", "DURAND", at=now))  # not found
        # Two links issued at the same instant: the newest is the one written last.
        tx.insert_token(whole_id, TokenPurpose.ACTIVATION, "a" * 64, now, now + timedelta(hours=1))
        tx.insert_token(whole_id, TokenPurpose.ACTIVATION, "b" * 64, now, now + timedelta(hours=2))
        tx.insert_token(whole_id, TokenPurpose.RESET, "c" * 64, now, now + timedelta(hours=3))
        # An active space's link is not read.
        tx.insert_token(later_id, TokenPurpose.ACTIVATION, "d" * 64, now, now + timedelta(hours=4))
        tx.set_status(later_id, AccountStatus.ACTIVE, now)
        tx.insert_token(later_too_id, TokenPurpose.ACTIVATION, "e" * 64,
                        now - timedelta(hours=30), now - timedelta(hours=6))
        tx.save_failure_state(blocked)
        tx.save_failure_state(counted)
        tx.set_room_clock_offset(room, 3600)
        tx.set_poste_clock_offset(a, 86400)
    expected = [
        (whole, blocked, now + timedelta(hours=2), 86400 + 3600),
        (later, counted, None, 3600),
        (later_too, None, now - timedelta(hours=6), None),
    ]
    hits = store.search_spaces(name_prefix="martin")
    assert [(account.nir, *rest) for account, *rest in hits] == expected
    assert [account.status for account, *_ in hits] == [
        AccountStatus.PENDING, AccountStatus.ACTIVE, AccountStatus.PENDING]
    with store.read() as tx:
        assert [(account.nir, state, expiry) for account, state, expiry
                in tx.search_with_state(name_prefix="martin")] == [row[:3] for row in expected]
    # the later half alone, and with the limit cutting the page
    assert [(account.nir, *rest) for account, *rest
            in store.search_spaces(name_prefix="martine")] == expected[2:]
    assert [(account.nir, *rest) for account, *rest
            in store.search_spaces(name_prefix="martin", limit=2)] == expected[:2]


def test_a_space_mail_and_event_belong_to_the_poste(store: Store,
                                                    clock: FixedClock) -> None:
    room, a, b = room_with_two_postes(store, clock)
    with store.write() as tx:
        tx.insert_account(replace(new_account(NIR_A, at=clock.now()), poste_id=a))
        tx.insert_account(new_account(NIR_B, "MARTIN", at=clock.now()))  # outside the room
        # a mail about A's space (the help desk's resent link) lands in A's mailbox
        mail_a = tx.add_mail(mail(NIR_A, clock))
        mail_b = tx.add_mail(mail(NIR_B, clock))
        mail_given = tx.add_mail(mail("", clock, poste_id=b))
        # the poste that acted, else the poste of the space concerned
        acted = tx.add_event(Event(at=clock.now(), kind="sign-in-failed", nir=NIR_A,
                                   poste_id=b))
        concerned = tx.add_event(Event(at=clock.now(), kind="sign-in", nir=NIR_A))
        outside = tx.add_event(Event(at=clock.now(), kind="sign-in", nir=NIR_B))
        of_room = tx.add_event(Event(at=clock.now(), kind="room-clock", room_id=room))
    with store.read() as tx:
        assert [m.id for m in tx.list_mail(poste_id=a)] == [mail_a]
        assert [m.id for m in tx.list_mail(poste_id=b)] == [mail_given]
        assert {m.id for m in tx.list_mail()} == {mail_a, mail_b, mail_given}
        assert {m.id: m.poste_id for m in tx.list_mail()} == {
            mail_a: a, mail_b: None, mail_given: b}
        journal = {e.id: (e.poste_id, e.room_id) for e in tx.list_events()}
        assert journal == {acted: (b, room), concerned: (a, room), outside: (None, None),
                           of_room: (None, room)}
        assert [e.id for e in tx.room_events(room)] == [of_room, concerned, acted]
        assert [e.id for e in tx.room_events(room, limit=1)] == [of_room]
        last = tx.last_event_of_poste(a)
        assert last is not None and last.id == concerned
        assert tx.last_event_of_poste(b + 100) is None
        newest = tx.newest_account_of_poste(a)
        assert newest is not None and newest.nir == NIR_A
        assert tx.newest_account_of_poste(b) is None


def test_room_events_follow_the_order_of_writing_not_the_postes_clocks(
    store: Store, clock: FixedClock
) -> None:
    room, a, b = room_with_two_postes(store, clock)
    with store.write() as tx:
        ahead = tx.add_event(Event(at=clock.now() + timedelta(days=1), kind="k", poste_id=a))
        behind = tx.add_event(Event(at=clock.now(), kind="k", poste_id=b))
    with store.read() as tx:
        assert [e.id for e in tx.room_events(room)] == [behind, ahead]


def test_clearing_a_poste_deletes_its_spaces_links_counters_and_mails_only(
    store: Store, clock: FixedClock, database: Database
) -> None:
    _, a, b = room_with_two_postes(store, clock)
    third = "192049712001143"
    with store.write() as tx:
        first = tx.insert_account(replace(new_account(NIR_A, at=clock.now()), poste_id=a))
        tx.insert_account(replace(new_account(third, "LE GOFF", at=clock.now()), poste_id=a))
        tx.insert_account(replace(new_account(NIR_B, "MARTIN", at=clock.now()), poste_id=b))
        tx.insert_token(first, TokenPurpose.ACTIVATION, "a" * 64, clock.now(),
                        clock.now() + timedelta(days=1))
        tx.add_mail(mail(NIR_A, clock))
        kept_mail = tx.add_mail(mail(NIR_B, clock))
        tx.save_failure_state(FailureState(NIR_A, failures=2))
        tx.save_failure_state(FailureState(NIR_B, failures=1))
        tx.add_event(Event(at=clock.now(), kind="sign-in", nir=NIR_A))
        tx.set_poste_clock_offset(a, 3600)
        tx.add_poste_field_errors(a, 4)
        assert tx.clear_poste(a) == 2
    with store.read() as tx:
        assert tx.account_by_nir(NIR_A) is None and tx.account_by_nir(third) is None
        assert tx.account_by_nir(NIR_B) is not None
        assert tx.token_by_hash("a" * 64) is None
        assert [m.id for m in tx.list_mail()] == [kept_mail]
        assert tx.failure_state(NIR_A).failures == 0
        assert tx.failure_state(NIR_B).failures == 1
        assert [e.kind for e in tx.list_events()] == ["sign-in"]  # the journal stays
        poste = tx.poste_by_id(a)
        assert poste is not None and (poste.clock_offset, poste.field_errors) == (
            timedelta(0), 0)
        assert tx.search_accounts(name_prefix="goff") == []
    assert database.scalar("SELECT count(*) FROM account_name_parts") == 0


def test_the_event_log_stays_append_only_with_its_poste_columns(
    store: Store, clock: FixedClock, database: Database
) -> None:
    _, a, _ = room_with_two_postes(store, clock)
    with store.write() as tx:
        tx.add_event(Event(at=clock.now(), kind="poste-joined", poste_id=a))
    refused = (sqlite3.IntegrityError, psycopg.errors.RaiseException)
    with pytest.raises(refused, match="append-only"):
        execute(database, "UPDATE events SET poste_id = NULL")
    with pytest.raises(refused, match="append-only"):
        execute(database, "DELETE FROM events WHERE poste_id IS NOT NULL")
    assert database.scalar("SELECT count(*) FROM events WHERE poste_id = ?", (a,)) == 1


def test_a_damaged_poste_is_left_out_of_the_list_and_named(
    store: Any, clock: FixedClock, database: Database
) -> None:
    room, a, b = room_with_two_postes(store, clock)
    execute(database, "UPDATE postes SET joined_at = 'hier' WHERE id = ?", (a,))
    with store.read() as tx:
        assert [p.id for p in tx.postes_of_room(room)] == [b]
    damaged = store.take_damaged()
    assert [(d.table, d.row, d.column) for d in damaged] == [("postes", a, "joined_at")]
