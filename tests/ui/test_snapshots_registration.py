"""Pictures of the home page and the creation wizard at 100×40, for review.

Deterministic: fixed clock (26/11/2026 14:02, Paris) and tokens from ``tests/conftest.py``,
steady cursors, the «ensap» theme. Regenerate with ``--snapshot-update`` and look at every
picture before committing it.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Select

from ensap_tui.ui.registration import RegistrationDraft
from ensap_tui.ui.screens.contacts import ContactsScreen
from ensap_tui.ui.screens.identity import IdentityScreen
from ensap_tui.ui.screens.password import PasswordScreen

from .registration_wizard import NIR, STRONG_PASSWORD, type_text, wait_for_screen

SIZE = (100, 40)
EMAIL = "jean.dupont@example.fr"


def identity_done() -> RegistrationDraft:
    return RegistrationDraft(nir=NIR, birth_name="DUPONT", birth_day="14", birth_month="05",
                             birth_year="1985", terms_accepted=True)


async def steady(pilot: Pilot[Any]) -> None:
    """Stops the cursors blinking, so the picture does not depend on the moment."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def test_home(snap_compare: Any, make_app: Any) -> None:
    """The home page: header line, red simulator banner, the five buttons (the fifth,
    «Espace assistance», for agents) each with its one-line
    explanation, «Créer mon espace» focused, and the footer keys (F1, Échap hidden, Ctrl+Q,
    Ctrl+P on the right)."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_identity_empty(snap_compare: Any, make_app: Any) -> None:
    """Step 1 empty: «Étape 1 sur 4 — Identité» with «Étape suivante : Mot de passe», the first
    part of the bar and «1. Identité» highlighted; the NIR field focused with its «?», the three
    JJ / MM / AAAA lists, the unticked terms box «☐», the link to read them, both buttons."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.click("#creer-espace")
        await wait_for_screen(pilot, "IdentityScreen")
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_identity_with_errors(snap_compare: Any, make_app: Any) -> None:
    """Step 1 after «Continuer» with a NIR whose key is wrong, a name with a digit, no day and
    the box unticked: four «✖» messages in French under their fields, the focus back on the
    NIR."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.app.push_screen(IdentityScreen(RegistrationDraft()))
        await pilot.pause()
        await type_text(pilot, "1 85 05 75 115 123 65")
        screen = pilot.app.screen
        screen.query_one("#nom-naissance", Input).value = "DUP0NT"
        screen.query_one("#mois", Select).value = "05"
        screen.query_one("#annee", Select).value = "1985"
        screen.query_one("#continuer").focus()
        await pilot.press("enter")
        await pilot.pause()
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_password_weak(snap_compare: Any, make_app: Any) -> None:
    """Step 2 with «soleil» typed (masked): «Niveau de sécurité» one third filled and the word
    «Faible»; the rules show ✖ for the length, the 3 kinds and the common password, ✔ for
    lower case and personal information; «1. Identité» ticked in the step bar."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.app.push_screen(PasswordScreen(identity_done()))
        await pilot.pause()
        await type_text(pilot, "soleil")
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_password_strong(snap_compare: Any, make_app: Any) -> None:
    """Step 2 with a strong password and its confirmation (both masked): the bar full with
    «Fort», every rule ✔, the focus on the confirmation."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.app.push_screen(PasswordScreen(identity_done()))
        await pilot.pause()
        await type_text(pilot, STRONG_PASSWORD)
        await pilot.press("tab", "tab")
        await type_text(pilot, STRONG_PASSWORD)
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_contacts_with_errors(snap_compare: Any, make_app: Any) -> None:
    """Step 3 after «Valider et Continuer» with a different confirmation, a backup address equal
    to the main one and a phone too short: three «✖» messages in the two columns, the
    information line about the main address, the phone examples with the Polynesia rule."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        draft = identity_done()
        draft.password = draft.password_confirmation = STRONG_PASSWORD
        draft.email = draft.email_backup = draft.email_backup_confirmation = EMAIL
        draft.email_confirmation = "jean.dupond@example.fr"
        draft.phone = "0615"
        await pilot.app.push_screen(ContactsScreen(draft))
        await pilot.pause()
        pilot.app.screen.query_one("#valider").focus()
        await pilot.press("enter")
        await pilot.pause()
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_finalisation(snap_compare: Any, make_app: Any) -> None:
    """Step 4 after a real registration: «Votre espace sécurisé est en cours de création», the
    address jean.dupont@example.fr framed, the link valid until 27/11/2026 à 14:02, what to do
    without a mail, «Ouvrir la boîte de réception (simulée)» focused, the four steps done."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        draft = identity_done()
        draft.password = draft.password_confirmation = STRONG_PASSWORD
        draft.email = draft.email_confirmation = EMAIL
        await pilot.app.push_screen(ContactsScreen(draft))
        await pilot.pause()
        pilot.app.screen.query_one("#valider").focus()
        await pilot.press("enter")
        await wait_for_screen(pilot, "FinalisationScreen")
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
