"""The textual-serve server both ``serve`` and ``salle`` run, with our rules: every request
checked against the served address (:class:`~ensap_tui.commands.serve.AddressGuard`), at most
a given number of app sessions, the page's URLs at the address the browser used, the open tabs
closed at once on shutdown, and textual-serve's logs kept to warnings.

Imported only when a server starts (aiohttp and textual-serve are not needed by the other
commands, nor by the command line's start-up).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from ensap_tui.commands.app_launcher import AppLauncher, LaunchedApp, app_arguments
from ensap_tui.commands.serve import PAGE_TITLE, AddressGuard, french_page

log = logging.getLogger("textual-serve")

#: Our copy of textual-serve's page (French words, the font from its static files).
PAGE_TEMPLATES = Path(__file__).with_name("serve_page")


def french_response(status: int, title: str, text: str) -> web.Response:
    """A small French HTML page with ``status`` (a 503 says when to try again)."""
    return web.Response(
        status=status, text=french_page(title, text), content_type="text/html",
        charset="utf-8", headers={"Retry-After": "30"} if status == 503 else None,
    )


class LaunchedAppService(AppService):  # type: ignore[misc]
    """textual-serve's AppService whose app is forked by the server's launcher
    (:mod:`ensap_tui.commands.app_launcher`) when it can, and otherwise started as a new
    process through the shell, as textual-serve does: a tab always gets its app."""

    def __init__(self, command: str, *, launcher: AppLauncher | None, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self._launcher = launcher
        #: The forked app, None when the app is a process textual-serve started.
        self.launched: LaunchedApp | None = None

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        import shlex

        environment = self._build_environment(width=width, height=height)
        args = app_arguments(shlex.split(self.command))
        if self._launcher is not None and args is not None:
            launched = await self._launcher.launch(args, environment)
            if launched is not None:
                self.launched = launched
                # AppService.run reads only its stdout and stderr, which a LaunchedApp has.
                self._process = launched  # type: ignore[assignment]
                self._stdin = launched.stdin
                return launched
        return await super()._open_app_process(width, height)

    async def stop(self) -> None:
        try:
            await super().stop()
        finally:
            launched, self.launched = self.launched, None
            if launched is not None:
                await launched.close()


def web_environment(debug: bool = False) -> dict[str, str]:
    """The environment textual-serve gives its apps, but the terminal's size (each tab's)."""
    from textual_serve.download_manager import DownloadManager

    async def nothing(*_args: Any) -> None:
        return None

    service = AppService(
        "", write_bytes=nothing, write_str=nothing, close=nothing,
        download_manager=DownloadManager(), debug=debug,
    )
    environment: dict[str, str] = service._build_environment()
    for size in ("COLUMNS", "ROWS"):
        environment.pop(size, None)
    return environment


class GuardedServer(Server):  # type: ignore[misc]
    """textual-serve with every request checked against the served address, at most
    ``max_sessions`` app sessions (``full_page()`` beyond), the page's script and websocket at
    the address the browser used, the open tabs closed at once on shutdown (rather than after
    aiohttp's long wait), and its logs kept to warnings. ``started`` is called once listening
    (``serve`` prints its lines there). Each tab's app is forked by the server's launcher
    (:mod:`ensap_tui.commands.app_launcher`, started and stopped with the server; not with
    ``launcher=False``), or started as a new process where it cannot be."""

    def __init__(
        self,
        command: str,
        host: str,
        port: int,
        *,
        max_sessions: int,
        full_page: Callable[[], web.Response],
        started: Callable[[], None] | None = None,
        launcher: bool = True,
    ) -> None:
        super().__init__(
            command, host=host, port=port, title=PAGE_TITLE, templates_path=PAGE_TEMPLATES
        )
        self.guard = AddressGuard(host, port)
        self.max_sessions = max_sessions
        self._full_page = full_page
        self._started = started
        self._tabs: set[asyncio.Task[Any]] = set()
        self.sessions = 0
        #: The process that forks each tab's app (started with the server, with ``launcher``).
        self.launcher: AppLauncher | None = None
        self._use_launcher = launcher

    @property
    def full(self) -> bool:
        """Whether every session is taken."""
        return self.sessions >= self.max_sessions

    async def _make_app(self) -> web.Application:
        app: web.Application = await super()._make_app()
        app.middlewares.append(self._check_address)
        app.on_cleanup.append(self._stop_launcher)
        return app

    async def _stop_launcher(self, app: web.Application) -> None:
        # After on_shutdown: the tabs have asked their apps to quit; the launcher ends the rest.
        launcher, self.launcher = self.launcher, None
        if launcher is not None:
            await launcher.stop()

    @web.middleware
    async def _check_address(self, request: web.Request, handler: Any) -> web.StreamResponse:
        # A refused request never reaches the handlers: no app process is started for it.
        reason = self.guard.refusal(
            request.headers.get("Host"), request.headers.get("Origin"),
            websocket=request.path == "/ws",
        )
        if reason is not None:
            return french_response(403, "Connexion refusée", reason)
        response: web.StreamResponse = await handler(request)
        return response

    async def app_page(self, request: web.Request) -> web.StreamResponse:
        """textual-serve's page, its script and websocket at the address the browser used
        (``_check_address`` has accepted it): textual-serve would write the listening one, and
        with --host 0.0.0.0 a browser of the room opening http://<IP of this machine>:PORT got
        a page pointing at ws://0.0.0.0:PORT, its own machine. Nothing is awaited between this
        line and the page's rendering, so two requests cannot mix their addresses."""
        self.public_url = f"http://{request.host}"
        response: web.StreamResponse = await super().handle_index(request)
        return response

    async def handle_index(self, request: web.Request) -> Any:
        if self.full:
            return self._full_page()
        return await self.app_page(request)

    async def handle_websocket(self, request: web.Request) -> Any:
        return await self.run_session(request, self.command)

    async def run_session(self, request: web.Request, command: str) -> web.StreamResponse:
        """The websocket of one tab, driving a new process of ``command`` (textual-serve's
        ``handle_websocket``, which can only run the server's one command). Counted before the
        first await: two tabs cannot both take the last place."""
        if self.full:
            return self._full_page()
        self.sessions += 1
        task = asyncio.current_task()
        if task is not None:
            self._tabs.add(task)
        try:
            return await self._session(request, command)
        finally:
            self.sessions -= 1
            if task is not None:
                self._tabs.discard(task)

    async def _session(self, request: web.Request, command: str) -> web.WebSocketResponse:
        # textual-serve 1.1's handle_websocket, with the command given.
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        app_service: AppService | None = None

        async def close() -> None:
            await websocket.close()

        try:
            await websocket.prepare(request)
            app_service = LaunchedAppService(
                command,
                launcher=self.launcher,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await app_service.start(width, height)
            try:
                await self._process_messages(websocket, app_service)
            finally:
                await app_service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            if app_service is not None:
                await app_service.stop()
        return websocket

    async def on_shutdown(self, app: Any) -> None:
        # Each tab's handler then closes its websocket and asks its app to quit.
        for task in list(self._tabs):
            task.cancel()

    def initialize_logging(self) -> None:
        super().initialize_logging()
        # Each request would otherwise be logged (in English).
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
        logging.getLogger("textual-serve").setLevel(logging.WARNING)

    async def on_startup(self, app: Any) -> None:
        if self._use_launcher:
            # Listening starts once the launcher is ready (or has failed: then each tab's app
            # is a new process), so that the first tabs do not wait for its imports.
            self.launcher = AppLauncher(web_environment(self.debug), debug=self.debug)
            await self.launcher.start()
            await self.launcher.ready()
        if self._started is not None:
            self._started()


async def start_listening(server: GuardedServer) -> web.AppRunner:
    """``server`` listening on its host and port; returns once it accepts connections (stop it
    with ``await runner.cleanup()``)."""
    server.initialize_logging()
    runner = web.AppRunner(await server._make_app(), handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, server.host, server.port).start()
    return runner


#: How often a server started for another program checks that this program still runs.
PARENT_CHECK_SECONDS = 1.0


def serve_until_stopped(
    start: Callable[[], Awaitable[web.AppRunner]], *, parent: int | None = None
) -> None:
    """Runs the server ``start`` starts until SIGINT, SIGTERM or SIGHUP, then closes its
    sessions. With ``parent`` (the process id of the program that started it), also once that
    program is gone (killed without stopping it first): the server is then no one's."""
    import os
    import signal

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(signum, stop.set)
        runner = await start()
        try:
            while parent is None or os.getppid() == parent:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), PARENT_CHECK_SECONDS)
                if stop.is_set():
                    break
        finally:
            await runner.cleanup()

    asyncio.run(main())
