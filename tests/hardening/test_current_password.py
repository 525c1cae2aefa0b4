"""Issue 10, finding 12: «Mot de passe actuel» cannot be guessed without end from a session
left open. 3 wrong answers count as sign-in failures, block the NIR and end the session; the
screen goes back to the sign-in with a French message."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.services import events as event_kinds
from ensap_tui.services.container import Services
from ensap_tui.services.errors import TooManyAttempts, ValidationFailed
from ensap_tui.services.models import SignInStatus
from ensap_tui.ui.screens.change_password import ChangePasswordScreen
from ensap_tui.ui.screens.espace import EspaceScreen
from ensap_tui.ui.screens.sign_in import SignInScreen
from tests.support.accounts import active_person, events, open_session
from tests.support.people import NEW_PASSWORD, NIR, PASSWORD
from tests.ui.session_support import click, fill, settle, shown, sign_in, wait_until

GUESSES = ("Pas#LeBon123", "Toujours#Pas2", "Encore#Faux33")


def test_three_wrong_current_passwords_block_the_nir_and_end_the_session(
        services: Services, clock: FixedClock) -> None:
    active_person(services)
    session = open_session(services)
    for left, guess in zip((2, 1), GUESSES, strict=False):
        with pytest.raises(ValidationFailed) as caught:
            services.account.change_password(session, guess, NEW_PASSWORD, NEW_PASSWORD)
        [error] = caught.value.errors
        assert error.field == "mot-de-passe-actuel"
        assert f"Après {left} autre" in error.message
    with pytest.raises(TooManyAttempts) as ended:
        services.account.change_password(session, GUESSES[2], NEW_PASSWORD, NEW_PASSWORD)
    assert ended.value.blocked_until == clock.now() + timedelta(minutes=15)
    assert "session a pris fin" in str(ended.value)
    # Counted as sign-in failures: the NIR is blocked, even for the right password.
    assert services.sign_in.sign_in(NIR, PASSWORD).status is SignInStatus.BLOCKED
    failed = events(services, NIR, kind=event_kinds.SIGN_IN_FAILED)
    assert len(failed) == 3 and all("mot de passe actuel" in e.detail for e in failed)
    assert len(events(services, NIR, kind=event_kinds.SIGN_IN_BLOCKED)) == 1
    # During the block the session cannot try again, not even with the right password.
    with pytest.raises(TooManyAttempts):
        services.account.change_password(session, PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    assert len(events(services, NIR, kind=event_kinds.SIGN_IN_FAILED)) == 3
    clock.advance(timedelta(minutes=15))
    assert services.sign_in.sign_in(NIR, PASSWORD).status is SignInStatus.SIGNED_IN


def test_a_right_current_password_restarts_the_count(services: Services) -> None:
    active_person(services)
    session = open_session(services)
    for guess in GUESSES[:2]:
        with pytest.raises(ValidationFailed):
            services.account.change_password(session, guess, NEW_PASSWORD, NEW_PASSWORD)
    services.account.change_password(session, PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    with pytest.raises(ValidationFailed):
        services.account.change_password(session, GUESSES[2], PASSWORD, PASSWORD)
    assert services.sign_in.sign_in(NIR, NEW_PASSWORD).status is SignInStatus.SIGNED_IN


async def test_the_screen_returns_to_the_sign_in_with_a_french_message(make_app: Any) -> None:
    app = make_app()
    active_person(app.services)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await click(pilot, "#acceder-espace")
        await sign_in(pilot)
        assert isinstance(app.screen, EspaceScreen)
        await click(pilot, "#modifier-mot-de-passe")
        assert isinstance(app.screen, ChangePasswordScreen)
        for guess in GUESSES:
            await fill(pilot, "#mot-de-passe-actuel", guess)
            await fill(pilot, "#mot-de-passe", NEW_PASSWORD)
            await fill(pilot, "#confirmation-mot-de-passe", NEW_PASSWORD)
            await click(pilot, "#valider")
            await settle(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, SignInScreen))
        assert "Trois mots de passe actuels erronés" in shown(app, "#message-connexion")
        assert len(app.screen_stack) == 2  # home, sign-in: nothing of the space is left
        sign_outs = events(app.services, NIR, kind=event_kinds.SIGN_OUT)
        assert [e.detail for e in sign_outs] == ["3 mots de passe actuels erronés"]
        await sign_in(pilot)
        assert "bloqué" in shown(app, "#message-connexion")
