"""``ensap-tui demo``: the trainer's commands on the demo database (``--db`` to choose another).

``demo reset`` puts the demo accounts back as seeded, ``demo clock`` shows or moves the demo
clock that the app on the same database reads too, ``demo accounts`` lists the demo accounts
with their passwords (fictitious).
"""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ensap_tui.commands import (
    EXIT_OK,
    EXIT_USAGE,
    ActionSpec,
    CommandError,
    add_actions,
    add_json_option,
    open_services,
    output_console,
    print_json,
    report,
)

if TYPE_CHECKING:
    from ensap_tui.services.container import Services
    from ensap_tui.services.demo import DemoAccountView

#: ``demo clock`` steps: the word typed, and how far it moves the clock (None: real time).
CLOCK_STEPS: dict[str, timedelta | None] = {
    "+1h": timedelta(hours=1),
    "+24h": timedelta(hours=24),
    "reel": None,
    "réel": None,
}


def build(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """``demo``'s actions."""
    add_actions(parser, common, _ACTIONS, when_bare=_missing_action)


def _clock_arguments(clock: argparse.ArgumentParser) -> None:
    clock.add_argument(
        "step",
        nargs="?",
        choices=list(CLOCK_STEPS),
        metavar="{+1h,+24h,reel}",
        help="avancer d'1 heure, de 24 heures, ou revenir à l'heure réelle",
    )
    add_json_option(clock)


def _missing_action(parser: argparse.ArgumentParser) -> Any:
    def run(args: argparse.Namespace) -> int:
        parser.print_usage()
        raise CommandError("précisez l'action : reset, clock ou accounts.", EXIT_USAGE)

    return run


def run_reset(args: argparse.Namespace) -> int:
    """Resets the demo database and says so."""
    from ensap_tui.services.demo import NotDemoDatabase
    from ensap_tui.services.ports import StoreBusyError, StoreError

    services = open_services(args, demo=True)
    try:
        # A database seeded by this very opening is already as new.
        if not services.demo.just_seeded:
            services.demo.reset()
        clock = services.demo.clock_text()
        count = len(services.demo.people)
        agent = services.demo.agent_name
        data = {**_clock_json(services), "comptes": count, "agent": agent}
    except (NotDemoDatabase, StoreError, StoreBusyError) as error:
        raise CommandError(f"{error}") from None
    finally:
        services.close()
    report(
        args,
        f"Démonstration réinitialisée : {count} comptes fictifs et l'agent « {agent} » "
        f"recréés ; horloge de démonstration : {clock}.",
        data,
    )
    return EXIT_OK


def run_clock(args: argparse.Namespace) -> int:
    """Shows the demo clock, or moves it and shows where it is."""
    from ensap_tui.services.demo import DemoClockError, NotDemoDatabase
    from ensap_tui.services.ports import StoreBusyError, StoreError

    step: str | None = args.step
    services = open_services(args, demo=True)
    try:
        if step is None:
            text = f"Horloge de démonstration : {services.demo.clock_text()}."
        else:
            text = _move(services, CLOCK_STEPS[step])
        report(args, text, _clock_json(services))
    except (DemoClockError, NotDemoDatabase, StoreError, StoreBusyError) as error:
        raise CommandError(f"{error}") from None
    finally:
        services.close()
    return EXIT_OK


def _move(services: Services, delta: timedelta | None) -> str:
    """Moves the demo clock (to the real time when ``delta`` is None); says where it is."""
    from ensap_tui.services.demo import describe_step

    if delta is None:
        services.demo.real_time()
        return (
            f"Horloge de démonstration remise à l'heure réelle : {services.demo.clock_text()}."
        )
    services.demo.advance(delta)
    return (
        f"Horloge de démonstration avancée {describe_step(delta)} : "
        f"{services.demo.clock_text()}."
    )


def _clock_json(services: Services) -> dict[str, Any]:
    """The demo clock for ``--json``: its time (ISO 8601) and how far it runs ahead of the
    real time, in seconds."""
    return {
        "horloge": services.demo.now().isoformat(),
        "avance_secondes": int(services.demo.offset().total_seconds()),
    }


def run_accounts(args: argparse.Namespace) -> int:
    """Prints the demo accounts (fictitious NIRs and passwords) and the demo agent."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from ensap_tui.domain.nir import format_nir
    from ensap_tui.services.ports import StoreBusyError, StoreError

    services = open_services(args, demo=True)
    try:
        views = services.demo.accounts()
        clock = services.demo.clock_text()
        clock_json = _clock_json(services)
        agent = (services.demo.agent_name, services.demo.agent_password)
    except (StoreError, StoreBusyError) as error:
        raise CommandError(f"{error}") from None
    finally:
        services.close()
    if args.json:
        print_json({
            **clock_json,
            "comptes": [_view_json(view) for view in views],
            "agent": {"nom": agent[0], "mot_de_passe": agent[1]},
        })
        return EXIT_OK
    # Light borders and no wrapping of what is typed: it fits an 80-column terminal.
    table = Table(title=f"Comptes de démonstration (fictifs) — {clock}", box=box.SIMPLE_HEAD)
    table.add_column("Nom de naissance", no_wrap=True)
    table.add_column("N° de sécurité sociale", no_wrap=True)
    table.add_column("Mot de passe", no_wrap=True)
    table.add_column("État")
    for view in views:
        table.add_row(
            Text(view.person.birth_name),
            format_nir(view.person.nir),
            Text(view.person.password),
            Text(view.label),
        )
    console = output_console()
    console.print(table)
    if agent[1] is None:
        console.print(Text(
            f"Agent d'assistance : « {agent[0]} », mot de passe inconnu (base d'une version "
            "précédente) : « ensap-tui demo reset » en tire un nouveau."
        ))
    else:
        console.print(Text(f"Agent d'assistance : « {agent[0]} », mot de passe {agent[1]}"))
    return EXIT_OK


def _view_json(view: DemoAccountView) -> dict[str, Any]:
    """One demo account for ``demo accounts --json``."""

    def iso(at: datetime | None) -> str | None:
        return at.isoformat() if at is not None else None

    return {
        "cle": view.person.key,
        "nom_de_naissance": view.person.birth_name,
        "nir": view.person.nir,
        "mot_de_passe": view.person.password,
        "etat": view.state.value,
        "libelle": view.label,
        "derniere_connexion": iso(view.last_sign_in_at),
        "bloque_jusqu_a": iso(view.blocked_until),
        "lien_valable_jusqu_au": iso(view.link_valid_until),
    }


#: The trainer's actions, in help order.
_ACTIONS = (
    ActionSpec(
        "reset",
        help="remet les comptes de démonstration dans leur état de départ",
        description=(
            "Supprime les espaces, courriels simulés et blocages de la base de démonstration, "
            "recrée les comptes fictifs et remet l'horloge de démonstration à l'heure réelle. "
            "Le journal des événements est conservé."
        ),
        handler=run_reset,
        arguments=add_json_option,
    ),
    ActionSpec(
        "clock",
        help="affiche ou avance l'horloge de démonstration",
        description=(
            "Sans argument, affiche l'horloge de démonstration. « +1h » ou « +24h » l'avancent "
            "(les liens expirent et les blocages prennent fin selon les règles habituelles) ; "
            "« reel » la remet à l'heure réelle."
        ),
        handler=run_clock,
        arguments=_clock_arguments,
    ),
    ActionSpec(
        "accounts",
        help="liste les comptes de démonstration et leurs mots de passe (fictifs)",
        description="Les comptes fictifs de la démonstration, leur état et leur mot de passe.",
        handler=run_accounts,
        arguments=add_json_option,
    ),
)
