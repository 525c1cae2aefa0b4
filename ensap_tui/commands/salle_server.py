"""The training room's web server (``ensap-tui salle``): the join page, then one app per tab,
scoped to the tab's poste.

A trainee opens the address, types the room code and a first name (``POST /rejoindre``):
``services.room.join`` gives a poste, and the answer sets a cookie holding a random key (the
server keeps only its SHA-256, mapped to the poste in memory: the key cannot be guessed from
the poste's number, and it is worth nothing once the server stops). The page is then
textual-serve's, and its websocket starts ``python -m ensap_tui --db DB [--demo] --poste ID``
for that poste. A wrong code, an ended room, or a missing or unknown cookie starts no app.
Wrong codes are throttled per client address, so that a script cannot try every code.

Run by ``ensap-tui salle`` as a child process (``python -m ensap_tui.commands.salle_server``),
or from a script with :func:`start_room_server`, which returns once the server listens.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import html
import secrets
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web

from ensap_tui.adapters.database_url import PostgresUrl
from ensap_tui.commands._web import GuardedServer, french_response, start_listening
from ensap_tui.commands.serve import PAGE_TITLE, port_number
from ensap_tui.commands.serve import app_command as serve_app_command
from ensap_tui.domain.errors import FieldError
from ensap_tui.services.container import Services
from ensap_tui.services.room import MSG_CODE_UNKNOWN, check_first_name, parse_code

_T = TypeVar("_T")

#: The cookie that holds a tab's key to its poste.
COOKIE = "ensap_poste"
#: Wrong codes a client address may type per window before it must wait.
WRONG_CODES_ALLOWED = 5
WRONG_CODES_WINDOW = 60.0  # seconds
#: What the join form keeps of a typed field, at most (the services say what is valid).
FORM_FIELD_MAX = 200
#: A second join from the same client address with the same first name within this many
#: seconds (a double click on «Rejoindre la salle») gets the poste the first one made.
REJOIN_SECONDS = 10.0


def room_full_text(limit: int) -> str:
    """Why a trainee cannot join or open the simulator: the room is full (French)."""
    postes = "poste" if limit == 1 else "postes"
    return (
        f"La salle accueille au plus {limit} {postes} à la fois (option --max-postes), et "
        "tous sont occupés. Demandez au formateur, ou réessayez quand un poste aura été fermé."
    )


ROOM_ENDED_TEXT = (
    "Le formateur a fermé cette salle de formation : le simulateur n'accepte plus de poste. "
    "Demandez-lui l'adresse et le code de la nouvelle salle."
)
MSG_FORM_UNREADABLE = (
    "Le formulaire n'a pas pu être lu\u00a0: saisissez de nouveau le code de la salle et votre "
    "prénom."
)
NO_POSTE_TEXT = (
    "Ce navigateur n'a pas rejoint la salle (ou la salle a été rouverte depuis). Ouvrez "
    "l'adresse de la salle et saisissez son code et votre prénom."
)


def app_command(
    db: Path | PostgresUrl, poste_id: int, *, demo: bool, secret_file: Path | None = None
) -> str:
    """The shell command that runs one poste's app: ``serve``'s (this Python, this package,
    this database and its secret file; a server's URL reaches the app through
    ``ENSAP_TUI_DB``, never its command line), scoped to ``poste_id``."""
    command = serve_app_command(db, demo=demo, secret_file=secret_file)
    return f"{command} --poste {int(poste_id)}"


@dataclass
class WrongCodeThrottle:
    """At most ``allowed`` wrong codes per ``window`` seconds from one client address; the
    oldest counted one leaves the window as time passes. Hand-written: a sliding window over a
    few timestamps, in memory for the server's life (the sign-in's per-NIR rules in the
    database are for accounts, not for client addresses)."""

    allowed: int = WRONG_CODES_ALLOWED
    window: float = WRONG_CODES_WINDOW
    clock: Callable[[], float] = time.monotonic
    _wrong: dict[str, deque[float]] = field(default_factory=dict)

    def wait(self, client: str) -> float:
        """Seconds ``client`` must wait before its next try (0: it may try now)."""
        now = self.clock()
        times = self._wrong.get(client)
        if times is None:
            return 0.0
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._wrong[client]
            return 0.0
        if len(times) < self.allowed:
            return 0.0
        return times[0] + self.window - now

    def wrong(self, client: str) -> None:
        """Counts a wrong code from ``client``."""
        self._wrong.setdefault(client, deque()).append(self.clock())


def join_page(
    *,
    code: str = "",
    first_name: str = "",
    code_error: str | None = None,
    name_error: str | None = None,
) -> str:
    """The French join page: «Code de la salle», «Prénom» and a button, each error under its
    field, the typed values kept (escaped)."""

    def error(field_id: str, message: str | None) -> str:
        if message is None:
            return ""
        return f'<p class="erreur" id="{field_id}-erreur">{html.escape(message)}</p>'

    def invalid(message: str | None, field_id: str) -> str:  # read aloud with its error
        if message is None:
            return ""
        return f' aria-invalid="true" aria-describedby="{field_id}-erreur"'

    # The cursor starts in the field to fix (the code's, unless only the first name is wrong).
    focus_name = code_error is None and name_error is not None
    code_attributes = ("" if focus_name else " autofocus") + invalid(code_error, "code")
    name_attributes = (" autofocus" if focus_name else "") + invalid(name_error, "prenom")
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(PAGE_TITLE)}</title>
<style>
  body {{ margin: 0; min-height: 100vh; display: flex; align-items: center;
         justify-content: center; background: #F3F5FA; color: #1A1A2E;
         font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }}
  main {{ background: #FFFFFF; border-top: 6px solid #1B3C8C; padding: 2rem 2.5rem;
         width: min(26rem, 90vw); box-shadow: 0 2px 12px rgba(27, 60, 140, 0.15); }}
  h1 {{ font-size: 1.4rem; margin: 0 0 0.3rem; color: #1B3C8C; }}
  .sous-titre {{ margin: 0 0 1.5rem; color: #4A4A5E; }}
  label {{ display: block; font-weight: 600; margin: 1rem 0 0.3rem; }}
  .aide {{ font-weight: normal; color: #4A4A5E; font-size: 0.9rem; }}
  input, button {{ font-family: inherit; }}
  input {{ width: 100%; box-sizing: border-box; font-size: 1.1rem; padding: 0.5rem;
          border: 1px solid #7A7A8C; }}
  input[aria-invalid] {{ border: 2px solid #B3001B; }}
  .erreur {{ color: #B3001B; margin: 0.3rem 0 0; }}
  button {{ margin-top: 1.5rem; width: 100%; font-size: 1.1rem; padding: 0.6rem;
           background: #1B3C8C; color: #FFFFFF; border: none; cursor: pointer; }}
  button:hover, button:focus {{ background: #4A64B8; }}
  .rappel {{ margin: 1.5rem 0 0; font-size: 0.85rem; color: #4A4A5E; }}
</style>
</head>
<body>
<main>
<h1>Salle de formation</h1>
<p class="sous-titre">{html.escape(PAGE_TITLE)}</p>
<form method="post" action="/rejoindre" novalidate>
  <label for="code">Code de la salle <span class="aide">(donné par le formateur)</span></label>
  <input id="code" name="code" value="{html.escape(code)}" autocomplete="off"
         autocapitalize="characters" spellcheck="false"
         maxlength="{FORM_FIELD_MAX}"{code_attributes}>
  {error("code", code_error)}
  <label for="prenom">Prénom</label>
  <input id="prenom" name="prenom" value="{html.escape(first_name)}" autocomplete="given-name"
         maxlength="{FORM_FIELD_MAX}"{name_attributes}>
  {error("prenom", name_error)}
  <button type="submit">Rejoindre la salle</button>
</form>
<p class="rappel">Simulateur de formation\u00a0: aucune donnée n'est transmise à l'ENSAP.</p>
</main>
</body>
</html>
"""


def _page(status: int, text: str, *, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        status=status, text=text, content_type="text/html", charset="utf-8", headers=headers
    )


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class RoomServer(GuardedServer):
    """The join page, the cookie, and one app per tab scoped to its poste (see the module)."""

    def __init__(
        self,
        services: Services,
        db: Path | PostgresUrl,
        room_id: int,
        host: str,
        port: int,
        *,
        demo: bool,
        max_postes: int,
        secret_file: Path | None = None,
        throttle: WrongCodeThrottle | None = None,
    ) -> None:
        # textual-serve's one command is never run here: each websocket gets its poste's
        # (handle_websocket); poste 0 does not exist, so an app started by mistake would stop.
        super().__init__(
            app_command(db, 0, demo=demo, secret_file=secret_file), host, port,
            max_sessions=max_postes, full_page=self._room_full,
        )
        self.services = services
        self.db = db
        self.room_id = room_id
        self.demo = demo
        self.secret_file = secret_file
        self.throttle = throttle or WrongCodeThrottle()
        #: SHA-256 of each tab's key → its poste: the keys themselves are only in the cookies.
        self._postes: dict[str, int] = {}
        #: The room's code as stored, read with the room at each request.
        self._code = ""
        # One thread for the database: reads and writes never block the server's loop.
        self._database = ThreadPoolExecutor(max_workers=1, thread_name_prefix="salle-db")
        #: (client address, first name as kept) → (poste, when): the joins just made.
        self._recent: dict[tuple[str, str], tuple[int, float]] = {}
        # Joins take turns (they are one thread's database writes anyway), so a second
        # click's request sees the poste the first one made.
        self._joining = asyncio.Lock()

    def _room_full(self) -> web.Response:
        return french_response(503, "Salle complète", room_full_text(self.max_sessions))

    async def _in_thread(self, call: Callable[[], _T]) -> _T:
        return await asyncio.get_running_loop().run_in_executor(self._database, call)

    async def _room_open(self) -> bool:
        room = await self._in_thread(lambda: self.services.room.room(self.room_id))
        self._code = room.code
        return not room.ended

    def _poste_of(self, request: web.Request) -> int | None:
        key = request.cookies.get(COOKIE)
        if not key or len(key) > FORM_FIELD_MAX:
            return None
        return self._postes.get(_digest(key))

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.router.add_post("/rejoindre", self.handle_join)
        # The address bar shows /rejoindre after a wrong code: Enter there (or a bookmark)
        # asks for it again, which gets the room's page rather than aiohttp's English 405.
        app.router.add_get("/rejoindre", self.handle_join_again)
        app.on_cleanup.append(self._close_database)
        return app

    async def _close_database(self, app: web.Application) -> None:
        self._database.shutdown(wait=True)

    async def handle_index(self, request: web.Request) -> Any:
        if not await self._room_open():
            return french_response(410, "Salle fermée", ROOM_ENDED_TEXT)
        if self.full:
            return self._room_full()
        if self._poste_of(request) is None:
            return _page(200, join_page())
        return await self.app_page(request)

    async def handle_join(self, request: web.Request) -> web.StreamResponse:
        """``POST /rejoindre``: a good code and first name give a poste and its cookie, then
        the app's page; otherwise the join page again, the error under its field."""
        try:
            form = await request.post()
        except ValueError:  # not UTF-8 (UnicodeDecodeError), or not a form: what a page sends
            return _page(400, join_page(code_error=MSG_FORM_UNREADABLE))
        code = str(form.get("code", ""))[:FORM_FIELD_MAX]
        first_name = str(form.get("prenom", ""))[:FORM_FIELD_MAX]
        if not await self._room_open():
            return french_response(410, "Salle fermée", ROOM_ENDED_TEXT)
        if self.full:
            return self._room_full()
        client = request.remote or "?"
        wait = self.throttle.wait(client)
        if wait > 0:
            seconds = max(1, round(wait))
            return _page(429, join_page(
                code=code, first_name=first_name,
                code_error=(
                    "Trop de codes erronés depuis cet ordinateur\u00a0: réessayez dans "
                    f"{seconds}\u00a0s."
                ),
            ), headers={"Retry-After": str(seconds)})
        try:
            # Another open room's code (a centre may run several on one database) is not this
            # room's: checked before joining, so no poste is made there.
            if parse_code(code) != self._code:
                raise FieldError("code", MSG_CODE_UNKNOWN)
            poste_id = await self._join(client, code, first_name)
        except FieldError as error:
            if error.field == "code":
                self.throttle.wrong(client)
                return _page(400, join_page(
                    code=code, first_name=first_name, code_error=error.message
                ))
            return _page(400, join_page(code=code, first_name=first_name,
                                        name_error=error.message))
        key = secrets.token_urlsafe(32)
        self._postes[_digest(key)] = poste_id
        response = web.Response(status=303, headers={"Location": "/"})
        # HttpOnly: no script reads it; SameSite=Strict: no other site's page sends it.
        response.set_cookie(COOKIE, key, path="/", httponly=True, samesite="Strict")
        return response

    async def _join(self, client: str, code: str, first_name: str) -> int:
        """The poste of a good join: a new one, or the one the same client address made for
        the same first name within :data:`REJOIN_SECONDS` (a double click on the button sends
        the form twice, and a second poste would stay on the board, never connected). Raises
        :class:`FieldError` as ``services.room.join`` does."""
        wanted = (client, check_first_name(first_name))
        async with self._joining:
            now = time.monotonic()
            self._recent = {
                key: made for key, made in self._recent.items()
                if now - made[1] < REJOIN_SECONDS
            }
            made = self._recent.get(wanted)
            if made is not None:
                return made[0]
            poste = await self._in_thread(lambda: self.services.room.join(code, first_name))
            self._recent[wanted] = (poste.id, now)
            return poste.id

    async def handle_join_again(self, request: web.Request) -> web.StreamResponse:
        """``GET /rejoindre``: to the room's page (the join form, or the poste's app)."""
        return web.Response(status=303, headers={"Location": "/"})

    async def handle_websocket(self, request: web.Request) -> Any:
        poste_id = self._poste_of(request)
        if poste_id is None:
            return french_response(403, "Poste inconnu", NO_POSTE_TEXT)
        if not await self._room_open():
            return french_response(410, "Salle fermée", ROOM_ENDED_TEXT)
        command = app_command(self.db, poste_id, demo=self.demo, secret_file=self.secret_file)
        return await self.run_session(request, command)


def open_room_services(
    db: Path | PostgresUrl, *, demo: bool, secret_file: Path | None = None
) -> Services:
    """The services of the server's process on ``db`` (the demo database's settings with
    ``demo``; the database's secret in ``secret_file`` when given)."""
    import dataclasses

    from ensap_tui.bootstrap import Settings, open_services

    settings = Settings().demo_mode() if demo else Settings()
    if secret_file is not None:
        settings = dataclasses.replace(settings, secret_file=secret_file)
    return open_services(db, settings=settings)


async def start_room_server(
    host: str,
    port: int,
    db: Path | PostgresUrl,
    room_id: int,
    *,
    demo: bool = False,
    max_postes: int = 30,
    secret_file: Path | None = None,
    services: Services | None = None,
) -> tuple[RoomServer, web.AppRunner]:
    """The room's server on ``host:port`` for the open room ``room_id`` of ``db``; returns once
    it listens. Stop it with ``await runner.cleanup()`` (it closes the tabs' apps), then close
    ``server.services`` when this function opened them."""
    if services is None:
        services = await asyncio.to_thread(
            open_room_services, db, demo=demo, secret_file=secret_file
        )
    server = RoomServer(
        services, db, room_id, host, port,
        demo=demo, max_postes=max_postes, secret_file=secret_file,
    )
    return server, await start_listening(server)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m ensap_tui.commands.salle_server [--db PATH] [--secret-file PATH] --salle ID
    --host H --port P --max-postes N [--demo] [--parent PID]``: serves the room until SIGTERM,
    SIGINT or SIGHUP, or until the program ``--parent`` names is gone (``ensap-tui salle``
    starts it so, and stops it by its process id). Without ``--db``, the
    database ``ENSAP_TUI_DB`` names (how a server's URL is passed, off the command line)."""
    from ensap_tui.commands._web import serve_until_stopped

    parser = argparse.ArgumentParser(prog="ensap_tui.commands.salle_server")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--secret-file", type=Path)
    parser.add_argument("--salle", type=int, required=True)
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=port_number, required=True)
    parser.add_argument("--max-postes", type=int, required=True)
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--parent", type=int)
    args = parser.parse_args(argv)
    from ensap_tui.bootstrap import StartupError
    from ensap_tui.commands import CommandError, chosen_database
    from ensap_tui.commands.serve import _listen_error

    try:
        db, _demo = chosen_database(args)
    except CommandError as error:
        print(f"ensap-tui : {error}", file=sys.stderr)
        return 2
    try:
        services = open_room_services(db, demo=args.demo, secret_file=args.secret_file)
    except StartupError as error:
        print(f"ensap-tui : {error}", file=sys.stderr)
        return 2

    async def start() -> web.AppRunner:
        _server, runner = await start_room_server(
            args.host, args.port, db, args.salle, demo=args.demo,
            max_postes=args.max_postes, secret_file=args.secret_file, services=services,
        )
        return runner

    try:
        serve_until_stopped(start, parent=args.parent)
    except OSError as error:  # the port was taken between the command's check and now
        print(f"ensap-tui : {_listen_error(args.host, args.port, error)}", file=sys.stderr)
        return 2
    finally:
        services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
