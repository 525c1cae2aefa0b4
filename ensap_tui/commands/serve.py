"""``ensap-tui serve``: the app in a browser, through textual-serve.

Each browser tab starts its own ``ensap-tui`` process on the same database (textual-serve runs
one command per connection), so every tab is a full app and they all see the same accounts and,
in demo mode, the same demo clock.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import shlex
import socket
import sys
from pathlib import Path
from typing import Any

from ensap_tui.commands import EXIT_OK, EXIT_USAGE, CommandError, chosen_database, open_services

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: The page title in the browser.
PAGE_TITLE = "ENSAP — simulateur de formation"


def port_number(text: str) -> int:
    """argparse type: a TCP port, 1 to 65535, with a French message otherwise."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"un numéro de port est attendu, pas {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError("un numéro de port va de 1 à 65535")
    return value


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    """Adds ``serve`` to the command line."""
    parser = commands.add_parser(
        "serve",
        parents=[common],
        help="ouvre le simulateur dans un navigateur (textual-serve)",
        description=(
            "Sert le simulateur à un navigateur : chaque onglet ouvert sur l'adresse affichée "
            "lance sa propre application, sur la même base. Par défaut, seule cette machine "
            "peut s'y connecter (127.0.0.1)."
        ),
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        metavar="ADRESSE",
        help=(
            "adresse d'écoute (127.0.0.1 par défaut : cette machine seulement ; l'adresse IP de "
            "la machine sur le réseau pour une salle de formation)"
        ),
    )
    parser.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, metavar="PORT",
        help=f"port d'écoute ({DEFAULT_PORT} par défaut)",
    )
    parser.set_defaults(handler=run)


def is_loopback(host: str) -> bool:
    """True when ``host`` only accepts connections from this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command(db: Path, *, demo: bool) -> str:
    """The shell command textual-serve runs for each tab: this Python, this package, this
    database (absolute, so the server's working folder does not matter)."""
    parts = [sys.executable, "-m", "ensap_tui", "--db", str(db.absolute())]
    if demo:
        parts.append("--demo")
    return shlex.join(parts)


def address(host: str, port: int) -> str:
    """``http://127.0.0.1:8000`` (IPv6 addresses between brackets)."""
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}"


def run(args: argparse.Namespace) -> int:
    """Checks the database once, then serves the app until Ctrl+C."""
    db, demo = chosen_database(args)
    # Open it once here: a database that cannot be opened is said now rather than in each
    # tab, and a new demo database is seeded once, before any tab starts.
    open_services(args).close()
    host: str = args.host
    port: int = args.port
    warning = loopback_warning(host)
    if warning is not None:
        print(warning, file=sys.stderr)
    _check_can_listen(host, port)
    server = _server(app_command(db, demo=demo), host, port, db=db, demo=demo)
    try:
        server.serve()
    except OSError as error:  # taken between the check and now
        raise CommandError(_listen_error(host, port, error), EXIT_USAGE) from None
    return EXIT_OK


def loopback_warning(host: str) -> str | None:
    """The French warning printed when ``host`` lets other machines in (None for loopback)."""
    if is_loopback(host):
        return None
    return (
        f"Attention : avec l'adresse {host}, d'autres machines du réseau peuvent ouvrir le "
        "simulateur, sans mot de passe, et agir sur sa base. Réservez cet usage à une salle "
        "de formation ; n'y saisissez que des données fictives."
    )


def _listen_error(host: str, port: int, error: OSError) -> str:
    reasons = {
        errno.EADDRINUSE: f"le port {port} est déjà utilisé ; choisissez-en un autre avec --port",
        errno.EADDRNOTAVAIL: "cette adresse n'appartient pas à cette machine",
        errno.EACCES: "accès refusé (les ports inférieurs à 1024 demandent des droits)",
    }
    reason = reasons.get(error.errno or 0, error.strerror or str(error))
    return f"impossible d'écouter sur {address(host, port)} : {reason}."


def _check_can_listen(host: str, port: int) -> None:
    # Said before anything is printed or started, in French, rather than by aiohttp.
    try:
        probe = socket.create_server((host.strip("[]"), port))
    except socket.gaierror:
        raise CommandError(f"adresse d'écoute inconnue : {host}.", EXIT_USAGE) from None
    except OSError as error:
        raise CommandError(_listen_error(host, port, error), EXIT_USAGE) from None
    probe.close()


def _server(command: str, host: str, port: int, *, db: Path, demo: bool) -> Any:
    import asyncio
    import logging

    from textual_serve.server import Server

    class FrenchServer(Server):  # type: ignore[misc]
        """textual-serve, with our start-up lines in French, its logs kept to warnings, and
        the open tabs closed at once on Ctrl+C (rather than after aiohttp's long wait)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._tabs: set[asyncio.Task[Any]] = set()

        async def handle_websocket(self, request: Any) -> Any:
            task = asyncio.current_task()
            if task is not None:
                self._tabs.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                if task is not None:
                    self._tabs.discard(task)

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
            mode = "mode démonstration, " if demo else ""
            print(
                f"Simulateur ENSAP servi sur {address(host, port)} ({mode}base « {db} »).\n"
                "Ouvrez cette adresse dans un navigateur ; chaque onglet est une application "
                "distincte. Ctrl+C pour arrêter.",
                flush=True,
            )

    return FrenchServer(command, host=host, port=port, title=PAGE_TITLE)
