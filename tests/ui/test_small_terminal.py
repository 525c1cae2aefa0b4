"""At 80×24 every screen stays whole (issue 11, point 5): the step bar's labels are never cut,
the finalisation opens at its top, every button of a row is inside the screen. The pictures are
in ``test_snapshots_80x24.py``; these checks say in words what they show."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Button

from ensap_tui.ui.registration import RegistrationDraft
from ensap_tui.ui.screens.contacts import ContactsScreen
from ensap_tui.ui.screens.finalisation import FinalisationScreen
from ensap_tui.ui.screens.forgot_password import ForgotPasswordScreen
from ensap_tui.ui.screens.identity import IdentityScreen
from ensap_tui.ui.screens.password import PasswordScreen
from ensap_tui.ui.widgets.step_indicator import STEPS, StepIndicator
from tests.support.people import REQUEST
from tests.support.waiting import wait_until

from .registration_wizard import shown_text
from .session_support import settle

SMALL = (80, 24)


@pytest.mark.parametrize("step", [1, 2, 3, 4])
async def test_the_step_bar_names_every_step_whole(make_app: Any, step: int) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        draft = RegistrationDraft()
        screens = {1: IdentityScreen, 2: PasswordScreen, 3: ContactsScreen}
        if step == 4:
            await app.push_screen(FinalisationScreen(app.services.registration.register(REQUEST)))
        else:
            await app.push_screen(screens[step](draft))
        await settle(pilot)
        labels = shown_text(app.screen.query_one(StepIndicator)).split("\n")[-1]
        for number, name in enumerate(STEPS, start=1):
            assert f"{number}. {name}" in labels, labels


async def test_the_finalisation_opens_at_its_top(make_app: Any) -> None:
    app = make_app()
    receipt = app.services.registration.register(REQUEST)
    async with app.run_test(size=SMALL) as pilot:
        await app.push_screen(FinalisationScreen(receipt))
        await settle(pilot)
        await wait_until(pilot, lambda: app.focused is not None, "a focus")
        assert app.screen.query_one("#corps").scroll_y == 0
        assert app.focused is app.screen.query_one("#ouvrir-boite")  # Enter opens the mailbox


async def test_the_buttons_of_forgot_password_fit_in_80_columns(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await app.push_screen(ForgotPasswordScreen())
        await settle(pilot)
        app.screen.query_one("#ouvrir-boite").display = True  # as after «Envoyer»
        await settle(pilot)
        for button in app.screen.query(Button):
            if button.display:
                assert button.region.right <= SMALL[0] - 1, button.id  # the scrollbar aside
                label = str(button.label)
                assert label in shown_text(button).replace("\n", " "), button.id
