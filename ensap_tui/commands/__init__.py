"""The sub-commands of ``ensap-tui``, one module per group.

Each module exposes ``register(commands, common)``: it adds its parsers to ``commands`` (the
sub-parsers action), with ``parents=[common]`` so ``--db`` is accepted after the sub-command too,
and sets ``handler=`` (a function ``(argparse.Namespace) -> int``) as each parser's default.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ensap_tui.services.container import Services

#: Exit codes: 0 success, 1 the command could not be done (unknown NIR...), 2 bad usage or
#: a database that cannot be opened.
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A command that cannot be done; ``str()`` is the French message, ``code`` the exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


def positive_int(text: str) -> int:
    """argparse type: a whole number ≥ 1, with a French message otherwise."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"un nombre entier est attendu, pas {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("un nombre supérieur ou égal à 1 est attendu")
    return value


def open_services(args: argparse.Namespace) -> Services:
    """The services on the database chosen by ``--db`` (or the default one).

    A database that cannot be opened becomes a :class:`CommandError` with exit code 2.
    """
    from ensap_tui.bootstrap import StartupError, default_db_path
    from ensap_tui.bootstrap import open_services as open_db

    db: Path | None = getattr(args, "db", None)
    try:
        return open_db(db or default_db_path())
    except StartupError as error:
        raise CommandError(str(error), EXIT_USAGE) from None
