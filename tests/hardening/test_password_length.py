"""Issue 10, finding 9: one maximum length for every password field, counted as typed and after
NFKC, so that whatever is accepted as a new password can be typed or pasted again at sign-in."""

from __future__ import annotations

from typing import Any

import pytest
from textual.events import Paste
from textual.widgets import Input

from ensap_tui.domain import password
from ensap_tui.services.container import Services
from ensap_tui.services.errors import ValidationFailed
from ensap_tui.ui.registration import RegistrationDraft
from ensap_tui.ui.screens.agent_sign_in import AgentSignInScreen
from ensap_tui.ui.screens.change_password import ChangePasswordScreen
from ensap_tui.ui.screens.espace import EspaceScreen
from ensap_tui.ui.screens.password import PasswordScreen
from ensap_tui.ui.screens.reset_password import ResetPasswordScreen
from ensap_tui.ui.screens.sign_in import SignInScreen
from tests.support.accounts import active_person
from tests.support.people import NIR_SPACED, request
from tests.ui.registration_wizard import type_text
from tests.ui.session_support import click, fill, settle

SIZE = (100, 40)
#: The longest acceptable password: 128 characters, accented, every kind, nothing personal.
LONGEST = ("Quartz#Vélo8842-Lagune!Ocre5531-Fjord&Gris7719-Mistral?Sel3306-" * 3)[:128]
#: Composed characters written as 4 code points each: NFKC makes one character of each.
COMPOSED = "α\u0313\u0300\u0345"
OTHER_COMPOSED = "η\u0314\u0301\u0345"


def test_the_longest_acceptable_password_is_the_limit() -> None:
    assert len(LONGEST) == password.MAX_LENGTH
    assert password.assess(LONGEST).acceptable
    too_long = password.assess(LONGEST + "x")
    assert not too_long.acceptable
    assert too_long.problems == (password.MSG_TOO_LONG,)


def test_a_password_that_nfkc_shortens_is_counted_as_typed() -> None:
    # 164 code points that NFKC makes 44 characters: the sign-in field could never take it.
    typed = "Ab1!" + COMPOSED * 40
    assert len(password.normalise_password(typed)) == 44
    result = password.assess(typed)
    assert not result.acceptable
    assert password.MSG_TOO_LONG in result.problems
    # Within the limit as typed, it is judged on its normalised form.
    assert password.assess("Ab1!" + (COMPOSED + OTHER_COMPOSED) * 15 + COMPOSED).acceptable


def test_a_password_that_nfkc_lengthens_is_counted_after_nfkc() -> None:
    typed = "Ab1!x" + "\ufdfa" * 7  # one character that NFKC writes as 18
    assert len(typed) < password.MAX_LENGTH < len(password.normalise_password(typed))
    assert password.MSG_TOO_LONG in password.assess(typed).problems


def test_an_agent_password_has_the_same_limit(services: Services) -> None:
    # `agent add` on the command line goes through this service.
    with pytest.raises(ValidationFailed) as caught:
        services.agents.add("martin", LONGEST + "x", LONGEST + "x")
    assert [e.message for e in caught.value.errors] == [password.MSG_TOO_LONG]
    services.agents.add("martin", LONGEST, LONGEST)
    assert services.agents.sign_in("martin", LONGEST).session is not None


def password_inputs(app: Any) -> list[Input]:
    return [field for field in app.screen.query(Input) if field.password]


async def test_every_password_field_has_the_one_limit(make_app: Any) -> None:
    app = make_app()
    active_person(app.services)
    seen: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        for screen in (
            PasswordScreen(RegistrationDraft()),
            ResetPasswordScreen(),
            AgentSignInScreen(),
            SignInScreen(),
        ):
            await app.push_screen(screen)
            await settle(pilot)
            for field in password_inputs(app):
                assert field.max_length == password.MAX_LENGTH, (type(screen).__name__, field.id)
                seen.append(f"{type(screen).__name__}#{field.id}")
        await fill(pilot, "#identifiant", NIR_SPACED)
        await fill(pilot, "#mot-de-passe", request().password)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EspaceScreen)
        await click(pilot, "#modifier-mot-de-passe")
        assert isinstance(app.screen, ChangePasswordScreen)
        for field in password_inputs(app):
            assert field.max_length == password.MAX_LENGTH, field.id
            seen.append(f"ChangePasswordScreen#{field.id}")
    assert len(seen) == 9, seen


async def sign_in_with(pilot: Any, how: str) -> None:
    app = pilot.app
    await click(pilot, "#acceder-espace")
    assert isinstance(app.screen, SignInScreen)
    await fill(pilot, "#identifiant", NIR_SPACED)
    field = app.screen.query_one("#mot-de-passe", Input)
    field.focus()
    await pilot.pause()
    if how == "typed":
        await type_text(pilot, LONGEST + "x")  # the key after the limit is not taken
    else:
        app.post_message(Paste(LONGEST + "x"))  # too long: the paste is not taken
        await pilot.pause()
        assert field.value == ""
        app.post_message(Paste(LONGEST))
    await pilot.pause()
    assert field.value == LONGEST
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, EspaceScreen)


async def test_the_longest_password_signs_in_typed(make_app: Any) -> None:
    app = make_app()
    active_person(app.services, request(password=LONGEST, password_confirmation=LONGEST))
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_with(pilot, "typed")


async def test_the_longest_password_signs_in_pasted(make_app: Any) -> None:
    app = make_app()
    active_person(app.services, request(password=LONGEST, password_confirmation=LONGEST))
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_with(pilot, "pasted")
