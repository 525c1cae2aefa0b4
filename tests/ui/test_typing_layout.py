"""What a key typed in a form's field costs the screen: the field and what follows it are
redrawn, but the screen is not laid out again (a layout of a whole wizard step was most of a
key's cost in a training room's poste, 30 of them sharing two cores)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import Input

from ensap_tui.ui.registration import RegistrationDraft
from ensap_tui.ui.screens.contacts import ContactsScreen
from ensap_tui.ui.screens.identity import IdentityScreen
from ensap_tui.ui.screens.password import PasswordScreen
from ensap_tui.ui.screens.sign_in import SignInScreen
from tests.support.waiting import wait_for_focus, wait_until

from .registration_wizard import type_text

SIZE = (100, 40)


async def layouts_while_typing(pilot: Any, screen: Screen[object], field: str, text: str
                               ) -> int:
    """Types ``text`` into ``#field`` of ``screen`` (pushed and settled first) and counts the
    screen's layouts from the first key until the field shows the text and the app is idle."""
    app = pilot.app
    await app.push_screen(screen)
    widget = screen.query_one(f"#{field}", Input)
    widget.focus()
    await wait_for_focus(pilot, field)
    await wait_until(pilot, lambda: not screen._layout_required, "the screen laid out")
    await pilot.pause()
    layouts: list[object] = []
    screen.screen_layout_refresh_signal.subscribe(screen, layouts.append, immediate=True)
    await type_text(pilot, text)
    await wait_until(pilot, lambda: widget.value == text, f"#{field} shows {text!r}")
    await pilot.pause()
    return len(layouts)


@pytest.mark.parametrize(
    ("step", "field", "text"),
    [
        (IdentityScreen, "nir", "185057511512364"),
        (IdentityScreen, "nom-naissance", "DUPONT"),
        (PasswordScreen, "mot-de-passe", "Soleil-Vert-42"),
        (ContactsScreen, "courriel", "jean.dupont@example.fr"),
        (ContactsScreen, "telephone", "0612345678"),
    ],
)
async def test_typing_in_a_wizard_field_does_not_lay_the_step_out_again(
    make_app: Any, step: type[IdentityScreen], field: str, text: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert await layouts_while_typing(pilot, step(RegistrationDraft()), field, text) == 0


async def test_typing_the_identifier_at_sign_in_does_not_lay_the_screen_out_again(
    make_app: Any,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert await layouts_while_typing(pilot, SignInScreen(), "identifiant", "1850575") == 0


async def test_a_text_longer_than_its_field_scrolls_and_keeps_the_cursor_in_view(
    make_app: Any,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = ContactsScreen(RegistrationDraft())
        text = "jean-christophe.de-la-fontaine-saint-exupery@administration.example.gouv.fr"
        await layouts_while_typing(pilot, screen, "courriel", text)
        field = screen.query_one("#courriel", Input)
        width = field.content_region.width
        assert len(text) > width
        assert field.scroll_x > 0
        # Textual draws the cursor after the text in the cell beyond it (the padding).
        cursor = field.cursor_screen_offset.x
        assert field.content_region.x <= cursor <= field.content_region.right
        await pilot.press("home")
        await wait_until(pilot, lambda: field.scroll_x == 0, "back to the start")


@pytest.mark.parametrize(("size", "size_class"), [((100, 40), "-haut"), ((80, 24), "-court")])
async def test_a_new_step_has_its_size_class_before_it_is_first_styled(
    make_app: Any, size: tuple[int, int], size_class: str
) -> None:
    # Given at Textual's first Resize, after the step is mounted and styled, the class
    # would style the whole step a second time as it opens.
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        step = IdentityScreen(RegistrationDraft())
        assert step.has_class(size_class)
        await app.push_screen(step)
        await wait_until(pilot, lambda: app.screen is step, "the step in front")
        await pilot.pause()
        assert step.has_class(size_class)
        assert not step.has_class({"-haut": "-court", "-court": "-haut"}[size_class])
