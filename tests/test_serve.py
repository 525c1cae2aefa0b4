"""The browser view: ``ensap-tui serve`` answers on loopback, serves the page, and over its
websocket the home page of a fresh app arrives. The server runs as a real subprocess on
127.0.0.1 only and is stopped by its process id."""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import aiohttp
import pytest

from ensap_tui.commands.serve import address, app_command, is_loopback, loopback_warning
from tests.support.programs import program_env, stop

HOST = "127.0.0.1"
#: Upper bounds of the waits (bounded loops, never assertions on speed).
START_ATTEMPTS = 300  # x 0.1 s
RECEIVE_TIMEOUT = 30.0  # seconds without any message before giving up
MAX_MESSAGES = 2000

_ANSI = re.compile(r"\x1b(?:\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def wait_until_it_answers(process: subprocess.Popen[bytes], url: str) -> str:
    for _ in range(START_ATTEMPTS):
        if process.poll() is not None:
            raise AssertionError(f"the server stopped (code {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                assert response.status == 200
                return str(response.read().decode("utf-8"))
        except (urllib.error.URLError, ConnectionError):
            process_wait(process, 0.1)
    raise AssertionError("the server never answered")


def process_wait(process: subprocess.Popen[bytes], seconds: float) -> None:
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=seconds)


def screen_text(data: bytes) -> str:
    return _ANSI.sub("", data.decode("utf-8", "ignore"))


async def read_home_page(ws_url: str, expected: str) -> str:
    """Opens the websocket as the page's script does and reads the terminal output until
    ``expected`` shows; returns the text seen."""
    received = b""
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=10)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.ws_connect(ws_url) as websocket,
    ):
        for _ in range(MAX_MESSAGES):
            message = await asyncio.wait_for(websocket.receive(), RECEIVE_TIMEOUT)
            if message.type == aiohttp.WSMsgType.BINARY:
                received += message.data
            elif message.type != aiohttp.WSMsgType.TEXT:
                break
            if expected in screen_text(received):
                break
        await websocket.close()
    return screen_text(received)


def test_serve_answers_on_loopback_and_the_home_page_arrives_over_the_websocket(
    tmp_path: Path,
) -> None:
    db = tmp_path / "navigateur" / "ensap.sqlite3"
    port = free_port()
    env = program_env(tmp_path)
    out = (tmp_path / "serve.out").open("wb")
    err = (tmp_path / "serve.err").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "ensap_tui", "serve", "--port", str(port), "--db", str(db)],
        stdout=out,
        stderr=err,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    try:
        page = wait_until_it_answers(process, f"http://{HOST}:{port}/")
        assert "<html" in page.lower()
        ws_url = f"ws://{HOST}:{port}/ws"
        assert ws_url in page  # the page's script connects there
        text = asyncio.run(read_home_page(f"{ws_url}?width=100&height=40", "Créer mon espace"))
        assert "Créer mon espace" in text
        assert "Accéder à mon espace" in text
        assert "aucune donnée n'est transmise à l'ENSAP" in text
    finally:
        stop(process)
        out.close()
        err.close()
    said = (tmp_path / "serve.out").read_text(encoding="utf-8")
    assert f"Simulateur ENSAP servi sur http://{HOST}:{port}" in said
    assert "Ouvrez cette adresse dans un navigateur" in said
    # The tab's app used the database given, and nothing went to a default data folder.
    assert db.exists()
    assert not (tmp_path / "xdg_data_home" / "ensap-tui").exists()


def test_a_port_in_use_is_said_in_french_before_anything_starts(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        result = subprocess.run(
            [sys.executable, "-m", "ensap_tui", "serve", "--port", str(port),
             "--db", str(tmp_path / "ensap.sqlite3")],
            capture_output=True, text=True, env=program_env(tmp_path), timeout=120,
            stdin=subprocess.DEVNULL,
        )
    assert result.returncode == 2
    assert f"le port {port} est déjà utilisé" in result.stderr
    assert "servi sur" not in result.stdout


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True),
     ("0.0.0.0", False), ("192.0.2.10", False), ("salle-formation", False)],
)
def test_only_loopback_goes_without_a_warning(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    warning = loopback_warning(host)
    if loopback:
        assert warning is None
    else:
        assert warning is not None and "d'autres machines du réseau" in warning


def test_each_tab_runs_this_python_on_the_same_database(tmp_path: Path) -> None:
    db = tmp_path / "dossier avec espace" / "base.sqlite3"
    command = app_command(db, demo=True)
    assert command.startswith(sys.executable.replace(" ", "\\ ")) or sys.executable in command
    assert "-m ensap_tui --db" in command and command.endswith("--demo")
    assert f"'{db.absolute()}'" in command  # quoted for the shell
    assert address("::1", 8000) == "http://[::1]:8000"
