"""``ensap-tui agent``: the help-desk agents who may open the assistance console."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from ensap_tui.commands import (
    EXIT_OK,
    EXIT_USAGE,
    ActionSpec,
    CommandError,
    add_actions,
    add_json_option,
    report,
    visible,
)
from ensap_tui.commands._helpdesk import (
    Action,
    actor,
    add_agent_option,
    cell,
    helpdesk_services,
    iso,
    on_record,
    print_rows,
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


def build(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """``agent``'s actions."""
    add_actions(parser, common, (*_FIRST_ACTIONS, *on_record(_ACTIONS, _add_name)))


def _add_arguments(add: argparse.ArgumentParser) -> None:
    add.add_argument("name", metavar="NOM", help=(
            "identifiant de l'agent : 2 à 40 lettres sans accent, chiffres ou signes . _ - "
            "(unique, majuscules comprises)"
        ),)
    add_agent_option(add)
    add_json_option(add)


def _add_name(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NOM", help="identifiant de l'agent")


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
    with helpdesk_services(args) as services:
        agents = services.agents.statuses()
    return print_rows(
        args,
        agents,
        as_json=lambda status: {
            "nom": status.agent.name,
            "cree_le": iso(status.agent.created_at),
            "bloque_jusqu_a": iso(status.blocked_until),
            "tentatives_echouees": status.failures,
        },
        empty="Aucun agent d'assistance : ajoutez-en un avec « ensap-tui agent add NOM ».",
        title="Agents d'assistance",
        columns=[("Nom", False), ("Ajouté le", False), ("Bloqué jusqu'au", False)],
        cells=lambda status: (
            cell(status.agent.name), cell(when(status.agent.created_at)),
            cell(when(status.blocked_until)),
        ),
    )


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


#: The actions on one agent, named by its identifier.
_ACTIONS = (
    Action(
        "remove",
        "supprime un agent",
        "Supprime un agent d'assistance ; le journal garde ses actions.",
        run_remove,
    ),
    Action(
        "unlock",
        "lève le blocage d'un agent après 3 échecs de connexion",
        "Lève le blocage d'un agent et oublie ses tentatives échouées ; l'action est "
        "inscrite au journal.",
        run_unlock,
    ),
)


#: Adding and listing agents, before the actions on one agent.
_FIRST_ACTIONS = (
    ActionSpec(
        "add",
        help="ajoute un agent (le mot de passe est demandé deux fois, sans écho)",
        description=(
            "Ajoute un agent d'assistance. Le mot de passe est demandé deux fois sans être "
            "affiché ; sans terminal, il est lu sur l'entrée standard (deux lignes). Il suit "
            "les règles des mots de passe des usagers et ne doit pas contenir le nom de l'agent."
        ),
        handler=run_add,
        arguments=_add_arguments,
    ),
    ActionSpec(
        "list",
        help="liste les agents",
        description="Liste les agents.",
        handler=run_list,
        arguments=add_json_option,
    ),
)
