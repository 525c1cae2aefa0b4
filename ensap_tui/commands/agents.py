"""``ensap-tui agent``: the help-desk agents who may open the assistance console."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import TYPE_CHECKING, Any

from ensap_tui.commands import (
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    add_json_option,
    report,
    visible,
)
from ensap_tui.commands._helpdesk import (
    actor,
    add_agent_option,
    cell,
    console,
    helpdesk_services,
    iso,
    when,
)

if TYPE_CHECKING:
    from ensap_tui.domain.errors import FieldError

PASSWORD_PROMPT = "Mot de passe de l'agent : "
CONFIRMATION_PROMPT = "Confirmez le mot de passe : "
MISSING_LINES = (
    "Le mot de passe n'a pas été lu : sans terminal, donnez deux lignes sur l'entrée standard "
    "(le mot de passe, puis sa confirmation)."
)


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    """Adds ``agent`` and its sub-commands to the command line."""
    parser = commands.add_parser(
        "agent",
        parents=[common],
        help="gère les agents d'assistance",
        description=(
            "Les agents d'assistance s'identifient sur l'écran « Espace assistance » pour "
            "ouvrir la console."
        ),
    )
    parser.set_defaults(handler=lambda _args: _usage(parser))
    actions = parser.add_subparsers(title="actions", metavar="ACTION")

    add = actions.add_parser(
        "add",
        parents=[common],
        help="ajoute un agent (le mot de passe est demandé deux fois, sans écho)",
        description=(
            "Ajoute un agent d'assistance. Le mot de passe est demandé deux fois sans être "
            "affiché ; sans terminal, il est lu sur l'entrée standard (deux lignes). Il suit "
            "les règles des mots de passe des usagers et ne doit pas contenir le nom de l'agent."
        ),
    )
    add.add_argument("name", metavar="NOM", help=(
            "identifiant de l'agent : 2 à 40 lettres sans accent, chiffres ou signes . _ - "
            "(unique, majuscules comprises)"
        ),)
    add_agent_option(add)
    add_json_option(add)
    add.set_defaults(handler=run_add)

    listing = actions.add_parser(
        "list", parents=[common], help="liste les agents", description="Liste les agents."
    )
    listing.add_argument("--json", action="store_true", help="sortie JSON pour les scripts")
    listing.set_defaults(handler=run_list)

    remove = actions.add_parser(
        "remove",
        parents=[common],
        help="supprime un agent",
        description="Supprime un agent d'assistance ; le journal garde ses actions.",
    )
    remove.add_argument("name", metavar="NOM", help="identifiant de l'agent")
    add_agent_option(remove)
    add_json_option(remove)
    remove.set_defaults(handler=run_remove)

    unlock = actions.add_parser(
        "unlock",
        parents=[common],
        help="lève le blocage d'un agent après 3 échecs de connexion",
        description=(
            "Lève le blocage d'un agent et oublie ses tentatives échouées ; l'action est "
            "inscrite au journal."
        ),
    )
    unlock.add_argument("name", metavar="NOM", help="identifiant de l'agent")
    add_agent_option(unlock)
    add_json_option(unlock)
    unlock.set_defaults(handler=run_unlock)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return EXIT_USAGE


def _ask(prompt: str) -> str:
    """One password: asked without echo on a terminal, else the next line of the standard input
    (for scripts), its line end removed and nothing else."""
    if sys.stdin is not None and sys.stdin.isatty():
        try:
            return getpass.getpass(prompt)
        except EOFError:
            raise CommandError(MISSING_LINES, EXIT_USAGE) from None
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line:  # the input ended before this line
        raise CommandError(MISSING_LINES, EXIT_USAGE)
    return _line(line)


def _line(text: str) -> str:
    return text.removesuffix("\n").removesuffix("\r")


def _refused(problems: list[FieldError]) -> CommandError:
    reasons = "\n".join(f"  - {e.message}" for e in problems)
    return CommandError(f"L'agent n'a pas été ajouté :\n{reasons}")


def run_add(args: argparse.Namespace) -> int:
    """Creates an agent: the name is checked before the password is asked, the password before
    its confirmation is asked, and every problem found is listed."""
    from ensap_tui.services.errors import ValidationFailed

    with helpdesk_services(args) as services:
        author = actor(args, services)
        problems = services.agents.check_new(args.name)
        if problems:
            raise _refused(problems)
        password = _ask(PASSWORD_PROMPT)
        problems = services.agents.check_new(args.name, password)
        if problems:
            raise _refused(problems)
        confirmation = _ask(CONFIRMATION_PROMPT)
        try:
            agent = services.agents.add(args.name, password, confirmation, actor=author)
        except ValidationFailed as error:
            raise _refused(error.errors) from None
    report(
        args,
        f"L'agent « {visible(agent.name)} » a été ajouté : il peut ouvrir l'espace assistance.",
        {"nom": agent.name},
    )
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    """Prints the agents as a table or JSON."""
    from rich.table import Table

    with helpdesk_services(args) as services:
        agents = services.agents.statuses()
    if args.json:
        rows = [
            {
                "nom": s.agent.name,
                "cree_le": iso(s.agent.created_at),
                "bloque_jusqu_a": iso(s.blocked_until),
                "tentatives_echouees": s.failures,
            }
            for s in agents
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    out = console()
    if not agents:
        out.print("Aucun agent d'assistance : ajoutez-en un avec « ensap-tui agent add NOM ».")
        return EXIT_OK
    table = Table(title=f"Agents d'assistance ({len(agents)})")
    table.add_column("Nom")
    table.add_column("Ajouté le")
    table.add_column("Bloqué jusqu'au")
    for status in agents:
        table.add_row(
            cell(status.agent.name), cell(when(status.agent.created_at)),
            cell(when(status.blocked_until)),
        )
    out.print(table)
    return EXIT_OK


def run_remove(args: argparse.Namespace) -> int:
    """Deletes an agent."""
    with helpdesk_services(args) as services:
        author = actor(args, services)
        agent = services.agents.remove(args.name, actor=author)
    report(
        args,
        f"L'agent « {visible(agent.name)} » a été supprimé.",
        {"nom": agent.name, "supprime": True},
    )
    return EXIT_OK


def run_unlock(args: argparse.Namespace) -> int:
    """Lifts an agent's block."""
    with helpdesk_services(args) as services:
        author = actor(args, services)
        lifted = services.agents.unlock(args.name, actor=author)
        name = services.agents.get(args.name)
    shown = visible(name.name if name is not None else args.name)
    if lifted:
        text = f"Le blocage de l'agent « {shown} » est levé : il peut ouvrir la console."
    else:
        text = f"L'agent « {shown} » n'était pas bloqué : rien à faire."
    named = name.name if name is not None else args.name
    report(args, text, {"nom": named, "etait_bloque": lifted})
    return EXIT_OK
