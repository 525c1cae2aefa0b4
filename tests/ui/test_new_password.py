"""The one new-password widget: what the password must not contain comes down from its screen
reactively, and the three screens that set a password all use it."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import App, ComposeResult
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Input

from ensap_tui.domain.password import PersonalInfo
from ensap_tui.ui.registration import RegistrationDraft
from ensap_tui.ui.screens.password import PasswordScreen
from ensap_tui.ui.widgets.new_password import NewPassword
from ensap_tui.ui.widgets.rules_checklist import RulesChecklist
from ensap_tui.ui.widgets.strength_meter import StrengthMeter

from .registration_wizard import NIR, shown_text, type_text

DUPONT = PersonalInfo("185057511512364", "Dupont", date(1985, 5, 14), "")
#: Strong, unless the person is called Dupont.
PASSWORD = "Dupont#Vert-42"


class Host(Screen[None]):
    personal: var[PersonalInfo | None] = var(None, init=False)

    def compose(self) -> ComposeResult:
        yield NewPassword().data_bind(Host.personal)


class HostApp(App[object]):
    def on_mount(self) -> None:
        self.push_screen(Host())


async def test_the_personal_information_comes_down_from_the_screen_as_it_changes() -> None:
    app = HostApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, Host)
        new = screen.query_one(NewPassword)
        rules = screen.query_one(RulesChecklist)
        meter = screen.query_one(StrengthMeter)
        assert meter.level == ""
        screen.query_one("#mot-de-passe").focus()
        await type_text(pilot, PASSWORD)
        await pilot.pause()
        assert meter.level == "Fort"
        assert "✔ sans information personnelle" in shown_text(rules)

        # Nothing typed: the screen learns whose password it is (a reset link, a session).
        screen.personal = DUPONT
        await pilot.pause()
        assert new.personal == DUPONT
        assert "✖ sans information personnelle" in shown_text(rules)
        assert meter.level != "Fort"

        screen.personal = None
        await pilot.pause()
        assert "✔ sans information personnelle" in shown_text(rules)
        assert meter.level == "Fort"
        assert new.password == PASSWORD


async def test_step_2_feeds_the_widget_its_draft_s_identity(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        draft = RegistrationDraft(nir=NIR, birth_name="DUPONT", birth_day="14",
                                  birth_month="05", birth_year="1985", terms_accepted=True)
        await app.push_screen(PasswordScreen(draft))
        await pilot.pause()
        new = app.screen.query_one(NewPassword)
        assert new.personal == draft.personal()
        await type_text(pilot, PASSWORD)
        await pilot.pause()
        assert "✖ sans information personnelle" in shown_text(app.screen.query_one(RulesChecklist))
        assert len(app.screen.query(NewPassword)) == 1


async def test_the_reset_judges_the_password_against_the_link_s_account(make_app: Any) -> None:
    from ensap_tui.ui.screens.reset_password import ResetPasswordScreen
    from tests.support.accounts import active_person, last_link
    from tests.support.people import NIR_SPACED

    app = make_app()
    active_person(app.services)  # Jean Dupont
    app.services.recovery.request_reset(NIR_SPACED)
    link = last_link(app.services, "reset")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = ResetPasswordScreen()
        await app.push_screen(screen)
        await pilot.pause()
        rules = screen.query_one(RulesChecklist)
        screen.query_one("#mot-de-passe").focus()
        await type_text(pilot, PASSWORD)
        await pilot.pause()
        assert "✔ sans information personnelle" in shown_text(rules)  # whose? not known yet

        screen.query_one("#lien", Input).value = link  # as pasted
        for _ in range(100):
            await pilot.pause()
            if screen.personal is not None:
                break
        assert screen.query_one(NewPassword).personal == screen.personal
        assert "✖ sans information personnelle" in shown_text(rules)


async def test_the_change_of_password_judges_it_against_the_signed_in_person(
    make_app: Any,
) -> None:
    from ensap_tui.ui.screens.change_password import ChangePasswordScreen
    from tests.support.accounts import active_person

    from .session_support import click, fill, settle, sign_in

    app = make_app()
    active_person(app.services)  # Jean Dupont
    async with app.run_test(size=(100, 40)) as pilot:
        await click(pilot, "#acceder-espace")
        await sign_in(pilot)
        await click(pilot, "#modifier-mot-de-passe")
        screen = app.screen
        assert isinstance(screen, ChangePasswordScreen)
        await fill(pilot, "#mot-de-passe", PASSWORD)
        await settle(pilot)
        assert screen.personal is not None and screen.personal.birth_name == "Dupont"
        assert "✖ sans information personnelle" in shown_text(screen.query_one(RulesChecklist))
