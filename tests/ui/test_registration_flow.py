"""The whole creation wizard by keyboard, from the home page to «Finalisation»."""

from __future__ import annotations

from typing import Any

from textual.geometry import Region
from textual.widgets import Button, Static

from ensap_tui.ui.screens.contacts import BUSY_TEXT, ContactsScreen
from ensap_tui.ui.screens.finalisation import FinalisationScreen
from ensap_tui.ui.screens.home import HomeScreen
from ensap_tui.ui.widgets.step_indicator import StepIndicator
from tests.support.people import REQUEST
from tests.support.waiting import wait_for_focus, wait_until

from .registration_wizard import (
    Person,
    choose,
    shown_text,
    type_text,
    wait_for_screen,
)
from .session_support import text_of

PERSON = Person()


async def register_by_keyboard(pilot: Any, person: Person = PERSON) -> None:
    """From the home page to Finalisation with keys only (Tab, typing, Space, Enter)."""
    app = pilot.app
    await wait_for_focus(pilot, "creer-espace")
    await pilot.press("enter")
    await wait_for_screen(pilot, "IdentityScreen")
    assert "Étape 1 sur 4 — Identité" in shown_text(app.screen.query_one(StepIndicator))
    await wait_for_focus(pilot, "nir")
    await type_text(pilot, person.nir)
    await pilot.press("tab")
    await wait_for_focus(pilot, "nom-naissance")
    await type_text(pilot, person.birth_name)
    await pilot.press("tab")
    await wait_for_focus(pilot, "jour")
    await choose(pilot, "jour", person.day)
    await pilot.press("tab")
    await choose(pilot, "mois", person.month)
    await pilot.press("tab")
    await choose(pilot, "annee", person.year)
    await pilot.press("tab")
    await wait_for_focus(pilot, "cgu")
    await pilot.press("space", "enter")  # tick the terms, then Enter submits the step

    await wait_for_screen(pilot, "PasswordScreen")
    assert "Étape 2 sur 4 — Mot de passe" in shown_text(app.screen.query_one(StepIndicator))
    await wait_for_focus(pilot, "mot-de-passe")
    await type_text(pilot, person.password)
    await pilot.press("tab", "tab")  # past «Afficher»
    await wait_for_focus(pilot, "confirmation-mot-de-passe")
    await type_text(pilot, person.password)
    await pilot.press("enter")

    await wait_for_screen(pilot, "ContactsScreen")
    await wait_for_focus(pilot, "courriel")
    await type_text(pilot, person.email)
    await pilot.press("tab")
    await wait_for_focus(pilot, "confirmation-courriel")
    await type_text(pilot, person.email)
    await pilot.press("enter")
    await wait_for_screen(pilot, "FinalisationScreen")
    await pilot.pause()


async def test_the_whole_creation_by_keyboard_sends_the_activation_mail(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await register_by_keyboard(pilot)

        screen = app.screen
        assert isinstance(screen, FinalisationScreen)
        assert "Étape 4 sur 4 — Finalisation" in shown_text(screen.query_one(StepIndicator))
        assert str(screen.query_one("#adresse-envoi", Static).render()) == PERSON.email
        assert "27/11/2026 à 14:02" in str(screen.query_one("#validite", Static).render())
        # Going back from here leads home, not to step 3: the wizard's screens are gone.
        assert [type(s) for s in app.screen_stack] == [HomeScreen, FinalisationScreen]

        mails = app.services.mailbox.messages()
        assert len(mails) == 1
        assert mails[0].recipient == PERSON.email
        assert mails[0].kind == "activation"
        assert mails[0].link.startswith("ensap-tui://activer/")

        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "HomeScreen")
        assert isinstance(app.screen, HomeScreen)


async def test_step_4_replaces_the_wizard_without_showing_the_screens_under_it_again(
    make_app: Any,
) -> None:
    # Each screen made current on the way back home (steps 2 and 1, the home page) had its
    # focus, styles and layout restored for nothing: a sixth of the passage to step 4.
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        current: list[Any] = []
        app.screen_change_signal.subscribe(app, current.append)
        await register_by_keyboard(pilot)
        await wait_until(pilot, lambda: isinstance(current[-1], FinalisationScreen),
                         "step 4 current")
        assert [type(s) for s in current[-2:]] == [ContactsScreen, FinalisationScreen]
        assert [type(s) for s in app.screen_stack] == [HomeScreen, FinalisationScreen]
        steps = [s for s in current if type(s).__name__ in (
            "IdentityScreen", "PasswordScreen", "ContactsScreen")]
        assert len(steps) == 3
        await wait_until(pilot, lambda: not any(s.is_attached for s in steps),
                         "the wizard's screens removed")
        await pilot.press("escape")  # the home page comes back as it was
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "HomeScreen")
        assert current[-1] is app.screen
        await wait_for_focus(pilot, "creer-espace")


async def test_a_nir_that_already_has_a_space_gets_the_same_screen_and_a_notice(
    make_app: Any,
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await register_by_keyboard(pilot)
        await pilot.click("#retour-accueil")
        await wait_for_screen(pilot, "HomeScreen")
        app.screen.query_one("#creer-espace").focus()
        await register_by_keyboard(pilot, Person(email="autre.adresse@example.fr"))

        screen = app.screen
        assert isinstance(screen, FinalisationScreen)
        # The same answer, with the address typed: nothing tells the NIR was known.
        assert str(screen.query_one("#adresse-envoi", Static).render()) == (
            "autre.adresse@example.fr"
        )
        newest = app.services.mailbox.messages()[0]
        assert newest.recipient == PERSON.email  # the notice goes to the address on file
        assert newest.link == ""


async def test_while_the_space_is_created_the_buttons_are_disabled_and_progress_shows(
    make_app: Any,
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        from ensap_tui.ui.registration import RegistrationDraft

        draft = RegistrationDraft(
            nir=PERSON.nir, birth_name="DUPONT", birth_day="14", birth_month="05",
            birth_year="1985", terms_accepted=True, password=PERSON.password,
            password_confirmation=PERSON.password, email=PERSON.email,
            email_confirmation=PERSON.email,
        )
        screen = ContactsScreen(draft)
        await app.push_screen(screen)
        await pilot.pause()
        assert text_of(screen.query_one("#travail-en-cours")) == ""

        screen.submit()  # no await before the checks: the worker's answer cannot arrive yet
        assert all(button.disabled for button in screen.query(Button))
        assert text_of(screen.query_one("#travail-en-cours")).endswith(BUSY_TEXT)
        screen.go_back()  # what Escape does: ignored while working
        assert app.screen is screen

        await wait_for_screen(pilot, "FinalisationScreen")
        assert len(app.services.mailbox.messages()) == 1


FRAME_LINES = set("─━╭╮╰╯┌┐└┘▔▁")


async def test_the_address_box_has_no_drawn_frame_a_picture_could_shift(make_app: Any) -> None:
    """The address sits in a tinted band between two side bars, one cell each: no run of frame
    lines («╭────╮»), which pictures draw narrower than their cells (the frame's right side
    then stood one cell off, a stray «│»). Same at 100×40 and 80×24."""
    for size in ((100, 40), (80, 24)):
        app = make_app()
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            receipt = app.services.registration.register(REQUEST)
            await app.push_screen(FinalisationScreen(receipt))
            await pilot.pause()
            box = app.screen.query_one("#adresse-envoi", Static)
            strips = box.render_lines(Region(0, 0, box.region.width, box.region.height))
            rows = [strip.text for strip in strips]
            assert len(rows) == 3
            assert not FRAME_LINES & set("".join(rows)), rows
            assert all(len(row) == box.region.width for row in rows)
            # One side bar on each side, the same on every row.
            assert len({row[0] for row in rows}) == len({row[-1] for row in rows}) == 1, rows
            assert rows[0][0].strip() and rows[0][-1].strip(), rows
            assert rows[1][1:-1].strip() == REQUEST.email
