"""Issue 10, finding 5 (a stored timestamp that is not ISO): every help-desk command that reads
the damaged row ends with a French message naming it and a non-zero exit, never a traceback;
a list that leaves a damaged row out says so and fails, rather than passing an incomplete list
(or «Aucun agent») for the whole one."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from ensap_tui.services.container import Services
from tests.support.accounts import active_person, block, register
from tests.support.people import AGENT, AGENT_PASSWORD, NIR, OTHER_NIR, OTHER_REQUEST
from tests.support.programs import run_main as run

NB = "\u00a0"


@pytest.fixture(autouse=True)
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    monkeypatch.setenv("COLUMNS", "200")
    yield
    keyring.set_keyring(previous)


def damage(db: Path, sql: str) -> None:
    """Writes a value the program cannot read, as a manual edit or a bad restore would."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(sql)
    conn.close()


@pytest.fixture
def people(services: Services, db_path: Path) -> Path:
    register(services)  # NIR: pending, with an activation mail
    active_person(services, OTHER_REQUEST)
    block(services, OTHER_NIR)
    services.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD)
    return db_path


def test_agent_list_with_its_only_agent_damaged_does_not_say_there_is_none(
        capsys: pytest.CaptureFixture[str], people: Path) -> None:
    damage(people, "UPDATE agents SET created_at = 'hier'")
    code, out, err = run(capsys, people, "agent", "list")
    assert code == 1, (out, err)
    assert f"1 agent endommagé n'est pas affiché (table «{NB}agents{NB}», ligne 1)" in err
    code, out, err = run(capsys, people, "agent", "list", "--json")
    assert code == 1 and "agent endommagé" in err and out.strip() == "[]"


@pytest.mark.parametrize(
    ("sql", "argv", "table"),
    [
        ("INSERT INTO events (at, kind) VALUES ('zz', 'sign-in')", ("events",),
         "événement endommagé"),
        ("UPDATE outbox SET sent_at = 'zz' WHERE id = 1", ("outbox",), "courriel endommagé"),
        ("UPDATE accounts SET created_at = 'hier' WHERE nir = '" + NIR + "'",
         ("accounts", "list"), "espace endommagé"),
    ],
    ids=["events", "outbox", "accounts list"],
)
def test_a_list_that_leaves_a_damaged_row_out_says_so_and_fails(
        capsys: pytest.CaptureFixture[str], people: Path, sql: str, argv: tuple[str, ...],
        table: str) -> None:
    damage(people, sql)
    code, out, err = run(capsys, people, *argv)
    assert code == 1, (out, err)
    assert err.startswith(f"ensap-tui{NB}: ") and table in err, err
    assert "Les autres sont affichés." in err


@pytest.mark.parametrize(
    ("sql", "argv"),
    [
        ("UPDATE accounts SET created_at = 'hier' WHERE nir = '" + NIR + "'",
         ("accounts", "show", NIR)),
        ("UPDATE accounts SET last_sign_in_at = 'pas une date' WHERE nir = '" + OTHER_NIR + "'",
         ("accounts", "show", OTHER_NIR)),
        ("UPDATE login_failures SET blocked_until = 'demain'",
         ("accounts", "unlock", OTHER_NIR)),
    ],
    ids=["show created", "show last sign-in", "unlock"],
)
def test_a_command_on_a_damaged_row_names_it_in_french(
        capsys: pytest.CaptureFixture[str], people: Path, sql: str,
        argv: tuple[str, ...]) -> None:
    damage(people, sql)
    code, out, err = run(capsys, people, *argv)
    assert code == 1, (out, err)
    assert err.startswith(f"ensap-tui{NB}: ") and "endommagée" in err, err
