"""The command line: starts the app, and dispatches the non-interactive commands.

Every failure the user can cause ends with a French message on stderr and a non-zero exit code,
never a traceback. Sub-commands live in ``ensap_tui.commands``, one module per group.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from ensap_tui import __version__
from ensap_tui.commands import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    SUB_COMMANDS,
    CommandError,
    add_sub_command,
    database_argument,
    take_left_out,
)
from ensap_tui.commands.parser import FrenchArgumentParser
from ensap_tui.typography import keep_non_breaking_spaces

if TYPE_CHECKING:
    from ensap_tui.bootstrap import Settings


def build_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    """The parser of ``ensap-tui`` and its sub-commands (without them when ``with_commands`` is
    false: enough for a command line that only opens the application)."""
    common = FrenchArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        type=database_argument,
        metavar="BASE",
        # SUPPRESS: a sub-command's own --db must not reset one given before the sub-command.
        default=argparse.SUPPRESS,
        help=(
            "fichier de la base SQLite, ou adresse d'une base PostgreSQL "
            "(postgresql://utilisateur@serveur:port/base)\u00a0; par défaut\u00a0: la variable "
            "ENSAP_TUI_DB, sinon le dossier de données de l'utilisateur"
        ),
    )
    common.add_argument(
        "--secret-file",
        type=Path,
        metavar="FICHIER",
        default=argparse.SUPPRESS,
        help=(
            "fichier du secret de la base, le même sur chaque poste d'une base partagée (créé "
            "avec la base s'il n'existe pas)\u00a0; par défaut\u00a0: la variable "
            "ENSAP_TUI_SECRET_FILE, sinon le trousseau système"
        ),
    )
    common.add_argument(
        "--demo",
        action="store_true",
        # SUPPRESS, like --db: given before or after the sub-command, it is kept.
        default=argparse.SUPPRESS,
        help=(
            "mode démonstration : base de démonstration séparée (comptes fictifs dans tous les "
            "états) et horloge de démonstration"
        ),
    )
    parser = FrenchArgumentParser(
        prog="ensap-tui",
        parents=[common],
        description=(
            "Simulateur de formation de l'espace numérique sécurisé de l'agent public (ENSAP). "
            "Aucune donnée n'est transmise à l'ENSAP."
        ),
        epilog="Sans commande, ouvre l'application dans le terminal.",
    )
    # No default for --db/--demo here: set_defaults would change the actions the sub-commands
    # share through `common`, and a sub-command would then reset a value given before it.
    # Readers use getattr(args, "db", None) (see ensap_tui.commands.chosen_database).
    parser.set_defaults(handler=run_app)
    parser.add_argument(
        "--inactivite",
        type=idle_minutes,
        metavar="MINUTES",
        help=(
            "déconnexion automatique après MINUTES sans activité dans l'application "
            f"(de 1 à {MAX_IDLE_MINUTES} ; 10 par défaut)"
        ),
    )
    # The training room's browser server starts each joined tab's app with its poste (issue 12);
    # not for people: hidden from --help.
    parser.add_argument("--poste", type=poste_number, help=argparse.SUPPRESS)
    parser.add_argument(
        "--version",
        action="version",
        version=f"ensap-tui {__version__}",
        help="affiche la version et quitte",
    )
    if with_commands:
        commands = parser.add_subparsers(title="commandes", metavar="COMMANDE")
        for spec in SUB_COMMANDS:  # each module is imported here, not at start-up
            add_sub_command(commands, common, spec)
    return parser


#: The longest idle sign-out ``--inactivite`` accepts: a working day.
MAX_IDLE_MINUTES = 480


def idle_minutes(text: str) -> int:
    """argparse type of ``--inactivite``: a whole number of minutes from 1 to
    :data:`MAX_IDLE_MINUTES`; the French reason otherwise (exit code 2)."""
    value = text.strip()
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_IDLE_MINUTES:
        raise argparse.ArgumentTypeError(
            f"« {text} » n'est pas une durée valable : un nombre entier de minutes, "
            f"de 1 à {MAX_IDLE_MINUTES}"
        )
    return int(value)


def poste_number(text: str) -> int:
    """argparse type of the hidden ``--poste``: a training room poste's number (a positive
    whole number); the French reason otherwise (exit code 2)."""
    value = text.strip()
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= 2**62:
        raise argparse.ArgumentTypeError(f"«\u00a0{text}\u00a0» n'est pas un numéro de poste")
    return int(value)


def _opens_the_app_only(argv: Sequence[str]) -> bool:
    """True when ``argv`` holds nothing but ``--db``, ``--secret-file``, ``--inactivite``,
    ``--poste`` (each with its value) and ``--demo``."""
    with_value = ("--db", "--secret-file", "--inactivite", "--poste")
    tokens = iter(argv)
    for token in tokens:
        if token in with_value:
            if next(tokens, None) is None:
                return False
        elif not (token == "--demo" or token.startswith(tuple(f"{o}=" for o in with_value))):
            return False
    return True


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """``argv`` (default: the process arguments) parsed. The sub-commands' parsers (a tenth
    of the application's start-up) are built only when the command line may name one."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(with_commands=not _opens_the_app_only(arguments))
    return parser.parse_args(arguments)


def app_settings(args: argparse.Namespace, in_demo: bool) -> Settings:
    """The settings the application opens with: demo mode, the secret file, ``--inactivite``
    and the hidden ``--poste``."""
    from ensap_tui.commands import chosen_settings

    settings = chosen_settings(args, in_demo)
    minutes: int | None = getattr(args, "inactivite", None)
    if minutes is not None:
        settings = dataclasses.replace(settings, idle_timeout=timedelta(minutes=minutes))
    poste: int | None = getattr(args, "poste", None)
    if poste is not None:
        settings = dataclasses.replace(settings, poste=poste)
    return settings


def run_app(args: argparse.Namespace) -> int:
    """Opens the terminal application on the chosen database."""
    from ensap_tui.bootstrap import StartupError
    from ensap_tui.commands import chosen_database
    from ensap_tui.ui.app import create_app

    db, in_demo = chosen_database(args)
    try:
        app = create_app(db, settings=app_settings(args, in_demo))
    except StartupError as error:
        raise CommandError(str(error), EXIT_USAGE) from None
    try:
        app.run()
    finally:
        gc.enable()  # normally done by the app after its first frame (see main)
    return EXIT_OK


def _fail(message: str, code: int) -> NoReturn:
    from ensap_tui.commands import visible

    # Messages quote what was typed (an agent's name, a path): shown, never acted on.
    print(f"ensap-tui : {visible(message, keep_newlines=True)}", file=sys.stderr)
    raise SystemExit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs ``ensap-tui`` with ``argv`` (default: the process arguments); returns the exit code."""
    # Starting allocates a great many objects that live as long as the program (modules,
    # classes, styles): full passes of the garbage collector over them cost a tenth of a second
    # of start-up, for nothing. It stays off while the application starts, which turns it back
    # on after its first frame, those objects frozen out of its way; other commands at once.
    gc.disable()
    keep_non_breaking_spaces()  # the tables wrap like the screens (see ensap_tui.typography)
    args = parse_arguments(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    if handler is not run_app:
        gc.enable()
    take_left_out()  # nothing from an earlier command of this process (tests run several)
    try:
        code = handler(args)
        # What was printed lacks the damaged rows a list had to leave out: say which, and fail.
        left_out = take_left_out()
        if left_out:
            _fail(left_out, EXIT_FAILED)
        return code
    except CommandError as error:
        _fail(str(error), error.code)
    except KeyboardInterrupt:
        _fail("interrompu.", 130)
    except Exception as error:
        # What a command did not expect from the database (another program holding its write
        # lock, a failure of the file): its French message rather than a traceback.
        from ensap_tui.services.ports import StoreBusyError, StoreError

        if isinstance(error, StoreBusyError | StoreError):
            _fail(str(error), EXIT_FAILED)
        raise
