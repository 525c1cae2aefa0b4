"""``ensap-tui events``: the event log (newest first), for the help desk and the trainer."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ensap_tui.commands import add_json_option, add_limit_option
from ensap_tui.commands._helpdesk import (
    cell,
    helpdesk_services,
    masked,
    nir_argument,
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


def event_json(event: Event) -> dict[str, Any]:
    """One event as ``events --json`` prints it."""
    from ensap_tui.services.assistance import event_label

    return {
        "quand": event.at.isoformat(),
        "type": event.kind,
        "libelle": event_label(event.kind),
        "nir": event.nir,
        "auteur": event.actor,
        "detail": event.detail,
    }


def run(args: argparse.Namespace) -> int:
    """Prints the event log as a table (NIR masked) or JSON."""
    from ensap_tui.services.assistance import event_label

    with helpdesk_services(args) as services:
        found = services.assistance.journal(args.nir, limit=args.limit)
    return print_rows(
        args,
        found,
        as_json=event_json,
        empty="Le journal ne contient aucun événement.",
        title="Journal des événements",
        columns=[("Quand", True), ("Événement", False), ("NIR", True), ("Auteur", False),
                 ("Détail", False)],
        cells=lambda event: (
            cell(when(event.at)),
            cell(event_label(event.kind)),
            cell(masked(event.nir)),
            cell(event.actor),
            cell(event.detail),
        ),
    )
