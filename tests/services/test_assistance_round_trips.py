"""The help desk's search on each engine (the ``database`` fixture): one statement per search,
so one round trip to a PostgreSQL server (no ``BEGIN``/``COMMIT`` around it, no second query for
the postes' clocks or the later parts of compound names). The same for what a sign-in reads
before verifying the password."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest

from ensap_tui.services.container import Services
from tests.adapters.store_support import new_account
from tests.support.engines import Database

AT = datetime(2026, 11, 26, 13, 2, tzinfo=UTC)


@pytest.fixture
def services(database: Database) -> Iterator[Services]:
    opened = database.open_services()
    yield opened
    opened.close()


@contextmanager
def round_trips(database: Database, services: Services) -> Iterator[list[int]]:
    """Counts, into the list it gives once the block has ended, what this thread's connection
    of the store waited for in the block: the statements SQLite ran, or the server's answers
    (ReadyForQuery) in libpq's trace of the protocol (written out when the trace ends)."""
    conn = services.store._connection()  # type: ignore[attr-defined]  # the store's own
    counted: list[int] = []
    if not database.is_postgres:
        statements: list[str] = []
        conn.set_trace_callback(statements.append)
        try:
            yield counted
        finally:
            conn.set_trace_callback(None)
        counted.append(len(statements))
        return
    from psycopg import pq

    with tempfile.TemporaryFile("w+") as trace:
        conn.pgconn.trace(trace.fileno())
        conn.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            yield counted
        finally:
            conn.pgconn.untrace()
        trace.seek(0)
        counted.append(sum("\tReadyForQuery" in line for line in trace.read().splitlines()))


@pytest.mark.parametrize("text", ["dupont", "lefevre", "DUPONT-LEF", "185057511512364"])
def test_a_search_is_one_statement(database: Database, services: Services, text: str) -> None:
    with services.store.write() as tx:
        tx.insert_account(new_account("185057511512364", "DUPONT", at=AT))
        tx.insert_account(new_account("278072B03300742", "Dupont-Lefèvre", at=AT))
        tx.insert_account(new_account("192049712001143", "LEFÈVRE", at=AT))
    services.assistance.search(text)  # the connection is warm: nothing more on the first
    with round_trips(database, services) as counted:
        found = services.assistance.search(text)
    assert counted == [1]
    assert found


@pytest.mark.parametrize("nir", ["185057511512364", "278072B03300742"])
def test_a_sign_in_reads_in_one_statement_before_the_password(
        database: Database, services: Services, nir: str) -> None:
    # With a space or without (the same statement: the time tells nothing), the account, the
    # counter and the poste's clock come in one round trip, then argon2 runs, then the write.
    from ensap_tui.services.signin import PersonDoor

    with services.store.write() as tx:
        tx.insert_account(new_account("185057511512364", "DUPONT", at=AT))
    door = PersonDoor(nir, real_clock=services.clock)
    door.first_reading(services.store, AT)  # the connection is warm
    with round_trips(database, services) as counted:
        subject, kept, at = door.first_reading(services.store, AT)
    assert counted == [1]
    assert (subject is not None) == (nir == "185057511512364")
    assert (kept.nir, kept.failures, at) == (nir, 0, AT)
