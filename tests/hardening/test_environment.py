"""Bad surroundings, through the real command line: a read-only folder, a database another
program keeps locked, a file that is not a database, a newer schema, a keyring that fails or
hangs. Each ends with a French message and a non-zero exit code where the program cannot go on,
never a traceback, and leaves the data as it was."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from ensap_tui.adapters.migrations import LATEST_VERSION
from ensap_tui.adapters.secret_store import secret_file_path
from ensap_tui.bootstrap import Settings, open_services
from tests.hardening.support import (
    connect,
    consistency_problems,
    person,
    scalar,
    start_worker,
    worker_result,
)
from tests.support.programs import (
    KEYRINGS_BY_NAME,
    CliResult,
    assert_french_failure,
    finish_cli,
    permissions_can_bind,
    program_env,
    run_cli,
    start_cli,
)

#: Both ways in: a sub-command, and the application itself (which must fail before drawing).
ENTRY_POINTS = [pytest.param(("outbox",), id="outbox"), pytest.param((), id="app")]
RETRY = "Réessayez dans quelques instants."

_NO_MODES = permissions_can_bind()
needs_binding_modes = pytest.mark.skipif(_NO_MODES is not None, reason=_NO_MODES or "")


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def cli(*args: str, **kwargs: object) -> CliResult:
    result = run_cli(*args, **kwargs)  # type: ignore[arg-type]
    assert "Traceback" not in result.stderr, result.stderr
    return result


def both_ways_in(db: Path, **kwargs: object) -> list[CliResult]:
    """The sub-command and the application on ``db``, run at the same time (to keep the tests
    short: several wait for a timeout)."""
    started = [start_cli(*p.values[0], "--db", str(db), **kwargs)  # type: ignore[arg-type]
               for p in ENTRY_POINTS]
    results = [finish_cli(process, timeout=60) for process in started]
    for result in results:
        assert "Traceback" not in result.stderr, result.stderr
    return results


def make_database(db: Path) -> None:
    """A database with one pending space, made by the real command line's code."""
    services = open_services(db, settings=Settings.for_tests())
    services.registration.register(person(1).request())
    services.close()


# -- read-only data folder -------------------------------------------------------------------


@needs_binding_modes
def test_a_new_database_in_a_read_only_folder_is_a_french_error(tmp_path: Path) -> None:
    folder = tmp_path / "lecture-seule"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        results = both_ways_in(folder / "ensap.sqlite3", obey_modes=True)
    finally:
        folder.chmod(0o700)
    for result in results:
        assert_french_failure(result, "Impossible de préparer la base de données", "accès refusé")
    assert list(folder.iterdir()) == []


@needs_binding_modes
@pytest.mark.parametrize("file_too", [False, True], ids=["folder", "folder-and-file"])
def test_an_existing_database_in_a_read_only_folder_is_a_french_error_and_kept(
    db_path: Path, file_too: bool
) -> None:
    make_database(db_path)
    folder = db_path.parent
    before = snapshot(folder)
    if file_too:
        db_path.chmod(0o400)
    folder.chmod(0o500)
    try:
        results = both_ways_in(db_path, obey_modes=True)
    finally:
        folder.chmod(0o700)
        db_path.chmod(0o600)
    for result in results:
        assert_french_failure(result, "Impossible d'ouvrir la base de données", "lecture seule")
    assert snapshot(folder) == before
    assert cli("outbox", "--db", str(db_path)).code == 0  # writable again: all is there


# -- a database another program keeps locked ---------------------------------------------------


def hold(db: Path, lock: str, folder: Path) -> tuple[subprocess.Popen[str], Path]:
    """Another program holding ``db`` for 10 seconds at most (until the returned file exists)."""
    ready, release = folder / f"{lock}-pret", folder / f"{lock}-fin"
    holder = start_worker("hold-lock", db=str(db), mode=lock, seconds=10, ready=str(ready),
                          release=str(release))
    deadline = time.monotonic() + 60
    while not ready.exists():
        if holder.poll() is not None:
            worker_result(holder)
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return holder, release


def counts(db: Path, nir: str) -> tuple[int, int, int, int]:
    conn = connect(db)
    try:
        return (
            scalar(conn, "SELECT count(*) FROM accounts WHERE nir = ?", (nir,)),
            scalar(conn, "SELECT count(*) FROM tokens"),
            scalar(conn, "SELECT count(*) FROM outbox WHERE nir = ?", (nir,)),
            scalar(conn, "SELECT count(*) FROM events WHERE nir = ?", (nir,)),
        )
    finally:
        conn.close()


def test_a_database_locked_for_writing_gives_retry_and_nothing_half_written(
    db_path: Path, tmp_path: Path
) -> None:
    make_database(db_path)
    pending, newcomer = person(1), person(2)
    before_pending, before_newcomer = counts(db_path, pending.nir), counts(db_path, newcomer.nir)
    holder, release = hold(db_path, "immediate", tmp_path)
    try:
        # Two programs need to write meanwhile: the help desk's command and a registration.
        registration = start_worker("register-during-lock", db=str(db_path),
                                    number=newcomer.number)
        resend = cli("accounts", "resend", pending.nir, "--db", str(db_path))
        registered = worker_result(registration)
    finally:
        release.touch()
    held = worker_result(holder)["held"]

    # Both gave up while the lock was still held, and said to try again.
    assert held < 10, "the lock was released by its timeout, not after the writers gave up"
    assert_french_failure(resend, RETRY)
    assert registered == {"outcome": "busy", "message": (
        "La base de données est occupée par un autre programme. " + RETRY)}
    assert counts(db_path, pending.nir) == before_pending
    assert counts(db_path, newcomer.nir) == before_newcomer
    assert consistency_problems(db_path) == []
    conn = connect(db_path)
    assert scalar(conn, "SELECT count(*) FROM events WHERE kind = 'verrou-externe'") == 1
    conn.close()
    # Once the other program is done, the same command works.
    assert cli("accounts", "resend", pending.nir, "--db", str(db_path)).code == 0


def test_a_database_locked_even_for_reading_gives_retry(db_path: Path, tmp_path: Path) -> None:
    make_database(db_path)
    holder, release = hold(db_path, "exclusive", tmp_path)
    try:
        results = both_ways_in(db_path)
    finally:
        release.touch()
    assert worker_result(holder)["held"] < 10
    for result in results:
        assert_french_failure(result, RETRY)
    assert consistency_problems(db_path) == []
    assert cli("outbox", "--db", str(db_path)).code == 0


# -- files that are not (or not yet) ours ------------------------------------------------------


def test_a_garbage_file_is_refused_in_french_and_left_alone(db_path: Path) -> None:
    db_path.parent.mkdir(mode=0o700)
    garbage = bytes(range(256)) * 64 + b"Ceci n'est pas une base." * 100
    db_path.write_bytes(garbage)
    for result in both_ways_in(db_path):
        assert_french_failure(result, "n'est pas une base ensap-tui lisible")
    assert db_path.read_bytes() == garbage
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


def test_a_database_from_a_newer_version_is_refused_in_french_and_left_alone(
    db_path: Path,
) -> None:
    make_database(db_path)
    conn = connect(db_path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    before = snapshot(db_path.parent)
    for result in both_ways_in(db_path):
        assert_french_failure(
            result, "version plus récente d'ensap-tui", "Mettez ensap-tui à jour"
        )
    assert snapshot(db_path.parent) == before


# -- keyring -----------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["BrokenKeyring", "HangingKeyring"], ids=["fails", "hangs"])
def test_a_keyring_that_fails_or_hangs_falls_back_to_the_protected_file(
    db_path: Path, backend: str
) -> None:
    env = program_env(PYTHON_KEYRING_BACKEND=KEYRINGS_BY_NAME + backend)
    # A hanging keyring is abandoned after its timeout (3 s): the program ends on its own.
    first = cli("outbox", "--db", str(db_path), env=env, timeout=60)
    again = cli("outbox", "--db", str(db_path), env=env, timeout=60)
    assert (first.code, again.code) == (0, 0), (first, again)
    secret = secret_file_path(db_path)
    assert secret.exists() and mode(secret) == 0o600
    assert mode(db_path) == 0o600 and mode(db_path.parent) == 0o700


def test_a_lost_secret_with_a_failing_keyring_is_a_french_error(db_path: Path) -> None:
    env = program_env(PYTHON_KEYRING_BACKEND=KEYRINGS_BY_NAME + "BrokenKeyring")
    assert cli("outbox", "--db", str(db_path), env=env).code == 0
    secret_file_path(db_path).unlink()
    before = snapshot(db_path.parent)
    for result in both_ways_in(db_path, env=env):
        assert_french_failure(
            result, "Le secret de cette base est introuvable ou ne correspond pas"
        )
    assert snapshot(db_path.parent) == before
    assert not secret_file_path(db_path).exists()  # no new secret made behind the user's back
