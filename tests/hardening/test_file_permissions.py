"""Issue 10, finding 4: the database, its -wal/-shm and its secret are 0600 however they are
reached; the path is resolved first (a dangling link), loose rights are restricted with a notice,
and special files (devices, named pipes) or oversized secrets are refused without hanging."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from ensap_tui.adapters.secret_store import secret_file_path
from ensap_tui.bootstrap import Settings, StartupError, open_services
from tests.support.programs import assert_french_failure, program_env, run_cli

TIGHTENED = "ses droits ont été restreints à vous seul (0600)"


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def loose_umask() -> Iterator[None]:
    """The usual umask, which would make new files 0644."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def open_and_close(path: Path) -> list[str]:
    services = open_services(path, settings=Settings.for_tests())
    try:
        with services.store.write() as tx:  # a write, so that -wal and -shm exist
            tx.set_meta("essai", "1")
        real = Path(os.path.realpath(path))
        for suffix in ("-wal", "-shm"):
            side = real.with_name(real.name + suffix)
            assert side.exists() and mode(side) == 0o600, (suffix, oct(mode(side)))
        return list(services.notices)
    finally:
        services.close()


def test_a_database_created_through_a_dangling_link_is_private_with_its_secret_beside_it(
    tmp_path: Path,
) -> None:
    real_folder = tmp_path / "vraie"
    real_folder.mkdir()
    target = real_folder / "base.sqlite3"
    link = tmp_path / "lien.sqlite3"
    link.symlink_to(target)  # dangling: the target does not exist yet
    open_and_close(link)
    assert target.is_file() and mode(target) == 0o600
    assert secret_file_path(target).is_file() and mode(secret_file_path(target)) == 0o600
    assert not os.path.lexists(secret_file_path(link))
    # Reached through the link again, the same database and secret open.
    assert open_and_close(link) == []


def test_a_database_others_can_read_is_restricted_with_a_notice(tmp_path: Path) -> None:
    db = tmp_path / "base.sqlite3"
    open_and_close(db)
    db.chmod(0o644)
    notices = open_and_close(db)
    assert mode(db) == 0o600
    assert any(str(db) in n and TIGHTENED in n for n in notices), notices
    assert open_and_close(db) == []  # said once


def test_a_secret_others_can_read_is_restricted_with_a_notice(tmp_path: Path) -> None:
    db = tmp_path / "base.sqlite3"
    open_and_close(db)
    secret = secret_file_path(db)
    secret.chmod(0o664)
    notices = open_and_close(db)
    assert mode(secret) == 0o600
    assert any(str(secret) in n and TIGHTENED in n for n in notices), notices


def test_the_command_line_says_the_rights_were_restricted(tmp_path: Path) -> None:
    db = tmp_path / "base.sqlite3"
    open_and_close(db)
    db.chmod(0o640)
    result = run_cli("--db", str(db), "accounts", "list", env=program_env(tmp_path))
    assert result.code == 0, result
    assert TIGHTENED in result.stderr and str(db) in result.stderr
    assert "Traceback" not in result.stderr
    assert mode(db) == 0o600


def test_a_named_pipe_as_the_database_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "tube.sqlite3"
    os.mkfifo(fifo)
    with pytest.raises(StartupError, match="tube nommé"):
        open_services(fifo, settings=Settings.for_tests())
    result = run_cli("--db", str(fifo), "accounts", "list", env=program_env(tmp_path), timeout=60)
    assert_french_failure(result, "tube nommé")


def test_a_device_as_the_database_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "base.sqlite3"
    link.symlink_to("/dev/null")
    with pytest.raises(StartupError, match="périphérique"):
        open_services(link, settings=Settings.for_tests())
    assert os.path.realpath(link) == "/dev/null" and stat.S_ISCHR(os.stat(link).st_mode)


def prepared(tmp_path: Path) -> tuple[Path, Path]:
    db = tmp_path / "base.sqlite3"
    open_and_close(db)
    secret = secret_file_path(db)
    secret.unlink()
    return db, secret


def test_a_secret_pointing_at_dev_zero_is_refused_at_once(tmp_path: Path) -> None:
    db, secret = prepared(tmp_path)
    secret.symlink_to("/dev/zero")
    result = run_cli("--db", str(db), "accounts", "list", env=program_env(tmp_path), timeout=60)
    assert_french_failure(result, "périphérique")


def test_a_named_pipe_as_the_secret_is_refused_without_waiting(tmp_path: Path) -> None:
    db, secret = prepared(tmp_path)
    os.mkfifo(secret)
    result = run_cli("--db", str(db), "accounts", "list", env=program_env(tmp_path), timeout=60)
    assert_french_failure(result, "tube nommé")


def test_a_huge_secret_file_is_refused_without_being_read(tmp_path: Path) -> None:
    db, secret = prepared(tmp_path)
    with secret.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: 100 MB that take no room
    with pytest.raises(StartupError, match="trop grand"):
        open_services(db, settings=Settings.for_tests())
