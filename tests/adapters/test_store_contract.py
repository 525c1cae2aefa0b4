"""The store contract, on each engine: every StoreTx method, transactions, several connections
at once. The same tests run on a SQLite file and on a fresh database of the test PostgreSQL server
(the ``make_store`` fixture of ``tests/conftest.py``); what only one engine has is tested beside
its store (``test_sqlite_store.py``, ``test_postgres_*.py``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import FrozenInstanceError, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.services.models import (
    Account,
    AccountStatus,
    Contacts,
    Event,
    FailureState,
    MailMessage,
    TokenPurpose,
)
from ensap_tui.services.ports import Store, StoreError
from tests.adapters.store_support import HASH_A, HASH_B, HASH_C, compound_names, new_account

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def store(make_store: Any) -> Iterator[Store]:
    """The store of this test's database (each engine in turn), closed after the test."""
    yield make_store()


# -- accounts -------------------------------------------------------------------------------


def test_account_round_trip_keeps_every_field(store: Store, clock: FixedClock) -> None:
    at_paris = clock.now().astimezone(PARIS)
    with store.write() as tx:
        account_id = tx.insert_account(new_account(at=at_paris))
    with store.read() as tx:
        by_nir = tx.account_by_nir("185057511512364")
        by_id = tx.account_by_id(account_id)
    expected = Account(
        id=account_id, nir="185057511512364", birth_name="LEFÈVRE", birth_date=date(1985, 5, 17),
        password_hash="$argon2id$fake",
        contacts=Contacts("marie.lefevre@example.fr", "m@example.org", "+33615147879",
                          "+68989123456"),
        status=AccountStatus.PENDING, created_at=clock.now(),
    )
    assert by_nir == expected
    assert by_id == expected
    assert by_nir is not None and by_nir.created_at.tzinfo == UTC
    # Built by the store's own constructor, the record is the same frozen, hashable value.
    assert hash(by_nir) == hash(expected) and repr(by_nir) == repr(expected)
    with pytest.raises(FrozenInstanceError):
        by_nir.birth_name = "DUPONT"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        by_nir.contacts.email = "autre@example.fr"  # type: ignore[misc]


def test_unknown_account_is_none(store: Store) -> None:
    with store.read() as tx:
        assert tx.account_by_nir("185057511512364") is None
        assert tx.account_by_id(42) is None


def test_status_password_contacts_and_sign_in_updates(store: Store,
                                                       clock: FixedClock) -> None:
    with store.write() as tx:
        account_id = tx.insert_account(new_account(at=clock.now()))
    activated = clock.now() + timedelta(hours=2)
    signed_in = clock.now() + timedelta(hours=3)
    contacts = Contacts(email="nouveau@example.fr")
    with store.write() as tx:
        tx.set_status(account_id, AccountStatus.ACTIVE, activated)
        tx.set_password_hash(account_id, "$argon2id$other")
        tx.set_contacts(account_id, contacts)
        tx.set_last_sign_in(account_id, signed_in)
    with store.read() as tx:
        account = tx.account_by_id(account_id)
    assert account is not None
    assert account.status is AccountStatus.ACTIVE
    assert account.activated_at == activated
    assert account.password_hash == "$argon2id$other"
    assert account.contacts == contacts
    assert account.last_sign_in_at == signed_in

    # Already active: the activation instant is kept; back to pending: it is cleared.
    with store.write() as tx:
        tx.set_status(account_id, AccountStatus.ACTIVE, activated + timedelta(days=1))
    with store.read() as tx:
        assert (a := tx.account_by_id(account_id)) is not None and a.activated_at == activated
    with store.write() as tx:
        tx.set_status(account_id, AccountStatus.PENDING, activated)
    with store.read() as tx:
        again = tx.account_by_id(account_id)
    assert again is not None and again.status is AccountStatus.PENDING
    assert again.activated_at is None


def test_list_accounts_newest_first_with_status_and_limit(store: Store,
                                                          clock: FixedClock) -> None:
    nirs = ["185057511512364", "278072B03300742", "192049712001143"]
    with store.write() as tx:
        ids = [tx.insert_account(new_account(nir, at=clock.now() + timedelta(minutes=i)))
               for i, nir in enumerate(nirs)]
        tx.set_status(ids[1], AccountStatus.ACTIVE, clock.now())
    with store.read() as tx:
        assert [a.nir for a in tx.list_accounts()] == list(reversed(nirs))
        assert [a.id for a in tx.list_accounts(AccountStatus.PENDING)] == [ids[2], ids[0]]
        assert [a.id for a in tx.list_accounts(AccountStatus.ACTIVE)] == [ids[1]]
        assert len(tx.list_accounts(limit=2)) == 2


def test_duplicate_nir_is_a_store_error_and_rolls_back(store: Store,
                                                       clock: FixedClock) -> None:
    with store.write() as tx:
        tx.insert_account(new_account(at=clock.now()))
    with pytest.raises(StoreError), store.write() as tx:
        tx.add_event(Event(at=clock.now(), kind="avant-doublon"))
        tx.insert_account(new_account(name="AUTRE", at=clock.now()))
    with store.read() as tx:
        assert tx.list_events() == []
        assert [a.birth_name for a in tx.list_accounts()] == ["LEFÈVRE"]


def test_an_exception_in_the_block_rolls_everything_back(store: Store,
                                                         clock: FixedClock) -> None:
    with pytest.raises(ZeroDivisionError), store.write() as tx:
        tx.insert_account(new_account(at=clock.now()))
        tx.set_meta("k", "v")
        _ = 1 / 0
    with store.read() as tx:
        assert tx.account_by_nir("185057511512364") is None
        assert tx.get_meta("k") is None
    # The connection is usable again afterwards.
    with store.write() as tx:
        tx.set_meta("k", "v")
    with store.read() as tx:
        assert tx.get_meta("k") == "v"


def test_read_transactions_refuse_writes(store: Store) -> None:
    with pytest.raises(RuntimeError), store.read() as tx:
        tx.set_meta("k", "v")
    with store.read() as tx:
        assert tx.get_meta("k") is None


def test_a_transaction_cannot_be_used_after_its_block(store: Store) -> None:
    with store.read() as tx:
        pass
    with pytest.raises(RuntimeError):
        tx.get_meta("db_id")


def test_delete_account_takes_its_tokens_but_keeps_mail_and_events(
        store: Store, clock: FixedClock) -> None:
    now = clock.now()
    with store.write() as tx:
        account_id = tx.insert_account(new_account(at=now))
        tx.insert_token(account_id, TokenPurpose.ACTIVATION, HASH_A, now, now + timedelta(days=1))
        tx.add_mail(MailMessage(recipient="a@example.fr", subject="s", body="b", sent_at=now,
                                kind="activation", nir="185057511512364"))
        tx.add_event(Event(at=now, kind="inscription", nir="185057511512364"))
    with store.write() as tx:
        tx.delete_account(account_id)
    with store.read() as tx:
        assert tx.account_by_id(account_id) is None
        assert tx.token_by_hash(HASH_A) is None
        assert len(tx.list_mail()) == 1
        assert len(tx.list_events()) == 1


# -- search ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("dartagnan", ["d'Artagnan-Lefèvre"]),
        ("d artagnan", ["d'Artagnan-Lefèvre"]),
        ("D’Artagnan", ["d'Artagnan-Lefèvre"]),
        ("artagnan", ["d'Artagnan-Lefèvre"]),
        ("artagnan-lef", ["d'Artagnan-Lefèvre"]),
        ("lefevre", ["d'Artagnan-Lefèvre"]),
        ("ndiaye", ["N'Diaye"]),
        ("n'diaye", ["N'Diaye"]),
        ("diaye", ["N'Diaye"]),
        ("legoff", ["Le Goff"]),
        ("le goff", ["Le Goff"]),
        ("goff", ["Le Goff"]),
        # The names that start with the text first, then those where a later part does.
        ("le", ["LEFEBVRE", "Le Goff", "d'Artagnan-Lefèvre"]),
        # An account matched by two of its parts comes once.
        ("martin", ["Martin-Martinez"]),
        ("agnan", []),
    ],
)
def test_search_matches_the_start_of_any_part_ignoring_punctuation(
        store: Store, clock: FixedClock, text: str, names: list[str]) -> None:
    compound_names(store, clock)
    with store.read() as tx:
        assert [a.birth_name for a in tx.search_accounts(name_prefix=text)] == names
        assert [a.birth_name for a, _, _ in tx.search_with_state(name_prefix=text)] == names


def test_a_search_by_later_parts_stops_at_its_limit(store: Store, clock: FixedClock) -> None:
    compound_names(store, clock)
    with store.read() as tx:
        assert [a.birth_name for a in tx.search_accounts(name_prefix="le", limit=2)] == [
            "LEFEBVRE", "Le Goff"]
        assert [a.birth_name for a in tx.search_accounts(name_prefix="lef", limit=1)] == [
            "LEFEBVRE"]
        assert tx.search_accounts(nir="278072B03300742", name_prefix="diaye")[0].birth_name == (
            "N'Diaye")
        assert tx.search_accounts(nir="192049712001143", name_prefix="diaye") == []


def test_a_search_by_later_parts_gives_the_first_ones_in_order_up_to_its_limit(
        store: Store, clock: FixedClock) -> None:
    # 20 names start with «dur», 70 others have a later part that does (five of them by two
    # parts, and one also starts with it): a page of 50 is the 20, then the first 30 of the
    # later parts in that part's order, each space once.
    whole = [f"DUR{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(20)]
    later = [f"MARTIN-DUR{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(65)]
    twice = [f"LE-DURAN-DURAN{chr(65 + i)}" for i in range(5)]
    names = whole + later + twice + ["DURAND-DURANT"]
    with store.write() as tx:
        for number, name in enumerate(names):
            tx.insert_account(new_account(f"1850575115{number:05d}", name, at=clock.now()))
    expected_whole = sorted([*whole, "DURAND-DURANT"], key=lambda n: n.lower().replace("-", ""))
    by_part = sorted(
        [(n.split("-", 1)[1].lower(), n) for n in later]
        + [(n.split("-", 2)[2].lower(), n) for n in twice]  # their first matching part
    )
    expected = expected_whole + [n for _key, n in by_part][: 50 - len(expected_whole)]
    with store.read() as tx:
        assert [a.birth_name for a in tx.search_accounts(name_prefix="dur")] == expected
        assert [a.birth_name for a, _, _ in tx.search_with_state(name_prefix="dur")] == expected
    assert [hit[0].birth_name for hit in store.search_spaces(name_prefix="dur")] == expected
    with store.read() as tx:
        assert [a.birth_name for a in tx.search_accounts(name_prefix="duran", limit=200)] == [
            "DURAN", "DURAND-DURANT", "MARTIN-DURAN", *twice]


def test_search_by_accentless_case_insensitive_prefix(store: Store,
                                                      clock: FixedClock) -> None:
    with store.write() as tx:
        tx.insert_account(new_account("185057511512364", "LEFÈVRE", at=clock.now()))
        tx.insert_account(new_account("278072B03300742", "LEFEBVRE", at=clock.now()))
        tx.insert_account(new_account("192049712001143", "ŒUVRAY", at=clock.now()))
        tx.insert_account(new_account("170069935000525", "DUPONT", at=clock.now()))
    with store.read() as tx:
        assert [a.birth_name for a in tx.search_accounts(name_prefix="lefevre")] == ["LEFÈVRE"]
        assert [a.birth_name for a in tx.search_accounts(name_prefix="Lef")] == [
            "LEFEBVRE", "LEFÈVRE"]
        assert [a.birth_name for a in tx.search_accounts(name_prefix="oeu")] == ["ŒUVRAY"]
        assert tx.search_accounts(name_prefix="lefevres") == []
        assert [a.birth_name for a in tx.search_accounts(nir="170069935000525")] == ["DUPONT"]
        assert tx.search_accounts(nir="170069935000525", name_prefix="lef") == []
        assert len(tx.search_accounts(name_prefix="l", limit=1)) == 1


# -- tokens ---------------------------------------------------------------------------------


@pytest.fixture
def account_id(store: Store, clock: FixedClock) -> int:
    with store.write() as tx:
        return tx.insert_account(new_account(at=clock.now()))


def test_token_round_trip_and_latest(store: Store, clock: FixedClock,
                                     account_id: int) -> None:
    now = clock.now()
    with store.write() as tx:
        first = tx.insert_token(account_id, TokenPurpose.ACTIVATION, HASH_A, now,
                                now + timedelta(hours=24))
        second = tx.insert_token(account_id, TokenPurpose.ACTIVATION, HASH_B,
                                 now + timedelta(minutes=5), now + timedelta(hours=24, minutes=5))
        tx.insert_token(account_id, TokenPurpose.RESET, HASH_C, now + timedelta(minutes=9),
                        now + timedelta(minutes=39))
    with store.read() as tx:
        record = tx.token_by_hash(HASH_A)
        latest = tx.latest_token(account_id, TokenPurpose.ACTIVATION)
        assert tx.token_by_hash("d" * 64) is None
        assert tx.latest_token(account_id + 1, TokenPurpose.RESET) is None
    assert record is not None
    assert (record.id, record.account_id, record.purpose) == (first, account_id,
                                                              TokenPurpose.ACTIVATION)
    assert (record.issued_at, record.expires_at) == (now, now + timedelta(hours=24))
    assert record.used_at is None and record.revoked_at is None
    assert latest is not None and latest.id == second


def test_revoke_tokens_touches_only_live_tokens_of_that_purpose(
        store: Store, clock: FixedClock, account_id: int) -> None:
    now = clock.now()
    later = now + timedelta(minutes=1)
    with store.write() as tx:
        tx.insert_token(account_id, TokenPurpose.ACTIVATION, HASH_A, now, now + timedelta(days=1))
        tx.insert_token(account_id, TokenPurpose.ACTIVATION, HASH_B, now, now + timedelta(days=1))
        tx.insert_token(account_id, TokenPurpose.RESET, HASH_C, now, now + timedelta(days=1))
        assert tx.consume_token(HASH_B, TokenPurpose.ACTIVATION, now) == account_id
        tx.revoke_tokens(account_id, TokenPurpose.ACTIVATION, later)
    with store.read() as tx:
        a, b, c = (tx.token_by_hash(h) for h in (HASH_A, HASH_B, HASH_C))
    assert a is not None and a.revoked_at == later
    assert b is not None and b.revoked_at is None and b.used_at == now
    assert c is not None and c.revoked_at is None


def test_consume_token_succeeds_once(store: Store, clock: FixedClock,
                                     account_id: int) -> None:
    now = clock.now()
    with store.write() as tx:
        tx.insert_token(account_id, TokenPurpose.ACTIVATION, HASH_A, now, now + timedelta(days=1))
    with store.write() as tx:
        assert tx.consume_token(HASH_A, TokenPurpose.ACTIVATION, now) == account_id
    with store.write() as tx:
        assert tx.consume_token(HASH_A, TokenPurpose.ACTIVATION, now) is None
    with store.read() as tx:
        record = tx.token_by_hash(HASH_A)
    assert record is not None and record.used_at == now


def test_consume_token_expires_exactly_at_expires_at(store: Store, clock: FixedClock,
                                                     account_id: int) -> None:
    now = clock.now()
    expires = now + timedelta(hours=24)
    with store.write() as tx:
        tx.insert_token(account_id, TokenPurpose.ACTIVATION, HASH_A, now, expires)
        tx.insert_token(account_id, TokenPurpose.ACTIVATION, HASH_B, now, expires)
    with store.write() as tx:
        assert tx.consume_token(HASH_A, TokenPurpose.ACTIVATION, expires) is None
        assert tx.consume_token(HASH_B, TokenPurpose.ACTIVATION,
                                expires - timedelta(microseconds=1)) == account_id


def test_consume_token_refuses_revoked_other_purpose_and_unknown(
        store: Store, clock: FixedClock, account_id: int) -> None:
    now = clock.now()
    with store.write() as tx:
        tx.insert_token(account_id, TokenPurpose.ACTIVATION, HASH_A, now, now + timedelta(days=1))
        tx.insert_token(account_id, TokenPurpose.RESET, HASH_B, now, now + timedelta(days=1))
        tx.revoke_tokens(account_id, TokenPurpose.ACTIVATION, now)
    with store.write() as tx:
        assert tx.consume_token(HASH_A, TokenPurpose.ACTIVATION, now) is None
        assert tx.consume_token(HASH_B, TokenPurpose.ACTIVATION, now) is None
        assert tx.consume_token("d" * 64, TokenPurpose.RESET, now) is None
        assert tx.consume_token(HASH_B, TokenPurpose.RESET, now) == account_id


def test_a_token_is_consumed_once_across_threads(store: Store, clock: FixedClock,
                                                 account_id: int, make_store: Any) -> None:
    now = clock.now()
    with store.write() as tx:
        tx.insert_token(account_id, TokenPurpose.RESET, HASH_A, now, now + timedelta(hours=1))
    other: Store = make_store()  # as a second terminal would
    results: list[int | None] = []
    barrier = threading.Barrier(8)

    def attempt(target: Store) -> None:
        barrier.wait()
        with target.write() as tx:
            results.append(tx.consume_token(HASH_A, TokenPurpose.RESET, now))

    threads = [threading.Thread(target=attempt, args=(store if i % 2 else other,))
               for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results, key=lambda r: r is None) == [account_id] + [None] * 7


# -- throttling -----------------------------------------------------------------------------


def test_failure_state_round_trip_without_an_account(store: Store,
                                                     clock: FixedClock) -> None:
    nir = "278072B03300742"  # no account has it
    with store.read() as tx:
        assert tx.failure_state(nir) == FailureState(nir=nir)
    state = FailureState(nir=nir, failures=2, blocks=0, blocked_until=None,
                         last_failure_at=clock.now())
    with store.write() as tx:
        tx.save_failure_state(state)
    with store.read() as tx:
        assert tx.failure_state(nir) == state
    blocked = replace(state, failures=0, blocks=1,
                      blocked_until=clock.now() + timedelta(minutes=15))
    with store.write() as tx:
        tx.save_failure_state(blocked)
        tx.save_failure_state(FailureState(nir="185057511512364", failures=1))
    with store.read() as tx:
        assert tx.failure_state(nir) == blocked
    with store.write() as tx:
        tx.clear_failure_state(nir)
    with store.read() as tx:
        assert tx.failure_state(nir) == FailureState(nir=nir)
        assert tx.failure_state("185057511512364").failures == 1


def test_the_sign_in_reading_is_what_a_transaction_reads(store: Store,
                                                          clock: FixedClock) -> None:
    known, unknown = "185057511512364", "278072B03300742"
    # No space, no counter: nothing found, a fresh counter, no poste.
    assert store.sign_in_reading(unknown) == (None, FailureState(nir=unknown), None)
    with store.write() as tx:
        tx.insert_account(new_account(known, at=clock.now()))
    with store.read() as tx:
        account = tx.account_by_nir(known)
    assert account is not None
    assert store.sign_in_reading(known) == (account, FailureState(nir=known), None)
    # A counter kept for each, with or without a space.
    counted = FailureState(nir=known, failures=2, blocks=1, last_failure_at=clock.now(),
                           blocked_until=clock.now() + timedelta(minutes=15))
    with store.write() as tx:
        tx.save_failure_state(counted)
        tx.save_failure_state(FailureState(nir=unknown, failures=1))
    assert store.sign_in_reading(known) == (account, counted, None)
    assert store.sign_in_reading(unknown) == (None, FailureState(nir=unknown, failures=1), None)


# -- outbox, events, meta -------------------------------------------------------------------


def test_meta_round_trip_and_db_id(store: Store) -> None:
    with store.write() as tx:
        tx.set_meta("demo_offset", "0")
        tx.set_meta("demo_offset", "86400")
    with store.read() as tx:
        assert tx.get_meta("demo_offset") == "86400"
        assert tx.get_meta("absent") is None
        db_id = tx.get_meta("db_id")
    assert db_id is not None and len(db_id) == 32 and int(db_id, 16) >= 0


def test_mail_round_trip_newest_first_and_count(store: Store, clock: FixedClock) -> None:
    now = clock.now()
    first = MailMessage(recipient="a@example.fr", subject="Activez votre espace",
                        body="Bonjour,\n« lien »", sent_at=now, kind="activation",
                        link="ensap-tui://activer/jetontest000000000001", nir="185057511512364")
    second = MailMessage(recipient="a@example.fr", subject="Réinitialisation", body="…",
                         sent_at=now + timedelta(minutes=10), kind="reset",
                         nir="185057511512364")
    with store.write() as tx:
        first_id = tx.add_mail(first)
        second_id = tx.add_mail(second)
        third = replace(second, nir="278072B03300742")
        third_id = tx.add_mail(third)
    with store.read() as tx:
        assert tx.list_mail() == [replace(third, id=third_id), replace(second, id=second_id),
                                  replace(first, id=first_id)]
        assert len(tx.list_mail(limit=1)) == 1
        assert tx.count_mail("185057511512364", "reset", now) == 1
        assert tx.count_mail("185057511512364", "reset", now + timedelta(minutes=10)) == 1
        assert tx.count_mail("185057511512364", "reset", now + timedelta(minutes=11)) == 0
        assert tx.count_mail("185057511512364", "activation", now) == 1


def test_events_round_trip_newest_first_and_by_nir(store: Store, clock: FixedClock) -> None:
    now = clock.now()
    events = [Event(at=now + timedelta(seconds=i), kind=f"k{i}",
                    nir="185057511512364" if i % 2 else "", actor="Agent Dupont", detail="d")
              for i in range(4)]
    with store.write() as tx:
        ids = [tx.add_event(e) for e in events]
    with store.read() as tx:
        assert tx.list_events() == [replace(e, id=i) for e, i in reversed(list(zip(events, ids,
                                                                                    strict=True)))]
        assert [e.kind for e in tx.list_events(nir="185057511512364")] == ["k3", "k1"]
        assert [e.kind for e in tx.list_events(limit=1)] == ["k3"]


def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(ValueError), store.write() as tx:
        tx.add_event(Event(at=datetime(2026, 1, 1), kind="k"))


# -- locking and threads --------------------------------------------------------------------


def test_concurrent_writers_do_not_lose_updates(make_store: Any) -> None:
    first: Store = make_store()
    second: Store = make_store()

    def bump(target: Store) -> None:
        for _ in range(40):
            with target.write() as tx:
                tx.set_meta("counter", str(int(tx.get_meta("counter") or "0") + 1))

    threads = [threading.Thread(target=bump, args=(s,)) for s in (first, first, second, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with first.read() as tx:
        assert tx.get_meta("counter") == "160"


def test_closed_store_refuses_work(make_store: Any) -> None:
    store: Store = make_store()
    store.close()
    with pytest.raises(StoreError), store.read():
        pass


def test_a_finished_threads_connection_serves_the_next_thread(store: Any) -> None:
    # Thread workers come and go: each must not cost a new connection (a log-in on a server).
    used: list[Any] = []

    def read_once() -> None:
        with store.read() as tx:
            tx.get_meta("db_id")
        used.append(store._local.connection)

    for _ in range(6):
        worker = threading.Thread(target=read_once)
        worker.start()
        worker.join()
    assert all(conn is used[0] for conn in used)
    # Two at once get two connections; once both are done, at most IDLE_CONNECTIONS are kept.
    gate = threading.Barrier(2)

    def read_together() -> None:
        with store.read() as tx:
            gate.wait(timeout=30)
            tx.get_meta("db_id")
        used.append(store._local.connection)

    pair = [threading.Thread(target=read_together) for _ in range(2)]
    for worker in pair:
        worker.start()
    for worker in pair:
        worker.join()
    assert used[-1] is not used[-2]
    store.close()
    with pytest.raises(StoreError):
        store.peek_meta("db_id")
