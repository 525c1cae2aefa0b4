"""Issue 13: ``ensap-tui migrate --from BASE.sqlite3 --to postgresql://…`` copies a local
database to an empty PostgreSQL database, all or nothing, and checks the copy. Through the real
command line, on real SQLite files and the test PostgreSQL server (``postgres_url``: a fresh
database per test)."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import keyring
import psycopg
import pytest
from keyring.backends import fail

from ensap_tui.adapters.secret_store import decode_secret, secret_file_path
from ensap_tui.bootstrap import Settings, open_services
from ensap_tui.services.models import SignInStatus
from tests.support.accounts import active_person, block, help_desk_people, open_session
from tests.support.people import AGENT, AGENT_PASSWORD, NIR, PASSWORD
from tests.support.programs import assert_french_failure, program_env, run_cli

#: Every table of the schema, but PostgreSQL's version table.
TABLES = ("meta", "accounts", "account_name_parts", "tokens", "login_failures", "outbox",
          "events", "agents", "rooms", "postes")


@pytest.fixture(autouse=True)
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(previous)


def local_database(folder: Path) -> Path:
    """A SQLite database with something in every table: active, pending and blocked spaces,
    tokens, mails, events, an agent, a training room and its poste; its secret beside it (no
    keyring)."""
    db = folder / "local" / "ensap.sqlite3"
    services = open_services(db, settings=Settings.for_tests())
    try:
        active_person(services)  # NIR, PASSWORD
        help_desk_people(services)
        block(services, "192049712001143")  # failures counted for a NIR without a space
        services.agents.remove(AGENT)  # an id AUTOINCREMENT must never give again
        services.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD)
        room = services.room.open_room()
        services.room.join(room.code, "Camille")
    finally:
        services.close()
    return db


def sqlite_rows(db: Path, table: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
        return sorted(conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall(),
                      key=repr)
    finally:
        conn.close()


def postgres_rows(url: str, table: str, columns: list[str]) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
    return sorted((tuple(row) for row in rows), key=repr)


def columns_of(db: Path, table: str) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
    finally:
        conn.close()


def shared_settings(secret_file: Path) -> Settings:
    return dataclasses.replace(Settings.for_tests(), secret_file=secret_file)


def test_every_table_is_copied_and_the_spaces_sign_in_on_the_server(
        tmp_path: Path, postgres_url: str) -> None:
    source = local_database(tmp_path)
    shared = tmp_path / "partage.secret"
    done = run_cli("migrate", "--from", str(source), "--to", postgres_url,
                   "--secret-file", str(shared), env=program_env(tmp_path))
    assert done.code == 0, done.stderr
    assert "Table « accounts » : 3 lignes copiées" in done.stdout.replace("\u00a0", " ")
    assert "Copie vérifiée" in done.stdout and "Relecture par ensap-tui" in done.stdout
    assert "ce poste ouvre la base cible" in done.stdout
    assert "***" in done.stdout and postgres_url.split("@")[0].split(":")[-1] not in done.stdout
    for table in TABLES:  # row for row, ids, hashes and times included
        columns = columns_of(source, table)
        assert postgres_rows(postgres_url, table, columns) == sorted(
            (row for row in sqlite_rows_of(source, table, columns)), key=repr), table
    # The file of --secret-file was made from the local database's secret.
    assert decode_secret(shared.read_text(), "t") == decode_secret(
        secret_file_path(source).read_text(), "t")
    assert shared.stat().st_mode & 0o777 == 0o600

    services = open_services(postgres_url, settings=shared_settings(shared))
    try:
        open_session(services, PASSWORD, NIR)  # a known password verifies on the server
        assert services.agents.sign_in(AGENT, AGENT_PASSWORD).status is SignInStatus.SIGNED_IN
        assert services.sign_in.sign_in("192049712001143", PASSWORD).status is (
            SignInStatus.BLOCKED)
        # New rows get ids after the copied ones (identities moved past them).
        services.agents.add("nouvel.agent", AGENT_PASSWORD, AGENT_PASSWORD)
        agents = {agent.name: agent.id for agent in services.agents.list()}
        assert agents["nouvel.agent"] > agents[AGENT]
    finally:
        services.close()


def sqlite_rows_of(db: Path, table: str, columns: list[str]) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
    finally:
        conn.close()


def test_a_target_that_is_not_empty_is_refused_and_left_as_it_was(
        tmp_path: Path, postgres_url: str) -> None:
    source = local_database(tmp_path)
    env = program_env(tmp_path)
    first = run_cli("migrate", "--from", str(source), "--to", postgres_url, "--json", env=env)
    assert first.code == 0, first.stderr
    report = json.loads(first.stdout)  # one object, without the progress lines
    assert report["tables"]["accounts"] == 3 and report["tables"]["rooms"] == 1
    assert report["echantillon"] == 3
    assert report["secret_trouve"] is False  # no keyring, no --secret-file
    assert report["source"] == str(source) and "***" in report["cible"]
    with psycopg.connect(postgres_url) as conn:
        before = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone() for t in TABLES}
    again = run_cli("migrate", "--from", str(source), "--to", postgres_url, env=env)
    assert_french_failure(again, "n'est pas vide", "Rien n'a été modifié")
    assert again.code == 1
    with psycopg.connect(postgres_url) as conn:
        after = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone() for t in TABLES}
    assert after == before


def test_a_copy_that_fails_half_way_leaves_nothing(tmp_path: Path, postgres_url: str) -> None:
    source = local_database(tmp_path)
    conn = sqlite3.connect(source)
    # A character PostgreSQL's text cannot hold, in the last mail: the copy fails after the
    # accounts, the tokens and most of the other tables went in.
    conn.execute("UPDATE outbox SET body = body || char(0) WHERE id = (SELECT max(id) FROM outbox)")
    conn.commit()
    conn.close()
    done = run_cli("migrate", "--from", str(source), "--to", postgres_url,
                   env=program_env(tmp_path))
    assert_french_failure(done, "rien n'a été écrit")
    assert done.code == 1
    with psycopg.connect(postgres_url) as pg:
        counts = [pg.execute(f"SELECT count(*) FROM {t}").fetchone() for t in TABLES[1:]]
    assert counts == [(0,)] * (len(TABLES) - 1)


def test_bad_sources_and_targets_are_french_errors(tmp_path: Path, postgres_url: str) -> None:
    env = program_env(tmp_path)
    missing = run_cli("migrate", "--from", str(tmp_path / "absente.sqlite3"), "--to",
                      postgres_url, env=env)
    assert_french_failure(missing, "n'existe pas")
    assert missing.code == 2
    source = local_database(tmp_path)
    to_a_file = run_cli("migrate", "--from", str(source), "--to", str(tmp_path / "b.sqlite3"),
                        env=env)
    assert_french_failure(to_a_file, "PostgreSQL")
    assert to_a_file.code == 2
    unreachable = run_cli("migrate", "--from", str(source), "--to",
                          "postgresql://ensap:secret@127.0.0.1:1/ensap", env=env)
    assert_french_failure(unreachable, "127.0.0.1:1")
    assert unreachable.code == 2 and "secret@" not in unreachable.stderr
