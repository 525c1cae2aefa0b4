"""Every screen clears a field's error when the field changes, and a screen the journey comes
back to never shows old errors (issue 11, point 6)."""

from __future__ import annotations

from typing import Any

import pytest

from ensap_tui.ui.screens.forgot_password import ForgotPasswordScreen
from ensap_tui.ui.screens.mailbox import MailboxScreen
from ensap_tui.ui.screens.reset_password import ResetPasswordScreen
from ensap_tui.ui.screens.sign_in import SignInScreen
from tests.support.accounts import active_person
from tests.support.people import NEW_PASSWORD, NIR_SPACED

from .session_support import click, fill, settle, shown, visible

SIZE = (100, 40)
WRONG_KEY = "1 85 05 75 115 123 65"  # a NIR whose key does not match


async def open_from_home(pilot: Any, *buttons: str) -> None:
    for button in buttons:
        await click(pilot, button)


#: (buttons from the home page, the field, a refused value, a value typed afterwards).
SCREENS = {
    "connexion": (("#acceder-espace",), "identifiant", WRONG_KEY, NIR_SPACED),
    "oubli": (("#acceder-espace", "#mot-de-passe-oublie"), "identifiant", WRONG_KEY, "1 85"),
    "activation": (("#activer-espace",), "lien", "pas un lien", "ensap-tui://activer/"),
}


@pytest.mark.parametrize("name", SCREENS)
async def test_changing_a_refused_field_hides_its_error_at_once(make_app: Any, name: str) -> None:
    buttons, field, refused, typed = SCREENS[name]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_from_home(pilot, *buttons)
        await fill(pilot, f"#{field}", refused)
        await pilot.press("enter")
        await settle(pilot)
        if name == "connexion":  # Enter in the identifier moves on; Enter again submits
            await pilot.press("enter")
            await settle(pilot)
        assert visible(app, f"#{field}-erreur"), name
        shown_before = shown(app, f"#{field}-erreur")
        assert shown_before
        # The same value again (a repaint, a paste of the same text) keeps the line.
        await fill(pilot, f"#{field}", refused)
        assert shown(app, f"#{field}-erreur") == shown_before
        await fill(pilot, f"#{field}", typed)
        assert not visible(app, f"#{field}-erreur"), name


async def test_sign_in_clears_each_field_on_its_own(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await click(pilot, "#acceder-espace")
        await fill(pilot, "#identifiant", WRONG_KEY)
        await click(pilot, "#acceder")  # no password: both fields are refused, no attempt
        assert "La clé du numéro ne correspond pas" in shown(app, "#identifiant-erreur")
        assert visible(app, "#mot-de-passe-erreur")
        await fill(pilot, "#mot-de-passe", "x")
        assert not visible(app, "#mot-de-passe-erreur")
        assert visible(app, "#identifiant-erreur")  # still wrong, still said
        await fill(pilot, "#identifiant", NIR_SPACED)
        assert not visible(app, "#identifiant-erreur")


async def test_the_sign_in_met_again_after_a_reset_shows_no_old_error(make_app: Any) -> None:
    app = make_app()
    active_person(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await click(pilot, "#acceder-espace")
        await fill(pilot, "#identifiant", WRONG_KEY)
        await click(pilot, "#acceder")
        assert visible(app, "#identifiant-erreur")

        await click(pilot, "#mot-de-passe-oublie")
        assert isinstance(app.screen, ForgotPasswordScreen)
        await fill(pilot, "#identifiant", NIR_SPACED)
        await click(pilot, "#envoyer")
        await click(pilot, "#ouvrir-boite")
        assert isinstance(app.screen, MailboxScreen)
        await click(pilot, "#suivre-lien")
        assert isinstance(app.screen, ResetPasswordScreen)
        await fill(pilot, "#mot-de-passe", NEW_PASSWORD)
        await fill(pilot, "#confirmation-mot-de-passe", NEW_PASSWORD)
        await pilot.press("enter")
        await settle(pilot)

        assert isinstance(app.screen, SignInScreen)
        assert "mot de passe a été modifié" in shown(app, "#message-connexion")
        assert not visible(app, "#identifiant-erreur")
        assert not visible(app, "#mot-de-passe-erreur")
