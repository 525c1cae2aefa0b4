"""Issue 9, point 2: a stored value the store cannot read (a timestamp that is not ISO after a
manual edit, a damaged restore) is a typed error naming the table, the row and the column; a
list leaves the row out, keeps the others and hands over what it left out. On each engine (the
``database`` fixture): the rows are read back by the code both share."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.adapters.tokens import SequenceTokenSource
from ensap_tui.services.container import Services
from ensap_tui.services.damage import damaged_text, left_out_text
from ensap_tui.services.ports import DamagedRecord
from tests.hardening.support import PASSWORDS, person
from tests.support.engines import Database

NOT_ISO = "lundi dernier"


@pytest.fixture
def two_people(database: Database) -> Iterator[Services]:
    """Two pending spaces, two mails, two agents; the first of each is then damaged."""
    built = database.open_services(
        clock=FixedClock(datetime.now(UTC)), token_source=SequenceTokenSource()
    )
    for number in (1, 2):
        built.registration.register(person(number).request())
        built.agents.add(f"agent{number}", PASSWORDS[1], PASSWORDS[1])
    for table, column, where in (
        ("accounts", "created_at", f"nir = '{person(1).nir}'"),
        ("agents", "created_at", "name = 'agent1'"),
        ("outbox", "sent_at", f"nir = '{person(1).nir}'"),
    ):
        with database.checks() as checks:  # a manual edit from another program
            placeholder = "%s" if database.is_postgres else "?"
            checks.conn.execute(
                f"UPDATE {table} SET {column} = {placeholder} WHERE {where}", (NOT_ISO,)
            )
            if not database.is_postgres:
                checks.conn.commit()
    yield built
    built.close()


def row_id(database: Database, table: str, where: str) -> int:
    return int(database.scalar(f"SELECT id FROM {table} WHERE {where}"))


def test_one_record_names_the_table_the_row_and_the_column(
    database: Database, two_people: Services
) -> None:
    first = row_id(database, "accounts", f"nir = '{person(1).nir}'")
    store = database.open_store()
    try:
        with store.read() as tx, pytest.raises(DamagedRecord) as caught:
            tx.account_by_nir(person(1).nir)
    finally:
        store.close()
    error = caught.value
    assert (error.table, error.row, error.column, error.nir) == (
        "accounts", first, "created_at", person(1).nir
    )
    assert str(error).startswith("Une ligne de la base de données est endommagée")
    assert damaged_text(error).startswith(
        f"Cet espace est endommagé dans la base de données (table «\u00a0accounts\u00a0», "
        f"ligne {first})"
    )


def test_a_list_keeps_the_other_rows_and_hands_over_the_one_left_out(
    database: Database, two_people: Services
) -> None:
    first = row_id(database, "accounts", f"nir = '{person(1).nir}'")
    store = database.open_store()
    try:
        with store.read() as tx:
            listed = tx.list_accounts()
        assert [account.nir for account in listed] == [person(2).nir]
        assert [(e.table, e.row) for e in store.take_damaged()] == [("accounts", first)]
        assert store.take_damaged() == []  # handed over once
    finally:
        store.close()


def test_the_services_lists_show_the_others(two_people: Services) -> None:
    assert [m.recipient for m in two_people.mailbox.messages()] == [person(2).email]
    assert [a.name for a in two_people.agents.list()] == ["agent2"]
    left_out = two_people.take_damaged()
    assert sorted(e.table for e in left_out) == ["agents", "outbox"]
    assert left_out_text(left_out).startswith("1 courriel endommagé n'est pas affiché")


def test_the_help_desk_search_leaves_out_a_damaged_space_and_hands_it_over(
    database: Database, two_people: Services
) -> None:
    # The search is one statement outside any transaction (Store.search_spaces): what it
    # leaves out is handed over as from any list.
    first = row_id(database, "accounts", f"nir = '{person(1).nir}'")
    assert two_people.assistance.search(person(1).nir) == []
    assert [(e.table, e.row) for e in two_people.take_damaged()] == [("accounts", first)]
    assert [s.account.nir for s in two_people.assistance.search(person(2).nir)] == [
        person(2).nir]
    assert two_people.take_damaged() == []
