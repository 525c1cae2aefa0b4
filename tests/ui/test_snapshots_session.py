"""Pictures of the session screens at 100×40, for review: mailbox, activation, sign-in,
recovery, Mon espace.

Deterministic: fixed clock (26/11/2026 14:02, Paris) and tokens from ``tests/conftest.py``,
steady cursors, the «ensap» theme. Regenerate with ``--snapshot-update`` and look at every
picture before committing it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from ensap_tui.ui.screens.activation import ActivationScreen
from ensap_tui.ui.screens.forgot_password import ForgotPasswordScreen
from ensap_tui.ui.screens.mailbox import MailboxScreen
from ensap_tui.ui.screens.reset_password import ResetPasswordScreen
from ensap_tui.ui.screens.sign_in import SignInScreen
from tests.support.accounts import active_person, last_link, register
from tests.support.people import (
    NEW_PASSWORD,
    NIR_SPACED,
    OTHER_NIR,
    PASSWORD,
    WRONG_PASSWORD,
    request,
)

from .session_support import fill, settle

SIZE = (100, 40)
CLAIRE = request(
    nir=OTHER_NIR,
    birth_name="Martin-Léger",
    birth_day="03",
    birth_month="07",
    birth_year="1978",
    email="claire.martin@example.org",
    email_confirmation="claire.martin@example.org",
)


async def steady(pilot: Pilot[Any]) -> None:
    """Lets the workers finish and stops the cursors blinking, so the picture does not depend
    on the moment."""
    await settle(pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def failed_attempts(pilot: Pilot[Any], count: int) -> None:
    await pilot.app.push_screen(SignInScreen())
    await pilot.pause()
    for _ in range(count):
        await fill(pilot, "#identifiant", NIR_SPACED)
        await fill(pilot, "#mot-de-passe", WRONG_PASSWORD)
        await pilot.press("enter")
        await settle(pilot)


def test_mailbox_with_a_mail_selected(snap_compare: Any, make_app: Any, clock: Any) -> None:
    """The simulated mailbox with two activation mails, newest first («claire.martin@…» at
    14:07 above «jean.dupont@…» at 14:02), subjects cut with «…»; the second row selected and
    its mail below in the «Courriel sélectionné» frame: De / À / Objet / Reçu le, the text with
    the link «ensap-tui://activer/jetontest000000000001» shown literally, and the «Suivre le
    lien» button above the mail."""
    app = make_app()
    register(app.services)
    clock.advance(timedelta(minutes=5))
    register(app.services, CLAIRE)

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.app.push_screen(MailboxScreen())
        await pilot.pause()
        await pilot.press("down")
        await steady(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_activation_done(snap_compare: Any, make_app: Any) -> None:
    """«Activer mon espace» after following the link: the link in the field, a green-edged «✔
    Votre espace sécurisé est activé…» message, and «Accéder à mon espace» shown (focused)
    beside «Activer mon espace»."""
    app = make_app()
    register(app.services)
    link = last_link(app.services, "activation")

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.app.push_screen(ActivationScreen(link))
        await pilot.pause()
        await pilot.press("enter")
        await steady(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_activation_expired(snap_compare: Any, make_app: Any, clock: Any) -> None:
    """The same link followed 24 hours later: a red-edged «✖ Ce lien a expiré…» message telling
    to start again, and a «Créer mon espace» button (focused) instead of «Accéder à mon
    espace»."""
    app = make_app()
    register(app.services)
    link = last_link(app.services, "activation")
    clock.advance(timedelta(hours=24))

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.app.push_screen(ActivationScreen(link))
        await pilot.pause()
        await pilot.press("enter")
        await steady(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_sign_in_failed(snap_compare: Any, make_app: Any) -> None:
    """«J'accède à mon espace sécurisé» after one wrong password: the NIR still typed, the
    password field emptied and focused, the bold warning about 3 attempts, then «✖ Identifiant
    ou mot de passe incorrect. Il vous reste 2 tentatives…», «Accéder à mon espace» and the
    «Mot de passe oublié» link on the right."""
    app = make_app()
    active_person(app.services)

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await failed_attempts(pilot, 1)
        await steady(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_sign_in_blocked(snap_compare: Any, make_app: Any) -> None:
    """After the third wrong password: «✖ Après 3 tentatives de connexion infructueuses, l'accès
    à votre espace est momentanément bloqué jusqu'à 14:17…» pointing to «Mot de passe
    oublié»."""
    app = make_app()
    active_person(app.services)

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await failed_attempts(pilot, 3)
        await steady(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_forgot_password_sent(snap_compare: Any, make_app: Any) -> None:
    """«Mot de passe oublié» after «Envoyer»: the NIR typed, the green-edged answer «✔ Si un
    espace existe pour ce numéro, un courriel…» (the same for any number), and the focused
    «Ouvrir la boîte de réception (simulée)» button between «Retour» and «Envoyer»."""
    app = make_app()
    active_person(app.services)

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.app.push_screen(ForgotPasswordScreen())
        await pilot.pause()
        await fill(pilot, "#identifiant", NIR_SPACED)
        await pilot.press("enter")
        await steady(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_reset_password(snap_compare: Any, make_app: Any) -> None:
    """«Réinitialisation du mot de passe» opened from the reset mail: the link filled in, the
    new password masked «••••••••••••••••», every rule ticked «✔», «Niveau de sécurité» full
    bar and «Fort», the confirmation still empty and focused, «Valider» on the right."""
    app = make_app()
    active_person(app.services)
    app.services.recovery.request_reset(NIR_SPACED)
    link = last_link(app.services, "reset")

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.app.push_screen(ResetPasswordScreen(link))
        await pilot.pause()
        await fill(pilot, "#mot-de-passe", NEW_PASSWORD)
        pilot.app.screen.query_one("#confirmation-mot-de-passe", Input).focus()
        await steady(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_espace(snap_compare: Any, make_app: Any, clock: Any) -> None:
    """«Mon espace» on a second sign-in: the framed welcome «Bienvenue, Dupont», the masked NIR
    «1 85 •• •• ••• ••• 64» and «Dernière connexion : 26/11/2026 à 14:02»; the three buttons
    (change password focused, change contacts, red «Se déconnecter»); «Mes coordonnées»; «Mes
    documents» marked as fictitious, with three payslips and a tax certificate; the footer
    reads «Échap Se déconnecter»."""
    app = make_app()
    active_person(app.services)
    app.services.sign_in.sign_in(NIR_SPACED, PASSWORD)
    clock.advance(timedelta(days=1, hours=2))

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.app.push_screen(SignInScreen())
        await pilot.pause()
        await fill(pilot, "#identifiant", NIR_SPACED)
        await fill(pilot, "#mot-de-passe", PASSWORD)
        await pilot.press("enter")
        await steady(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
