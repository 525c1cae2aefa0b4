"""``ensap-tui serve``: the app in a browser, through textual-serve.

Each browser tab starts its own ``ensap-tui`` process on the same database (textual-serve runs
one command per connection), so every tab is a full app and they all see the same accounts and,
in demo mode, the same demo clock.
"""

from __future__ import annotations

import argparse
import errno
import html
import ipaddress
import os
import shlex
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ensap_tui.adapters.database_url import PostgresUrl
from ensap_tui.commands import (
    ENV_DATABASE,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    chosen_database,
    chosen_settings,
    open_services,
    positive_int,
)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: Each session is a whole app process (about 100 MB): enough for a training room, not for a
#: flood of connections.
DEFAULT_MAX_SESSIONS = 12
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


def build(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """``serve``'s options; it runs :func:`run`."""
    parser.set_defaults(handler=run)
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        metavar="ADRESSE",
        help=(
            "adresse d'écoute (127.0.0.1 par défaut : cette machine seulement ; l'adresse IP de "
            "la machine sur le réseau pour une salle de formation)"
        ),
    )
    parser.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, metavar="PORT",
        help=f"port d'écoute ({DEFAULT_PORT} par défaut)",
    )
    parser.add_argument(
        "--max-sessions", type=positive_int, default=DEFAULT_MAX_SESSIONS, metavar="N",
        help=(
            "nombre maximal de sessions (onglets) ouvertes à la fois, chacune étant une "
            f"application à part ({DEFAULT_MAX_SESSIONS} par défaut) ; au-delà, une page "
            "demande de fermer un onglet"
        ),
    )


def is_loopback(host: str) -> bool:
    """True when ``host`` only accepts connections from this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _split_host(value: str, default_port: int) -> tuple[str, int] | None:
    """``("example.fr", 8000)`` from a Host header or URL authority (``[::1]:8000``...), None
    when it cannot be read."""
    try:
        parts = urlsplit("//" + value)
        name, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not name or parts.username is not None or parts.password is not None:
        return None
    return name.lower(), default_port if port is None else port


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class AddressGuard:
    """Which ``Host`` and ``Origin`` the server accepts: the address it serves, under the name
    or IP it was given, ``localhost`` and loopback IPs when it listens on loopback, and any IP
    of this machine (or its host name) when it listens on every address. Any other name is
    refused: a page of another site cannot drive the app, even through a DNS name made to point
    at this machine (DNS rebinding), whose requests carry that name."""

    host: str
    port: int

    def _name_allowed(self, name: str) -> bool:
        served = self.host.strip("[]").lower()
        if name == served:
            return True
        if served in ("0.0.0.0", "::", ""):  # every address of this machine
            return _is_ip(name) or name in ("localhost", socket.gethostname().lower())
        if is_loopback(served):
            return name == "localhost" or (_is_ip(name) and ipaddress.ip_address(name).is_loopback)
        return False

    def host_allowed(self, value: str | None) -> bool:
        """Whether a request's ``Host`` header names the served address."""
        found = _split_host(value or "", 80)
        return found is not None and found[1] == self.port and self._name_allowed(found[0])

    def origin_allowed(self, value: str | None) -> bool:
        """Whether an ``Origin`` header is a page of the served address (http or https)."""
        if not value:
            return False
        try:
            parts = urlsplit(value)
        except ValueError:
            return False
        if parts.scheme not in ("http", "https") or parts.path not in ("", "/"):
            return False
        found = _split_host(parts.netloc, 443 if parts.scheme == "https" else 80)
        return found is not None and found[1] == self.port and self._name_allowed(found[0])

    def refusal(self, host: str | None, origin: str | None, *, websocket: bool) -> str | None:
        """The French reason a request is refused, or None when it may go on. A websocket must
        come from a page of the served address (browsers always say which); a page request
        that names an origin must too."""
        served = address(self.host, self.port)
        if not self.host_allowed(host):
            return (
                f"Le simulateur ne répond qu'à l'adresse {served} ; cette demande en visait une "
                f"autre («\u00a0{host or ''}\u00a0»). Ouvrez {served} dans le navigateur."
            )
        if (websocket or origin is not None) and not self.origin_allowed(origin):
            return (
                f"Cette connexion ne vient pas d'une page du simulateur ({served}) mais de "
                f"«\u00a0{origin or 'origine inconnue'}\u00a0» : elle est refusée."
            )
        return None


def french_page(title: str, text: str) -> str:
    """A small French HTML page (``text`` escaped)."""
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} — {html.escape(PAGE_TITLE)}</title></head>"
        f"<body><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>\n"
    )


def sessions_full_text(limit: int) -> str:
    """Why a new session is not opened, in French."""
    sessions = "session" if limit == 1 else "sessions"
    return (
        f"Le simulateur accepte au plus {limit} {sessions} à la fois (option --max-sessions) et "
        "toutes sont ouvertes. Fermez un onglet du simulateur, puis rechargez cette page."
    )


def app_command(
    db: Path | PostgresUrl, *, demo: bool, secret_file: Path | None = None
) -> str:
    """The shell command textual-serve runs for each tab: this Python, this package, this
    database (absolute, so the server's working folder does not matter) and its secret file.
    A server's URL is not on the command line, where any user of the machine could read its
    password: each tab finds it in ``ENSAP_TUI_DB``, which :func:`run` sets for them."""
    parts = [sys.executable, "-m", "ensap_tui"]
    if isinstance(db, Path):
        parts += ["--db", str(db.absolute())]
    if secret_file is not None:
        parts += ["--secret-file", str(secret_file.absolute())]
    if demo:
        parts.append("--demo")
    return shlex.join(parts)


def address(host: str, port: int) -> str:
    """``http://127.0.0.1:8000`` (IPv6 addresses between brackets)."""
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}"


def started_text(host: str, port: int, db: Path | PostgresUrl, *, demo: bool) -> str:
    """What ``serve`` prints once it listens: where it serves, which database, and which address
    to open. On every interface (0.0.0.0, ::) that is the machine's IP: a browser opening
    http://0.0.0.0:PORT would reach its own machine."""
    mode = "mode démonstration, " if demo else ""
    shown = db.masked if isinstance(db, PostgresUrl) else str(db)
    text = f"Simulateur ENSAP servi sur {address(host, port)} ({mode}base « {shown} »).\n"
    if host in ("0.0.0.0", "::"):
        text += (
            f"Ouvrez {address('ADRESSE-IP-DE-CETTE-MACHINE', port)} dans un navigateur des "
            f"autres machines, et {address('127.0.0.1', port)} sur celle-ci ; "
        )
    else:
        text += "Ouvrez cette adresse dans un navigateur ; "
    return text + "chaque onglet est une application distincte. Ctrl+C pour arrêter."


def run(args: argparse.Namespace) -> int:
    """Checks the database once, then serves the app until Ctrl+C."""
    db, demo = chosen_database(args)
    if isinstance(db, PostgresUrl):
        os.environ[ENV_DATABASE] = db.url  # for the tabs (see app_command), never printed
    # Open it once here: a database that cannot be opened is said now rather than in each
    # tab, and a new demo database is seeded once, before any tab starts.
    open_services(args).close()
    host: str = args.host
    port: int = args.port
    warning = loopback_warning(host)
    if warning is not None:
        print(warning, file=sys.stderr)
    _check_can_listen(host, port)
    server = _server(
        app_command(db, demo=demo, secret_file=chosen_settings(args, demo).secret_file),
        host, port, db=db, demo=demo, max_sessions=args.max_sessions,
    )
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
        f"Attention : avec l'adresse {host}, d'autres machines du réseau peuvent ouvrir le "
        "simulateur, sans mot de passe, et agir sur sa base. Réservez cet usage à une salle "
        "de formation ; n'y saisissez que des données fictives."
    )


def _listen_error(host: str, port: int, error: OSError) -> str:
    reasons = {
        errno.EADDRINUSE: f"le port {port} est déjà utilisé ; choisissez-en un autre avec --port",
        errno.EADDRNOTAVAIL: "cette adresse n'appartient pas à cette machine",
        errno.EACCES: "accès refusé (les ports inférieurs à 1024 demandent des droits)",
    }
    reason = reasons.get(error.errno or 0, error.strerror or str(error))
    return f"impossible d'écouter sur {address(host, port)} : {reason}."


def _check_can_listen(host: str, port: int) -> None:
    # Said before anything is printed or started, in French, rather than by aiohttp.
    try:
        probe = socket.create_server((host.strip("[]"), port))
    except socket.gaierror:
        raise CommandError(f"adresse d'écoute inconnue : {host}.", EXIT_USAGE) from None
    except OSError as error:
        raise CommandError(_listen_error(host, port, error), EXIT_USAGE) from None
    probe.close()


def _server(
    command: str, host: str, port: int, *, db: Path | PostgresUrl, demo: bool, max_sessions: int
) -> Any:
    from ensap_tui.commands._web import GuardedServer, french_response

    def full() -> Any:
        return french_response(503, "Trop de sessions ouvertes", sessions_full_text(max_sessions))

    def started() -> None:
        print(started_text(host, port, db, demo=demo), flush=True)

    return GuardedServer(
        command, host, port, max_sessions=max_sessions, full_page=full, started=started
    )
