"""The PostgreSQL server stopped and started again in the middle of a run, cleanly (fast
shutdown) or as in a crash (immediate shutdown, then recovery from the write-ahead log): while it
is away the services answer with the store's French error (never a traceback), the program
carries on once it is back, and everything the services confirmed before the stop is still there
after."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from ensap_tui.services import events
from tests.hardening.support import PASSWORDS, consistency_problems, start_worker
from tests.support.engines import Database
from tests.support.postgres import (
    crash_server,
    pause_server,
    resume_server,
    server_dir,
)
from tests.support.programs import stop

#: How long any one condition may take on a busy machine before the test fails.
PATIENCE = 120.0


class Lines:
    """The JSON lines a worker prints, read by a thread as they come (its stderr by another, so
    that neither pipe fills up)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.items: list[dict[str, Any]] = []
        self.stderr: list[str] = []
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._errors = threading.Thread(target=self._read_errors, daemon=True)
        self._thread.start()
        self._errors.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            if raw.startswith("{"):
                with self._changed:
                    self.items.append(json.loads(raw))
                    self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def _read_errors(self) -> None:
        assert self.process.stderr is not None
        self.stderr.extend(self.process.stderr)

    def wait_for(self, condition: Callable[[list[dict[str, Any]]], bool], what: str) -> None:
        """Waits until ``condition(lines so far)`` holds; fails after :data:`PATIENCE`."""
        deadline = time.monotonic() + PATIENCE
        with self._changed:
            while not condition(self.items):
                left = deadline - time.monotonic()
                assert left > 0 and self._thread.is_alive(), (
                    f"never saw {what}: {self.items}\n{''.join(self.stderr)}"
                )
                self._changed.wait(timeout=min(left, 1.0))

    def snapshot(self) -> list[dict[str, Any]]:
        with self._changed:
            return list(self.items)

    def finish(self) -> dict[str, Any]:
        """Waits for the worker's end (exit 0, no traceback) and returns its last line."""
        code = self.process.wait(timeout=PATIENCE)
        self._thread.join(timeout=PATIENCE)
        self._errors.join(timeout=PATIENCE)
        stderr = "".join(self.stderr)
        assert code == 0, f"worker failed ({code}):\n{stderr}"
        assert "Traceback" not in stderr, stderr
        return self.snapshot()[-1]


def _steps(lines: list[dict[str, Any]], step: str) -> list[str]:
    return [line["nir"] for line in lines if line.get("step") == step]


@pytest.fixture
def server_database(postgres_url: str, tmp_path: Path) -> Iterator[Database]:
    """A fresh database on the test server, which this test may stop: the server is started
    again whatever the test's outcome (nothing to do when it runs)."""
    server_dir()  # a server of scripts/pg_test_server.sh: ours to stop
    database = Database("postgresql", postgres_url, str(tmp_path / "ensap.secret"))
    try:
        yield database
    finally:
        resume_server()


@pytest.mark.parametrize("stop_server", [pause_server, crash_server], ids=["fast", "crash"])
def test_a_server_restart_mid_run_loses_nothing_confirmed(
    server_database: Database, tmp_path: Path, stop_server: Callable[[], None]
) -> None:
    db = server_database
    db.open_services().close()
    password = urlsplit(db.target).password or ""
    stop_file = tmp_path / "stop"
    worker = start_worker("restart-loop", **db.params(), stop=str(stop_file), first=0,
                          seconds=PATIENCE * 3)
    try:
        lines = Lines(worker)
        lines.wait_for(lambda seen: len(_steps(seen, "signed-in")) >= 2, "two people done")

        stop_server()
        # What the services had confirmed when the server went away: it must all be there after.
        before = lines.snapshot()
        lines.wait_for(lambda seen: any("error" in line for line in seen[len(before):]),
                       "the store's error while the server is stopped")
        during = lines.snapshot()[len(before):]

        resume_server()
        done_before = len(_steps(lines.snapshot(), "signed-in"))
        lines.wait_for(lambda seen: len(_steps(seen, "signed-in")) >= done_before + 2,
                       "two more people done once the server is back")
        stop_file.touch()
        answer = lines.finish()
    finally:
        stop_file.touch()
        stop(worker)

    everything = lines.snapshot()[:-1]
    assert answer == {"done": len(_steps(everything, "signed-in"))}

    errors = [line["error"] for line in during if "error" in line]
    assert errors, during
    for message in errors:
        # French, for the user, the password masked: the store's message, not a driver's dump.
        assert message and "Traceback" not in message and "psycopg" not in message, message
        assert password not in message, message
    # The server named (password masked), so the user knows which base cannot be reached.
    server = f"{urlsplit(db.target).hostname}:{urlsplit(db.target).port}"
    assert any("PostgreSQL" in message and server in message for message in errors), errors

    registered = set(_steps(everything, "registered"))
    activated = set(_steps(everything, "activated"))
    signed_in = _steps(everything, "signed-in")
    assert set(_steps(before, "registered")) <= registered
    with db.checks() as conn:
        stored = dict(conn.rows("SELECT nir, status FROM accounts"))
        sign_ins = conn.scalar("SELECT count(*) FROM events WHERE kind = ?", (events.SIGN_IN,))
    assert registered <= set(stored), registered - set(stored)
    assert all(stored[nir] == "active" for nir in activated), stored
    assert sign_ins >= len(signed_in)
    assert consistency_problems(db) == []
    # A new program opens the database afterwards, and the first person, activated before the
    # stop, signs in.
    services = db.open_services()
    try:
        first = _steps(before, "activated")[0]
        assert services.sign_in.sign_in(first, PASSWORDS[0]).status.value == "signed-in"
    finally:
        services.close()
