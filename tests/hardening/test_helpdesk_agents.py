"""Issue 10, findings 6, 7 and 8: a blocked agent can be unblocked, agent names cannot look
alike, and the journal says who really acted from the command line."""

from __future__ import annotations

import getpass
import hashlib
import io
import json
import sqlite3
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.adapters.migrations import MIGRATIONS
from ensap_tui.adapters.sqlite_store import SqliteStore
from ensap_tui.adapters.tokens import SequenceTokenSource
from ensap_tui.bootstrap import Settings, open_services
from ensap_tui.domain.errors import FieldError
from ensap_tui.services import events
from ensap_tui.services.container import Services
from ensap_tui.services.errors import UnknownAgent, ValidationFailed
from ensap_tui.services.models import SignInStatus
from tests.support.people import NIR, REQUEST
from tests.support.programs import run_main as run

AGENT = "martin"
PASSWORD = "Guichet#Aide2026"
WRONG = "Mauvais#Passe1"
NB = "\u00a0"


@pytest.fixture(autouse=True)
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    monkeypatch.setenv("COLUMNS", "200")
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def now_services(db_path: Path) -> Iterator[Services]:
    """Services at the real time: the command line reads the same blocks."""
    built = open_services(
        db_path, clock=FixedClock(datetime.now(UTC)), token_source=SequenceTokenSource(),
        settings=Settings.for_tests(),
    )
    yield built
    built.close()


def block_agent(services: Services, name: str = AGENT) -> datetime:
    for _ in range(3):
        result = services.agents.sign_in(name, WRONG)
    assert result.status is SignInStatus.BLOCKED and result.blocked_until is not None
    return result.blocked_until


# -- finding 6: a blocked agent can be unblocked ---------------------------------------------


def test_agent_unlock_lifts_the_block_and_is_journaled(services: Services) -> None:
    services.agents.add(AGENT, PASSWORD, PASSWORD)
    until = block_agent(services)
    assert services.agents.sign_in(AGENT, PASSWORD).status is SignInStatus.BLOCKED
    assert [(s.agent.name, s.blocked_until) for s in services.agents.statuses()] == [
        (AGENT, until)
    ]
    assert services.agents.unlock("MARTIN", actor="ligne de commande (camille)") is True
    assert services.agents.statuses()[0].blocked_until is None
    assert services.agents.sign_in(AGENT, PASSWORD).status is SignInStatus.SIGNED_IN
    unblocked = [e for e in services.assistance.journal() if e.kind == events.AGENT_UNBLOCKED]
    assert [(e.actor, e.detail.startswith(f"agent «{NB}martin{NB}»")) for e in unblocked] == [
        ("ligne de commande (camille)", True)
    ]
    # Nothing to lift: nothing written.
    assert services.agents.unlock(AGENT) is False
    with pytest.raises(UnknownAgent):
        services.agents.unlock("personne")


def test_removing_and_adding_an_agent_again_does_not_keep_its_block(services: Services) -> None:
    services.agents.add(AGENT, PASSWORD, PASSWORD)
    block_agent(services)
    services.agents.remove(AGENT)
    services.agents.add(AGENT, PASSWORD, PASSWORD)
    assert services.agents.sign_in(AGENT, PASSWORD).status is SignInStatus.SIGNED_IN


def test_an_agents_block_does_not_spill_to_an_unknown_name_and_back(services: Services) -> None:
    # A name no agent has is still counted (it must answer like a real one)...
    block_agent(services, "personne")
    # ...and an agent added under that name later starts with a clean record.
    services.agents.add("personne", PASSWORD, PASSWORD)
    assert services.agents.sign_in("personne", PASSWORD).status is SignInStatus.SIGNED_IN


def test_a_version_4_database_moves_an_agents_block_onto_its_record(
        db_path: Path, clock: FixedClock) -> None:
    db_path.parent.mkdir(mode=0o700)
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("BEGIN")
    for version, migration in enumerate(MIGRATIONS[:4], start=1):
        migration(conn)
        conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(
        "INSERT INTO agents (name, name_key, password_hash, created_at) VALUES "
        "('Martin', 'martin', '$argon2id$x', '2026-11-26T13:00:00.000000Z')"
    )
    key = "agent:" + hashlib.sha256(b"martin").hexdigest()[:32]
    until = clock.now() + timedelta(minutes=10)
    conn.execute(
        "INSERT INTO login_failures VALUES (?, 0, 1, ?, ?)",
        (key, until.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
         + "Z", "2026-11-26T13:00:00.000000Z"),
    )
    conn.execute("COMMIT")
    conn.close()
    db_path.chmod(0o600)

    store = SqliteStore(db_path)
    with store.read() as tx:
        agent = tx.agent_by_name("martin")
        assert agent is not None
        state = tx.agent_failure_state(agent.id)
        assert tx.failure_state(key).blocked_until is None  # moved, not copied
    store.close()
    assert (state.blocks, state.blocked_until) == (1, until)


def test_agent_list_shows_the_block_and_agent_unlock_lifts_it(
        capsys: pytest.CaptureFixture[str], db_path: Path, now_services: Services) -> None:
    now_services.agents.add(AGENT, PASSWORD, PASSWORD)
    now_services.agents.add("zoe", PASSWORD, PASSWORD)
    until = block_agent(now_services)
    code, out, _ = run(capsys, db_path, "agent", "list", "--json")
    rows = {r["nom"]: r for r in json.loads(out)}
    assert code == 0
    assert rows[AGENT]["bloque_jusqu_a"] == until.isoformat()
    assert rows["zoe"]["bloque_jusqu_a"] is None and rows["zoe"]["tentatives_echouees"] == 0
    code, out, _ = run(capsys, db_path, "agent", "list")
    assert "Bloqué jusqu'au" in out
    assert until.astimezone().strftime("%d/%m/%Y %H:%M") in out
    code, out, _ = run(capsys, db_path, "agent", "unlock", "Martin")
    assert code == 0 and "est levé" in out
    assert now_services.agents.sign_in(AGENT, PASSWORD).status is SignInStatus.SIGNED_IN
    code, out, _ = run(capsys, db_path, "agent", "unlock", AGENT)
    assert code == 0 and "n'était pas bloqué" in out
    code, _, err = run(capsys, db_path, "agent", "unlock", "personne")
    assert code == 1 and "Aucun agent ne s'appelle" in err


# -- finding 7: agent names cannot look alike --------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "m\u0430rtin",  # Cyrillic а
        "zoé",
        "camille martin",
        "ｍartin",  # full-width m
        "-martin",  # would read as an option
        "martin\u200b",
        "o'neil",
    ],
)
def test_agent_names_are_ascii_letters_digits_dot_underscore_hyphen(
        services: Services, name: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.agents.add(name, PASSWORD, PASSWORD)
    assert [(e.field, "lettres sans accent" in e.message) for e in caught.value.errors] == [
        ("agent-identifiant", True)
    ]
    assert services.agents.list() == []


def test_agent_names_are_unique_ignoring_case(services: Services) -> None:
    services.agents.add("Jean-Paul.D_2", PASSWORD, PASSWORD)
    with pytest.raises(ValidationFailed) as caught:
        services.agents.add("jean-paul.d_2", PASSWORD, PASSWORD)
    assert "majuscules" in caught.value.errors[0].message
    assert [a.name for a in services.agents.list()] == ["Jean-Paul.D_2"]


def test_the_command_line_refuses_a_look_alike_in_french(
        capsys: pytest.CaptureFixture[str], db_path: Path, now_services: Services,
        monkeypatch: pytest.MonkeyPatch) -> None:
    now_services.agents.add(AGENT, PASSWORD, PASSWORD)
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PASSWORD}\n{PASSWORD}\n"))
    code, _, err = run(capsys, db_path, "agent", "add", "m\u0430rtin")
    assert code == 1
    assert "lettres sans accent" in err
    assert [a.name for a in now_services.agents.list()] == [AGENT]


def test_an_agent_added_before_the_rule_still_signs_in_and_can_be_removed(
        services: Services) -> None:
    encoded = services._hasher.hash(PASSWORD)
    with services.store.write() as tx:
        tx.insert_agent("Zoé Roux", encoded, services.clock.now())
    assert services.agents.sign_in("zoé  roux", PASSWORD).status is SignInStatus.SIGNED_IN
    with pytest.raises(FieldError):
        services.agents.sign_in("   ", PASSWORD)
    assert services.agents.remove("ZOÉ ROUX").name == "Zoé Roux"


# -- finding 8: the journal says who really acted from the command line ----------------------


def test_a_command_line_action_is_by_the_shell_user_for_the_declared_agent(
        capsys: pytest.CaptureFixture[str], db_path: Path, now_services: Services) -> None:
    now_services.registration.register(REQUEST)
    now_services.agents.add(AGENT, PASSWORD, PASSWORD)
    code, _, _ = run(capsys, db_path, "accounts", "delete", NIR, "--yes", "--agent", "MARTIN")
    assert code == 0
    deleted = now_services.assistance.journal(NIR)[0]
    assert deleted.kind == events.ACCOUNT_DELETED
    assert deleted.actor == f"ligne de commande ({getpass.getuser()}), pour martin (déclaré)"
    code, _, _ = run(capsys, db_path, "agent", "remove", "zoe", "--agent", AGENT)
    assert code == 1  # no such agent to remove; the author was accepted


def test_an_unknown_declared_agent_is_refused_and_nothing_is_done(
        capsys: pytest.CaptureFixture[str], db_path: Path, now_services: Services) -> None:
    now_services.registration.register(REQUEST)
    code, _, err = run(capsys, db_path, "accounts", "delete", NIR, "--yes", "--agent", AGENT)
    assert code == 2
    assert "Aucun agent ne s'appelle" in err
    assert now_services.assistance.status_of(NIR).account.nir == NIR
