"""The test PostgreSQL server and its fixtures: loopback only, a fresh database per test dropped
afterwards, a stop and start that keep what was committed, and no silent skip in CI."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from tests.support import postgres
from tests.support.postgres import (
    DATABASE_PREFIX,
    database_name,
    fresh_database,
    pause_server,
    resume_server,
    server_dir,
)


def _databases(server: str) -> set[str]:
    with psycopg.connect(server, autocommit=True) as conn:
        rows = conn.execute("SELECT datname FROM pg_database").fetchall()
    return {row[0] for row in rows}


def test_without_a_server_the_postgres_tests_skip_saying_how_to_get_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(postgres.ENV, raising=False)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        postgres.server_url()
    assert "make test-pg" in str(skipped.value) and postgres.ENV in str(skipped.value)


def test_in_ci_a_missing_server_fails_instead_of_skipping(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(postgres.ENV, raising=False)
    monkeypatch.delenv(postgres.ENV_DIR, raising=False)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception) as failed:
        postgres.server_url()
    assert "CI=true" in str(failed.value)
    with pytest.raises(pytest.fail.Exception):
        server_dir()


@pytest.mark.postgres
def test_the_server_listens_on_loopback_only(postgres_server: str) -> None:
    assert urlsplit(postgres_server).hostname == "127.0.0.1"
    server_dir()  # a server of scripts/pg_test_server.sh (else skipped: not ours to inspect)
    with psycopg.connect(postgres_server) as conn:
        listening = conn.execute("SHOW listen_addresses").fetchone()
        address = conn.execute("SELECT host(inet_server_addr())").fetchone()
    assert listening == ("127.0.0.1",)
    assert address == ("127.0.0.1",)


@pytest.mark.postgres
def test_each_test_gets_its_own_empty_database_dropped_afterwards(
    postgres_server: str, postgres_url: str
) -> None:
    name = database_name(postgres_url)
    assert name.startswith(DATABASE_PREFIX)
    with psycopg.connect(postgres_url) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert tables == (0,)
    with fresh_database(postgres_server) as other:
        assert database_name(other) != name
        assert {name, database_name(other)} <= _databases(postgres_server)
        # A connection left open (a killed program's) does not keep the database alive.
        lingering = psycopg.connect(other)
    try:
        assert database_name(other) not in _databases(postgres_server)
    finally:
        lingering.close()


@pytest.mark.postgres
def test_a_stopped_server_refuses_connections_and_keeps_what_was_committed(
    postgres_url: str,
) -> None:
    server_dir()
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE kept (n integer)")
        conn.execute("INSERT INTO kept VALUES (1), (2), (3)")
    open_before = psycopg.connect(postgres_url, autocommit=True)
    pause_server()
    try:
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(postgres_url, connect_timeout=5)
        with pytest.raises(psycopg.OperationalError):
            open_before.execute("SELECT 1")
    finally:
        open_before.close()
        resume_server()
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT sum(n) FROM kept").fetchone() == (6,)


@pytest.mark.postgres
def test_the_test_role_may_end_any_process_of_its_databases(postgres_server: str) -> None:
    # DROP DATABASE ... WITH (FORCE) after a test must also end an autovacuum worker busy on
    # that database (it belongs to no role): that takes pg_signal_backend.
    if not os.environ.get(postgres.ENV_DIR):
        pytest.skip("a server started by hand: its roles are its owner's business")
    with psycopg.connect(postgres_server) as conn:
        row = conn.execute(
            "SELECT pg_has_role(current_user, 'pg_signal_backend', 'USAGE')"
        ).fetchone()
    assert row == (True,)


@pytest.mark.postgres
def test_run_keeps_a_failing_commands_exit_code_and_stops_its_own_server(
        postgres_server: str, tmp_path: Path) -> None:
    """What .ci/run relies on: `pg_test_server.sh run -- make test` exits with make's code,
    and the server it started is stopped by its process id and its folder removed, when
    the command fails too."""
    code = 3
    server_dir()  # the script's binaries are here (else skipped: a server started by hand)
    seen = tmp_path / "seen"
    done = subprocess.run(
        ["bash", str(postgres.SCRIPT), "run", "--", "sh", "-c",
         f'echo "$ENSAP_TEST_POSTGRES_DIR" > "$0"; '
         f'head -n 1 "$ENSAP_TEST_POSTGRES_DIR/data/postmaster.pid" >> "$0"; exit {code}',
         str(seen)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == code, done.stderr
    folder, pid = seen.read_text().split()
    assert folder != os.environ.get(postgres.ENV_DIR)  # its own server, not the suite's
    assert not Path(folder).exists()
    assert not Path(f"/proc/{int(pid)}").exists() or postgres_pid_is_not(int(pid), folder)


def postgres_pid_is_not(pid: int, folder: str) -> bool:
    """Whether process ``pid`` (reused since, perhaps) is not the server of ``folder``."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return True
    return folder not in command
