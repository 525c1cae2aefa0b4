"""``ensap-tui events``: the event log (newest first), for the help desk and the trainer."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ensap_tui.commands import add_json_option, add_limit_option
from ensap_tui.commands._helpdesk import (
    cell,
    helpdesk_services,
    masked,
    nir_argument,
    poste_json,
    poste_names,
    poste_text,
    print_rows,
    when,
)

if TYPE_CHECKING:
    from ensap_tui.services.models import Event


def build(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """``events``' options; it runs :func:`run`."""
    parser.set_defaults(handler=run)
    add_json_option(parser)
    add_limit_option(parser, 50, "d'événements")
    parser.add_argument(
        "--nir",
        type=nir_argument,
        metavar="NIR",
        help="seulement les événements de ce numéro de sécurité sociale",
    )


def event_json(event: Event, postes: Mapping[int, str] | None = None) -> dict[str, Any]:
    """One event as ``events --json`` prints it; in a training room, with its ``poste``
    (``postes``: the first names of the postes, by number)."""
    from ensap_tui.services.assistance import event_label

    return {
        "quand": event.at.isoformat(),
        "type": event.kind,
        "libelle": event_label(event.kind),
        "nir": event.nir,
        "auteur": event.actor,
        "detail": event.detail,
        **poste_json(event.poste_id, postes or {}),
    }


def run(args: argparse.Namespace) -> int:
    """Prints the event log as a table (NIR masked) or JSON; in a training room, with the
    poste of each event (the one that acted, else the one of the space concerned)."""
    from rich.text import Text

    from ensap_tui.services.assistance import event_label

    with helpdesk_services(args) as services:
        found = services.assistance.journal(args.nir, limit=args.limit)
        postes = poste_names(services, (event.poste_id for event in found))
    in_room = any(event.poste_id is not None for event in found)

    def cells(event: Event) -> tuple[Text, ...]:
        poste = () if not in_room else (
            cell(None if event.poste_id is None else poste_text(event.poste_id, postes)),)
        return (
            cell(when(event.at)),
            *poste,
            cell(event_label(event.kind)),
            cell(masked(event.nir)),
            cell(event.actor),
            cell(event.detail),
        )

    return print_rows(
        args,
        found,
        as_json=lambda event: event_json(event, postes),
        empty="Le journal ne contient aucun événement.",
        title="Journal des événements",
        columns=[("Quand", True), *([("Poste", False)] if in_room else []),
                 ("Événement", False), ("NIR", True), ("Auteur", False), ("Détail", False)],
        cells=cells,
    )
