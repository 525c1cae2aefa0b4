"""An ``argparse`` parser that speaks French: usage line, headings, the help option and error
messages (argparse has no French catalogue, and patching its module-level ``_`` would change
every parser of the process). Sub-command parsers are of the same class (``add_subparsers``
builds them with the class of their parent)."""

from __future__ import annotations

import argparse
import re
import sys
from functools import cache
from typing import Any, NoReturn

from ensap_tui.commands import visible

#: argparse's own messages, as it formats them, and their French text. The fields keep what
#: argparse put in them (names, values as typed, choices).
_MESSAGES: tuple[tuple[str, str], ...] = (
    ("unrecognized arguments: %(values)s", "arguments non reconnus : %(values)s"),
    ("the following arguments are required: %(names)s",
     "arguments obligatoires manquants : %(names)s"),
    ("expected one argument", "une valeur est attendue"),
    ("expected at most one argument", "une valeur au plus est attendue"),
    ("expected at least one argument", "une valeur au moins est attendue"),
    ("invalid choice: %(value)s (choose from %(choices)s)",
     "choix invalide : %(value)s (valeurs possibles : %(choices)s)"),
    ("invalid %(type)s value: %(value)s", "valeur invalide : %(value)s"),
    ("ambiguous option: %(option)s could match %(matches)s",
     "option ambiguë : %(option)s peut désigner %(matches)s"),
    ("one of the arguments %(names)s is required",
     "l'un de ces arguments est obligatoire : %(names)s"),
    ("not allowed with argument %(name)s", "incompatible avec l'argument %(name)s"),
    ("ignored explicit argument %(value)s", "valeur non attendue : %(value)s"),
)
_FIELD = re.compile(r"%\((\w+)\)s")
#: How argparse names the argument a message is about (``ArgumentError``).
_ABOUT_ARGUMENT = re.compile(r"argument (?P<name>[^:]+): (?P<message>.*)", re.DOTALL)


def _pattern(english: str) -> re.Pattern[str]:
    parts = _FIELD.split(english)
    regex = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)"
        for index, part in enumerate(parts)
    )
    return re.compile(regex + r"\Z", re.DOTALL)


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], str], ...]:
    """The patterns of :data:`_MESSAGES`, compiled when a first error is said (not at every
    start of the app: eleven regular expressions, a millisecond)."""
    return tuple((_pattern(english), french) for english, french in _MESSAGES)


def french_message(message: str) -> str:
    """argparse's English error ``message`` in French (unchanged when it is not one of the
    known messages, so that nothing is ever lost)."""
    about = _ABOUT_ARGUMENT.fullmatch(message)
    if about is not None:
        return f"argument {about['name']} : {french_message(about['message'])}"
    for pattern, french in _compiled():
        found = pattern.match(message)
        if found is not None:
            return french % found.groupdict()
    return message


class FrenchHelpFormatter(argparse.HelpFormatter):
    """The help layout of argparse with a French usage line."""

    def add_usage(
        self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None
    ) -> None:
        super().add_usage(usage, actions, groups, "usage : " if prefix is None else prefix)

    def start_section(self, heading: str | None) -> None:
        # argparse writes «heading:»; French puts a non-breaking space before the colon.
        super().start_section(None if heading is None else f"{heading} ")


class FrenchArgumentParser(argparse.ArgumentParser):
    """``argparse.ArgumentParser`` whose every word the user reads is French; errors end as
    argparse's do (usage on stderr, exit code 2), the message in French."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", FrenchHelpFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        for action in self._actions:
            if "-h" in action.option_strings:
                action.help = "affiche cette aide et quitte"

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {visible(french_message(message))}\n")
