"""Issue 11, point 16: ``agent add`` checks the password before asking for its confirmation,
and lists every problem found (not only the first)."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from ensap_tui.services.container import Services
from tests.support.programs import program_env, stop
from tests.support.programs import run_main as run

PASSWORD = "Guichet#Aide2026"
#: Too short, one type of character, and a common password: three problems at once.
WEAK = "azerty"


@pytest.fixture(autouse=True)
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(previous)


def test_every_problem_is_listed_and_the_confirmation_is_not_read(
        capsys: pytest.CaptureFixture[str], db_path: Path, services: Services,
        monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.StringIO(f"{WEAK}\nnot read\n")
    monkeypatch.setattr(sys, "stdin", stdin)
    code, _, err = run(capsys, db_path, "agent", "add", "martin")
    assert code == 1
    assert "8 caractères" in err and "3 des 4 types" in err and "courants" in err
    assert err.count("  - ") == 3
    assert stdin.read() == "not read\n"  # the confirmation was never asked for
    assert services.agents.list() == []


def test_a_bad_name_is_refused_before_any_password_is_read(
        capsys: pytest.CaptureFixture[str], db_path: Path, services: Services,
        monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.StringIO(f"{PASSWORD}\n{PASSWORD}\n")
    monkeypatch.setattr(sys, "stdin", stdin)
    code, _, err = run(capsys, db_path, "agent", "add", "m\u0430rtin")
    assert code == 1 and "lettres sans accent" in err
    assert stdin.read() == f"{PASSWORD}\n{PASSWORD}\n"


def _read_until(fd: int, wanted: str, seen: list[str]) -> str:
    """Reads the terminal until ``wanted`` shows (or the program ends); the text so far."""
    while wanted not in "".join(seen):
        ready, _, _ = select.select([fd], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the program ended and closed its side
            break
        if not chunk:
            break
        seen.append(chunk.decode("utf-8", "replace"))
    return "".join(seen)


def test_on_a_terminal_the_problems_come_before_the_confirmation_prompt(
        tmp_path: Path, db_path: Path, services: Services) -> None:
    """The real program on a pseudo-terminal: getpass reads the password without echo."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "ensap_tui", "--db", str(db_path), "agent", "add", "martin"],
        stdin=slave, stdout=slave, stderr=slave, env=program_env(tmp_path),
        start_new_session=True,  # the pty becomes the program's terminal: getpass opens it
    )
    os.close(slave)
    seen: list[str] = []
    try:
        assert "Mot de passe de l'agent" in _read_until(master, "Mot de passe de l'agent", seen)
        os.write(master, f"{WEAK}\n".encode())
        text = _read_until(master, "courants", seen)
        assert process.wait(timeout=60) == 1
    finally:
        stop(process)
        os.close(master)
    assert "8 caractères" in text and "3 des 4 types" in text and "courants" in text
    assert "Confirmez" not in text
    assert WEAK not in text  # no echo
    assert services.agents.list() == []
