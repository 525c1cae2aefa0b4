"""The browser servers' app launcher (``ensap_tui.commands.app_launcher``): each tab's app is
forked from a process that has imported the app once. Real processes throughout: ``ensap-tui
serve`` on 127.0.0.1, the launcher itself, its apps; each stopped by its process id. Waits
are for conditions read in /proc, bounded."""

from __future__ import annotations

import asyncio
import json
import os
import selectors
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp

from ensap_tui.commands import app_launcher
from ensap_tui.commands.app_launcher import (
    APP_NICENESS,
    READY_LINE,
    app_arguments,
    poste_of_name,
    process_name,
    refusal,
)
from ensap_tui.commands.salle_server import app_command as poste_command
from ensap_tui.commands.serve import app_command
from tests.support.programs import child_processes, is_launcher, program_env, stop, tab_apps
from tests.test_serve import (
    HOST,
    MAX_MESSAGES,
    RECEIVE_TIMEOUT,
    free_port,
    needs_proc,
    screen_text,
    start_server,
    wait_until_it_answers,
)

#: Upper bound of every wait for a process to start or end (a loaded 2-core machine).
WAIT_SECONDS = 120.0
HOME = "Créer mon espace"


def wait_for(condition: Callable[[], bool], what: str, timeout: float = WAIT_SECONDS) -> None:
    """Returns once ``condition()`` holds; fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.05)


def ended(pid: int | str) -> bool:
    """Whether ``pid`` has ended (gone, or a zombie its parent has not reaped yet)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


def parent_of(pid: int | str) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]


def niceness_of(pid: int | str) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def name_of(pid: int | str) -> str:
    return Path(f"/proc/{pid}/comm").read_text().strip()


def launcher_of(server: int) -> str:
    """The launcher process of a server, once it has started it."""
    found: list[str] = []

    def started() -> bool:
        found[:] = [pid for pid in child_processes(server) if is_launcher(pid)]
        return len(found) == 1

    wait_for(started, "the server starts its launcher")
    return found[0]


async def open_tab(port: int) -> tuple[aiohttp.ClientSession, aiohttp.ClientWebSocketResponse]:
    """A tab's websocket, once its app's home page has arrived."""
    session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None, sock_connect=10))
    websocket = await session.ws_connect(
        f"ws://{HOST}:{port}/ws?width=100&height=40", origin=f"http://{HOST}:{port}"
    )
    received = b""
    for _ in range(MAX_MESSAGES):
        message = await asyncio.wait_for(websocket.receive(), RECEIVE_TIMEOUT)
        assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), message
        if message.type == aiohttp.WSMsgType.BINARY:
            received += message.data
        if HOME in screen_text(received):
            return session, websocket
    raise AssertionError("the home page never arrived")


# -- through the server ------------------------------------------------------------------------


@needs_proc
def test_each_tab_gets_an_app_forked_by_the_launcher_that_ends_with_its_tab_and_the_server(
    tmp_path: Path,
) -> None:
    server, port = start_server(tmp_path)
    launcher = launcher_of(server.pid)

    async def scenario() -> tuple[str, str]:
        first_session, first = await open_tab(port)
        second_session, second = await open_tab(port)
        try:
            apps = tab_apps(server.pid)
            assert len(apps) == 2
            # Forked by the launcher (the server's only child), named for a tester to find.
            assert child_processes(server.pid) == [launcher]
            for app in apps:
                assert parent_of(app) == launcher and name_of(app) == "ensap-app"
                # Behind the server that relays every tab's frames (and the trainer's board).
                assert niceness_of(app) == min(19, niceness_of(launcher) + APP_NICENESS)
            # A closed tab: its app ends, the other goes on.
            await first.close()
            await first_session.close()
            await asyncio.to_thread(
                wait_for, lambda: len(tab_apps(server.pid)) == 1, "the closed tab's app ends"
            )
            [second_app] = tab_apps(server.pid)
            [first_app] = [app for app in apps if app != second_app]
            # The server stopped (by its process id) with a tab still open: its app ends,
            # and so does the launcher.
            await asyncio.to_thread(stop, server)
            return first_app, second_app
        finally:
            await second.close()
            await second_session.close()

    try:
        first_app, second_app = asyncio.run(scenario())
    finally:
        stop(server)
    assert server.returncode == 0
    for pid in (launcher, first_app, second_app):
        wait_for(lambda pid=pid: ended(pid), f"process {pid} ends")  # type: ignore[misc]


@needs_proc
def test_the_server_answers_once_its_launcher_listens(tmp_path: Path) -> None:
    """The first tabs never wait for the launcher's imports: the server listens after it."""
    server, _port = start_server(tmp_path)  # returns once the server answers
    try:
        [launcher] = [pid for pid in child_processes(server.pid) if is_launcher(pid)]
        argv = Path(f"/proc/{launcher}/cmdline").read_bytes().decode().split("\0")
        socket_path = Path(argv[argv.index("--socket") + 1])
        assert socket_path.is_socket()
        # Private: the socket's folder is this user's only.
        assert socket_path.parent.stat().st_mode & 0o777 == 0o700
    finally:
        stop(server)
    assert not socket_path.parent.exists()  # removed when the server stops


@needs_proc
def test_without_its_launcher_a_tab_still_gets_its_app_as_a_new_process(tmp_path: Path) -> None:
    server, port = start_server(tmp_path)
    try:
        launcher = launcher_of(server.pid)
        os.kill(int(launcher), signal.SIGKILL)
        wait_for(lambda: launcher not in child_processes(server.pid), "the launcher is gone")

        async def scenario() -> None:
            session, websocket = await open_tab(port)
            try:
                [app] = tab_apps(server.pid)
                # Started by the server itself, as textual-serve does (not a forked app).
                assert parent_of(app) == str(server.pid)
                assert not name_of(app).startswith("ensap-")
            finally:
                await websocket.close()
                await session.close()

        asyncio.run(scenario())
        wait_for(lambda: tab_apps(server.pid) == [], "the closed tab's app ends")
    finally:
        stop(server)


@needs_proc
def test_a_launcher_that_cannot_start_says_nothing_and_each_tab_gets_a_new_process(
    tmp_path: Path,
) -> None:
    """A temporary folder too deep for a Unix socket's path (108 bytes at most): the launcher
    cannot listen. The server says nothing about it (no English traceback in the trainer's
    terminal) and each tab's app is a new process."""
    deep = tmp_path / ("d" * 120)
    deep.mkdir()
    port = free_port()
    out = tmp_path / "serve.out"
    with out.open("wb") as said:
        server = subprocess.Popen(
            [sys.executable, "-m", "ensap_tui", "serve", "--port", str(port),
             "--db", str(tmp_path / "ensap.sqlite3")],
            stdout=said, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=program_env(tmp_path, TMPDIR=str(deep)),
        )
    try:
        wait_until_it_answers(server, f"http://{HOST}:{port}/")
        wait_for(lambda: not any(is_launcher(pid) for pid in child_processes(server.pid)),
                 "the launcher has given up")

        async def scenario() -> None:
            session, websocket = await open_tab(port)
            try:
                [app] = tab_apps(server.pid)
                assert parent_of(app) == str(server.pid)
            finally:
                await websocket.close()
                await session.close()

        asyncio.run(scenario())
    finally:
        stop(server)
    text = out.read_text(encoding="utf-8")
    assert "Traceback" not in text and "Error" not in text, text
    assert "Simulateur ENSAP servi sur" in text


@needs_proc
def test_the_launcher_and_its_apps_end_when_the_server_is_killed(tmp_path: Path) -> None:
    server, port = start_server(tmp_path)
    try:
        launcher = launcher_of(server.pid)
        argv = Path(f"/proc/{launcher}/cmdline").read_bytes().decode().split("\0")
        folder = Path(argv[argv.index("--socket") + 1]).parent

        async def scenario() -> str:
            session, _tab = await open_tab(port)
            [app] = tab_apps(server.pid)
            # Killed outright: no chance to stop anything itself.
            server.kill()
            await asyncio.to_thread(server.wait)
            await session.close()
            return app

        app = asyncio.run(scenario())
        wait_for(lambda: ended(launcher) and ended(app), "the launcher and its app end")
        # The launcher removed its socket and the server's folder for it on its way out.
        wait_for(lambda: not folder.exists(), "the launcher's folder is removed")
    finally:
        stop(server)


# -- the launcher on its own ---------------------------------------------------------------------


def launcher_environment(tmp_path: Path) -> dict[str, str]:
    from ensap_tui.commands._web import web_environment

    env = program_env(tmp_path)
    env.update({key: value for key, value in web_environment().items()
                if key.startswith(("TEXTUAL", "TERM_PROGRAM"))})
    return env


@contextmanager
def running_launcher(
    tmp_path: Path,
) -> Iterator[tuple[subprocess.Popen[bytes], Path, dict[str, str]]]:
    """The launcher started as a server starts it; stopped by its process id."""
    folder = tmp_path / "lanceur"
    folder.mkdir(mode=0o700)
    path = folder / "socket"
    env = launcher_environment(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "ensap_tui.commands.app_launcher", "--socket", str(path),
         "--parent", str(os.getpid())],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, env=env,
    )
    try:
        assert process.stdout is not None
        assert read_line(process.stdout.fileno()) == READY_LINE
        yield process, path, env
    finally:
        stop(process)
        assert process.stdout is not None
        process.stdout.close()


def read_line(
    fd: int, contains: bytes = b"\n", errors: Callable[[], bytes] | None = None
) -> bytes:
    """What ``fd`` gives until ``contains`` arrives (bounded); should it end before, the
    assertion says what ``errors`` reads."""
    data = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        deadline = time.monotonic() + WAIT_SECONDS
        while contains not in data:
            assert time.monotonic() < deadline, data
            if selector.select(1.0):
                chunk = os.read(fd, 65536)
                assert chunk, data + (errors() if errors else b"")
                data += chunk
    return data


def ask(path: Path, request: bytes, fds: list[int]) -> tuple[socket.socket, dict[str, object]]:
    """Sends a request (with ``fds``) and reads the launcher's first answer."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    connection.settimeout(WAIT_SECONDS)
    connection.connect(str(path))
    socket.send_fds(connection, [request], fds)
    answer = json.loads(connection.recv(4096))
    assert isinstance(answer, dict)
    return connection, answer


class Pipes:
    """The three pipes of an app's standard streams: the child's ends and ours."""

    def __init__(self) -> None:
        self.stdin, self.stdout, self.stderr = os.pipe(), os.pipe(), os.pipe()

    @property
    def theirs(self) -> list[int]:
        return [self.stdin[0], self.stdout[1], self.stderr[1]]

    def close_theirs(self) -> None:
        for fd in self.theirs:
            os.close(fd)

    def close(self) -> None:
        for fd in (self.stdin[1], self.stdout[0], self.stderr[0]):
            os.close(fd)


@needs_proc
def test_the_launcher_forks_only_the_app_and_reports_how_it_ended(tmp_path: Path) -> None:
    db = str(tmp_path / "ensap.sqlite3")
    with running_launcher(tmp_path) as (launcher, path, env):
        session = {**env, "COLUMNS": "100", "ROWS": "40"}
        refused = [
            {"args": ["serve", "--port", "8000"], "env": session},  # another command
            {"args": ["--version"], "env": session},
            {"args": ["--db", db], "env": session, "command": "/bin/sh"},
            {"args": f"--db {db}", "env": session},
            {"args": ["--db", db], "env": {**session, "TEXTUAL_FPS": "1"}},
        ]
        for request in refused:
            pipes = Pipes()
            connection, answer = ask(path, json.dumps(request).encode(), pipes.theirs)
            pipes.close_theirs()
            pipes.close()
            connection.close()
            assert "refused" in answer and "pid" not in answer, request
        pipes = Pipes()
        for what, fds in (("not JSON", pipes.theirs), ("no pipes", [])):
            request = b"sh -c id" if what == "not JSON" else json.dumps(
                {"args": ["--db", db], "env": session}).encode()
            connection, answer = ask(path, request, fds)
            connection.close()
            assert "refused" in answer, what
        pipes.close_theirs()
        pipes.close()
        assert child_processes(launcher.pid) == []

        # The app: it runs with the session's pipes and says so (textual-serve's prelude);
        # told to quit, it ends and the launcher reports its exit code.
        good = json.dumps({"args": ["--db", db], "env": session}).encode()
        pipes = Pipes()
        connection, answer = ask(path, good, pipes.theirs)
        pipes.close_theirs()
        pid = answer["pid"]
        assert isinstance(pid, int)
        assert child_processes(launcher.pid) == [str(pid)]
        read_line(pipes.stdout[0], b"__GANGLION__\n", lambda: os.read(pipes.stderr[0], 65536))
        assert name_of(pid) == "ensap-app"  # named before it runs the app
        quit_packet = json.dumps({"type": "quit"}).encode()
        os.write(pipes.stdin[1], b"M" + len(quit_packet).to_bytes(4, "big") + quit_packet)
        assert json.loads(connection.recv(4096)) == {"exit": 0}
        assert connection.recv(4096) == b""  # then the launcher lets the connection go
        connection.close()
        pipes.close()
        wait_for(lambda: ended(pid), "the app that quit ends")

        # The arguments are the app's command line's: a poste that does not exist is said in
        # French on the app's standard error, and its exit code (2) reported.
        no_poste = json.dumps({"args": ["--db", db, "--poste", "7"], "env": session}).encode()
        pipes = Pipes()
        connection, answer = ask(path, no_poste, pipes.theirs)
        pipes.close_theirs()
        said = read_line(pipes.stderr[0], b"\n")
        assert "Le poste 7 n'existe pas" in said.decode(), said
        assert json.loads(connection.recv(4096)) == {"exit": 2}
        connection.close()
        pipes.close()

        # A closed connection (the tab's, or a server gone) ends its app.
        pipes = Pipes()
        connection, answer = ask(path, good, pipes.theirs)
        pipes.close_theirs()
        closed_tab = answer["pid"]
        connection.close()
        wait_for(lambda: ended(closed_tab), "the app of a closed connection ends")
        pipes.close()

        # The launcher stopped (by its process id) ends the apps it forked.
        pipes = Pipes()
        connection, answer = ask(path, good, pipes.theirs)
        pipes.close_theirs()
        last = answer["pid"]
        stop(launcher)
        assert launcher.returncode == 0
        wait_for(lambda: ended(last), "the launcher's last app ends")
        connection.close()
        pipes.close()


# -- what is asked ------------------------------------------------------------------------------


def test_a_tabs_request_holds_the_arguments_of_its_command_and_nothing_else(
    tmp_path: Path,
) -> None:
    db = tmp_path / "base.sqlite3"
    poste = shlex.split(poste_command(db, 7, demo=True))
    assert app_arguments(poste) == ["--db", str(db.absolute()), "--demo", "--poste", "7"]
    assert app_arguments(shlex.split(app_command(db, demo=False))) == [
        "--db", str(db.absolute())
    ]
    # Not this Python's ensap-tui app: not for the launcher (the server starts it itself).
    assert app_arguments(["/bin/sh", "-c", "id"]) is None
    assert app_arguments([sys.executable, "-m", "ensap_tui", "serve"]) is None
    assert app_arguments([sys.executable, "-m", "ensap_tui.commands.app_launcher"]) is None


def test_the_launcher_refuses_what_is_not_the_app_or_changes_what_it_imported() -> None:
    own = {"TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver", "HOME": "/home/x"}
    session = {**own, "COLUMNS": "100", "ROWS": "40", "ENSAP_TUI_DB": "postgresql://x"}
    assert refusal({"args": ["--db", "a.sqlite3", "--poste", "3"], "env": session}, own) is None
    for request in (
        None,
        ["--db", "a.sqlite3"],
        {"args": ["--db", "a.sqlite3"]},
        {"args": ["comptes", "liste"], "env": session},
        {"args": ["--db", "a.sqlite3", "--aide"], "env": session},
        {"args": [1], "env": session},
        {"args": [], "env": {**session, "TEXTUAL_DRIVER": "autre"}},
        {"args": [], "env": {**session, "HOME": 3}},
        {"args": [], "env": {key: v for key, v in session.items() if key != "HOME"}},
    ):
        assert refusal(request, own) is not None, request


def test_a_forked_app_is_named_after_its_poste() -> None:
    assert process_name(["--db", "a", "--poste", "7"]) == "ensap-poste-7"
    assert process_name(["--poste=12"]) == "ensap-poste-12"
    assert process_name(["--db", "a"]) == "ensap-app"
    long = process_name(["--poste", "1234567"])
    assert len(long) <= app_launcher.COMM_MAX and poste_of_name(long) == 1234567
    assert process_name(["--poste", "123456789"]) == "ensap-app"  # never a cut number
    assert poste_of_name("ensap-poste-7") == 7
    assert poste_of_name("ensap-app") is None and poste_of_name("python") is None

