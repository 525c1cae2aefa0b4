"""Issue 13: ``ensap-tui secret export`` / ``secret import`` on a PostgreSQL server's database:
the secret of the first machine (a shared secret file) goes to another machine's keyring, a
secret of another database is refused, and without a keyring a server's database needs a
secret file. Through ``cli.main`` in the test process (where a test keyring is installed) on the
test server (``postgres_url``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import keyring
import psycopg
import pytest
from keyring.backends import fail

from ensap_tui.adapters.secret_store import KEYRING_SERVICE
from ensap_tui.bootstrap import Settings, open_services
from tests.support.accounts import active_person, open_session
from tests.support.keyrings import MemoryKeyring


@pytest.fixture(autouse=True)
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(previous)


def shared_settings(secret_file: Path) -> Settings:
    return dataclasses.replace(Settings.for_tests(), secret_file=secret_file)


def test_the_secret_of_a_server_database_moves_to_another_machine(
        tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    first = tmp_path / "premier.secret"
    services = open_services(postgres_url, settings=shared_settings(first))
    try:
        active_person(services)
    finally:
        services.close()
    exported = tmp_path / "exporte"
    code, _, err = run_main(capsys, postgres_url, "--secret-file", str(first), "secret",
                            "export", str(exported))
    assert code == 0, err

    # Another machine: a keyring of its own, nothing yet for this database.
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    code, _, err = run_main(capsys, postgres_url, "accounts", "list")
    assert code == 2 and "introuvable" in err
    stranger = tmp_path / "autre.secret"
    stranger.write_text(first.read_text().replace(first.read_text()[:4], "AAAA"))
    code, _, err = run_main(capsys, postgres_url, "secret", "import", str(stranger))
    assert code == 1 and "n'est pas celui de la base" in err and memory.entries == {}
    code, out, err = run_main(capsys, postgres_url, "secret", "import", str(exported))
    assert code == 0, err
    assert "trousseau système" in out
    assert list(memory.entries) == [(KEYRING_SERVICE, memory_db_id(postgres_url))]
    services = open_services(
        postgres_url, settings=dataclasses.replace(Settings.for_tests(), use_keyring=True))
    try:
        open_session(services)
    finally:
        services.close()

    # Without a keyring, a server's database needs a secret file: said in French.
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    code, _, err = run_main(capsys, postgres_url, "secret", "import", str(exported))
    assert code == 1 and "--secret-file" in err


def run_main(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, str, str]:
    """``ensap-tui --db URL ARGV`` in this process (where the test installs a keyring)."""
    from ensap_tui.cli import main

    try:
        code = main(["--db", url, *argv])
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def memory_db_id(url: str) -> str:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = 'db_id'").fetchone()
    assert row is not None
    return str(row[0])
