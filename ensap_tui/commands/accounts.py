"""``ensap-tui accounts``: the help desk's view of the secure spaces, and its actions.

``list`` and ``show`` read; ``unlock``, ``resend`` and ``delete`` act and are written to the
event log with their author (``--agent NOM``, or the shell user).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ensap_tui.commands import (
    EXIT_OK,
    EXIT_USAGE,
    ActionSpec,
    CommandError,
    add_actions,
    add_json_option,
    add_limit_option,
    print_json,
    report,
)
from ensap_tui.commands._helpdesk import (
    NONE,
    Action,
    actor,
    add_nir_argument,
    cell,
    console,
    helpdesk_services,
    iso,
    masked,
    on_record,
    print_rows,
    when,
)

if TYPE_CHECKING:
    from ensap_tui.services.container import Services
    from ensap_tui.services.models import AccountSummary

#: ``--statut`` words, as the help explains them.
STATE_CHOICES = ("attente", "expire", "active", "bloque")

DELETE_NEEDS_YES = (
    "La suppression d'un espace est définitive : ajoutez --yes pour confirmer "
    "(ensap-tui accounts delete NIR --yes)."
)


def build(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """``accounts``' actions."""
    add_actions(parser, common, (*_READ_ACTIONS, *on_record(_ACTIONS, add_nir_argument)))


def _listing_arguments(listing: argparse.ArgumentParser) -> None:
    listing.add_argument(
        "--statut",
        choices=STATE_CHOICES,
        help=(
            "seulement les espaces en attente d'activation (attente), au lien expiré (expire), "
            "activés (active) ou bloqués (bloque)"
        ),
    )
    add_limit_option(listing, 100, "d'espaces")
    add_json_option(listing)


def _show_arguments(show: argparse.ArgumentParser) -> None:
    add_nir_argument(show)
    add_json_option(show)


def account_json(summary: AccountSummary, services: Services) -> dict[str, Any]:
    """One account as ``accounts list --json`` and ``accounts show --json`` print it."""
    from ensap_tui.domain.nir import mask_nir
    from ensap_tui.services.assistance import state_of

    account = summary.account
    return {
        "nir": account.nir,
        "nir_masque": mask_nir(account.nir),
        "nom_naissance": account.birth_name,
        "date_naissance": account.birth_date.isoformat(),
        "statut": state_of(summary).value,
        "statut_libelle": services.assistance.status_label(summary),
        "courriel": account.contacts.email,
        "courriel_secours": account.contacts.email_backup,
        "telephone": account.contacts.phone,
        "telephone_secondaire": account.contacts.phone_secondary,
        "cree_le": iso(account.created_at),
        "active_le": iso(account.activated_at),
        "derniere_connexion": iso(account.last_sign_in_at),
        "bloque_jusqu_a": iso(summary.blocked_until),
        "lien_valable_jusqu_au": iso(summary.link_valid_until),
        "tentatives_echouees": summary.failures,
    }


def run_list(args: argparse.Namespace) -> int:
    """Prints the accounts as a table (NIR masked) or JSON."""
    from ensap_tui.services.models import AccountState

    state = AccountState(args.statut) if args.statut else None
    with helpdesk_services(args) as services:
        return print_rows(
            args,
            services.assistance.accounts(state, limit=args.limit),
            as_json=lambda summary: account_json(summary, services),
            empty="Aucun espace ne correspond.",
            title="Espaces",
            columns=[("NIR", True), ("Nom de naissance", False), ("Statut", False),
                     ("Créé le", False), ("Dernière connexion", False)],
            cells=lambda summary: (
                cell(masked(summary.account.nir)),
                cell(summary.account.birth_name),
                cell(services.assistance.status_label(summary)),
                cell(when(summary.account.created_at)),
                cell(when(summary.account.last_sign_in_at)),
            ),
        )


def run_show(args: argparse.Namespace) -> int:
    """Prints one account's state and details, or JSON."""
    from rich.table import Table
    from rich.text import Text

    from ensap_tui.domain.nir import format_nir

    with helpdesk_services(args) as services:
        summary = services.assistance.status_of(args.nir)
        if args.json:
            print_json(account_json(summary, services))
            return EXIT_OK
        account = summary.account
        contacts = account.contacts
        rows: list[tuple[str, str]] = [
            ("Statut", services.assistance.status_label(summary)),
            ("Nom de naissance", account.birth_name),
            ("Date de naissance", account.birth_date.strftime("%d/%m/%Y")),
            ("Courriel", contacts.email),
            ("Courriel de secours", contacts.email_backup),
            ("Téléphone", contacts.phone),
            ("Téléphone secondaire", contacts.phone_secondary),
            ("Créé le", when(account.created_at)),
            ("Activé le", when(account.activated_at)),
            ("Dernière connexion", when(account.last_sign_in_at)),
            ("Tentatives échouées", str(summary.failures)),
        ]
        if summary.link_valid_until is not None:
            rows.insert(1, ("Lien d'activation valable jusqu'au",
                            when(summary.link_valid_until)))
        table = Table(
            title=Text(f"Espace {format_nir(account.nir)}"), show_header=False, box=None
        )
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for name, value in rows:
            table.add_row(Text(name), cell(value or NONE))
        console().print(table)
    return EXIT_OK


def run_unlock(args: argparse.Namespace) -> int:
    """Lifts the block of one account."""
    from ensap_tui.domain.nir import format_nir

    with helpdesk_services(args) as services:
        author = actor(args, services)
        lifted = services.assistance.unlock(args.nir, author)
    if lifted:
        text = (
            f"Le blocage de l'espace {format_nir(args.nir)} est levé : la personne peut se "
            "connecter de nouveau."
        )
    else:
        text = f"L'espace {format_nir(args.nir)} n'était pas bloqué : rien à faire."
    report(args, text, {"nir": args.nir, "etait_bloque": lifted})
    return EXIT_OK


def run_resend(args: argparse.Namespace) -> int:
    """Sends a new activation link to one pending account."""
    with helpdesk_services(args) as services:
        author = actor(args, services)
        email = services.assistance.resend_activation(args.nir, author)
    report(
        args,
        f"Un nouveau lien d'activation, valable 24 heures, a été envoyé à {email} (boîte de "
        "réception simulée) ; le lien précédent ne fonctionne plus.",
        {"nir": args.nir, "destinataire": email},
    )
    return EXIT_OK


def run_delete(args: argparse.Namespace) -> int:
    """Deletes one account, only with ``--yes``."""
    from ensap_tui.domain.nir import format_nir

    if not args.yes:
        raise CommandError(DELETE_NEEDS_YES, EXIT_USAGE)
    with helpdesk_services(args) as services:
        author = actor(args, services)
        services.assistance.delete(args.nir, author)
    report(
        args,
        f"L'espace {format_nir(args.nir)} a été supprimé ; son journal est conservé.",
        {"nir": args.nir, "supprime": True},
    )
    return EXIT_OK


#: The actions on one account, named by its NIR.
_ACTIONS = (
    Action(
        "unlock",
        "lève le blocage de connexion d'un espace",
        "Lève le blocage de connexion d'un espace et remet à zéro ses tentatives échouées.",
        run_unlock,
    ),
    Action(
        "resend",
        "envoie un nouveau lien d'activation",
        "Envoie un nouveau lien d'activation (valable 24 heures) à un espace en attente "
        "d'activation ; le lien précédent ne fonctionne plus.",
        run_resend,
    ),
    Action(
        "delete",
        "supprime un espace (avec --yes)",
        "Supprime définitivement un espace ; son journal est conservé.",
        run_delete,
        needs_yes=True,
    ),
)


#: The actions that read, before those on one account.
_READ_ACTIONS = (
    ActionSpec(
        "list",
        help="liste les espaces, du plus récent au plus ancien",
        description="Liste les espaces, du plus récent au plus ancien (NIR masqué).",
        handler=run_list,
        arguments=_listing_arguments,
    ),
    ActionSpec(
        "show",
        help="affiche un espace",
        description="Affiche l'état et les coordonnées d'un espace.",
        handler=run_show,
        arguments=_show_arguments,
    ),
)
