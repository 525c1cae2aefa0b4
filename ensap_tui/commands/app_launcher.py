"""The pre-forked app launcher of the browser servers (``serve`` and ``salle``).

Each browser tab runs an app of its own. Started as a new Python process, an app spends most of
its first half-second of CPU importing Textual, Rich, ensap-tui and the libraries it uses: 30
postes joining a room together on a 2-core machine then wait for each other. The launcher
(``python -m ensap_tui.commands.app_launcher``, started by the server) imports all of that
once, with the environment textual-serve gives its apps, and forks an app per tab: the child
starts with everything imported and shares the launcher's memory pages.

The server asks over a Unix socket (in a private 0700 folder) with one message: the app's
arguments and the session's environment, in JSON, and the child's ends of three pipes
(standard input, output, error; SCM_RIGHTS). The launcher only ever runs ensap-tui's own
command line, opening the app (``--db``, ``--secret-file``, ``--demo``, ``--inactivite``,
``--poste``): any other request is refused. It answers ``{"pid": N}``, then ``{"exit": CODE}``
when the child ends. When the server's connection for a child closes (tab closed, server gone),
the child is ended (SIGTERM, then SIGKILL after :data:`TERMINATE_GRACE` seconds). When the
launcher stops (SIGTERM, or its server is gone), it ends all its children.

The server side is :class:`AppLauncher`; where it cannot fork (not Linux, the launcher failed
to start or has died), the server starts the app as a new process, as textual-serve does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

#: The module the server runs as the launcher.
LAUNCHER_MODULE = "ensap_tui.commands.app_launcher"
#: Seconds a child has to end after SIGTERM before SIGKILL.
TERMINATE_GRACE = 5.0
#: The largest request a launcher reads (arguments and an environment: a few kilobytes).
REQUEST_MAX = 256 * 1024
#: What the launcher prints on its standard output once it accepts requests.
READY_LINE = b"ready\n"
#: Variables of a session's environment that may differ from the launcher's own. Any other
#: difference is refused: Textual and Rich read the environment when they are imported, which
#: the launcher did before the request came.
SESSION_VARIABLES = frozenset({"COLUMNS", "ROWS", "ENSAP_TUI_DB"})
#: A forked app's process name (``ps -o comm``, /proc/PID/comm): ``ensap-poste-7`` for a
#: room's poste 7, ``ensap-app`` otherwise. Linux keeps 15 bytes: ``ensap-p-1234567`` beyond
#: poste 999, and ``ensap-app`` for a number too long even for that (never a cut number).
POSTE_NAME, SHORT_POSTE_NAME, APP_NAME = "ensap-poste-", "ensap-p-", "ensap-app"
COMM_MAX = 15

#: How much lower than the launcher's the priority of each app it forks is (``nice``). The
#: server relays every frame of every tab, and in a training room the trainer's board runs
#: beside it: when 30 apps build a screen at the same moment, they still get the processor
#: first, and no app's frame waits behind the others' work on its way to its browser.
APP_NICENESS = 5


def fork_available() -> bool:
    """Whether apps can be forked from a launcher here: Linux only (fork after importing
    Textual is only known safe there, with no thread at fork time, and /proc names them)."""
    return sys.platform.startswith("linux") and hasattr(socket, "send_fds")


def process_name(args: Sequence[str]) -> str:
    """The process name of an app run with ``args`` (see :data:`POSTE_NAME`)."""
    poste = _poste_argument(args)
    if poste is None:
        return APP_NAME
    for name in (f"{POSTE_NAME}{poste}", f"{SHORT_POSTE_NAME}{poste}"):
        if len(name) <= COMM_MAX:
            return name
    return APP_NAME


def poste_of_name(name: str) -> int | None:
    """The poste a forked app's process name says (None for any other process)."""
    for prefix in (POSTE_NAME, SHORT_POSTE_NAME):
        if name.startswith(prefix) and name[len(prefix):].isdigit():
            return int(name[len(prefix):])
    return None


def _poste_argument(args: Sequence[str]) -> str | None:
    found: str | None = None
    tokens = iter(args)
    for token in tokens:
        if token == "--poste":
            found = next(tokens, None)
        elif token.startswith("--poste="):
            found = token.split("=", 1)[1]
    if found is None or not found.isascii() or not found.isdigit():
        return None
    return found


def app_arguments(command: Sequence[str]) -> list[str] | None:
    """The ensap-tui arguments of ``command`` (an argument list) when it opens the app with this
    Python (``python -m ensap_tui ARGS``), else None: the launcher runs nothing else."""
    from ensap_tui.cli import _opens_the_app_only

    prefix = [sys.executable, "-m", "ensap_tui"]
    if list(command[:3]) != prefix:
        return None
    args = list(command[3:])
    return args if _opens_the_app_only(args) else None


def refusal(request: object, own_environment: Mapping[str, str]) -> str | None:
    """Why the launcher refuses ``request`` (None: it forks the app). A request is a JSON
    object with ``args``, the arguments of ensap-tui's command line that open the app and
    nothing else, and ``env``, the session's environment, equal to the launcher's but for
    :data:`SESSION_VARIABLES`."""
    from ensap_tui.cli import _opens_the_app_only

    if not isinstance(request, dict) or set(request) != {"args", "env"}:
        return "a request is {args, env}"
    args, env = request["args"], request["env"]
    if not isinstance(args, list) or not all(isinstance(arg, str) for arg in args):
        return "args must be a list of strings"
    if not _opens_the_app_only(args):
        return "only the app's options are accepted"
    if not isinstance(env, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in env.items()
    ):
        return "env must map strings to strings"
    changed = {
        key for key in set(env) | set(own_environment)
        if env.get(key) != own_environment.get(key)
    } - SESSION_VARIABLES
    if changed:
        return "environment differs from the launcher's: " + ", ".join(sorted(changed))
    return None


# -- the launcher process ------------------------------------------------------------------------


def warm_up() -> None:
    """Imports what an app imports (eagerly or when it first needs it) and prepares what can be
    prepared without a database or a thread, so that each forked app starts from there."""
    import importlib
    import pkgutil

    import ensap_tui

    skipped = ("ensap_tui.commands", "ensap_tui.__main__")
    for module in pkgutil.walk_packages(ensap_tui.__path__, "ensap_tui."):
        if module.name.startswith(skipped):
            continue
        importlib.import_module(module.name)
    # The entry point, and what it imports of the commands.
    importlib.import_module("ensap_tui.cli")

    _warm_libraries()
    # The stylesheets earlier apps parsed and kept (ui/css_cache.py): each forked app finds
    # them in its memory rather than loading them from their files.
    from ensap_tui.ui import css_cache

    css_cache.preload()


#: Modules an app imports only once it runs (found with ``python -X importtime``): the web
#: driver and its input parsing, layouts and scrollbars, and the libraries ensap-tui imports
#: where it first needs them.
LATE_MODULES = (
    "textual.drivers.web_driver", "textual._xterm_parser", "textual._keyboard_protocol",
    "textual._binary_encode", "textual.drivers._input_reader", "textual.layouts.factory",
    "textual.layouts.horizontal", "textual.layouts.stream", "textual.scrollbar",
    "stdnum.fr.nir", "email_validator", "idna", "argon2", "pydoc",
)


def _warm_libraries() -> None:
    import importlib

    for name in LATE_MODULES:
        with contextlib.suppress(ImportError):  # another version of a library: not warmed
            importlib.import_module(name)
    # What the first screens and the first keystrokes load lazily: phonenumbers' French
    # metadata, the password checker's word lists.
    from ensap_tui.domain import contact, password

    contact.parse_phone("06 12 34 56 78")
    password.assess("Motdepasse2024!")


@dataclass
class _Child:
    pid: int
    connection: socket.socket | None
    kill_at: float | None = None


@dataclass
class _Launcher:
    listener: socket.socket
    parent: int | None
    environment: dict[str, str]
    children: dict[int, _Child] = field(default_factory=dict)
    stopping: bool = False

    def serve(self) -> None:
        import selectors

        wake_reader, wake_writer = socket.socketpair()
        wake_reader.setblocking(False)
        wake_writer.setblocking(False)
        signal.set_wakeup_fd(wake_writer.fileno())

        def stop(_signum: int, _frame: object) -> None:
            self.stopping = True

        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, stop)
        signal.signal(signal.SIGCHLD, lambda _signum, _frame: None)  # wakes the select
        selector = selectors.DefaultSelector()
        selector.register(self.listener, selectors.EVENT_READ)
        selector.register(wake_reader, selectors.EVENT_READ)
        self._selector = selector
        self._closables: list[Any] = [selector, wake_reader, wake_writer, self.listener]
        try:
            while not self.stopping and (self.parent is None or os.getppid() == self.parent):
                for key, _events in selector.select(self._timeout()):
                    if key.fileobj is self.listener:
                        self._accept(selector)
                    elif key.fileobj is wake_reader:
                        with contextlib.suppress(BlockingIOError):
                            wake_reader.recv(4096)
                    else:
                        self._connection_event(selector, key.data)
                self._reap()
                self._kill_overdue()
        finally:
            self._end_all()
            signal.set_wakeup_fd(-1)
            for closable in self._closables:
                closable.close()

    def _timeout(self) -> float:
        deadlines = [c.kill_at for c in self.children.values() if c.kill_at is not None]
        if not deadlines:
            return 1.0
        return max(0.0, min(1.0, min(deadlines) - time.monotonic()))

    def _accept(self, selector: Any) -> None:
        import selectors
        import threading

        try:
            connection, _ = self.listener.accept()
        except (BlockingIOError, InterruptedError):
            return
        # The server sends its request at once; a client that does not is not waited for long.
        connection.settimeout(5.0)
        fds: list[int] = []
        try:
            data, fds, _flags, _address = socket.recv_fds(connection, REQUEST_MAX, 3)
            try:
                request = json.loads(data)
            except ValueError:
                request = None
            reason = refusal(request, self.environment)
            if reason is None and len(fds) != 3:
                reason = "three file descriptors are expected"
            if reason is None and threading.active_count() != 1:
                reason = "the launcher has a thread: it cannot fork safely"
            if reason is not None:
                _send(connection, {"refused": reason})
                connection.close()
                return
            pid = self._fork(connection, request["args"], request["env"], fds)
        except OSError:
            connection.close()
            return
        finally:
            for fd in fds:
                os.close(fd)  # the child has its copies; the launcher keeps none
        self.children[pid] = _Child(pid, connection)
        connection.setblocking(False)
        _send(connection, {"pid": pid})
        selector.register(connection, selectors.EVENT_READ, pid)

    def _fork(
        self, connection: socket.socket, args: list[str], env: dict[str, str], fds: list[int]
    ) -> int:
        sys.stdout.flush()
        sys.stderr.flush()
        launcher = os.getpid()
        pid = os.fork()
        if pid == 0:  # pragma: no cover  (the child: covered by the tests through its app)
            try:  # never back into the launcher's loop, whatever happens
                self._closables.append(connection)
                self._closables.extend(
                    c.connection for c in self.children.values() if c.connection
                )
                _run_app(args, env, fds, self._closables, launcher)
            finally:
                os._exit(1)
        return pid

    def _connection_event(self, selector: Any, pid: int) -> None:
        child = self.children.get(pid)
        if child is None or child.connection is None:
            return
        try:
            data = child.connection.recv(4096)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if data:
            return  # the server sends nothing after its request: ignored
        # The tab is closed or the server is gone: the app is no one's.
        selector.unregister(child.connection)
        child.connection.close()
        child.connection = None
        self._terminate(child)

    def _terminate(self, child: _Child) -> None:
        if child.kill_at is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.pid, signal.SIGTERM)
            child.kill_at = time.monotonic() + TERMINATE_GRACE

    def _kill_overdue(self) -> None:
        now = time.monotonic()
        for child in self.children.values():
            if child.kill_at is not None and now >= child.kill_at:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child.pid, signal.SIGKILL)
                child.kill_at = now + 1.0  # not again at once: the loop would spin until reaped

    def _reap(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            child = self.children.pop(pid, None)
            if child is not None and child.connection is not None:
                _send(child.connection, {"exit": os.waitstatus_to_exitcode(status)})
                with contextlib.suppress(OSError):
                    self._selector.unregister(child.connection)
                child.connection.close()

    def _end_all(self) -> None:
        for child in self.children.values():
            self._terminate(child)
        deadline = time.monotonic() + TERMINATE_GRACE
        while self.children and time.monotonic() < deadline:
            self._reap()
            if self.children:
                time.sleep(0.02)
        for child in self.children.values():
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.pid, signal.SIGKILL)
        while self.children:
            self._reap()
            if self.children:
                time.sleep(0.02)


def _send(connection: socket.socket, message: dict[str, object]) -> None:
    with contextlib.suppress(OSError):
        connection.send(json.dumps(message).encode("utf-8"))


def _run_app(
    args: list[str], env: dict[str, str], fds: list[int], inherited: list[Any], launcher: int
) -> NoReturn:  # pragma: no cover  (runs in the forked child)
    code = 1
    try:
        # A new process as textual-serve would start it: Python's own signal handlers, the
        # session's pipes as its standard streams, the session's environment.
        signal.set_wakeup_fd(-1)
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for closable in inherited:
            closable.close()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        fds.clear()
        _end_with_launcher(launcher)
        with contextlib.suppress(OSError):
            os.nice(APP_NICENESS)
        os.environ.clear()
        os.environ.update(env)
        import ensap_tui

        # What ``python -m ensap_tui ARGS`` would have.
        sys.argv = [str(Path(ensap_tui.__file__).with_name("__main__.py")), *args]
        with contextlib.suppress(OSError):
            Path("/proc/self/comm").write_text(process_name(args))
        from ensap_tui.cli import main

        code = main(args)
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            # As Python does when a program ends: its non-daemon threads end first.
            import threading

            getattr(threading, "_shutdown", lambda: None)()
        with contextlib.suppress(Exception):
            sys.stdout.flush()
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        os._exit(code)


def _end_with_launcher(launcher: int) -> None:  # pragma: no cover  (in the forked child)
    # Should the launcher be killed outright (SIGKILL), its apps get SIGTERM from Linux.
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() != launcher:  # it died before prctl (its pid, taken before the fork)
        os.kill(os.getpid(), signal.SIGTERM)


def launcher_main(argv: Sequence[str] | None = None) -> int:
    """``python -m ensap_tui.commands.app_launcher --socket PATH [--parent PID]``: imports the
    app, listens on PATH, prints :data:`READY_LINE`, and forks apps until SIGTERM, SIGINT or
    SIGHUP, or until the program ``--parent`` names is gone. Its environment must be the one
    textual-serve gives its apps (``TEXTUAL_DRIVER`` set): it is read once, here."""
    import argparse
    import ctypes  # noqa: F401  (each app's _end_with_launcher uses it)
    import gc
    import threading

    parser = argparse.ArgumentParser(prog=LAUNCHER_MODULE)
    parser.add_argument("--socket", type=Path, required=True)
    parser.add_argument("--parent", type=int)
    args = parser.parse_args(argv)
    if not fork_available() or "TEXTUAL_DRIVER" not in os.environ:
        print("ensap-tui\u00a0: lanceur indisponible ici.", file=sys.stderr)
        return 2
    environment = dict(os.environ)
    warm_up()
    if threading.active_count() != 1:  # fork would copy a lock another thread holds
        print("ensap-tui\u00a0: le lanceur a un fil d'exécution de trop.", file=sys.stderr)
        return 2
    # What was built so far lives as long as the apps: out of the collector's way, so that it
    # does not touch (and copy) the shared pages in every app.
    gc.collect()
    gc.freeze()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(str(args.socket))
    listener.listen(64)
    listener.setblocking(False)
    try:
        sys.stdout.buffer.write(READY_LINE)
        sys.stdout.flush()
        _Launcher(listener, args.parent, environment).serve()
    finally:
        # Its socket, and the server's private folder for it once empty: a server killed
        # outright (which would have removed them) leaves nothing behind either.
        with contextlib.suppress(OSError):
            args.socket.unlink()
        with contextlib.suppress(OSError):
            args.socket.parent.rmdir()
    return 0


# -- the server's side ---------------------------------------------------------------------------


class LaunchedApp:
    """An app forked by the launcher for one tab: its process id, its standard streams (what
    textual-serve's AppService reads and writes), and its exit code once it has ended."""

    def __init__(
        self,
        pid: int,
        connection: socket.socket,
        stdin: asyncio.StreamWriter,
        stdout: asyncio.StreamReader,
        stderr: asyncio.StreamReader,
    ) -> None:
        self.pid = pid
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.returncode: int | None = None
        self._connection = connection
        self._ended = asyncio.Event()
        self._watch = asyncio.create_task(self._watch_exit())

    async def _watch_exit(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while True:
                data = await loop.sock_recv(self._connection, 4096)
                if not data:
                    return
                with contextlib.suppress(ValueError, TypeError, AttributeError):
                    code = json.loads(data).get("exit")
                    if isinstance(code, int):
                        self.returncode = code
        except OSError:
            return
        finally:
            self._ended.set()

    async def wait(self) -> int | None:
        """Waits until the app has ended (or its launcher is gone); its exit code."""
        await self._ended.wait()
        return self.returncode

    async def close(self, grace: float = TERMINATE_GRACE) -> None:
        """Gives the app ``grace`` seconds to end by itself, then lets it go: the launcher ends
        it (SIGTERM, then SIGKILL)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._ended.wait()), grace)
        self._watch.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._watch
        self._connection.close()
        self.stdin.close()


class AppLauncher:
    """The server's launcher process: :meth:`start` it once the server runs, :meth:`launch` an
    app per tab (None when it cannot: the server then starts a process), :meth:`stop` it when
    the server stops. ``environment`` is the one textual-serve gives its apps."""

    #: Seconds the launcher may take to import the app and listen before it is given up.
    START_TIMEOUT = 120.0
    #: Seconds the launcher may take to answer a request.
    ANSWER_TIMEOUT = 30.0

    def __init__(self, environment: Mapping[str, str], *, debug: bool = False) -> None:
        self.environment = dict(environment)
        #: With ``debug``, the launcher's own errors go to the server's standard error;
        #: otherwise nowhere (an English traceback in the trainer's terminal helps no one,
        #: and the tabs get their apps anyway, as new processes).
        self.debug = debug
        self.process: asyncio.subprocess.Process | None = None
        self._folder: Path | None = None
        self._ready: asyncio.Task[bool] | None = None

    @property
    def socket_path(self) -> Path | None:
        return None if self._folder is None else self._folder / "lanceur"

    async def start(self) -> None:
        """Starts the launcher process (it gets ready in the background)."""
        import tempfile

        if not fork_available():
            return
        self._folder = Path(tempfile.mkdtemp(prefix="ensap-tui-"))  # 0700: this user only
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", LAUNCHER_MODULE, "--socket", str(self.socket_path),
            "--parent", str(os.getpid()),
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=None if self.debug else asyncio.subprocess.DEVNULL, env=self.environment,
        )
        self._ready = asyncio.create_task(self._wait_ready(self.process))

    async def _wait_ready(self, process: asyncio.subprocess.Process) -> bool:
        assert process.stdout is not None
        try:
            line = await asyncio.wait_for(process.stdout.readline(), self.START_TIMEOUT)
        except TimeoutError:
            return False
        return line == READY_LINE

    async def ready(self) -> bool:
        """Whether the launcher accepts requests (waits while it starts)."""
        if self._ready is None or self.process is None:
            return False
        return await asyncio.shield(self._ready) and self.process.returncode is None

    async def launch(self, args: Sequence[str], env: Mapping[str, str]) -> LaunchedApp | None:
        """An app forked with ``args`` and ``env``, or None when the launcher cannot (not
        started, gone, or it refused: the caller then starts a process)."""
        import logging

        if not await self.ready() or self.socket_path is None:
            return None
        loop = asyncio.get_running_loop()
        pipes = [os.pipe() for _ in range(3)]
        # The child's ends: stdin's reading end, stdout's and stderr's writing ends.
        theirs = [pipes[0][0], pipes[1][1], pipes[2][1]]
        ours = [pipes[0][1], pipes[1][0], pipes[2][0]]
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        answer: object = None
        try:
            connection.setblocking(False)
            await loop.sock_connect(connection, str(self.socket_path))
            request = json.dumps({"args": list(args), "env": dict(env)}).encode("utf-8")
            socket.send_fds(connection, [request], theirs)
            data = await asyncio.wait_for(
                loop.sock_recv(connection, 4096), self.ANSWER_TIMEOUT
            )
            answer = json.loads(data) if data else None
        except (OSError, TimeoutError, ValueError) as error:
            answer = {"refused": str(error)}
        finally:
            for fd in theirs:
                os.close(fd)
        pid = answer.get("pid") if isinstance(answer, dict) else None
        if not isinstance(pid, int):
            # Said to a developer only (the servers keep textual-serve's logs to warnings):
            # the tab gets its app anyway.
            logging.getLogger("textual-serve").info("app launcher: %s", answer)
            connection.close()
            for fd in ours:
                os.close(fd)
            return None
        stdin = await _writer(ours[0])
        stdout, stderr = await _reader(ours[1]), await _reader(ours[2])
        return LaunchedApp(pid, connection, stdin, stdout, stderr)

    async def stop(self) -> None:
        """Stops the launcher by its process id (it ends its apps first), then removes its
        socket's folder."""
        import shutil

        process = self.process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
            try:
                await asyncio.wait_for(process.wait(), TERMINATE_GRACE * 2)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        if self._ready is not None:
            self._ready.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ready
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


async def _reader(fd: int) -> asyncio.StreamReader:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(loop=loop)
    await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader, loop=loop), os.fdopen(fd, "rb", 0)
    )
    return reader


async def _writer(fd: int) -> asyncio.StreamWriter:
    from asyncio.streams import FlowControlMixin

    loop = asyncio.get_running_loop()
    transport, protocol = await loop.connect_write_pipe(
        lambda: FlowControlMixin(loop=loop), os.fdopen(fd, "wb", 0)
    )
    return asyncio.StreamWriter(transport, protocol, None, loop)


if __name__ == "__main__":
    raise SystemExit(launcher_main())
