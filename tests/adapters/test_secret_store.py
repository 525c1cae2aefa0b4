"""The database secret: system keyring with a timeout, or a private file beside the database."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from ensap_tui.adapters.secret_store import (
    FILE_SECRET_NOTICE,
    KEYRING_SERVICE,
    KEYRING_UNAVAILABLE_NOTICE,
    SecretError,
    load_secret,
    secret_check,
    secret_file_path,
)
from tests.support.keyrings import (
    BrokenKeyring,
    ForgetfulKeyring,
    HangingKeyring,
    MemoryKeyring,
)

Install = Callable[[KeyringBackend], None]
DB_ID = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "ensap.sqlite3"


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_file_secret_without_keyring(db: Path) -> None:
    first = load_secret(db, DB_ID, use_keyring=False)
    assert len(first.secret) == 32 and first.notice is None
    file = secret_file_path(db)
    assert file == db.parent / "ensap.sqlite3.secret"
    assert mode(file) == 0o600
    assert base64.urlsafe_b64decode(file.read_text().strip()) == first.secret
    again = load_secret(db, DB_ID, use_keyring=False)
    assert again.secret == first.secret


def test_secrets_differ_between_databases(tmp_path: Path) -> None:
    one = load_secret(tmp_path / "un.sqlite3", DB_ID, use_keyring=False).secret
    two = load_secret(tmp_path / "deux.sqlite3", DB_ID, use_keyring=False).secret
    assert one != two


def test_a_missing_secret_is_not_recreated_when_told_so(db: Path) -> None:
    with pytest.raises(SecretError, match="n'existe pas"):
        load_secret(db, DB_ID, use_keyring=False, create=False)
    assert not secret_file_path(db).exists()


def test_an_unreadable_secret_file_is_an_error(db: Path) -> None:
    secret_file_path(db).write_text("pas du base64 de 32 octets")
    with pytest.raises(SecretError, match="illisible"):
        load_secret(db, DB_ID, use_keyring=False)


def test_the_keyring_keeps_the_secret(db: Path, use_keyring: Install) -> None:
    backend = MemoryKeyring()
    use_keyring(backend)
    first = load_secret(db, DB_ID, use_keyring=True)
    assert first.notice is None
    assert not secret_file_path(db).exists()
    stored = backend.entries[(KEYRING_SERVICE, DB_ID)]
    assert base64.urlsafe_b64decode(stored) == first.secret
    assert load_secret(db, DB_ID, use_keyring=True, create=False).secret == first.secret


@pytest.mark.parametrize(("backend", "notice_on_reopen"), [
    (BrokenKeyring, KEYRING_UNAVAILABLE_NOTICE),
    (fail.Keyring, KEYRING_UNAVAILABLE_NOTICE),
    # It answers "nothing" without failing: the file is then used, with its own notice.
    (ForgetfulKeyring, FILE_SECRET_NOTICE),
], ids=["raises", "fail-backend", "forgets"])
def test_no_working_keyring_falls_back_to_a_file_with_a_notice(
        db: Path, use_keyring: Install, backend: type[KeyringBackend],
        notice_on_reopen: str) -> None:
    use_keyring(backend())
    first = load_secret(db, DB_ID, use_keyring=True)
    assert first.notice == KEYRING_UNAVAILABLE_NOTICE
    assert mode(secret_file_path(db)) == 0o600
    again = load_secret(db, DB_ID, use_keyring=True, create=False)
    assert again.secret == first.secret
    assert again.notice == notice_on_reopen


def test_a_hanging_keyring_is_abandoned_after_the_timeout(db: Path, use_keyring: Install) -> None:
    backend = HangingKeyring()
    use_keyring(backend)
    result = load_secret(db, DB_ID, use_keyring=True, timeout=0.2)
    assert backend.calls == 1  # asked once, then given up on: no second wait to store
    assert result.notice == KEYRING_UNAVAILABLE_NOTICE
    assert secret_file_path(db).exists()
    assert load_secret(db, DB_ID, use_keyring=True, timeout=0.2).secret == result.secret


def test_the_file_is_used_when_the_keyring_has_nothing(db: Path, use_keyring: Install) -> None:
    from_file = load_secret(db, DB_ID, use_keyring=False).secret
    backend = MemoryKeyring()
    use_keyring(backend)
    result = load_secret(db, DB_ID, use_keyring=True)
    assert result.secret == from_file
    assert result.notice == FILE_SECRET_NOTICE
    assert backend.entries == {}  # not copied: the file stays the one place


def test_secret_check_tells_secrets_apart_without_showing_them() -> None:
    one, two = bytes(32), bytes(range(32))
    assert secret_check(one) == secret_check(bytes(32))
    assert secret_check(one) != secret_check(two)
    assert len(secret_check(one)) == 64
    assert base64.urlsafe_b64encode(one).decode() not in secret_check(one)
