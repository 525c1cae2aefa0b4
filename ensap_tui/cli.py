"""The command line: starts the app, and the non-interactive commands (``outbox``, ...).

Every failure the user can cause ends with a French message on stderr and a non-zero exit code,
never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from ensap_tui import __version__

if TYPE_CHECKING:
    from ensap_tui.services.container import Services
    from ensap_tui.services.models import MailMessage

#: Exit codes: 0 success, 1 the command could not be done (unknown NIR...), 2 bad usage or
#: a database that cannot be opened.
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

# argparse has no French catalogue; its own words go through this table (argparse looks `_` up
# at call time, so replacing it covers usage lines, headings and error messages alike).
_ARGPARSE_FR = {
    "usage: ": "usage : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "affiche cette aide et quitte",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "expected one argument": "une valeur est attendue",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "choix invalide : %(value)r (valeurs possibles : %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "valeur invalide : %(value)r",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "ambiguous option: %(option)s could match %(matches)s": (
        "option ambiguë : %(option)s peut désigner %(matches)s"
    ),
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
}
_original_gettext: Callable[[str], str] = argparse._  # type: ignore[attr-defined]


def _french(message: str) -> str:
    return _ARGPARSE_FR.get(message, _original_gettext(message))


argparse._ = _french  # type: ignore[attr-defined]


class CommandError(Exception):
    """A command that cannot be done; ``str()`` is the French message, ``code`` the exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"un nombre entier est attendu, pas {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("un nombre supérieur ou égal à 1 est attendu")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``ensap-tui`` and its sub-commands."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        type=Path,
        metavar="CHEMIN",
        # SUPPRESS: a sub-command's own --db must not reset one given before the sub-command.
        default=argparse.SUPPRESS,
        help="fichier de la base SQLite (par défaut : le dossier de données de l'utilisateur)",
    )
    parser = argparse.ArgumentParser(
        prog="ensap-tui",
        parents=[common],
        description=(
            "Simulateur de formation de l'espace numérique sécurisé de l'agent public (ENSAP). "
            "Aucune donnée n'est transmise à l'ENSAP."
        ),
        epilog="Sans commande, ouvre l'application dans le terminal.",
    )
    parser.set_defaults(db=None)
    parser.add_argument(
        "--version",
        action="version",
        version=f"ensap-tui {__version__}",
        help="affiche la version et quitte",
    )
    commands = parser.add_subparsers(dest="command", title="commandes", metavar="COMMANDE")

    outbox = commands.add_parser(
        "outbox",
        parents=[common],
        help="affiche les courriels simulés (boîte d'envoi)",
        description="Affiche les courriels envoyés par le simulateur, du plus récent au plus "
        "ancien.",
    )
    outbox.add_argument(
        "--last", action="store_true", help="seulement le dernier courriel, en entier"
    )
    outbox.add_argument("--json", action="store_true", help="sortie JSON pour les scripts")
    outbox.add_argument(
        "--limit", type=_positive_int, default=20, metavar="N", help="nombre de courriels (20)"
    )
    return parser


def _open(db: Path | None) -> Services:
    from ensap_tui.bootstrap import StartupError, default_db_path, open_services

    try:
        return open_services(db or default_db_path())
    except StartupError as error:
        raise CommandError(str(error), EXIT_USAGE) from None


def _mail_json(message: MailMessage) -> dict[str, Any]:
    return {
        "recu": message.sent_at.isoformat(),
        "destinataire": message.recipient,
        "objet": message.subject,
        "type": message.kind,
        "lien": message.link,
        "texte": message.body,
    }


def _cmd_outbox(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ensap_tui.domain.timefmt import format_datetime, format_short

    services = _open(args.db)
    try:
        messages = services.mailbox.messages(limit=1 if args.last else args.limit)
    finally:
        services.close()
    if args.json:
        payload: Any = [_mail_json(m) for m in messages]
        if args.last:
            payload = payload[0] if payload else None
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return EXIT_OK
    console = Console()
    if not messages:
        console.print("La boîte d'envoi est vide : aucun courriel n'a encore été envoyé.")
        return EXIT_OK
    if args.last:
        message = messages[0]
        console.print(Text(f"Reçu le {format_datetime(message.sent_at)}", style="bold"))
        console.print(Text(f"À : {message.recipient}"))
        console.print(Text(f"Objet : {message.subject}"))
        console.print()
        console.print(Text(message.body))
        if message.link:
            console.print()
            console.print(Text(message.link, style="bold"))
        return EXIT_OK
    table = Table(title="Boîte d'envoi (simulée)")
    table.add_column("Reçu", no_wrap=True)
    table.add_column("À")
    table.add_column("Objet")
    table.add_column("Lien", overflow="fold")
    for message in messages:
        table.add_row(
            format_short(message.sent_at),
            Text(message.recipient),
            Text(message.subject),
            Text(message.link or "—"),
        )
    console.print(table)
    return EXIT_OK


def _run_app(args: argparse.Namespace) -> int:
    from ensap_tui.bootstrap import StartupError, default_db_path
    from ensap_tui.ui.app import create_app

    try:
        app = create_app(args.db or default_db_path())
    except StartupError as error:
        raise CommandError(str(error), EXIT_USAGE) from None
    app.run()
    return EXIT_OK


_COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: _run_app,
    "outbox": _cmd_outbox,
}


def _fail(message: str, code: int) -> NoReturn:
    print(f"ensap-tui : {message}", file=sys.stderr)
    raise SystemExit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs ``ensap-tui`` with ``argv`` (default: the process arguments); returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except CommandError as error:
        _fail(str(error), error.code)
    except KeyboardInterrupt:
        _fail("interrompu.", 130)
