"""Every screen of the journey at 80×24, the smallest usual terminal (issue 11, point 5): nothing
cut mid-word, the step bar readable, the finalisation opening at its top. The help-desk console
and its sign-in have their own pictures (``test_snapshots_console.py``).

Deterministic like the other snapshot modules (fixed clock and tokens, steady cursors, the
«ensap» theme). Each case's docstring-like note says what a reviewer should see; regenerate with
``--snapshot-update`` and look at every picture before committing it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from ensap_tui.services.container import Services
from ensap_tui.ui.registration import RegistrationDraft
from ensap_tui.ui.screens.activation import ActivationScreen
from ensap_tui.ui.screens.contacts import ContactsScreen
from ensap_tui.ui.screens.finalisation import FinalisationScreen
from ensap_tui.ui.screens.forgot_password import ForgotPasswordScreen
from ensap_tui.ui.screens.mailbox import MailboxScreen
from ensap_tui.ui.screens.password import PasswordScreen
from ensap_tui.ui.screens.reset_password import ResetPasswordScreen
from ensap_tui.ui.screens.sign_in import SignInScreen
from tests.support.accounts import active_person, last_link, register
from tests.support.people import NEW_PASSWORD, NIR_SPACED, PASSWORD, REQUEST, WRONG_PASSWORD
from tests.support.waiting import wait_until

from .demo_support import build_demo_app
from .registration_wizard import NIR
from .session_support import fill, settle

SIZE = (80, 24)
Step = Callable[[Pilot[Any]], Awaitable[None]]


async def steady(pilot: Pilot[Any]) -> None:
    """Lets the workers finish and stops the cursors blinking."""
    await settle(pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def press(pilot: Pilot[Any], button: str) -> None:
    """Presses ``#button`` from the keyboard: on a small screen it may be below the fold."""
    pilot.app.screen.query_one(f"#{button}").focus()
    await pilot.press("enter")
    await settle(pilot)


def identity_done() -> RegistrationDraft:
    return RegistrationDraft(nir=NIR, birth_name="DUPONT", birth_day="14", birth_month="05",
                             birth_year="1985", terms_accepted=True)


async def home(pilot: Pilot[Any]) -> None:
    """The banner, the five buttons with their explanations, the footer keys."""


async def identity(pilot: Pilot[Any]) -> None:
    """Step 1: «Étape 1 sur 4 — Identité» and the four steps readable in the bar, the
    fields under «Identité»."""
    await press(pilot, "creer-espace")


async def terms(pilot: Pilot[Any]) -> None:
    """The terms of use over step 1, with «Accepter» and «Fermer» in view."""
    await press(pilot, "creer-espace")
    await press(pilot, "lire-cgu")


async def abandon(pilot: Pilot[Any]) -> None:
    """Escape on step 1 with a NIR typed: «Abandonner la création de votre espace ?»."""
    await press(pilot, "creer-espace")
    pilot.app.screen.query_one("#nir", Input).value = NIR
    await pilot.press("escape")
    await settle(pilot)


async def password(pilot: Pilot[Any]) -> None:
    """Step 2: «▶ 2. Mot de passe» whole in the bar; a weak password typed, the rules and the
    meter «Faible»."""
    await pilot.app.push_screen(PasswordScreen(identity_done()))
    await pilot.pause()
    await fill(pilot, "#mot-de-passe", "soleil")


async def contacts(pilot: Pilot[Any]) -> None:
    """Step 3: «▶ 3. Coordonnées», the e-mail fields in two columns."""
    await pilot.app.push_screen(ContactsScreen(identity_done()))


async def finalisation(pilot: Pilot[Any]) -> None:
    """Step 4 opening at its top: the step bar, «Votre espace sécurisé est en cours de
    création», the address; the rest below by scrolling."""
    receipt = pilot.app.services.registration.register(REQUEST)
    await pilot.app.push_screen(FinalisationScreen(receipt))


async def mailbox(pilot: Pilot[Any]) -> None:
    """The mailbox: the list (subject cut with «…» only), the buttons, the start of the mail."""
    register(pilot.app.services)
    await pilot.app.push_screen(MailboxScreen())


async def activation(pilot: Pilot[Any]) -> None:
    """«Activer mon espace» after following the link: «✔ Votre espace sécurisé est activé…»."""
    register(pilot.app.services)
    await pilot.app.push_screen(ActivationScreen(last_link(pilot.app.services, "activation")))
    await pilot.pause()
    await pilot.press("enter")


async def sign_in(pilot: Pilot[Any]) -> None:
    """The sign-in after one wrong password: the warning and the message, both buttons."""
    active_person(pilot.app.services)
    await pilot.app.push_screen(SignInScreen())
    await pilot.pause()
    await fill(pilot, "#identifiant", NIR_SPACED)
    await fill(pilot, "#mot-de-passe", WRONG_PASSWORD)
    await pilot.press("enter")


async def forgot(pilot: Pilot[Any]) -> None:
    """«Mot de passe oublié» after «Envoyer»: the answer and the three buttons."""
    active_person(pilot.app.services)
    await pilot.app.push_screen(ForgotPasswordScreen())
    await pilot.pause()
    await fill(pilot, "#identifiant", NIR_SPACED)
    await pilot.press("enter")


async def reset(pilot: Pilot[Any]) -> None:
    """The reset opened from its mail, a strong new password typed."""
    services: Services = pilot.app.services
    active_person(services)
    services.recovery.request_reset(NIR_SPACED)
    await pilot.app.push_screen(ResetPasswordScreen(last_link(services, "reset")))
    await pilot.pause()
    await fill(pilot, "#mot-de-passe", NEW_PASSWORD)


async def signed_in(pilot: Pilot[Any]) -> None:
    active_person(pilot.app.services)
    await pilot.app.push_screen(SignInScreen())
    await pilot.pause()
    await fill(pilot, "#identifiant", NIR_SPACED)
    await fill(pilot, "#mot-de-passe", PASSWORD)
    await pilot.press("enter")
    await settle(pilot)
    await wait_until(pilot, lambda: pilot.app.screen.query("#bienvenue"), "Mon espace")


async def espace(pilot: Pilot[Any]) -> None:
    """«Mon espace»: the welcome, the three buttons, the start of «Mes coordonnées»."""
    await signed_in(pilot)


async def change_password(pilot: Pilot[Any]) -> None:
    """«Modifier mon mot de passe»: the three fields' labels and the rules."""
    await signed_in(pilot)
    await press(pilot, "modifier-mot-de-passe")


async def change_contacts(pilot: Pilot[Any]) -> None:
    """«Modifier mes coordonnées»: the fields prefilled."""
    await signed_in(pilot)
    await press(pilot, "modifier-coordonnees")


async def help_page(pilot: Pilot[Any]) -> None:
    """F1 on the home page: the help dialog, its title, its text wrapped, «Fermer»."""
    await pilot.press("f1")


CASES: dict[str, Step] = {
    "accueil": home,
    "identite": identity,
    "conditions": terms,
    "abandon": abandon,
    "mot-de-passe": password,
    "coordonnees": contacts,
    "finalisation": finalisation,
    "boite": mailbox,
    "activation": activation,
    "connexion": sign_in,
    "oubli": forgot,
    "reinitialisation": reset,
    "espace": espace,
    "modifier-mot-de-passe": change_password,
    "modifier-coordonnees": change_contacts,
    "aide": help_page,
}


@pytest.mark.parametrize("name", CASES)
def test_screen_at_80x24(snap_compare: Any, make_app: Any, name: str) -> None:
    step = CASES[name]

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await step(pilot)
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before), step.__doc__


def test_demo_page_at_80x24(
    snap_compare: Any, db_path: Path, clock: Any, tokens: Any
) -> None:
    """F2 in demo mode: the demo clock and its buttons, the table of fictitious accounts."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.press("f2")
        await steady(pilot)
        await steady(pilot)

    app = build_demo_app(db_path, clock, tokens)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


