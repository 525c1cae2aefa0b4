"""``ensap-tui outbox``: the simulated e-mails, so a link can be read from another terminal."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ensap_tui.commands import (
    EXIT_OK,
    add_json_option,
    add_limit_option,
    note_left_out,
    open_services,
    output_console,
    print_json,
    visible,
)

if TYPE_CHECKING:
    from ensap_tui.services.models import MailMessage


def build(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """``outbox``'s options; it runs :func:`run`."""
    parser.set_defaults(handler=run)
    parser.add_argument(
        "--last", action="store_true", help="seulement le dernier courriel, en entier"
    )
    add_json_option(parser)
    add_limit_option(parser, 20, "de courriels")


def mail_json(message: MailMessage, postes: Mapping[int, str] | None = None) -> dict[str, Any]:
    """One mail as the JSON object ``outbox --json`` prints; in a training room, with the
    ``poste`` whose mailbox shows it (``postes``: the first names of the postes, by number)."""
    from ensap_tui.commands._helpdesk import poste_json

    return {
        "recu": message.sent_at.isoformat(),
        "destinataire": message.recipient,
        "objet": message.subject,
        "type": message.kind,
        "lien": message.link,
        "texte": message.body,
        **poste_json(message.poste_id, postes or {}),
    }


def run(args: argparse.Namespace) -> int:
    """Prints the outbox as a table, the last mail in full, or JSON."""
    from rich.table import Table
    from rich.text import Text

    from ensap_tui.commands._helpdesk import poste_names, poste_text
    from ensap_tui.domain.timefmt import format_datetime, format_short

    services = open_services(args)
    try:
        messages = services.mailbox.messages(limit=1 if args.last else args.limit)
        postes = poste_names(services, (m.poste_id for m in messages))
        note_left_out(services)
    finally:
        services.close()
    if args.json:
        payload: Any = [mail_json(m, postes) for m in messages]
        if args.last:
            payload = payload[0] if payload else None
        print_json(payload)
        return EXIT_OK
    console = output_console()
    if not messages:
        console.print("La boîte d'envoi est vide : aucun courriel n'a encore été envoyé.")
        return EXIT_OK
    if args.last:
        message = messages[0]
        console.print(Text(f"Reçu le {format_datetime(message.sent_at)}", style="bold"))
        if message.poste_id is not None:
            console.print(Text(f"Poste : {poste_text(message.poste_id, postes)}"))
        console.print(Text(f"À : {visible(message.recipient)}"))
        console.print(Text(f"Objet : {visible(message.subject)}"))
        console.print()
        console.print(Text(visible(message.body, keep_newlines=True)))
        if message.link:
            console.print()
            console.print(Text(visible(message.link), style="bold"))
        return EXIT_OK
    # A training room's mails say whose mailbox shows them; outside a room, as before.
    in_room = any(m.poste_id is not None for m in messages)
    table = Table(title="Boîte d'envoi (simulée)")
    table.add_column("Reçu", no_wrap=True)
    if in_room:
        table.add_column("Poste")
    table.add_column("À")
    table.add_column("Objet")
    table.add_column("Lien", overflow="fold")
    for message in messages:
        poste = () if not in_room else (
            "—" if message.poste_id is None
            else Text(visible(poste_text(message.poste_id, postes))),)
        table.add_row(
            format_short(message.sent_at),
            *poste,
            Text(visible(message.recipient)),
            Text(visible(message.subject)),
            Text(visible(message.link) or "—"),
        )
    console.print(table)
    return EXIT_OK
