"""The sub-commands of ``ensap-tui``, one module per sub-command (a command or a group of
actions).

:data:`SUB_COMMANDS` lists them (name, help line, description, module). Each module is a
:class:`CommandModule`: its ``build(parser, common)`` gives the parser made from its spec its
arguments, or its actions (:func:`add_actions`), and its ``handler`` (a function
``(argparse.Namespace) -> int``). :func:`add_sub_command` is the one place that turns a spec
and its module into a sub-command.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from rich.console import Console

    from ensap_tui.adapters.database_url import PostgresUrl
    from ensap_tui.bootstrap import Settings
    from ensap_tui.services.container import Services
    from ensap_tui.services.ports import DamagedRecord

#: Exit codes: 0 success, 1 the command could not be done (unknown NIR...), 2 bad usage or
#: a database that cannot be opened.
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A command that cannot be done; ``str()`` is the French message, ``code`` the exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


#: The width tables get when the output is not a terminal (a pipe, a file): every column whole.
UNLIMITED_WIDTH = 100_000


def output_console() -> Console:
    """Rich output on the standard output, never read as markup. On a terminal, its width;
    otherwise (a pipe, a file) no width limit, so that no column is cut or wrapped."""
    import sys

    from rich.console import Console

    if sys.stdout.isatty():
        return Console(highlight=False)
    return Console(highlight=False, width=UNLIMITED_WIDTH)


def help_without_action(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    """The handler of a group typed without its action (``ensap-tui agent``): the group's help
    on the standard output, exit code 2."""

    def run(_args: argparse.Namespace) -> int:
        parser.print_help()
        return EXIT_USAGE

    return run


def add_command(
    commands: Any,
    common: argparse.ArgumentParser,
    name: str,
    *,
    help: str,
    description: str,
    handler: Callable[[argparse.Namespace], int],
) -> argparse.ArgumentParser:
    """One sub-command's parser added to ``commands``: ``parents=[common]`` (so ``--db`` is
    accepted after it too), ``help`` in the list of its group, ``description`` on its own
    ``--help``, and ``handler`` run when it is chosen. The caller adds its arguments."""
    parser: argparse.ArgumentParser = commands.add_parser(
        name, parents=[common], help=help, description=description
    )
    parser.set_defaults(handler=handler)
    return parser


# Named tuples rather than dataclasses: this module is imported at every start of the app,
# and a dataclass compiles its methods when its class is made (half a millisecond each).
class ActionSpec(NamedTuple):
    """One action of a group (``demo clock``, ``accounts list``…): its ``name``, its line in
    the group's list of actions (``help``), the text of its own ``--help`` (``description``),
    the ``handler`` run when it is chosen, and ``arguments``, which adds its arguments."""

    name: str
    help: str
    description: str
    handler: Callable[[argparse.Namespace], int]
    arguments: Callable[[argparse.ArgumentParser], None]


def add_actions(
    parser: argparse.ArgumentParser,
    common: argparse.ArgumentParser,
    specs: Sequence[ActionSpec],
    *,
    when_bare: Callable[
        [argparse.ArgumentParser], Callable[[argparse.Namespace], int]
    ] = help_without_action,
) -> Any:
    """Makes ``parser`` a group of actions (``agent``, ``demo``…) and adds each of ``specs``,
    in order, by :func:`add_command` (listed under «actions» in its help), then gives it its
    arguments. ``when_bare(parser)`` is the handler run when no action is typed (by default
    :func:`help_without_action`). Gives the sub-parsers action, for more actions."""
    parser.set_defaults(handler=when_bare(parser))
    actions = parser.add_subparsers(title="actions", metavar="ACTION")
    for spec in specs:
        spec.arguments(add_command(
            actions, common, spec.name,
            help=spec.help, description=spec.description, handler=spec.handler,
        ))
    return actions


class CommandSpec(NamedTuple):
    """A sub-command of ``ensap-tui`` as the command line shows it before its arguments: its
    ``name``, its line in the list of commands (``help``), the text of its own ``--help``
    (``description``), and the ``module`` of ``ensap_tui.commands`` that builds it."""

    name: str
    help: str
    description: str
    module: str


class CommandModule(Protocol):
    """A module of ``ensap_tui.commands`` that builds one sub-command of ``ensap-tui``."""

    def build(self, parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
        """Gives ``parser`` (made from its :class:`CommandSpec`) its arguments or its actions,
        and its handler; ``common`` is the parent of every parser of its actions."""


#: Every sub-command of ``ensap-tui``, in help order: what the command line shows of it and the
#: module of ``ensap_tui.commands`` that builds it (imported only when the parsers are built).
SUB_COMMANDS = (
    CommandSpec(
        "outbox",
        help="affiche les courriels simulés (boîte d'envoi)",
        description=(
            "Affiche les courriels envoyés par le simulateur, du plus récent au plus ancien."
        ),
        module="outbox",
    ),
    CommandSpec(
        "agent",
        help="gère les agents d'assistance",
        description=(
            "Les agents d'assistance s'identifient sur l'écran « Espace assistance » pour "
            "ouvrir la console."
        ),
        module="agents",
    ),
    CommandSpec(
        "accounts",
        help="consulte et gère les espaces (assistance)",
        description=(
            "Les espaces du simulateur, pour l'assistance : lister, consulter, débloquer, "
            "renvoyer le lien d'activation, supprimer. Chaque action est inscrite au journal."
        ),
        module="accounts",
    ),
    CommandSpec(
        "events",
        help="affiche le journal des événements",
        description=(
            "Affiche le journal des événements, du plus récent au plus ancien : créations, "
            "activations, connexions, blocages et actions de l'assistance avec leur auteur."
        ),
        module="events",
    ),
    CommandSpec(
        "demo",
        help="mode démonstration : réinitialiser, horloge, comptes fictifs",
        description=(
            "Commandes du formateur sur la base de démonstration (celle de « ensap-tui --demo », "
            "ou celle de --db)."
        ),
        module="demo",
    ),
    CommandSpec(
        "scenario",
        help="scénarios : vérifier, jouer en direct ou enregistrer un parcours",
        description=(
            "Un scénario est un fichier TOML qui décrit un parcours avec les identifiants de "
            "docs/TESTING.md : le même fichier se vérifie sans écran et se joue devant une salle."
        ),
        module="scenario",
    ),
    CommandSpec(
        "migrate",
        help="copie une base SQLite dans une base PostgreSQL vide, puis vérifie la copie",
        description=(
            "Copie toutes les tables de la base SQLite --from (espaces, jetons, blocages, agents, "
            "courriels simulés, journal, identifiant de la base et valeur de contrôle du secret) "
            "dans la base PostgreSQL vide --to, en une seule transaction : tout ou rien. "
            "Vérifie ensuite le nombre de lignes de chaque table et les empreintes d'un "
            "échantillon d'espaces."
        ),
        module="migrate",
    ),
    CommandSpec(
        "secret",
        help="partage le secret de la base entre les postes (exporter, importer)",
        description=(
            "Le secret de la base protège ses mots de passe\u00a0: chaque poste qui ouvre la "
            "même base (un serveur PostgreSQL, une copie du fichier) doit avoir le même. "
            "Exportez-le sur le premier poste, importez-le sur les autres."
        ),
        module="secret",
    ),
    CommandSpec(
        "serve",
        help="ouvre le simulateur dans un navigateur (textual-serve)",
        description=(
            "Sert le simulateur à un navigateur : chaque onglet ouvert sur l'adresse affichée "
            "lance sa propre application, sur la même base. Par défaut, seule cette machine "
            "peut s'y connecter (127.0.0.1)."
        ),
        module="serve",
    ),
    CommandSpec(
        "salle",
        help="ouvre une salle de formation : un poste par stagiaire, le tableau du formateur",
        description=(
            "Ouvre une salle de formation : affiche l'adresse et le code à donner aux "
            "stagiaires, sert le simulateur à leurs navigateurs (chacun rejoint la salle avec "
            "le code et son prénom, et reçoit un poste à lui : ses courriels, son horloge) et "
            "affiche le tableau de bord du formateur. Quitter le tableau ferme la salle."
        ),
        module="salle",
    ),
)


def add_sub_command(commands: Any, common: argparse.ArgumentParser, spec: CommandSpec) -> None:
    """``spec`` added to ``commands`` as a sub-command, with ``parents=[common]`` (so ``--db``
    is accepted after it too), then built by its module, imported here."""
    import importlib

    parser: argparse.ArgumentParser = commands.add_parser(
        spec.name, parents=[common], help=spec.help, description=spec.description
    )
    module: CommandModule = importlib.import_module(f"ensap_tui.commands.{spec.module}")
    module.build(parser, common)


def add_json_option(parser: argparse.ArgumentParser) -> None:
    """``--json``: the command prints its result as JSON (see the README for each shape)."""
    parser.add_argument("--json", action="store_true", help="sortie JSON pour les scripts")


def print_json(data: Any) -> None:
    """``data`` as indented JSON on the standard output (accents kept, control characters
    escaped by JSON itself)."""
    import json

    print(json.dumps(data, ensure_ascii=False, indent=2))


def report(args: argparse.Namespace, text: str, data: dict[str, Any]) -> None:
    """What a command did: ``data`` as JSON with ``--json``, ``text`` otherwise."""
    if getattr(args, "json", False):
        print_json(data)
    else:
        print(text)


#: Characters a terminal acts on rather than shows (controls, escape sequences, text direction
#: overrides, invisible formats, line separators, undecodable bytes of an argument).
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every character a terminal would act on written as its escape
    (``\\x1b``, ``\\u202e``…): what the command line prints of a user's or a stored text can
    neither colour, retitle or clear the terminal, nor hide part of itself. ``keep_newlines``
    keeps line breaks (multi-line texts such as a mail body)."""
    import unicodedata

    if text.isprintable():
        return text  # the usual case, quickly
    out: list[str] = []
    for char in text:
        if keep_newlines and char == "\n":
            out.append(char)
        elif unicodedata.category(char) in _HIDDEN_CATEGORIES:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000
                       else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


#: The largest count a command accepts (``--limit``…): beyond it SQLite cannot take the number,
#: and no list here is ever that long.
MAX_COUNT = 1_000_000


def positive_int(text: str) -> int:
    """argparse type: a whole number from 1 to :data:`MAX_COUNT`, with a French message
    otherwise."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"un nombre entier est attendu, pas {text!r}"
        ) from None
    if not 1 <= value <= MAX_COUNT:
        raise argparse.ArgumentTypeError(
            "un nombre entre 1 et 1 000 000 est attendu"
        )
    return value


def add_limit_option(parser: argparse.ArgumentParser, default: int, of_what: str) -> None:
    """``--limit N``: how many items a list shows at most («nombre ``of_what`` (``default``)»,
    e.g. ``of_what="d'espaces"``)."""
    parser.add_argument(
        "--limit", type=positive_int, default=default, metavar="N",
        help=f"nombre {of_what} ({default})",
    )


#: The database to open when ``--db`` is not given: a path or a ``postgresql://`` URL.
ENV_DATABASE = "ENSAP_TUI_DB"
#: The secret file when ``--secret-file`` is not given (see ``bootstrap.Settings.secret_file``).
ENV_SECRET_FILE = "ENSAP_TUI_SECRET_FILE"


def database_argument(text: str) -> Path | PostgresUrl:
    """argparse type of ``--db``: a ``postgresql://`` URL (checked; the French reason, its
    password masked, otherwise) or a path."""
    from ensap_tui.adapters.database_url import (
        DatabaseUrlError,
        is_postgres_url,
        parse_postgres_url,
    )

    if not is_postgres_url(text):
        return Path(text)
    try:
        return parse_postgres_url(text)
    except DatabaseUrlError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def chosen_database(
    args: argparse.Namespace, *, demo: bool | None = None
) -> tuple[Path | PostgresUrl, bool]:
    """The database ``--db`` and ``--demo`` designate, and whether it opens in demo mode.

    Without ``--db``, the database ``ENSAP_TUI_DB`` names (a path or a ``postgresql://`` URL)
    when set. ``--demo`` alone is the demo database (never the default one); ``--demo --db
    PATH`` uses PATH as the demo database. ``demo`` forces the mode (the ``demo`` commands).
    A bad ``ENSAP_TUI_DB`` is a :class:`CommandError` (exit code 2).
    """
    import os

    from ensap_tui.bootstrap import default_db_path, demo_db_path

    in_demo = bool(getattr(args, "demo", False)) if demo is None else demo
    db: Path | PostgresUrl | None = getattr(args, "db", None)
    from_env = os.environ.get(ENV_DATABASE, "")
    if db is None and from_env:
        try:
            db = database_argument(from_env)
        except argparse.ArgumentTypeError as error:
            raise CommandError(f"{ENV_DATABASE}\u00a0: {error}", EXIT_USAGE) from None
    if db is None:
        db = demo_db_path() if in_demo else default_db_path()
    return db, in_demo


def chosen_settings(args: argparse.Namespace, in_demo: bool) -> Settings:
    """The settings of the database opened for ``args``: demo mode, and the secret file of
    ``--secret-file`` (else ``ENSAP_TUI_SECRET_FILE``), made absolute."""
    import dataclasses
    import os

    from ensap_tui.bootstrap import Settings

    settings = Settings().demo_mode() if in_demo else Settings()
    file: Path | None = getattr(args, "secret_file", None)
    if file is None and os.environ.get(ENV_SECRET_FILE):
        file = Path(os.environ[ENV_SECRET_FILE])
    if file is not None:
        settings = dataclasses.replace(settings, secret_file=file.absolute())
    return settings


def open_services(args: argparse.Namespace, *, demo: bool | None = None) -> Services:
    """The services on the database chosen by ``--db`` (or ``ENSAP_TUI_DB``, or the default
    one), in demo mode with ``--demo`` (see :func:`chosen_database`).

    A database that cannot be opened becomes a :class:`CommandError` with exit code 2.
    """
    from ensap_tui.bootstrap import StartupError
    from ensap_tui.bootstrap import open_services as open_db

    db, in_demo = chosen_database(args, demo=demo)
    try:
        services = open_db(db, settings=chosen_settings(args, in_demo))
    except StartupError as error:
        raise CommandError(str(error), EXIT_USAGE) from None
    print_security_notices(services)
    return services


#: The damaged rows the lists of the running command left out (see :func:`note_left_out`).
_left_out: list[DamagedRecord] = []


def note_left_out(services: Services) -> None:
    """Keeps the damaged rows the lists read through ``services`` left out, for
    :func:`take_left_out` once the command has printed the rest. Called before the services
    are closed."""
    _left_out.extend(services.take_damaged())


def take_left_out() -> str:
    """Why the output of the command that just ran is incomplete («1 agent endommagé n'est pas
    affiché (table « agents », ligne 1). …»), or ``""``; forgets it. The command line then
    fails (exit code 1): a script must not take an incomplete list for the whole one, nor an
    empty list of agents whose only row is damaged for «Aucun agent»."""
    if not _left_out:
        return ""
    from ensap_tui.services.damage import left_out_text

    text = left_out_text(_left_out)
    _left_out.clear()
    return text


def print_security_notices(services: Services) -> None:
    """Says on stderr what was done to the files' rights (restricted to 0600), once: the
    usual notice about a secret kept in a file is for the app's screen only."""
    from ensap_tui.adapters.secret_store import FILE_SECRET_NOTICE, KEYRING_UNAVAILABLE_NOTICE

    for notice in services.notices:
        if notice not in (FILE_SECRET_NOTICE, KEYRING_UNAVAILABLE_NOTICE):
            print(f"ensap-tui : {notice}", file=sys.stderr)  # as cli.py says its errors
