"""The composition root: opening a database with its secret and building the services."""

from __future__ import annotations

import base64
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import FrozenInstanceError, replace
from datetime import timedelta
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.adapters.secret_store import (
    FILE_SECRET_NOTICE,
    KEYRING_SERVICE,
    KEYRING_UNAVAILABLE_NOTICE,
    secret_check,
    secret_file_path,
)
from ensap_tui.adapters.tokens import SequenceTokenSource
from ensap_tui.bootstrap import Settings, StartupError, default_db_path, open_services
from ensap_tui.services.container import Services
from tests.support.keyrings import BrokenKeyring, HangingKeyring, MemoryKeyring

Install = Callable[[KeyringBackend], None]
MISMATCH = "Le secret de cette base est introuvable ou ne correspond pas : "
#: Cheap argon2 as in the tests, but with the system keyring (replaced by a test backend).
WITH_KEYRING = replace(Settings.for_tests(), use_keyring=True, keyring_timeout=0.5)


def meta(db_path: Path, key: str) -> str | None:
    conn = sqlite3.connect(db_path)
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    conn.close()
    return None if row is None else str(row[0])


def open_for_tests(db_path: Path, clock: FixedClock, tokens: SequenceTokenSource,
                   settings: Settings | None = None) -> Services:
    return open_services(db_path, clock=clock, token_source=tokens,
                         settings=settings or Settings.for_tests())


def test_first_open_makes_the_database_its_secret_and_check_value(
        db_path: Path, clock: FixedClock, tokens: SequenceTokenSource) -> None:
    services = open_for_tests(db_path, clock, tokens)
    try:
        assert isinstance(services, Services)
        assert services.notices == []
        assert services.clock is clock
        assert services.idle_timeout == timedelta(minutes=10)
    finally:
        services.close()
    secret_file = secret_file_path(db_path)
    assert secret_file.stat().st_mode & 0o777 == 0o600
    assert db_path.stat().st_mode & 0o777 == 0o600
    secret = base64.urlsafe_b64decode(secret_file.read_text().strip())
    assert meta(db_path, "secret_check") == secret_check(secret)


def test_reopening_uses_the_same_secret(db_path: Path, clock: FixedClock,
                                        tokens: SequenceTokenSource) -> None:
    open_for_tests(db_path, clock, tokens).close()
    secret_text = secret_file_path(db_path).read_text()
    check = meta(db_path, "secret_check")
    open_for_tests(db_path, clock, tokens).close()
    assert secret_file_path(db_path).read_text() == secret_text
    assert meta(db_path, "secret_check") == check


def test_a_lost_secret_is_a_clear_error_not_a_new_secret(
        db_path: Path, clock: FixedClock, tokens: SequenceTokenSource) -> None:
    open_for_tests(db_path, clock, tokens).close()
    check = meta(db_path, "secret_check")
    secret_file_path(db_path).unlink()
    with pytest.raises(StartupError) as caught:
        open_for_tests(db_path, clock, tokens)
    assert str(caught.value).startswith(MISMATCH)
    assert not secret_file_path(db_path).exists()
    assert meta(db_path, "secret_check") == check


def test_a_wrong_secret_is_a_clear_error(db_path: Path, clock: FixedClock,
                                         tokens: SequenceTokenSource) -> None:
    open_for_tests(db_path, clock, tokens).close()
    secret_file_path(db_path).write_text(base64.urlsafe_b64encode(bytes(32)).decode() + "\n")
    with pytest.raises(StartupError) as caught:
        open_for_tests(db_path, clock, tokens)
    assert str(caught.value).startswith(MISMATCH)
    assert "n'est pas celui de cette base" in str(caught.value)


def test_a_garbage_database_is_a_startup_error(db_path: Path, clock: FixedClock,
                                               tokens: SequenceTokenSource) -> None:
    db_path.parent.mkdir()
    db_path.write_bytes(b"\x00garbage" * 512)
    with pytest.raises(StartupError, match="n'est pas une base ensap-tui lisible"):
        open_for_tests(db_path, clock, tokens)
    assert not secret_file_path(db_path).exists()


def test_an_impossible_location_is_a_french_startup_error(
        tmp_path: Path, clock: FixedClock, tokens: SequenceTokenSource) -> None:
    (tmp_path / "fichier").write_text("je ne suis pas un dossier")
    with pytest.raises(StartupError, match="n'est pas un dossier"):
        open_for_tests(tmp_path / "fichier" / "ensap.sqlite3", clock, tokens)


def test_with_a_working_keyring_there_is_no_file_and_no_notice(
        db_path: Path, clock: FixedClock, tokens: SequenceTokenSource,
        use_keyring: Install) -> None:
    backend = MemoryKeyring()
    use_keyring(backend)
    services = open_for_tests(db_path, clock, tokens, WITH_KEYRING)
    services.close()
    assert services.notices == []
    assert not secret_file_path(db_path).exists()
    ((service, username), stored), = backend.entries.items()
    assert (service, username) == (KEYRING_SERVICE, meta(db_path, "db_id"))
    assert meta(db_path, "secret_check") == secret_check(base64.urlsafe_b64decode(stored))
    open_for_tests(db_path, clock, tokens, WITH_KEYRING).close()


@pytest.mark.parametrize("backend", [BrokenKeyring, HangingKeyring], ids=["raises", "hangs"])
def test_without_a_working_keyring_the_file_is_used_with_a_notice(
        db_path: Path, clock: FixedClock, tokens: SequenceTokenSource,
        use_keyring: Install, backend: type[KeyringBackend]) -> None:
    use_keyring(backend())
    services = open_for_tests(db_path, clock, tokens, WITH_KEYRING)
    services.close()
    assert services.notices == [KEYRING_UNAVAILABLE_NOTICE]
    assert secret_file_path(db_path).exists()
    reopened = open_for_tests(db_path, clock, tokens, WITH_KEYRING)
    reopened.close()
    # Reopened from its file without asking the keyring again (no import, no timeout).
    assert reopened.notices == [FILE_SECRET_NOTICE]


def test_settings_are_frozen_and_test_settings_are_cheap() -> None:
    settings = Settings.for_tests()
    assert (settings.argon2_time_cost, settings.argon2_memory_cost,
            settings.argon2_parallelism, settings.use_keyring) == (1, 8, 1, False)
    defaults = Settings()
    assert (defaults.argon2_time_cost, defaults.argon2_memory_cost,
            defaults.argon2_parallelism, defaults.use_keyring) == (3, 65536, 4, True)
    with pytest.raises(FrozenInstanceError):
        settings.demo = True  # type: ignore[misc]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG layout is Linux's")
def test_default_database_is_in_the_user_data_folder(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert default_db_path() == tmp_path / "share" / "ensap-tui" / "ensap.sqlite3"
    assert not (tmp_path / "share").exists()  # nothing is created until a database is opened
