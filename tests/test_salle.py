"""The training room's server (issue 12): ``ensap-tui salle`` runs as a real program on
127.0.0.1 with a free port, its web server a child of its own; the tests join over HTTP, open
the websocket with the cookie and read the poste's app, and stop the command by its process id
(the room is then ended and the server gone). No network outside loopback."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import html
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

import aiohttp
import pytest

from ensap_tui.bootstrap import Settings, open_services
from ensap_tui.commands.salle_server import (
    COOKIE,
    WRONG_CODES_ALLOWED,
    WrongCodeThrottle,
    app_command,
    join_page,
)
from tests.support.engines import Database
from tests.support.pages import css_without_comments, elsewhere, named_urls
from tests.support.programs import is_launcher, program_env, stop, tab_apps
from tests.test_serve import (
    HOST,
    MAX_MESSAGES,
    RECEIVE_TIMEOUT,
    START_ATTEMPTS,
    children,
    free_port,
    needs_proc,
    process_wait,
    screen_text,
)

_CODE = re.compile(r"Code de la salle\u00a0: ([A-Z0-9]{3}-[A-Z0-9]{3})")


@dataclass
class Salle:
    """``ensap-tui salle`` running: the program, its port, its database (a file, or a
    server's URL) and the room code."""

    process: subprocess.Popen[bytes]
    port: int
    db: Path | str
    code: str
    out: Path

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def server(self) -> str:
        """The process id of the room's web server (the command's one child)."""
        found = children(self.process)  # type: ignore[arg-type]
        assert len(found) == 1, found
        return found[0]

    def apps(self) -> list[str]:
        """The process ids of the poste apps the server runs (forked by its launcher)."""
        return tab_apps(self.server())


def start_salle(
    tmp_path: Path, *extra: str, name: str = "salle", database: Database | None = None
) -> Salle:
    """Starts ``ensap-tui salle`` on a free port: on a SQLite file of its own, or on
    ``database`` (a server's, given as the README says: ``ENSAP_TUI_DB`` and
    ``ENSAP_TUI_SECRET_FILE``). ``name`` tells several rooms' files apart."""
    port = free_port()
    out, err = tmp_path / f"{name}.out", tmp_path / f"{name}.err"
    if database is None:
        db: Path | str = tmp_path / name / "ensap.sqlite3"
        where, env = ["--db", str(db)], program_env(tmp_path)
    else:
        assert database.secret_file is not None
        db, where = database.target, []
        env = program_env(tmp_path, ENSAP_TUI_DB=database.target,
                          ENSAP_TUI_SECRET_FILE=database.secret_file)
    process = subprocess.Popen(
        [sys.executable, "-m", "ensap_tui", "salle", "--port", str(port), *where, *extra],
        stdout=out.open("wb"), stderr=err.open("wb"), stdin=subprocess.DEVNULL, env=env,
    )
    for _ in range(START_ATTEMPTS * 2):
        if process.poll() is not None:
            raise AssertionError(
                f"salle stopped ({process.returncode}): " + err.read_text(encoding="utf-8")
            )
        found = _CODE.search(out.read_text(encoding="utf-8"))
        if found:
            return Salle(process, port, db, found.group(1), out)
        process_wait(process, 0.1)
    stop(process)
    raise AssertionError("salle never printed its code")


@pytest.fixture
def salle(tmp_path: Path) -> Iterator[Salle]:
    running = start_salle(tmp_path)
    try:
        yield running
    finally:
        stop(running.process)


async def get(
    url: str, headers: dict[str, str] | None = None
) -> tuple[int, str, dict[str, str]]:
    timeout = aiohttp.ClientTimeout(total=60)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.get(url, headers=headers or {}, allow_redirects=False) as response,
    ):
        return response.status, await response.text(), dict(response.headers)


async def join(
    base: str, code: str, first_name: str, origin: str | None = None
) -> tuple[int, str, str | None]:
    """Posts the join form as a browser does; the status, the page and the cookie's key."""
    timeout = aiohttp.ClientTimeout(total=60)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.post(
            f"{base}/rejoindre", data={"code": code, "prenom": first_name},
            headers={"Origin": origin or base}, allow_redirects=False,
        ) as response,
    ):
        key = None
        for header in response.headers.getall("Set-Cookie", []):
            cookie = SimpleCookie(header)
            if COOKIE in cookie:
                morsel = cookie[COOKIE]
                assert morsel["httponly"] and morsel["samesite"] == "Strict", header
                key = morsel.value
        return response.status, await response.text(), key


async def first_screen(base: str, key: str, expected: str) -> str:
    """Opens the websocket with the poste's cookie and reads until ``expected`` shows."""
    received = b""
    ws_url = base.replace("http:", "ws:") + "/ws?width=100&height=40"
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=10)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.ws_connect(
            ws_url, origin=base, headers={"Cookie": f"{COOKIE}={key}"}
        ) as websocket,
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


async def websocket_status(base: str, headers: dict[str, str]) -> tuple[int, str]:
    """The answer to a websocket handshake that the server refuses (no app is started)."""
    headers = {**headers, "Connection": "Upgrade", "Upgrade": "websocket",
               "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
    status, text, _ = await get(f"{base}/ws", headers)
    return status, text


def room_state(db: Path, code: str) -> tuple[bool, list[tuple[int, str]]]:
    """Whether the command's room (the database's first) is ended, and its postes (id, first
    name) in joining order."""
    services = open_services(db, settings=Settings.for_tests())
    try:
        room = services.room.room(1)
        assert room.display_code == code
        rows = services.room.board(room.id)
        return room.ended, [(row.poste.id, row.poste.first_name) for row in rows]
    finally:
        services.close()


def app_process(pid: str) -> tuple[str, bool, set[str]]:
    """What a tab's app process is: its name, whether the server's launcher forked it, and
    the files it has open."""
    parent = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
    files: set[str] = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            files.add(os.readlink(fd))
    return Path(f"/proc/{pid}/comm").read_text().strip(), is_launcher(parent), files


@needs_proc
def test_a_trainee_joins_with_the_code_and_gets_an_app_of_their_own(salle: Salle) -> None:
    said = salle.out.read_text(encoding="utf-8")
    assert f"Adresse à donner aux stagiaires\u00a0: http://{HOST}:{salle.port}" in said
    assert "Salle de formation ouverte" in said

    async def scenario() -> None:
        # The join page: French, finished, fetching nothing from another machine.
        status, page, _ = await get(f"{salle.base}/")
        assert status == 200
        assert '<html lang="fr">' in page and "<title>ENSAP — simulateur de formation<" in page
        assert "Code de la salle" in page and "Prénom" in page and "Rejoindre la salle" in page
        assert elsewhere(named_urls(page, salle.base + "/"), salle.base + "/") == set()

        # A wrong code: the error under the code field, the first name kept, no app.
        status, page, key = await join(salle.base, "ZZZ-ZZZ", "Amélie")
        assert status == 400 and key is None
        assert 'id="code-erreur"' in page and "aucune salle ouverte" in page
        assert 'value="Amélie"' in page
        # A bad first name: its error under its own field.
        status, page, key = await join(salle.base, salle.code.lower(), "<b>")
        assert status == 400 and key is None
        assert 'id="prenom-erreur"' in page and "&lt;b&gt;" in page
        # No cookie, or a made-up one: no app either.
        status, text = await websocket_status(salle.base, {"Origin": salle.base})
        assert status == 403 and "Poste inconnu" in text
        status, text = await websocket_status(
            salle.base, {"Origin": salle.base, "Cookie": f"{COOKIE}=invente"}
        )
        assert status == 403 and "Poste inconnu" in text and "rejoint la salle" in text
        assert salle.apps() == []

        # The good code (typed without its hyphen, in lower case) and a first name.
        status, _, key = await join(salle.base, salle.code.replace("-", "").lower(), "Amélie")
        assert status == 303 and key is not None
        # With the cookie, the page is the simulator's, pointing at this address.
        status, page, _ = await get(f"{salle.base}/", {"Cookie": f"{COOKIE}={key}"})
        assert status == 200
        assert f'data-session-websocket-url="ws://{HOST}:{salle.port}/ws"' in page
        assert "<title>ENSAP — simulateur de formation<" in page
        urls = named_urls(page, salle.base + "/")
        assert elsewhere(urls, salle.base + "/") == set()
        for url in urls:
            if url.endswith((".css", ".js")):
                _, text, _ = await get(url)
                text = css_without_comments(text) if url.endswith(".css") else text
                assert elsewhere(named_urls(text, url), salle.base + "/") == set(), url

        # Its websocket starts the app of that poste, whose home page arrives.
        text = await first_screen(salle.base, key, "Créer mon espace")
        assert "Créer mon espace" in text
        # That app was the poste's: forked with --poste and the poste's number.
        started.extend(app_process(pid) for pid in salle.apps())

        # Host and Origin are checked, even with a good cookie.
        status, text = await websocket_status(
            salle.base, {"Origin": "http://site-malveillant.example", "Cookie": f"{COOKIE}={key}"}
        )
        assert status == 403 and "Connexion refusée" in text
        status, _, _ = await get(f"{salle.base}/", {"Host": f"rebind.example:{salle.port}"})
        assert status == 403

        # A script trying codes is made to wait, even once it types the good one (one wrong
        # code was typed above).
        for attempt in range(WRONG_CODES_ALLOWED - 1):
            status, _, _ = await join(salle.base, f"ZZZ-ZZ{attempt + 2}", "Robot")
            assert status == 400
        status, page, key = await join(salle.base, salle.code, "Robot")
        assert status == 429 and key is None
        assert "Trop de codes erronés" in page and "réessayez dans" in page

    started: list[tuple[str, bool, set[str]]] = []
    asyncio.run(scenario())
    ended, postes = room_state(Path(salle.db), salle.code)
    assert not ended
    assert [name for _, name in postes] == ["Amélie"]
    poste_id = postes[0][0]
    assert started, "the app's process was not found while it ran"
    for name, forked, files in started:
        # The launcher names each app it forks after the poste its request (--poste) gave,
        # and the app has the room's database open.
        assert forked and name == f"ensap-poste-{poste_id}", name
        assert str(Path(salle.db).absolute()) in files, files

    # Stopping the command (by its process id) stops its server and ends the room.
    server = salle.server()
    stop(salle.process)
    assert salle.process.returncode == 0
    assert not Path(f"/proc/{server}").exists() or "zombie" in Path(
        f"/proc/{server}/status").read_text()
    ended, _ = room_state(Path(salle.db), salle.code)
    assert ended
    assert f"Salle {salle.code} fermée." in salle.out.read_text(encoding="utf-8")


@needs_proc
def test_beyond_max_postes_a_french_page_says_the_room_is_full(tmp_path: Path) -> None:
    running = start_salle(tmp_path, "--max-postes", "1")
    base = running.base

    async def scenario() -> None:
        status, _, key = await join(base, running.code, "Bérénice")
        assert status == 303 and key is not None
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=10)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.ws_connect(
                f"ws://{HOST}:{running.port}/ws", origin=base,
                headers={"Cookie": f"{COOKIE}={key}"},
            ) as first,
        ):
            received = b""
            while "Créer mon espace" not in screen_text(received):
                message = await asyncio.wait_for(first.receive(), RECEIVE_TIMEOUT)
                assert message.type == aiohttp.WSMsgType.BINARY, message
                received += message.data
            apps = running.apps()
            assert len(apps) == 1
            for status, text, _ in (
                await get(f"{base}/"),
                await join(base, running.code, "Camille"),
            ):
                assert status == 503
                assert "Salle complète" in text and "au plus 1 poste" in text
            status, text = await websocket_status(
                base, {"Origin": base, "Cookie": f"{COOKIE}={key}"}
            )
            assert status == 503 and "Salle complète" in text
            assert running.apps() == apps
            await first.close()

    try:
        asyncio.run(scenario())
    finally:
        stop(running.process)


def test_a_port_in_use_is_said_before_any_room_opens(tmp_path: Path) -> None:
    import socket

    db = tmp_path / "ensap.sqlite3"
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        result = subprocess.run(
            [sys.executable, "-m", "ensap_tui", "salle", "--port", str(port), "--db", str(db)],
            capture_output=True, text=True, env=program_env(tmp_path), timeout=120,
            stdin=subprocess.DEVNULL,
        )
    assert result.returncode == 2
    assert f"le port {port} est déjà utilisé" in result.stderr
    assert "Code de la salle" not in result.stdout
    assert not db.exists()


def test_wrong_codes_are_throttled_per_client() -> None:
    now = [1000.0]
    throttle = WrongCodeThrottle(allowed=3, window=60.0, clock=lambda: now[0])
    for _ in range(3):
        assert throttle.wait("192.0.2.10") == 0
        throttle.wrong("192.0.2.10")
    assert throttle.wait("192.0.2.10") == pytest.approx(60.0)
    assert throttle.wait("192.0.2.11") == 0  # another machine of the room
    now[0] += 30
    assert throttle.wait("192.0.2.10") == pytest.approx(30.0)
    now[0] += 30
    assert throttle.wait("192.0.2.10") == 0


def test_the_join_page_keeps_what_was_typed_escaped() -> None:
    page = join_page(code='"><script>', first_name="Zoé <i>", name_error="Indiquez <b>.")
    assert "<script>" not in page and "<i>" not in page and "<b>." not in page
    assert 'value="&quot;&gt;&lt;script&gt;"' in page
    assert 'id="prenom-erreur"' in page and 'aria-invalid="true"' in page


def test_each_poste_runs_this_python_on_the_database_scoped_to_it(tmp_path: Path) -> None:
    command = app_command(tmp_path / "base.sqlite3", 7, demo=True)
    assert command.startswith(sys.executable) and " -m ensap_tui --db " in command
    assert command.endswith("--demo --poste 7")


@needs_proc
def test_a_script_starts_the_room_server_and_it_listens_when_the_call_returns(
    tmp_path: Path,
) -> None:
    """``start_room_server`` (for scripts such as a load test) returns once it listens."""
    from ensap_tui.commands.salle_server import start_room_server

    db = tmp_path / "ensap.sqlite3"
    services = open_services(db, settings=Settings.for_tests())
    room = services.room.open_room()
    port = free_port()
    before = tab_apps(os.getpid())

    async def scenario() -> None:
        server, runner = await start_room_server(HOST, port, db, room.id, services=services)
        try:
            status, page, _ = await get(f"http://{HOST}:{port}/")
            assert status == 200 and "Code de la salle" in page
            status, _, key = await join(f"http://{HOST}:{port}", room.code, "Zoé")
            assert status == 303 and key is not None
            assert server.services is services
            # Once the trainer ends the room, nothing opens any more, cookie or not.
            await asyncio.to_thread(services.room.end_room, room.id)
            base = f"http://{HOST}:{port}"
            for status, text, _ in (
                await get(f"{base}/", {"Cookie": f"{COOKIE}={key}"}),
                await join(base, room.code, "Camille"),
            ):
                assert status == 410 and "Salle fermée" in text
            status, text = await websocket_status(
                base, {"Origin": base, "Cookie": f"{COOKIE}={key}"}
            )
            assert status == 410 and "a fermé cette salle" in text
            assert tab_apps(os.getpid()) == before
        finally:
            await runner.cleanup()

    try:
        asyncio.run(scenario())
        [row] = services.room.board(room.id)
        assert row.poste.first_name == "Zoé"
    finally:
        services.close()


def test_the_join_address_asked_again_or_an_unreadable_form_gets_the_join_page(
    tmp_path: Path,
) -> None:
    """After a wrong code the address bar shows /rejoindre: Enter there leads back to the
    room's page; a form that is not UTF-8 gets the join form and a French error, no 500."""
    from ensap_tui.commands.salle_server import MSG_FORM_UNREADABLE, start_room_server

    db = tmp_path / "ensap.sqlite3"
    services = open_services(db, settings=Settings.for_tests())
    room = services.room.open_room()
    port = free_port()
    base = f"http://{HOST}:{port}"

    async def scenario() -> None:
        _server, runner = await start_room_server(HOST, port, db, room.id, services=services)
        try:
            status, _, headers = await get(f"{base}/rejoindre")
            assert (status, headers["Location"]) == (303, "/")
            timeout = aiohttp.ClientTimeout(total=60)
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.post(
                    f"{base}/rejoindre", data=f"code={room.code}&prenom=\xff\xfe".encode(
                        "latin-1"),
                    headers={"Origin": base,
                             "Content-Type": "application/x-www-form-urlencoded"},
                    allow_redirects=False,
                ) as response,
            ):
                page = await response.text()
                assert response.status == 400
                assert html.escape(MSG_FORM_UNREADABLE) in page and 'id="code"' in page
                assert COOKIE not in response.headers.get("Set-Cookie", "")
        finally:
            await runner.cleanup()

    try:
        asyncio.run(scenario())
        assert services.room.board(room.id) == []
    finally:
        services.close()


def test_a_double_click_on_the_join_button_makes_one_poste(tmp_path: Path) -> None:
    """The form sent twice at once (a double click) from one machine for one first name gives
    one poste (both answers' keys open it); another first name, or another trainee, a new
    one: no poste stays on the board never connected."""
    from ensap_tui.commands.salle_server import start_room_server

    db = tmp_path / "ensap.sqlite3"
    services = open_services(db, settings=Settings.for_tests())
    room = services.room.open_room()
    port = free_port()
    base = f"http://{HOST}:{port}"

    async def scenario() -> None:
        server, runner = await start_room_server(HOST, port, db, room.id, services=services)
        try:
            answers = await asyncio.gather(
                join(base, room.code, "Amélie"), join(base, room.code, " Amélie "))
            assert [status for status, _, _ in answers] == [303, 303]
            keys = [key for _, _, key in answers]
            assert None not in keys and keys[0] != keys[1]
            postes = {server._postes[hashlib.sha256(str(k).encode()).hexdigest()]
                      for k in keys}
            assert len(postes) == 1
            status, _, _ = await join(base, room.code, "Bruno")
            assert status == 303
        finally:
            await runner.cleanup()

    try:
        asyncio.run(scenario())
        assert [row.poste.first_name for row in services.room.board(room.id)] == [
            "Amélie", "Bruno"]
    finally:
        services.close()


def test_a_servers_url_never_goes_on_a_command_line(tmp_path: Path) -> None:
    """Any user of the machine reads command lines: a PostgreSQL URL (and its password)
    reaches the room's server and the postes' apps through ENSAP_TUI_DB instead."""
    from ensap_tui.commands import database_argument
    from ensap_tui.commands.salle import server_command

    url = database_argument("postgresql://formateur:motdepasse@192.0.2.5:5432/ensap")
    secret = tmp_path / "ensap.secret"
    server = server_command(url, 3, HOST, 8000, demo=False, max_postes=30, secret_file=secret)
    app = app_command(url, 7, demo=False, secret_file=secret)
    for line in (" ".join(server), app):
        assert "motdepasse" not in line and "192.0.2.5" not in line and "--db" not in line
        assert f"--secret-file {secret}" in line
    assert app.endswith("--poste 7")
    assert server[server.index("--salle") + 1] == "3"


@needs_proc
def test_the_server_stops_when_the_command_is_killed(tmp_path: Path) -> None:
    """Killed without a chance to stop its server (SIGKILL), the command leaves no server
    behind: the server sees its parent gone and stops, and its port is free again."""
    import signal
    import socket

    running = start_salle(tmp_path)
    server = running.server()
    try:
        running.process.send_signal(signal.SIGKILL)
        running.process.wait(timeout=30)
        for _ in range(START_ATTEMPTS * 2):
            status = Path(f"/proc/{server}/status")
            if not status.exists() or "zombie" in status.read_text():
                break
            time.sleep(0.1)  # between two looks at the condition
        else:
            raise AssertionError("the server outlived the command")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            # As a server binds: a closed connection's TIME_WAIT does not hold the port, a
            # listening socket does.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((HOST, running.port))
            probe.listen()
    finally:
        stop(running.process)
        if Path(f"/proc/{server}").exists():
            import os

            os.kill(int(server), signal.SIGKILL)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="interfaces read on Linux")
def test_without_a_route_out_the_address_is_one_of_the_machines_interfaces() -> None:
    """An offline room's switch may give no gateway: the route probe then fails, and the
    address printed is still the machine's (one of its interfaces), not a placeholder."""
    import socket

    from ensap_tui.commands.salle import interface_addresses, machine_address

    found = interface_addresses()
    assert all(not a.startswith("127.") for a in found)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.connect(("192.0.2.1", 9))
        routed = udp.getsockname()[0]
    if not routed.startswith("127."):
        assert routed in found  # the route's own address is one of the interfaces'
        assert machine_address() == routed
    # A probe of 0.0.0.0 (this machine itself) finds loopback only: as without a gateway,
    # the route gives no address the room can reach.
    assert machine_address(probe="0.0.0.0") == (found[0] if found else None)


def test_the_address_for_the_trainees_is_one_their_browsers_can_open() -> None:
    """On every interface the address printed is the machine's (http://0.0.0.0:PORT would be
    each trainee's own machine); on loopback the command says only this machine can join."""
    from datetime import UTC, datetime

    from ensap_tui.commands.salle import opened_text, trainee_address
    from ensap_tui.services.models import Room

    for host in ("0.0.0.0", "::"):
        shown = trainee_address(host, 8080)
        assert shown.startswith("http://") and shown.endswith(":8080")
        assert "0.0.0.0" not in shown and "[::]" not in shown
    assert trainee_address("192.0.2.10", 8000) == "http://192.0.2.10:8000"
    room = Room(id=1, code="K7M4QX", created_at=datetime(2026, 11, 30, tzinfo=UTC))
    said = opened_text(room, HOST, 8000, Path("salle.sqlite3"), demo=True)
    assert "Code de la salle\u00a0: K7M-4QX" in said
    assert "mode démonstration" in said and "Seule cette machine" in said
    assert "Seule cette machine" not in opened_text(
        room, "192.0.2.10", 8000, Path("salle.sqlite3"), demo=False
    )
