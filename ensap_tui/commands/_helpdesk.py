"""What the help-desk commands (``agent``, ``accounts``, ``events``) share: the NIR argument,
who acts (``--agent``), the services opened for one command, and literal table cells."""

from __future__ import annotations

import argparse
import getpass
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from ensap_tui.commands import (
    EXIT_OK,
    EXIT_USAGE,
    ActionSpec,
    CommandError,
    add_json_option,
    note_left_out,
    open_services,
    print_json,
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from ensap_tui.services.container import Services

T = TypeVar("T")

#: Shown for an empty cell (no sign-in yet, no actor...).
NONE = "—"


def nir_argument(text: str) -> str:
    """argparse type: a NIR in any accepted spelling, given back compact; the French reason
    otherwise (exit code 2)."""
    from ensap_tui.domain import nir
    from ensap_tui.domain.errors import FieldError

    try:
        return nir.parse_nir(text, field="nir")
    except FieldError as error:
        raise argparse.ArgumentTypeError(error.message) from None


def add_nir_argument(parser: argparse.ArgumentParser) -> None:
    """The ``NIR`` an account action is about (see :func:`nir_argument`)."""
    parser.add_argument("nir", type=nir_argument, metavar="NIR", help="numéro de sécurité sociale")


def add_agent_option(parser: argparse.ArgumentParser) -> None:
    """``--agent NOM``: the agent the action is done for, recorded as declared."""
    parser.add_argument(
        "--agent",
        metavar="NOM",
        help=(
            "agent d'assistance pour qui l'action est faite (il doit exister) ; le journal "
            "note « ligne de commande (utilisateur du système), pour NOM (déclaré) »"
        ),
    )


class Action(NamedTuple):
    """A help-desk action on one record (an account, an agent) as the command line declares
    it."""

    name: str
    help: str  # in the list of actions
    description: str  # on its own help
    handler: Callable[[argparse.Namespace], int]
    needs_yes: bool = False  # ``--yes`` confirms it


def on_record(
    specs: Sequence[Action], add_target: Callable[[argparse.ArgumentParser], None]
) -> tuple[ActionSpec, ...]:
    """Each of ``specs`` as an action of its group (see
    :func:`~ensap_tui.commands.add_actions`): its arguments are the record it acts on
    (``add_target``), then ``--yes`` when it must be confirmed, ``--agent`` and ``--json``."""

    def arguments(needs_yes: bool) -> Callable[[argparse.ArgumentParser], None]:
        def add(parser: argparse.ArgumentParser) -> None:
            add_target(parser)
            if needs_yes:
                parser.add_argument(
                    "--yes", action="store_true", help="confirme la suppression (obligatoire)"
                )
            add_agent_option(parser)
            add_json_option(parser)

        return add

    return tuple(
        ActionSpec(spec.name, spec.help, spec.description, spec.handler,
                   arguments(spec.needs_yes))
        for spec in specs
    )


def shell_actor() -> str:
    """«ligne de commande (camille)»: the author of an action typed in a shell without
    ``--agent``, named after the operating-system user."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in this environment
        user = "utilisateur inconnu"
    return f"ligne de commande ({user})"


def actor(args: argparse.Namespace, services: Services) -> str:
    """The author of the action as the journal records it: :func:`shell_actor`, followed by
    the agent named by ``--agent`` marked as declared («ligne de commande (camille), pour
    martin (déclaré)»): nothing proves who typed the command, the shell user is what is known.
    An unknown agent is refused (exit code 2)."""
    name: str | None = getattr(args, "agent", None)
    if name is None:
        return shell_actor()
    agent = services.agents.get(name)
    if agent is None:
        raise CommandError(
            f"Aucun agent ne s'appelle « {name} » (voir « ensap-tui agent list »).", EXIT_USAGE
        )
    return f"{shell_actor()}, pour {agent.name} (déclaré)"


@contextmanager
def helpdesk_services(args: argparse.Namespace) -> Iterator[Services]:
    """The services for one command, closed at the end; the help desk's errors (unknown NIR
    or agent, refused action, database trouble) become :class:`CommandError` (exit code 1); damaged
    rows a list left out are noted (see :func:`~ensap_tui.commands.note_left_out`)."""
    from ensap_tui.services.errors import ActionRefused, UnknownAccount, UnknownAgent
    from ensap_tui.services.ports import StoreBusyError, StoreError

    services = open_services(args)
    try:
        yield services
        note_left_out(services)
    except (UnknownAccount, UnknownAgent, ActionRefused, StoreError, StoreBusyError) as error:
        raise CommandError(str(error)) from None
    finally:
        services.close()


def print_rows(
    args: argparse.Namespace,
    items: Sequence[T],
    *,
    as_json: Callable[[T], dict[str, Any]],
    empty: str,
    title: str,
    columns: Sequence[tuple[str, bool]],
    cells: Callable[[T], Sequence[Text]],
) -> int:
    """A help-desk list: with ``--json`` the array of ``as_json(item)``; otherwise ``empty``
    when there is nothing, else a table titled «``title`` (count)» whose ``columns`` are
    (header, never wrapped) and whose rows are ``cells(item)``."""
    from rich.table import Table

    if args.json:
        print_json([as_json(item) for item in items])
        return EXIT_OK
    out = console()
    if not items:
        out.print(empty)
        return EXIT_OK
    table = Table(title=f"{title} ({len(items)})")
    for header, no_wrap in columns:
        table.add_column(header, no_wrap=no_wrap)
    for item in items:
        table.add_row(*cells(item))
    out.print(table)
    return EXIT_OK


def poste_names(services: Services, poste_ids: Iterable[int | None]) -> dict[int, str]:
    """The first name of the trainee of each training-room poste among ``poste_ids`` (issue
    12; None: no poste), read once each; empty outside a room."""
    from ensap_tui.services.room import UnknownPoste

    names: dict[int, str] = {}
    for poste_id in {p for p in poste_ids if p is not None}:
        try:
            names[poste_id] = services.room.poste(poste_id).first_name
        except UnknownPoste:  # pragma: no cover - postes are kept with their room
            names[poste_id] = ""
    return names


def poste_text(poste_id: int, names: Mapping[int, str]) -> str:
    """``"3 (Camille)"``: a poste as the listings name it, its number, then the first name
    the board shows for it."""
    name = names.get(poste_id, "")
    return f"{poste_id} ({name})" if name else str(poste_id)


def poste_json(poste_id: int | None, names: Mapping[int, str]) -> dict[str, Any]:
    """``{"poste": {"numero": 3, "prenom": "Camille"}}`` for a poste's mail or event; ``{}``
    outside a room, so that the objects stay as they were there."""
    if poste_id is None:
        return {}
    return {"poste": {"numero": poste_id, "prenom": names.get(poste_id, "")}}


def console() -> Console:
    """Rich output on the standard output (see :func:`ensap_tui.commands.output_console`)."""
    from ensap_tui.commands import output_console

    return output_console()


def cell(value: str | None) -> Text:
    """A table cell shown literally (never read as markup, control characters made visible),
    «—» when empty."""
    from rich.text import Text

    from ensap_tui.commands import visible

    return Text(visible(value) if value else NONE)


def when(at: datetime | None) -> str:
    """``26/11/2026 14:02`` in the local zone, or «—»."""
    from ensap_tui.domain.timefmt import format_datetime

    return format_datetime(at).replace(" à ", " ") if at is not None else NONE


def iso(at: datetime | None) -> str | None:
    """An instant for JSON output (ISO 8601 with its offset), or None."""
    return at.isoformat() if at is not None else None


def masked(nir_text: str) -> str:
    """``1 85 •• •• ••• ••• 64`` for a table; the text as it is when it is not a NIR."""
    from ensap_tui.domain.errors import FieldError
    from ensap_tui.domain.nir import mask_nir

    try:
        return mask_nir(nir_text) if nir_text else ""
    except FieldError:
        return nir_text
