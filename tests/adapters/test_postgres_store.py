"""The PostgreSQL store on the real test server: what differs from SQLite (connections, the
write lock, a server that drops connections), the shared operations being in the contract
tests of ``test_sqlite_store.py``, run over both engines."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import psycopg
import pytest

from ensap_tui.adapters.postgres_store import BUSY_MESSAGE, WRITE_LOCK, PostgresStore
from ensap_tui.services.ports import StoreBusyError, StoreError


@pytest.fixture
def store(postgres_url: str) -> Iterator[PostgresStore]:
    opened = PostgresStore(postgres_url)
    yield opened
    opened.close()


def _terminate_store_connections(url: str) -> int:
    """Ends every connection ensap-tui has open to the database of ``url``, as a server
    restart or an administrator would."""
    with psycopg.connect(url, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = 'ensap-tui'"
        ).fetchall()
    return len(rows)


def test_a_writer_waits_its_turn_then_says_busy(postgres_url: str) -> None:
    store = PostgresStore(postgres_url, busy_timeout_ms=50)
    try:
        with psycopg.connect(postgres_url, autocommit=True) as holder:
            holder.execute("BEGIN")
            holder.execute("SELECT pg_advisory_xact_lock(%s, %s)", WRITE_LOCK)
            with pytest.raises(StoreBusyError) as caught, store.write() as tx:
                tx.set_meta("k", "v")
            assert str(caught.value) == BUSY_MESSAGE
            with store.read() as tx:  # readers are not held up by a writer
                assert tx.get_meta("db_id")
            holder.execute("ROLLBACK")
        with store.write() as tx:
            tx.set_meta("k", "v")
        with store.read() as tx:
            assert tx.get_meta("k") == "v"
    finally:
        store.close()


def test_a_writer_that_vanished_inside_its_transaction_does_not_keep_the_write_lock(
        postgres_url: str) -> None:
    """A poste lost from the network in the middle of a write (no TCP reset reaches the
    server) holds the one write lock: the server ends its transaction once it has waited for
    that client longer than the store's limit, and the other machines write again. Here the
    client is a thread that stops talking inside ``write()``."""
    lost = PostgresStore(postgres_url, idle_in_transaction_ms=300)
    other = PostgresStore(postgres_url, busy_timeout_ms=100)
    inside, leave = threading.Event(), threading.Event()

    def vanish() -> None:
        with pytest.raises(StoreError), lost.write() as tx:
            tx.set_meta("perdu", "1")
            inside.set()
            leave.wait(60)  # says nothing more to the server, as a vanished poste
            tx.set_meta("perdu", "2")

    holder = threading.Thread(target=vanish)
    holder.start()
    try:
        assert inside.wait(30)
        for _attempt in range(600):  # each attempt waits up to the busy timeout (100 ms)
            try:
                with other.write() as tx:
                    tx.set_meta("après", "1")
                break
            except StoreBusyError:
                continue
        else:
            pytest.fail("the vanished writer's transaction kept the write lock")
        with other.read() as tx:
            assert (tx.get_meta("perdu"), tx.get_meta("après")) == (None, "1")
    finally:
        leave.set()
        holder.join(60)
        lost.close()
        other.close()


def test_concurrent_writers_do_not_lose_updates(postgres_url: str) -> None:
    first = PostgresStore(postgres_url)
    second = PostgresStore(postgres_url)

    def bump(target: PostgresStore) -> None:
        for _ in range(25):
            with target.write() as tx:
                tx.set_meta("counter", str(int(tx.get_meta("counter") or "0") + 1))

    threads = [threading.Thread(target=bump, args=(s,)) for s in (first, first, second, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with first.read() as tx:
        assert tx.get_meta("counter") == "100"
    first.close()
    second.close()


def test_a_connection_the_server_ended_is_replaced(store: PostgresStore,
                                                   postgres_url: str) -> None:
    with store.write() as tx:
        tx.set_meta("avant", "1")
    assert _terminate_store_connections(postgres_url) >= 1
    with store.read() as tx:  # a new connection, transparently: nothing was pending
        assert tx.get_meta("avant") == "1"
    with store.write() as tx:
        tx.set_meta("après", "2")
    assert store.peek_meta("après") == "2"


def test_a_peek_after_the_server_ended_the_connection_is_made_on_a_new_one(
        store: PostgresStore, postgres_url: str) -> None:
    """The demo's and a poste's clocks peek before every operation: after a server restart
    their first reading must not fail an operation that had nothing pending."""
    with store.write() as tx:
        tx.set_meta("avant", "1")
    assert _terminate_store_connections(postgres_url) >= 1
    assert store.peek_meta("avant") == "1"
    with store.read() as tx:
        assert tx.get_meta("avant") == "1"


def test_a_connection_lost_inside_a_transaction_loses_only_that_transaction(
        store: PostgresStore, postgres_url: str) -> None:
    with pytest.raises(StoreError) as caught, store.write() as tx:
        tx.set_meta("perdu", "1")
        _terminate_store_connections(postgres_url)
        tx.set_meta("perdu", "2")
    assert "La connexion au serveur PostgreSQL" in str(caught.value)
    assert "n'a pas été enregistrée" in str(caught.value)
    with store.read() as tx:
        assert tx.get_meta("perdu") is None


def test_a_peek_inside_a_transaction_whose_connection_was_lost_is_not_made_elsewhere(
        store: PostgresStore, postgres_url: str) -> None:
    """Inside a transaction a peek reads that transaction's state: on a lost connection it
    fails with the transaction, never quietly reading from another connection."""
    with pytest.raises(StoreError) as caught, store.write() as tx:
        tx.set_meta("perdu", "1")
        _terminate_store_connections(postgres_url)
        store.peek_meta("db_id")
    assert "La connexion au serveur PostgreSQL" in str(caught.value)
    with store.read() as tx:
        assert tx.get_meta("perdu") is None


def test_the_location_and_every_error_hide_the_password(postgres_url: str) -> None:
    store = PostgresStore(postgres_url)
    try:
        password = psycopg.conninfo.conninfo_to_dict(postgres_url).get("password")
        assert password
        assert str(password) not in store.location
        assert "***" in store.location
    finally:
        store.close()


def test_a_closed_store_refuses_work(postgres_url: str) -> None:
    store = PostgresStore(postgres_url)
    store.close()
    with pytest.raises(StoreError), store.read():
        pass


def test_a_bad_url_is_a_store_error_in_french() -> None:
    with pytest.raises(StoreError, match="n'est pas valable"):
        PostgresStore("postgresql://u:pw@h:99999/db")


def test_connections_of_finished_threads_are_closed(store: PostgresStore) -> None:
    def read_once() -> None:
        with store.read() as tx:
            tx.get_meta("db_id")

    for _ in range(5):
        t = threading.Thread(target=read_once)
        t.start()
        t.join()
    read_once()
    assert len(store._connections) <= 2


def test_the_name_search_is_an_index_only_scan_of_the_covering_index(
        store: PostgresStore, postgres_url: str) -> None:
    from datetime import UTC, date, datetime

    from psycopg import sql as sql_

    from ensap_tui.adapters.sql_store import _search_statement, to_pyformat
    from ensap_tui.services.models import Contacts, NewAccount

    at = datetime(2026, 11, 26, 13, 2, tzinfo=UTC)
    with store.write() as tx:
        for number in range(2000):
            letters = "".join(chr(ord("A") + (number // 26**k) % 26) for k in range(4))
            tx.insert_account(NewAccount(
                nir=f"1850575115{number:05d}", birth_name=f"{letters}EAU", password_hash="x",
                birth_date=date(1985, 5, 17), contacts=Contacts("a@example.fr", "", "", ""),
                created_at=at,
            ))
    def generic_plan(with_state: bool) -> str:
        sql, params = _search_statement(with_state, None, "bca", 50, "postgresql")
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE accounts")
            # As the store plans it: once, for any values (see postgres_store.connect).
            conn.execute("SET plan_cache_mode = force_generic_plan")
            conn.execute(to_pyformat(sql), params, prepare=True)
            row = conn.execute(
                "SELECT name, parameter_types FROM pg_prepared_statements").fetchone()
            assert row is not None
            name, types = row
            # the statement's parameters, in the order they first appear in it
            assert len(types) == 3, types
            values = sql_.SQL(", ").join(
                sql_.Literal(params[key]) for key in ("key", "upper", "limit"))
            return "\n".join(
                str(line[0]) for line in conn.execute(
                    sql_.SQL("EXPLAIN EXECUTE {}({})").format(sql_.Identifier(name), values)
                ).fetchall()
            )

    # The whole names from the covering index alone, in its order (no sort); the later parts
    # from their primary key, in its order.
    plan = generic_plan(with_state=False)
    assert "Index Only Scan using accounts_by_name on accounts a " in plan, plan
    assert "Index Scan using account_name_parts_pkey" in plan, plan
    assert "Sort" not in plan, plan
    # The help desk's search too, with each space's poste (migration 7), and the newest link
    # of a pending space from a backward scan of the tokens' index, not sorted (migration 8).
    plan = generic_plan(with_state=True)
    assert "Index Only Scan using accounts_by_name on accounts a " in plan, plan
    assert "Index Scan Backward using tokens_newest on tokens t" in plan, plan
    # Each space's throttling state from the primary key, not a scan of the table per space.
    assert "Index Scan using login_failures_pkey on login_failures l" in plan, plan
    assert "Seq Scan on login_failures" not in plan, plan
    assert "Sort" not in plan, plan
    with store.read() as tx:
        found = tx.search_accounts(name_prefix="bca")
    assert found and all(a.birth_name.startswith("BCA") for a in found)
    # 77 names start with «b»: the whole names fill the page, and the server stops there,
    # without reading the later parts (nor counting the whole names again).
    sql, params = _search_statement(True, None, "b", 50, "postgresql")
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("SET max_parallel_workers_per_gather = 0")  # as the store's connections
        plan = "\n".join(str(line[0]) for line in conn.execute(
            "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + to_pyformat(sql), params
        ).fetchall())
    assert "Index Only Scan using accounts_by_name on accounts a (actual rows=50 " in plan, plan
    assert "Subquery Scan on later (never executed)" in plan, plan
    assert "Aggregate" not in plan, plan


def test_the_store_s_connections_plan_nothing_in_parallel(store: PostgresStore) -> None:
    # The name search takes the first rows of a UNION ALL, whose halves a parallel append
    # could mix.
    row = store._connection().execute("SHOW max_parallel_workers_per_gather").fetchone()
    assert row == ("0",)


def test_a_prepared_statement_keeps_its_generic_plan(store: PostgresStore) -> None:
    # psycopg prepares a statement at its fifth run; the server then plans it once, not at
    # every run for that run's values (a millisecond for the help desk's search).
    for text in ("lef", "mar", "du", "bo", "lefe", "martin", "d", "le"):
        store.search_spaces(name_prefix=text)
    rows = store._connection().execute(
        "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
        "WHERE statement LIKE %s", ("%account_name_parts%",)
    ).fetchall()
    assert len(rows) == 1
    generic, custom = rows[0]
    assert custom == 0 and generic >= 3, rows[0]
