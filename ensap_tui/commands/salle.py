"""``ensap-tui salle``: a training room. Opens a room on the database (a new code), starts the
room's web server as a child process (``python -m ensap_tui.commands.salle_server``, in a
session of its own, stopped by its process id), prints the address and the code to give the
trainees, then runs the trainer's board in the terminal. When the board quits (or on Ctrl+C,
or SIGTERM), the server is stopped and the room ended: its postes can no longer open an app.

Without a terminal (a script, a test), or with ``--sans-tableau``, the room is served without
the board until Ctrl+C or SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

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
from ensap_tui.commands.serve import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    _check_can_listen,
    address,
    loopback_warning,
    port_number,
)

if TYPE_CHECKING:
    from ensap_tui.bootstrap import Settings
    from ensap_tui.services.models import Room

#: A room of 8 to 30 trainees: each poste's tab is a whole app process (about 50 MiB idle).
DEFAULT_MAX_POSTES = 30
#: Upper bound of the wait for the server to listen (a busy machine starts Python slowly).
SERVER_START_SECONDS = 60.0
#: How long the server has to close its tabs' apps before it is killed.
SERVER_STOP_SECONDS = 20.0
#: A documentation address (RFC 5737): connecting a UDP socket to it sends nothing, but tells
#: which local address the machine would use to reach the network.
_ROUTE_PROBE = "192.0.2.1"


def build(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """``salle``'s options; it runs :func:`run`."""
    parser.set_defaults(handler=run)
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        metavar="ADRESSE",
        help=(
            "adresse d'écoute (127.0.0.1 par défaut : cette machine seulement ; 0.0.0.0 ou "
            "l'adresse IP de la machine pour que les postes de la salle s'y connectent)"
        ),
    )
    parser.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, metavar="PORT",
        help=f"port d'écoute ({DEFAULT_PORT} par défaut)",
    )
    parser.add_argument(
        "--max-postes", type=positive_int, default=DEFAULT_MAX_POSTES, metavar="N",
        help=(
            "nombre maximal de postes ouverts à la fois, chacun étant une application à part "
            f"({DEFAULT_MAX_POSTES} par défaut) ; au-delà, une page dit que la salle est complète"
        ),
    )
    parser.add_argument(
        "--sans-tableau", action="store_true",
        help=(
            "sert la salle sans afficher le tableau de bord du formateur (jusqu'à Ctrl+C) ; "
            "c'est le cas d'office sans terminal"
        ),
    )


def _reachable(found: str) -> bool:
    """Whether another machine could reach this one at ``found`` (not loopback, not the
    «any» address, not a link-local address a machine gives itself without a network)."""
    return bool(found) and not found.startswith(("127.", "169.254.")) and found != "0.0.0.0"


def machine_address(probe: str = _ROUTE_PROBE) -> str | None:
    """The address other machines of the room reach this one at: the one its network route
    goes out from; on a network with no route out (an offline room's switch, no gateway), the
    first address of its network interfaces (:func:`interface_addresses`); None when it has
    no network."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.connect((probe, 9))  # UDP: nothing is sent
        found = str(udp.getsockname()[0])
        if _reachable(found):
            return found
    return next(iter(interface_addresses()), None)


def interface_addresses() -> list[str]:
    """The IPv4 addresses of this machine's network interfaces that another machine could
    reach, in the interfaces' order (Linux; empty elsewhere). Hand-written: the standard
    library lists the interfaces by name only, and no dependency of the project reads their
    addresses; SIOCGIFADDR (``ioctl``) gives each one's."""
    if not sys.platform.startswith("linux"):
        return []
    import fcntl
    import struct

    siocgifaddr = 0x8915
    found: list[str] = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        for _index, name in socket.if_nameindex():
            try:
                answer = fcntl.ioctl(
                    udp.fileno(), siocgifaddr, struct.pack("256s", name.encode()[:15])
                )
            except OSError:  # an interface without an IPv4 address
                continue
            address_found = socket.inet_ntoa(answer[20:24])
            if _reachable(address_found):
                found.append(address_found)
    return found


def trainee_address(host: str, port: int) -> str:
    """The address to give the trainees: the served one, or on every interface the machine's
    network address (http://0.0.0.0:PORT would be each trainee's own machine)."""
    if host in ("0.0.0.0", "::"):
        found = machine_address()
        return address(found or "ADRESSE-IP-DE-CETTE-MACHINE", port)
    return address(host, port)


def opened_text(room: Room, host: str, port: int, db: Path | PostgresUrl, *, demo: bool) -> str:
    """What ``salle`` prints once the room is served: the address, the code, the database (a
    server's URL without its password)."""
    mode = "mode démonstration, " if demo else ""
    shown = db.masked if isinstance(db, PostgresUrl) else str(db)
    text = (
        f"Salle de formation ouverte ({mode}base « {shown} »).\n"
        f"Adresse à donner aux stagiaires : {trainee_address(host, port)}\n"
        f"Code de la salle : {room.display_code}\n"
    )
    if is_only_here(host):
        text += (
            "Seule cette machine peut s'y connecter : pour une salle, relancez avec "
            "--host 0.0.0.0 (ou l'adresse IP de la machine).\n"
        )
    return text


def is_only_here(host: str) -> bool:
    from ensap_tui.commands.serve import is_loopback

    return is_loopback(host)


def server_command(
    db: Path | PostgresUrl,
    room_id: int,
    host: str,
    port: int,
    *,
    demo: bool,
    max_postes: int,
    secret_file: Path | None = None,
) -> list[str]:
    """The room server's command line: this Python, this package, the database (absolute) and
    its secret file. A server's URL is not on it (any user of the machine could read its
    password there): the server finds it in ``ENSAP_TUI_DB``, which :func:`run` sets."""
    command = [sys.executable, "-m", "ensap_tui.commands.salle_server"]
    if isinstance(db, Path):
        command += ["--db", str(db.absolute())]
    if secret_file is not None:
        command += ["--secret-file", str(secret_file.absolute())]
    command += [
        "--salle", str(room_id), "--parent", str(os.getpid()),
        "--host", host, "--port", str(port), "--max-postes", str(max_postes),
    ]
    if demo:
        command.append("--demo")
    return command


def _connect_host(host: str) -> str:
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "::1"
    return host.strip("[]")


def wait_until_listening(
    process: subprocess.Popen[bytes], host: str, port: int, errors: IO[bytes]
) -> None:
    """Returns once the server accepts connections; a :class:`CommandError` with its own
    French message if it stopped first, or if it never answers."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors.seek(0)
            said = errors.read().decode("utf-8", "replace").strip()
            raise CommandError(
                said.removeprefix("ensap-tui : ") or "le serveur de la salle s'est arrêté.",
                EXIT_USAGE,
            )
        with contextlib.suppress(OSError), socket.create_connection(
            (_connect_host(host), port), timeout=1
        ):
            return
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.1)
    raise CommandError("le serveur de la salle ne répond pas.")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """Stops the server by its process id: SIGTERM (it closes its tabs' apps), then SIGKILL
    if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=SERVER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class _Stopped(Exception):
    """SIGTERM or SIGHUP: the room closes as on Ctrl+C."""


def _on_sigterm(_signum: int, _frame: Any) -> None:
    raise _Stopped


def run_board(
    db: Path | PostgresUrl, room: Room, board_address: str, *, settings: Settings
) -> None:
    """The trainer's board, in the terminal, until it quits."""
    from ensap_tui.bootstrap import StartupError
    from ensap_tui.ui.app import create_app

    try:
        app = create_app(db, settings=settings, board_room=room.id, board_address=board_address)
    except StartupError as error:
        raise CommandError(str(error), EXIT_USAGE) from None
    # SIGTERM asks the board to quit, as its own keys do (an exception raised in the middle of
    # its event loop would leave the terminal in its raw mode).
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda _signum, _frame: app.exit())
    app.run()


def serve_without_board() -> None:
    """Waits for Ctrl+C or SIGTERM."""
    print("Ctrl+C pour fermer la salle.", flush=True)
    while True:
        signal.pause()


def run(args: argparse.Namespace) -> int:
    """Opens a room, serves it, runs the board; then stops the server and ends the room."""
    db, demo = chosen_database(args)
    if isinstance(db, PostgresUrl):
        os.environ[ENV_DATABASE] = db.url  # for the server and its apps, never printed
    host: str = args.host
    port: int = args.port
    _check_can_listen(host, port)
    services = open_services(args)
    # SIGTERM, and SIGHUP (the terminal closed), close the room as Ctrl+C does.
    previous = {
        signum: signal.signal(signum, _on_sigterm) for signum in (signal.SIGTERM, signal.SIGHUP)
    }
    try:
        room = services.room.open_room()
        try:
            _serve(args, db, room, host, port, demo=demo)
        except (KeyboardInterrupt, _Stopped):
            pass
        finally:
            services.room.end_room(room.id)
            print(f"Salle {room.display_code} fermée.", flush=True)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        services.close()
    return EXIT_OK


def _serve(
    args: argparse.Namespace,
    db: Path | PostgresUrl,
    room: Room,
    host: str,
    port: int,
    *,
    demo: bool,
) -> None:
    settings = chosen_settings(args, demo)
    warning = loopback_warning(host)
    if warning is not None:
        print(warning, file=sys.stderr)
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            server_command(
                db, room.id, host, port, demo=demo, max_postes=args.max_postes,
                secret_file=settings.secret_file,
            ),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors,
            # Its own session: the terminal's Ctrl+C and the board's keys never reach it; it
            # stops when this command stops it, by its process id.
            start_new_session=True,
        )
        try:
            wait_until_listening(process, host, port, errors)
            print(opened_text(room, host, port, db, demo=demo), flush=True)
            with_board = not args.sans_tableau and sys.stdin.isatty() and sys.stdout.isatty()
            if with_board:
                run_board(db, room, trainee_address(host, port), settings=settings)
            else:
                serve_without_board()
        finally:
            stop_server(process)
