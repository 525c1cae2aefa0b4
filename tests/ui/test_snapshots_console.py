"""Pictures of the help desk at 100×40, for review: the agent's sign-in, the console with its
results and a journal, and the confirmation before a deletion; and at 80×24, the smallest
terminal it is made for: the agent's sign-in, the console, its details panel and its journal.

Deterministic: fixed clock (26/11/2026 14:02, Paris) and tokens from ``tests/conftest.py``,
steady cursors. Regenerate with ``--snapshot-update`` and look at every picture before
committing it.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from ensap_tui.ui.screens.agent_sign_in import AgentSignInScreen
from tests.support.accounts import help_desk_people
from tests.support.people import AGENT, AGENT_PASSWORD, WRONG_PASSWORD

from .session_support import wait_until

SIZE = (100, 40)


async def steady(pilot: Pilot[Any]) -> None:
    """Stops the cursors blinking, so the picture does not depend on the moment."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def sign_in(pilot: Pilot[Any], password: str) -> None:
    screen = pilot.app.screen
    screen.query_one("#agent-identifiant", Input).value = AGENT
    field = screen.query_one("#agent-mot-de-passe", Input)
    field.value = password
    field.focus()
    await pilot.press("enter")
    await settle(pilot)


async def console_on_martin(pilot: Pilot[Any]) -> None:
    """Signs in, then selects MARTIN-LÉGER (blocked) in the newest accounts."""
    await pilot.app.push_screen(AgentSignInScreen())
    await pilot.pause()
    await sign_in(pilot, AGENT_PASSWORD)
    await settle(pilot)
    table = pilot.app.screen.query_one("#resultats", DataTable)
    await wait_until(pilot, lambda: table.row_count == 3)
    table.focus()
    table.move_cursor(row=1, animate=False)
    await settle(pilot)


def test_agent_sign_in_after_a_wrong_password(snap_compare: Any, make_app: Any) -> None:
    """«Espace assistance — identification de l'agent»: the introduction naming the command
    that creates agents, «Camille.Martin» in the identifier, the empty masked password with
    its «Afficher» box, the warning about 3 attempts in bold, and the red-edged «✖» message
    saying 2 attempts are left; «Retour à la page d'accueil» left, «Ouvrir la console» right."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        help_desk_people(pilot.app.services)  # type: ignore[attr-defined]
        await pilot.app.push_screen(AgentSignInScreen())
        await pilot.pause()
        await sign_in(pilot, WRONG_PASSWORD)
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_console_with_results_and_journal(snap_compare: Any, make_app: Any) -> None:
    """The console of «Camille.Martin»: the search field empty, «Les espaces les plus récents
    (3).», the table with masked NIRs (1 85 •• … 64), names, the three statuses (en attente
    d'activation, bloqué jusqu'à 14:17, active), dates; MARTIN-LÉGER selected, «Débloquer»
    enabled and «Renvoyer le lien d'activation» greyed out; the journal panel of that account
    with its events, the block first; under it, the top of the details panel of that account."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        help_desk_people(pilot.app.services)  # type: ignore[attr-defined]
        await console_on_martin(pilot)
        await pilot.click("#journal")
        await settle(pilot)
        await wait_until(
            pilot,
            lambda: pilot.app.screen.query_one("#journal-evenements", DataTable).row_count > 0,
        )
        pilot.app.screen.query_one("#resultats", DataTable).focus()
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_delete_confirmation(snap_compare: Any, make_app: Any) -> None:
    """The dialog over the dimmed console: «Supprimer cet espace ?» in red, the question naming
    Martin-Léger, the masked NIR and its status, what is kept and what is lost; «Annuler»
    focused, «Supprimer définitivement» in red; behind, the details of MARTIN-LÉGER. (Behind
    the dim, the SVG export draws the second line of the two-line column headers shifted left;
    a real terminal draws it aligned.)"""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        help_desk_people(pilot.app.services)  # type: ignore[attr-defined]
        await console_on_martin(pilot)
        await pilot.click("#supprimer")
        await settle(pilot)
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


# -- 80×24: the smallest terminal the console is made for -------------------------------------

SMALL = (80, 24)


def test_agent_sign_in_at_80x24(snap_compare: Any, make_app: Any) -> None:
    """The agent's sign-in at 80×24 after a wrong password: the introduction wrapped between
    words, both fields whole with «Afficher» beside the password, the warning and the «✖»
    message on two lines each; the footer whole (F1 Aide … Ctrl+Q Quitter, Ctrl+P Commandes);
    the buttons below, reached by scrolling."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        help_desk_people(pilot.app.services)  # type: ignore[attr-defined]
        await pilot.app.push_screen(AgentSignInScreen())
        await pilot.pause()
        await sign_in(pilot, WRONG_PASSWORD)
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=run_before)


def test_console_at_80x24(snap_compare: Any, make_app: Any) -> None:
    """The console at 80×24: the header with the agent and «Se déconnecter», the search label
    whole («Rechercher (Ctrl+F) : numéro de sécurité sociale ou nom de naissance»), the five
    columns whole (short NIRs «2 78 … 42», «Créé le» as «26/11», «Dernière connexion» shown),
    MARTIN-LÉGER selected; «Débloquer», «Renvoyer le lien» (greyed), «Journal», «Supprimer
    l'espace» whole; the top of the details panel; the footer whole (F5 Actualiser … Ctrl+Q
    Quitter, Ctrl+P Commandes)."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        help_desk_people(pilot.app.services)  # type: ignore[attr-defined]
        await console_on_martin(pilot)
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=run_before)


def test_console_details_at_80x24(snap_compare: Any, make_app: Any) -> None:
    """The console at 80×24 scrolled to the details of MARTIN-LÉGER: its e-mail, no backup
    e-mail nor phones («—»), «bloqué jusqu'à 14:17», the link «sans objet (espace activé le
    26/11/2026 à 14:02)», «3, accès bloqué», the block's end, creation, «jamais» signed in;
    every line whole."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        help_desk_people(pilot.app.services)  # type: ignore[attr-defined]
        await console_on_martin(pilot)
        pilot.app.screen.query_one("#corps").scroll_end(animate=False, immediate=True)
        await settle(pilot)
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=run_before)


def test_console_journal_at_80x24(snap_compare: Any, make_app: Any) -> None:
    """The console at 80×24 with the journal of MARTIN-LÉGER open and scrolled into view: the
    title on one line with the short NIR, the four columns whole, long cells wrapped between
    words («bloqué 15 minutes, jusqu'au 26/11/2026 à 14:17» on four lines), no sideways
    scroll bar."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        help_desk_people(pilot.app.services)  # type: ignore[attr-defined]
        await console_on_martin(pilot)
        await pilot.click("#journal")
        await settle(pilot)
        await wait_until(
            pilot,
            lambda: pilot.app.screen.query_one("#journal-evenements", DataTable).row_count > 0,
        )
        await settle(pilot)
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=run_before)
