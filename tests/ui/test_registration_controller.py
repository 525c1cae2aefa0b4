"""The creation wizard's controller: one draft and one controller for all the steps, the order
of the steps in its list alone, and a refusal's errors sent to the step owning each field."""

from __future__ import annotations

from typing import Any

import pytest

from ensap_tui.domain.errors import FieldError
from ensap_tui.ui.registration import RegistrationController
from ensap_tui.ui.screens.contacts import ContactsScreen
from ensap_tui.ui.screens.identity import IdentityScreen
from ensap_tui.ui.screens.password import PasswordScreen
from ensap_tui.ui.widgets.field_error import FieldErrorLine
from tests.support.waiting import wait_for_focus

from .registration_wizard import (
    fill_identity,
    fill_password,
    wait_for_screen,
)


async def test_one_controller_and_one_draft_lead_through_the_steps_and_back(
    make_app: Any,
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.click("#creer-espace")
        await wait_for_screen(pilot, "IdentityScreen")
        step1 = app.screen
        assert isinstance(step1, IdentityScreen)
        wizard = step1.wizard
        assert isinstance(wizard, RegistrationController)
        assert step1.draft is wizard.draft

        await fill_identity(pilot)
        await pilot.click("#continuer")
        await wait_for_screen(pilot, "PasswordScreen")
        step2 = app.screen
        assert isinstance(step2, PasswordScreen)
        assert step2.wizard is wizard and step2.draft is wizard.draft
        assert wizard.draft.birth_name == "DUPONT"

        await fill_password(pilot)
        await pilot.click("#valider")
        await wait_for_screen(pilot, "ContactsScreen")
        step3 = app.screen
        assert isinstance(step3, ContactsScreen)
        assert step3.wizard is wizard and step3.draft is wizard.draft

        await pilot.press("escape")
        await wait_for_screen(pilot, "PasswordScreen")
        assert app.screen is step2
        await pilot.press("escape")
        await wait_for_screen(pilot, "IdentityScreen")
        assert app.screen is step1

        # A new «Créer mon espace» starts a new draft with a new controller.
        await pilot.press("escape")
        await wait_for_screen(pilot, "ConfirmScreen")  # something was typed: asked first
        await pilot.click("#confirmer")
        await wait_for_screen(pilot, "HomeScreen")
        await pilot.click("#creer-espace")
        await wait_for_screen(pilot, "IdentityScreen")
        again = app.screen
        assert isinstance(again, IdentityScreen)
        assert again.wizard is not wizard and again.draft.birth_name == ""


async def test_the_order_of_the_steps_is_the_controllers_list(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No step knows the next one: with step 2 left out of the list, step 1 leads to step 3."""
    monkeypatch.setattr(RegistrationController, "STEPS", (IdentityScreen, ContactsScreen))
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.click("#creer-espace")
        await wait_for_screen(pilot, "IdentityScreen")
        await fill_identity(pilot)
        await pilot.click("#continuer")
        await wait_for_screen(pilot, "ContactsScreen")


async def test_a_refusal_goes_to_the_earliest_step_with_that_steps_errors_only(
    make_app: Any,
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.click("#creer-espace")
        await wait_for_screen(pilot, "IdentityScreen")
        step1 = app.screen
        assert isinstance(step1, IdentityScreen)
        await fill_identity(pilot)
        await pilot.click("#continuer")
        await wait_for_screen(pilot, "PasswordScreen")
        await fill_password(pilot)
        await pilot.click("#valider")
        await wait_for_screen(pilot, "ContactsScreen")

        step1.wizard.refused([
            FieldError("telephone", "Numéro refusé."),
            FieldError("nom-naissance", "Nom refusé."),
            FieldError("mot-de-passe", "Mot de passe refusé."),
        ])
        await wait_for_screen(pilot, "IdentityScreen")
        assert app.screen is step1
        assert [type(s).__name__ for s in app.screen_stack] == ["HomeScreen", "IdentityScreen"]
        shown = {
            line.field: line.message for line in step1.query(FieldErrorLine) if line.display
        }
        assert shown == {"nom-naissance": "Nom refusé."}
        await wait_for_focus(pilot, "nom-naissance")
