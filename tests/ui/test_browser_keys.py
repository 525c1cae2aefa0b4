"""The keys in a browser (issue 12, point 5): the keys a browser may keep (F1, F5, F6, F7,
Ctrl+P, Ctrl+Q) each get another one, shown in the footer and named by the screens, only when
the app runs in a browser page. Under Pilot the driver is headless: ``create_app(...,
browser=True)`` builds the app as textual-serve's web driver would have it (``App.is_web``);
``tests/test_serve.py`` sees the same footer come over a real server's websocket."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.command import CommandPalette
from textual.widgets import Button, Input, Static
from textual.widgets._footer import Footer, FooterKey

from ensap_tui.ui.app import EnsapApp
from ensap_tui.ui.browser_keys import BROWSER_KEYS, key_label, shown_key
from ensap_tui.ui.help import HelpScreen, help_text
from ensap_tui.ui.screens import navigation as to
from ensap_tui.ui.screens.demo import DemoScreen
from ensap_tui.ui.screens.home import HomeScreen
from ensap_tui.ui.screens.identity import IdentityScreen
from ensap_tui.ui.screens.mailbox import MailboxScreen
from tests.support.waiting import focused_id, wait_until
from tests.ui.demo_support import build_demo_app

SIZE = (100, 40)


def footer_keys(app: EnsapApp) -> dict[str, str]:
    """What the footer shows: key → description (the palette's key on the right included)."""
    footer = app.screen.query_one(Footer)
    return {key.key_display: key.description for key in footer.query(FooterKey)}


async def test_in_a_browser_the_footer_shows_keys_the_browser_leaves_to_the_page(
    make_app: Any,
) -> None:
    app = make_app(browser=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "Ctrl+G" in footer_keys(app), "browser footer")
        keys = footer_keys(app)
        assert keys["Ctrl+G"] == "Aide" and keys["Ctrl+S"] == "Quitter"
        assert keys["Ctrl+O"] == "Commandes"
        assert not {"F1", "Ctrl+Q", "Ctrl+P"} & set(keys)
        intro = str(app.screen.query_one(".introduction", Static).render())
        assert "Appuyez sur Ctrl+G à tout moment" in intro

        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help by Ctrl+G")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        # Where the browser lets F1 through, it still works.
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help by F1")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")

        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "palette")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app._exit, "quit by Ctrl+S")


async def test_in_a_terminal_the_keys_are_the_usual_ones(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "F1" in footer_keys(app), "terminal footer")
        keys = footer_keys(app)
        assert keys["F1"] == "Aide" and keys["Ctrl+Q"] == "Quitter"
        assert keys["Ctrl+P"] == "Commandes"
        assert not app.in_browser
        intro = str(app.screen.query_one(".introduction", Static).render())
        assert "Appuyez sur F1 à tout moment" in intro
        # The browser's keys are not bound in a terminal.
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_the_mailbox_refreshes_with_ctrl_b_in_a_browser(make_app: Any) -> None:
    app = make_app(browser=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.push_screen(MailboxScreen())
        await wait_until(pilot, lambda: isinstance(app.screen, MailboxScreen), "mailbox")
        await wait_until(pilot, lambda: "Ctrl+B" in footer_keys(app), "mailbox footer")
        assert footer_keys(app)["Ctrl+B"] == "Actualiser"
        assert "F5" not in footer_keys(app)
        bound = {key for key, (_, binding, enabled, _) in app.screen.active_bindings.items()
                 if binding.action == "refresh" and enabled}
        assert bound == {"ctrl+b", "f5"}


@pytest.fixture
def make_demo_app(db_path: Path, clock: Any, tokens: Any) -> Any:
    def build(*, browser: bool | None = None) -> EnsapApp:
        return build_demo_app(db_path, clock, tokens, browser=browser)

    return build


async def test_the_demo_clock_moves_with_f3_and_f4_in_a_browser(make_demo_app: Any) -> None:
    app = make_demo_app(browser=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        start = app.services.demo.now()
        await pilot.press("f3")
        await wait_until(
            pilot, lambda: app.services.demo.now() - start >= timedelta(hours=1), "+1 h by F3"
        )
        await pilot.press("f4")
        await wait_until(
            pilot, lambda: app.services.demo.now() - start >= timedelta(hours=25), "+24 h by F4"
        )
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, DemoScreen), "demo page")
        labels = [str(button.label) for button in app.screen.query(Button)]
        assert "+1 heure (F3)" in labels and "+24 heures (F4)" in labels
        assert "Heure réelle (F8)" in labels


def test_the_help_names_the_browser_keys() -> None:
    _, body = help_text("accueil")
    for key in BROWSER_KEYS:
        assert f"**{key_label(key.browser)}**" in body, key
    assert shown_key("f1", in_browser=True) == "Ctrl+G"
    assert shown_key("f1", in_browser=False) == "F1"
    assert shown_key("f8", in_browser=True) == "F8"  # no browser keeps it


@pytest.mark.parametrize("first", ["focus", "key"])
async def test_in_a_browser_a_screen_opened_while_blurred_gets_the_focus_back(
    make_app: Any, first: str
) -> None:
    """A screen composed while the page has not the focus gets no first focus from Textual,
    which has then nothing to give the focus back to. That is how every browser page starts:
    textual-serve's web driver says "blur" before the home page is composed, and the real
    browser check (``make room-check``) found Enter doing nothing there. Once the page gets
    the focus (``focus``), or the first key comes (``key``), the screen's first field has it,
    as in a terminal. Here the screen is step 1, opened while blurred."""
    app = make_app(browser=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: focused_id(pilot) == "creer-espace", "home's focus")
        app.post_message(events.AppBlur())
        await wait_until(pilot, lambda: not app.app_focus, "blurred")
        app.navigator.open(to.Registration())
        await wait_until(pilot, lambda: isinstance(app.screen, IdentityScreen), "step 1")
        await pilot.pause()
        assert app.focused is None
        if first == "focus":
            app.post_message(events.AppFocus())
            await wait_until(pilot, lambda: focused_id(pilot) == "nir", "the first field")
        await pilot.press("1", "8")
        await wait_until(pilot, lambda: app.screen.query_one("#nir", Input).value == "18",
                         "the keys in the first field")
        assert focused_id(pilot) == "nir"
