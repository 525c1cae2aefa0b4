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

from ensap_tui.commands.serve import (
    AddressGuard,
    address,
    app_command,
    is_loopback,
    loopback_warning,
    started_text,
)
from tests.support.pages import css_without_comments, elsewhere, named_urls
from tests.support.programs import program_env, stop, tab_apps

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


async def read_home_page(
    ws_url: str, expected: str, origin: str | None = None, *, focus: bool = False
) -> str:
    """Opens the websocket as the page's script does (a browser says the page's origin) and
    reads the terminal output until ``expected`` shows; returns the text seen. With ``focus``,
    once the home page is drawn, says that the terminal has the focus, as the page's script
    does when the person clicks in it (Textual's footer waits for it)."""
    received = b""
    focused = False
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=10)
    origin = origin or "http://" + ws_url.split("/")[2]
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.ws_connect(ws_url, origin=origin) as websocket,
    ):
        for _ in range(MAX_MESSAGES):
            message = await asyncio.wait_for(websocket.receive(), RECEIVE_TIMEOUT)
            if message.type == aiohttp.WSMsgType.BINARY:
                received += message.data
            elif message.type != aiohttp.WSMsgType.TEXT:
                break
            if expected in screen_text(received):
                break
            if focus and not focused and "Créer mon espace" in screen_text(received):
                await websocket.send_str('["focus"]')
                focused = True
        await websocket.close()
    return screen_text(received)


def fetch_text(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200, url
        return str(response.read().decode("utf-8"))


def assert_fetches_nothing_from_elsewhere(page: str, base: str) -> None:
    """Every URL the page names, and every URL its stylesheets and scripts name, is on the
    server (a training room may have no internet); the page loads the bundled font."""
    urls = named_urls(page, base)
    assert elsewhere(urls, base) == set()
    fonts = {url for url in urls if url.endswith(".ttf")}
    assert any("RobotoMono" in url for url in fonts), urls
    for url in urls:
        if url.startswith("ws:"):
            continue
        if url.endswith((".css", ".js")):
            text = fetch_text(url)
            if url.endswith(".css"):
                text = css_without_comments(text)
            assert elsewhere(named_urls(text, url), base) == set(), url
        else:
            with urllib.request.urlopen(url, timeout=30) as response:  # fonts, pictures
                assert response.status == 200, url


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
        # The page itself is French and fetches nothing from another site (no web font).
        assert '<html lang="fr">' in page and "<title>ENSAP" in page
        assert ">Démarrer<" in page and "Session terminée." in page and ">Relancer<" in page
        for english in (">Start<", "Session ended", ">Restart<", "Textual Application"):
            assert english not in page
        assert "fonts.googleapis.com" not in page
        assert_fetches_nothing_from_elsewhere(page, f"http://{HOST}:{port}/")
        text = asyncio.run(read_home_page(
            f"{ws_url}?width=100&height=40", "Commandes", focus=True
        ))
        assert "Créer mon espace" in text
        assert "Accéder à mon espace" in text
        # The app knows it runs in a browser (textual-serve's web driver): its footer shows the
        # keys a browser leaves to the page (tests/ui/test_browser_keys.py).
        footer = [line for line in text.splitlines() if "Commandes" in line][-1]
        assert "Ctrl+G Aide" in footer and "Ctrl+S Quitter" in footer and "Ctrl+O" in footer
        assert "F1" not in footer and "Ctrl+Q" not in footer
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


# Issue 10, finding 2: the page and the websocket check Host and Origin against the served
# address (DNS rebinding included); a refused request gets a French answer and starts no app;
# --max-sessions caps the tabs, with a French page beyond.


def start_server(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ensap_tui", "serve", "--port", str(port),
         "--db", str(tmp_path / "ensap.sqlite3"), *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
        env=program_env(tmp_path),
    )
    wait_until_it_answers(process, f"http://{HOST}:{port}/")
    return process, port


def children(process: subprocess.Popen[bytes]) -> list[str]:
    """The process ids of the server's children (its app launcher, and each tab's app it
    started itself where it could not fork one)."""
    found: list[str] = []
    for task in Path(f"/proc/{process.pid}/task").iterdir():
        found += (task / "children").read_text().split()
    return found


async def answer(url: str, headers: dict[str, str], websocket: bool = False) -> tuple[int, str]:
    """The status and text of a request (a websocket handshake when ``websocket``)."""
    if websocket:
        headers = {**headers, "Connection": "Upgrade", "Upgrade": "websocket",
                   "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
    timeout = aiohttp.ClientTimeout(total=60)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.get(url, headers=headers) as response,
    ):
        return response.status, "" if response.status == 101 else await response.text()


needs_proc = pytest.mark.skipif(
    not Path(f"/proc/{__import__('os').getpid()}/task").exists(), reason="no /proc here"
)


@needs_proc
@pytest.mark.parametrize(
    ("why", "host", "origin"),
    [
        ("another site", None, "http://site-malveillant.example"),
        ("another port", None, "http://127.0.0.1:1"),
        ("no origin", None, ""),
        ("DNS rebinding", "rebind.example:{port}", "http://rebind.example:{port}"),
    ],
)
def test_a_websocket_from_elsewhere_is_refused_and_starts_no_app(
    tmp_path: Path, why: str, host: str | None, origin: str
) -> None:
    process, port = start_server(tmp_path)
    try:
        headers = {"Origin": origin.format(port=port)} if origin else {}
        if host:
            headers["Host"] = host.format(port=port)
        status, text = asyncio.run(answer(f"http://{HOST}:{port}/ws", headers, websocket=True))
        assert status == 403, (why, status)
        assert "Connexion refusée" in text and "refusée" in text
        assert tab_apps(process.pid) == []
    finally:
        stop(process)


@needs_proc
def test_the_page_under_a_rebinding_name_is_refused(tmp_path: Path) -> None:
    process, port = start_server(tmp_path)
    try:
        status, text = asyncio.run(
            answer(f"http://{HOST}:{port}/", {"Host": f"rebind.example:{port}"})
        )
        assert status == 403
        assert '<html lang="fr">' in text and "Connexion refusée" in text
        assert f"http://{HOST}:{port}" in text
        # localhost and the served address are fine.
        for name in (f"localhost:{port}", f"{HOST}:{port}"):
            status, _ = asyncio.run(answer(f"http://{HOST}:{port}/", {"Host": name}))
            assert status == 200, name
        text = asyncio.run(read_home_page(
            f"ws://{HOST}:{port}/ws?width=100&height=40", "Créer mon espace",
            origin=f"http://localhost:{port}",
        ))
        assert "Créer mon espace" in text
    finally:
        stop(process)


@needs_proc
def test_beyond_max_sessions_a_french_page_and_no_new_app(tmp_path: Path) -> None:
    process, port = start_server(tmp_path, "--max-sessions", "1")
    origin = {"Origin": f"http://{HOST}:{port}"}

    async def scenario() -> None:
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=10)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.ws_connect(f"ws://{HOST}:{port}/ws", origin=origin["Origin"]) as first,
        ):
            # The first tab's app is running once its screen arrives.
            received = b""
            while "Créer mon espace" not in screen_text(received):
                message = await asyncio.wait_for(first.receive(), RECEIVE_TIMEOUT)
                assert message.type == aiohttp.WSMsgType.BINARY, message
                received += message.data
            apps = tab_apps(process.pid)
            assert len(apps) == 1
            status, text = await answer(f"http://{HOST}:{port}/", {})
            assert status == 503
            assert "Trop de sessions ouvertes" in text and "au plus 1 session" in text
            status, text = await answer(f"http://{HOST}:{port}/ws", origin, websocket=True)
            assert status == 503 and "Fermez un onglet" in text
            assert tab_apps(process.pid) == apps
            await first.close()
        # Once the tab is closed, the page opens again.
        for _ in range(START_ATTEMPTS):
            status, _ = await answer(f"http://{HOST}:{port}/", {})
            if status == 200:
                return
            await asyncio.sleep(0.1)
        raise AssertionError("the closed session was never given back")

    try:
        asyncio.run(scenario())
    finally:
        stop(process)


def test_max_sessions_must_be_a_positive_number(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ensap_tui", "serve", "--max-sessions", "0",
         "--db", str(tmp_path / "ensap.sqlite3")],
        capture_output=True, text=True, env=program_env(tmp_path), timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert "--max-sessions" in result.stderr
    assert "un nombre entre 1 et 1\u202f000\u202f000 est attendu" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("served", "value", "allowed"),
    [
        ("127.0.0.1", "127.0.0.1:8000", True),
        ("127.0.0.1", "localhost:8000", True),
        ("127.0.0.1", "LOCALHOST:8000", True),
        ("127.0.0.1", "[::1]:8000", True),
        ("127.0.0.1", "127.0.0.1:8001", False),
        ("127.0.0.1", "127.0.0.1", False),  # port 80 implied
        ("127.0.0.1", "evil.example:8000", False),
        ("127.0.0.1", "localhost.evil.example:8000", False),
        ("127.0.0.1", "user@127.0.0.1:8000", False),
        ("127.0.0.1", "", False),
        ("192.0.2.10", "192.0.2.10:8000", True),
        ("192.0.2.10", "localhost:8000", False),
        ("0.0.0.0", "192.0.2.10:8000", True),
        ("0.0.0.0", "salle.example:8000", False),
        ("salle-formation", "salle-formation:8000", True),
        ("salle-formation", "autre:8000", False),
    ],
)
def test_which_host_names_the_served_address(served: str, value: str, allowed: bool) -> None:
    guard = AddressGuard(served, 8000)
    assert guard.host_allowed(value) is allowed
    assert guard.origin_allowed(f"http://{value}") is (allowed and "@" not in value)


def test_origins_are_pages_of_the_served_address() -> None:
    guard = AddressGuard("127.0.0.1", 8000)
    assert guard.origin_allowed("http://127.0.0.1:8000")
    assert not guard.origin_allowed(None)
    assert not guard.origin_allowed("null")
    assert not guard.origin_allowed("file://")
    assert not guard.origin_allowed("http://127.0.0.1:8000/autre")
    assert guard.refusal("127.0.0.1:8000", None, websocket=False) is None
    assert "refusée" in (guard.refusal("127.0.0.1:8000", None, websocket=True) or "")


@needs_proc
def test_the_page_points_its_script_and_websocket_at_the_address_the_browser_used(
    tmp_path: Path,
) -> None:
    """With ``--host 0.0.0.0`` the room opens http://<IP of the machine>:PORT: the page must
    load its script and open its websocket there, not at the listening address (0.0.0.0 is
    the browser's own machine). Shown here on loopback with the two names of the address."""
    process, port = start_server(tmp_path)
    try:
        for name in (f"localhost:{port}", f"{HOST}:{port}"):
            status, page = asyncio.run(answer(f"http://{HOST}:{port}/", {"Host": name}))
            assert status == 200, name
            assert f'data-session-websocket-url="ws://{name}/ws"' in page, name
            assert f'src="http://{name}/static/js/textual.js"' in page, name
    finally:
        stop(process)


def test_on_every_interface_the_start_up_lines_say_to_open_the_machines_ip() -> None:
    """http://0.0.0.0:PORT opened in a browser is the browser's own machine: the lines name the
    machine's IP for the room, and loopback for this machine."""
    db = Path("formation.sqlite3")
    for host in ("0.0.0.0", "::"):
        said = started_text(host, 8080, db, demo=True)
        assert "Ouvrez http://ADRESSE-IP-DE-CETTE-MACHINE:8080 dans un navigateur" in said
        assert "http://127.0.0.1:8080 sur celle-ci" in said
        assert "Ouvrez cette adresse" not in said
    said = started_text("127.0.0.1", 8000, db, demo=False)
    assert said.startswith("Simulateur ENSAP servi sur http://127.0.0.1:8000 (base ")
    assert "Ouvrez cette adresse dans un navigateur\u00a0; chaque onglet" in said
