"""``ensap-tui events``: the event log (newest first), for the help desk and the trainer."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from ensap_tui.commands import EXIT_OK, positive_int
from ensap_tui.commands._helpdesk import (
    cell,
    console,
    helpdesk_services,
    masked,
    nir_argument,
    when,
)

if TYPE_CHECKING:
    from ensap_tui.services.models import Event


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    """Adds ``events`` to the command line."""
    parser = commands.add_parser(
        "events",
        parents=[common],
        help="affiche le journal des événements",
        description=(
            "Affiche le journal des événements, du plus récent au plus ancien : créations, "
            "activations, connexions, blocages et actions de l'assistance avec leur auteur."
        ),
    )
    parser.add_argument("--json", action="store_true", help="sortie JSON pour les scripts")
    parser.add_argument(
        "--limit", type=positive_int, default=50, metavar="N", help="nombre d'événements (50)"
    )
    parser.add_argument(
        "--nir",
        type=nir_argument,
        metavar="NIR",
        help="seulement les événements de ce numéro de sécurité sociale",
    )
    parser.set_defaults(handler=run)


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
    from rich.table import Table

    from ensap_tui.services.assistance import event_label

    with helpdesk_services(args) as services:
        found = services.assistance.journal(args.nir, limit=args.limit)
    if args.json:
        print(json.dumps([event_json(e) for e in found], ensure_ascii=False, indent=2))
        return EXIT_OK
    out = console()
    if not found:
        out.print("Le journal ne contient aucun événement.")
        return EXIT_OK
    table = Table(title=f"Journal des événements ({len(found)})")
    table.add_column("Quand", no_wrap=True)
    table.add_column("Événement")
    table.add_column("NIR", no_wrap=True)
    table.add_column("Auteur")
    table.add_column("Détail")
    for event in found:
        table.add_row(
            cell(when(event.at)),
            cell(event_label(event.kind)),
            cell(masked(event.nir)),
            cell(event.actor),
            cell(event.detail),
        )
    out.print(table)
    return EXIT_OK
