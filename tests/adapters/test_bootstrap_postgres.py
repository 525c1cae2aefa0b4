"""Opening a PostgreSQL database through the composition root: its secret shared by a secret
file (or kept in the keyring under its db_id), and French errors that never show the URL's
password."""

from __future__ import annotations

import base64
import socket
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest
from keyring.backend import KeyringBackend

from ensap_tui.adapters.secret_store import KEYRING_SERVICE, secret_check
from ensap_tui.bootstrap import Settings, StartupError, open_services
from tests.support.keyrings import MemoryKeyring

Install = Callable[[KeyringBackend], None]
MISMATCH = "Le secret de cette base est introuvable ou ne correspond pas\u00a0: "


def meta(url: str, key: str) -> str | None:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = %s", (key,)).fetchone()
    return None if row is None else str(row[0])


def with_file(file: Path) -> Settings:
    return replace(Settings.for_tests(), secret_file=file)


def test_a_server_database_gets_its_secret_in_the_file_given(
        postgres_url: str, tmp_path: Path) -> None:
    file = tmp_path / "partage" / "ensap.secret"
    file.parent.mkdir()
    services = open_services(postgres_url, settings=with_file(file))
    services.close()
    assert services.notices == []
    assert file.stat().st_mode & 0o777 == 0o600
    secret = base64.urlsafe_b64decode(file.read_text().strip())
    assert meta(postgres_url, "secret_check") == secret_check(secret)
    # Another machine with a copy of the same file opens the same database.
    copy = tmp_path / "copie.secret"
    copy.write_text(file.read_text())
    open_services(postgres_url, settings=with_file(copy)).close()


def test_another_secret_file_is_a_clear_mismatch(postgres_url: str, tmp_path: Path) -> None:
    open_services(postgres_url, settings=with_file(tmp_path / "un.secret")).close()
    other = tmp_path / "autre.secret"
    other.write_text(base64.urlsafe_b64encode(bytes(32)).decode() + "\n")
    with pytest.raises(StartupError) as caught:
        open_services(postgres_url, settings=with_file(other))
    message = str(caught.value)
    assert message.startswith(MISMATCH)
    assert f"le fichier «\u00a0{other}\u00a0» ne contient pas celui de cette base" in message
    assert "--secret-file FICHIER" in message


def test_a_missing_secret_file_is_not_remade_for_an_existing_database(
        postgres_url: str, tmp_path: Path) -> None:
    file = tmp_path / "ensap.secret"
    open_services(postgres_url, settings=with_file(file)).close()
    file.unlink()
    with pytest.raises(StartupError) as caught:
        open_services(postgres_url, settings=with_file(file))
    assert str(caught.value).startswith(MISMATCH)
    assert "n'existe pas" in str(caught.value)
    assert not file.exists()


def test_without_keyring_nor_file_a_server_database_says_how_to_give_one(
        postgres_url: str) -> None:
    with pytest.raises(StartupError) as caught:
        open_services(postgres_url, settings=Settings.for_tests())
    message = str(caught.value)
    assert "aucun fichier de secret n'est indiqué" in message
    assert "--secret-file FICHIER" in message and "ENSAP_TUI_SECRET_FILE" in message


def test_with_a_keyring_the_secret_is_kept_under_the_database_id(
        postgres_url: str, use_keyring: Install) -> None:
    backend = MemoryKeyring()
    use_keyring(backend)
    settings = replace(Settings.for_tests(), use_keyring=True, keyring_timeout=0.5)
    services = open_services(postgres_url, settings=settings)
    services.close()
    assert services.notices == []
    ((service, username), stored), = backend.entries.items()
    assert (service, username) == (KEYRING_SERVICE, meta(postgres_url, "db_id"))
    assert meta(postgres_url, "secret_check") == secret_check(base64.urlsafe_b64decode(stored))
    open_services(postgres_url, settings=settings).close()


def test_the_services_work_on_the_server(postgres_url: str, tmp_path: Path) -> None:
    services = open_services(postgres_url, settings=with_file(tmp_path / "s"))
    try:
        assert services.assistance.accounts(None, limit=10) == []
        with services.store.write() as tx:
            tx.set_meta("essai", "1")
        with services.store.read() as tx:
            assert tx.get_meta("essai") == "1"
    finally:
        services.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_server_is_a_startup_error_without_the_password(tmp_path: Path) -> None:
    url = f"postgresql://camille:Mot-De-Passe-9@127.0.0.1:{_free_port()}/ensap"
    with pytest.raises(StartupError) as caught:
        open_services(url, settings=with_file(tmp_path / "s"))
    message = str(caught.value)
    assert "Impossible de joindre le serveur PostgreSQL" in message
    assert "Mot-De-Passe-9" not in message
    assert not (tmp_path / "s").exists()


def test_a_bad_url_is_a_startup_error() -> None:
    with pytest.raises(StartupError, match="n'est pas valable"):
        open_services("postgresql://camille:pw@serveur:99999/ensap")
