"""What only the SQLite store has, against real files: its name keys and query plans, its
append-only triggers, its time format, locking, its connections, backups. The contract both
engines share is in ``test_store_contract.py``."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.adapters.name_keys import part_keys
from ensap_tui.adapters.sqlite_store import BUSY_MESSAGE, SqliteStore, name_key
from ensap_tui.services.models import (
    Event,
)
from ensap_tui.services.ports import StoreBusyError, StoreError
from tests.adapters.store_support import compound_names, new_account

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def store(db_path: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore(db_path)
    yield opened
    opened.close()


def raw(db_path: Path) -> sqlite3.Connection:
    """A separate plain connection, as another program would open the file."""
    return sqlite3.connect(db_path, isolation_level=None, timeout=0.1)


# -- search ---------------------------------------------------------------------------------


def test_name_key_strips_accents_case_ligatures_and_punctuation() -> None:
    assert name_key("LEFÈVRE") == "lefevre"
    assert name_key("Œuvray-Müller") == "oeuvraymuller"
    assert name_key("D’ARTAGNAN") == name_key("d'Artagnan") == name_key("d artagnan")
    assert name_key("N'Diaye") == "ndiaye"
    assert name_key("Le Goff") == "legoff"


def test_part_keys_start_at_each_later_part() -> None:
    assert part_keys("d'Artagnan-Lefèvre") == ["artagnanlefevre", "lefevre"]
    assert part_keys("Martin-Martin") == ["martin"]
    assert part_keys("LEFÈVRE") == []


def test_deleting_an_account_deletes_its_part_keys(store: SqliteStore, clock: FixedClock,
                                                   db_path: Path) -> None:
    compound_names(store, clock)
    with store.write() as tx:
        account = tx.search_accounts(name_prefix="dartagnan")[0]
        tx.delete_account(account.id)
    with store.read() as tx:
        assert tx.search_accounts(name_prefix="lefevre") == []
    parts = raw(db_path).execute("SELECT part_key FROM account_name_parts ORDER BY 1").fetchall()
    assert [p[0] for p in parts] == ["diaye", "goff", "martinez"]


def test_name_search_reads_one_covering_index_in_order(store: SqliteStore, db_path: Path) -> None:
    statements: list[str] = []
    # The store's own connection for this thread (private on purpose: we inspect its SQL).
    store._connection().set_trace_callback(statements.append)
    with store.read() as tx:
        tx.search_accounts(name_prefix="lefevre")
        tx.search_with_state(name_prefix="lefevre")
    store.search_spaces(name_prefix="lefevre")
    store._connection().set_trace_callback(None)
    # One statement per search: the whole names, then (fewer than 50 found, none here) the
    # later parts.
    queries = [s for s in statements if "name_key" in s]
    assert len(queries) == 3
    assert all("account_name_parts" in query for query in queries)
    for query in queries:
        plan = " ".join(str(row[3]) for row in raw(db_path).execute("EXPLAIN QUERY PLAN " + query))
        # The whole names from the index alone (no read of the table, the space's poste
        # included: migration 7), the later parts from their primary key, each in its order
        # (no sort).
        assert "SEARCH a USING COVERING INDEX accounts_by_name (name_key>? AND name_key<?)" in (
            plan), plan
        assert "SEARCH p USING PRIMARY KEY (part_key>? AND part_key<?)" in plan, plan
        assert "TEMP B-TREE" not in plan


# -- tokens ---------------------------------------------------------------------------------


# -- outbox, events, meta -------------------------------------------------------------------


def test_events_cannot_be_updated_or_deleted(store: SqliteStore, clock: FixedClock,
                                             db_path: Path) -> None:
    with store.write() as tx:
        tx.add_event(Event(at=clock.now(), kind="connexion", nir="185057511512364"))
    other = raw(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        other.execute("UPDATE events SET detail = 'effacé'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        other.execute("DELETE FROM events")
    other.close()
    with store.read() as tx:
        assert [(e.kind, e.detail) for e in tx.list_events()] == [("connexion", "")]


def test_meta_round_trip_and_db_id(store: SqliteStore, tmp_path: Path) -> None:
    with store.write() as tx:
        tx.set_meta("demo_offset", "0")
        tx.set_meta("demo_offset", "86400")
    with store.read() as tx:
        assert tx.get_meta("demo_offset") == "86400"
        assert tx.get_meta("absent") is None
        db_id = tx.get_meta("db_id")
    assert db_id is not None and len(db_id) == 32 and int(db_id, 16) >= 0
    other = SqliteStore(tmp_path / "autre.sqlite3")
    with other.read() as tx:
        assert tx.get_meta("db_id") != db_id
    other.close()


def test_times_are_stored_as_fixed_width_utc_text(store: SqliteStore, db_path: Path) -> None:
    at = datetime(2026, 3, 29, 3, 30, 5, 7, tzinfo=PARIS)  # just after the spring change
    with store.write() as tx:
        tx.add_event(Event(at=at, kind="k"))
    (stored,) = raw(db_path).execute("SELECT at FROM events").fetchone()
    assert stored == "2026-03-29T01:30:05.000007Z"
    with store.read() as tx:
        (event,) = tx.list_events()
    assert event.at == at and event.at.tzinfo == UTC


# -- locking and threads --------------------------------------------------------------------


def test_a_locked_database_gives_a_busy_error_then_works(db_path: Path) -> None:
    store = SqliteStore(db_path, busy_timeout_ms=20, busy_attempts=2)
    holder = raw(db_path)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreBusyError) as caught, store.write() as tx:
            tx.set_meta("k", "v")
        assert str(caught.value) == BUSY_MESSAGE
        with store.read() as tx:  # WAL: readers are not blocked by the writer
            assert tx.get_meta("db_id")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with store.write() as tx:
        tx.set_meta("k", "v")
    store.close()


def test_a_write_waiting_for_the_lock_keeps_looking_and_gets_it_once_freed(db_path: Path) -> None:
    # SQLite's own busy handler looks at the lock once in 100 ms after a quarter of a second:
    # among many writers (a training room's postes) a long waiter kept missing the free
    # moments and failed after 5 s. The store looks again every few milliseconds instead; the
    # other program here frees the lock only once the store has asked for it 10 times.
    store = SqliteStore(db_path)
    holder = raw(db_path)
    holder.execute("BEGIN IMMEDIATE")
    asked: list[str] = []
    asked_enough = threading.Event()
    outcome: list[BaseException | None] = []
    timeouts: list[int] = []

    def counted(statement: str) -> None:
        if statement == "BEGIN IMMEDIATE":
            asked.append(statement)
            if len(asked) >= 10:
                asked_enough.set()

    def write() -> None:
        conn = store._connection()
        conn.set_trace_callback(counted)
        try:
            with store.write() as tx:
                tx.set_meta("k", "v")
        except BaseException as error:
            outcome.append(error)
        else:
            outcome.append(None)
        timeouts.append(conn.execute("PRAGMA busy_timeout").fetchone()[0])

    writer = threading.Thread(target=write)
    writer.start()
    try:
        # Well within the 5 s busy timeout, which SQLite's handler would have spent waiting
        # inside one single BEGIN IMMEDIATE.
        assert asked_enough.wait(timeout=4.0), f"asked {len(asked)} time(s) only"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        writer.join()
    assert outcome == [None]
    with store.read() as tx:
        assert tx.get_meta("k") == "v"
    # The connection keeps the 5 s busy timeout for everything else.
    assert timeouts == [5000]
    store.close()


def test_connections_of_finished_threads_are_closed(store: SqliteStore) -> None:
    def read_once() -> None:
        with store.read() as tx:
            tx.get_meta("db_id")

    for _ in range(10):
        t = threading.Thread(target=read_once)
        t.start()
        t.join()
    read_once()
    # Only the open one (this thread) and at most the last finished one are kept.
    assert len(store._connections) <= 2


def test_connections_use_the_required_settings(store: SqliteStore) -> None:
    conn = store._connection()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


# -- backup ---------------------------------------------------------------------------------


def test_backup_copies_everything_into_a_private_file(store: SqliteStore, clock: FixedClock,
                                                      tmp_path: Path) -> None:
    with store.write() as tx:
        tx.insert_account(new_account(at=clock.now()))
    target = tmp_path / "copie.sqlite3"
    store.backup_to(target)
    assert target.stat().st_mode & 0o777 == 0o600
    copy = SqliteStore(target)
    with copy.read() as tx, store.read() as mine:
        assert tx.account_by_nir("185057511512364") == mine.account_by_nir("185057511512364")
        assert tx.get_meta("db_id") == mine.get_meta("db_id")
    copy.close()
    with pytest.raises(StoreError, match="existe déjà"):
        store.backup_to(target)
