"""What a screen change costs: a pushed screen is styled and laid out for the terminal's size
once, and the screens under it are not laid out again (issue 12, point 6: a training room's
postes each pay for every step of the wizard)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import textual.screen
from textual.screen import Screen
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from ensap_tui.ui.screens.home import HomeScreen
from ensap_tui.ui.screens.identity import IdentityScreen
from ensap_tui.ui.screens.password import PasswordScreen
from ensap_tui.ui.widgets.footer import EnsapFooter
from ensap_tui.ui.widgets.step_indicator import StepIndicator
from tests.support.waiting import wait_until

from .registration_wizard import wait_for_screen


async def clicked_into_step_1(pilot: Any) -> IdentityScreen:
    """«Créer mon espace» clicked on the home page: step 1, once laid out."""
    await pilot.click("#creer-espace")
    await wait_for_screen(pilot, "IdentityScreen")
    step = pilot.app.screen
    assert isinstance(step, IdentityScreen)
    await wait_until(pilot, lambda: step.query_one("#nir").region.width > 0, "step 1 laid out")
    return step


async def test_a_pushed_step_has_its_size_class_before_it_is_styled(make_app: Any) -> None:
    # Textual gives a screen its breakpoint class at its first Resize, after its first layout:
    # the whole step was then styled a second time.
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        classes_when_pushed: list[set[str]] = []

        def pushed(screen: Screen[Any]) -> None:
            classes_when_pushed.append(set(screen.classes))

        app.screen_change_signal.subscribe(app, pushed, immediate=True)
        await pilot.click("#creer-espace")
        await wait_for_screen(pilot, "IdentityScreen")
        assert "-haut" in classes_when_pushed[-1]
        assert "-court" not in classes_when_pushed[-1]


async def test_a_step_opened_on_a_small_terminal_is_short_from_the_start(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        heights: list[int] = []

        def pushed(screen: Screen[Any]) -> None:
            if isinstance(screen, IdentityScreen):
                heights.append(int(screen.has_class("-court")))

        app.screen_change_signal.subscribe(app, pushed, immediate=True)
        await pilot.click("#creer-espace")
        await wait_for_screen(pilot, "IdentityScreen")
        assert heights == [1]
        # The short layout applies (the stylesheet's Screen.-court rules), and stays.
        screen = app.screen
        assert screen.has_class("-court") and not screen.has_class("-haut")
        assert screen.query_one(StepIndicator).styles.margin.bottom == 0


async def test_a_pushed_step_does_not_lay_out_the_home_page_under_it_again(
    make_app: Any,
) -> None:
    # The Resize a new screen's first layout sends itself made Textual lay out that screen
    # and every screen under it again, at the size they already had.
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        home_layouts: list[Screen[Any]] = []
        home.screen_layout_refresh_signal.subscribe(app, home_layouts.append, immediate=True)
        await clicked_into_step_1(pilot)
        await pilot.pause()
        await pilot.pause()
        assert home_layouts == []


async def test_a_resized_terminal_still_lays_out_and_restyles_the_step_and_the_home_page(
    make_app: Any,
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        home = app.screen
        await pilot.click("#creer-espace")
        await wait_for_screen(pilot, "IdentityScreen")
        step = app.screen
        title = step.query_one(".titre-page", Static)
        await wait_until(pilot, lambda: title.region.width > 0, "step 1 laid out")
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: step.size == (80, 24), "step 1 at 80×24")
        assert step.has_class("-court")
        await wait_until(pilot, lambda: title.region.right <= 80, "the title within 80 columns")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is home, "the home page")
        await wait_until(pilot, lambda: home.size == (80, 24), "the home page at 80×24")
        assert home.has_class("-court")



async def test_pushed_steps_are_not_restyled_whole(make_app: Any) -> None:
    # Each node of a pushed screen is styled as it mounts; Textual's resume restyled the whole
    # screen once more (and its first Resize once again for its breakpoint class).
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        restyled: list[object] = []
        update_styles = app.update_styles

        def counting(node: Any, animate: bool = True) -> None:
            if node.is_attached:  # EnsapApp.update_styles styles nothing before that
                restyled.append(node)
            update_styles(node, animate)

        app.update_styles = counting
        step_1 = await clicked_into_step_1(pilot)
        app.navigator.wizard(step_1.draft).next(step_1)
        await wait_for_screen(pilot, "PasswordScreen")
        step_2 = app.screen
        await wait_until(
            pilot, lambda: step_2.query_one("#mot-de-passe").region.width > 0, "step 2 laid out"
        )
        await pilot.pause()
        assert step_1 not in restyled
        assert step_2 not in restyled
        # Still restyled whole when its classes change.
        step_2.add_class("-essai")
        assert step_2 in restyled


async def test_a_pushed_step_shows_its_footer_keys_without_rebuilding_them(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Textual's footer mounts its keys only once the screen has told its bindings, after the
    # screen's first layout: the step was laid out and drawn again for them. The home page
    # under it is not rebuilt for its Escape either while it is hidden.
    rebuilt: list[EnsapFooter] = []
    recompose = EnsapFooter.recompose

    async def counting(footer: EnsapFooter) -> None:
        rebuilt.append(footer)
        await recompose(footer)

    monkeypatch.setattr(EnsapFooter, "recompose", counting)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        home_footer = app.screen.query_one(EnsapFooter)
        await pilot.click("#creer-espace")
        await wait_for_screen(pilot, "IdentityScreen")
        step_1 = app.screen
        app.navigator.wizard(step_1.draft).next(step_1)
        await wait_for_screen(pilot, "PasswordScreen")
        footer = app.screen.query_one(EnsapFooter)
        await wait_until(pilot, lambda: footer.query(FooterKey).first().region.width > 0,
                         "step 2's keys drawn")
        await pilot.pause()
        await pilot.pause()
        shown = [key.description for key in footer.query(FooterKey)]
        assert shown[:3] == ["Aide", "Retour", "Quitter"]
        assert footer not in rebuilt
        assert home_footer not in rebuilt
        # Back home, its footer loses «Retour» (nowhere to go back to).
        app.navigator.return_home()
        await wait_until(pilot, lambda: app.screen is home_footer.screen, "home again")
        await wait_until(
            pilot,
            lambda: [k.description for k in home_footer.query(FooterKey)][:2]
            == ["Aide", "Quitter"],
            "the home page's keys",
        )


async def test_a_pushed_step_is_drawn_once_as_it_opens(make_app: Any) -> None:
    # Textual lays a new screen out at its resume and again at the next update (the first
    # gives each widget its size, which asks for a layout): each layout drew a frame, and the
    # screen's repaint a third, full ones each (sent to a training room's browser by 30
    # postes at once). The first frame shown is the settled one, and the screen is still
    # drawn when something changes.
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        step_1 = await clicked_into_step_1(pilot)
        for _ in range(3):
            await pilot.pause()
        frames: list[Screen[Any]] = []
        display = app._display

        def counting(screen: Screen[Any], renderable: Any) -> None:
            frames.append(screen)
            display(screen, renderable)

        app._display = counting  # type: ignore[method-assign]
        # Without the mouse: a pointer left over the new screen redraws what it hovers.
        app.navigator.wizard(step_1.draft).next(step_1)
        await wait_for_screen(pilot, "PasswordScreen")
        step_2 = app.screen
        await wait_until(pilot, lambda: step_2 in frames, "step 2 drawn")
        for _ in range(3):
            await pilot.pause()
        assert frames == [step_2]
        assert step_2.query_one("#mot-de-passe").region.width > 0
        await pilot.press("a")
        await wait_until(pilot, lambda: len(frames) > 1, "step 2 drawn again")


class _Frames:
    """The screens of the frames an app draws from now on (:attr:`screens`, in order), and a
    way to wait for the first one without ``pilot.pause()``, which lays out and draws the
    current screen itself (as the update timer's tick would)."""

    def __init__(self, app: Any) -> None:
        self.screens: list[Screen[Any]] = []
        self._drawn = asyncio.Event()
        display = app._display

        def counting(screen: Screen[Any], renderable: Any) -> None:
            if renderable is not None:
                self.screens.append(screen)
                self._drawn.set()
            display(screen, renderable)

        app._display = counting

    async def first(self) -> Screen[Any]:
        """The screen of the first frame, once drawn (a bound turns a screen never drawn
        into a failure, not a hang)."""
        await asyncio.wait_for(self._drawn.wait(), timeout=30)
        return self.screens[0]


async def test_the_first_screen_is_drawn_without_waiting_for_its_update_timer(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Textual lays out what a screen asks for at the tick of its update timer, a sixtieth of
    # a second after the screen goes idle: the first frame of ensap-tui waited for it (a new
    # screen is drawn at its second layout). It is drawn as soon as every widget on it is
    # settled: here the timer never ticks (an hour), and the home page is drawn, laid out.
    monkeypatch.setattr(textual.screen, "UPDATE_PERIOD", 3600.0)
    app = make_app()
    frames = _Frames(app)
    async with app.run_test(size=(100, 40)):
        home = await frames.first()
        assert isinstance(home, HomeScreen)
        assert home.query_one("#creer-espace").region.width > 0


async def test_the_first_screen_is_laid_out_once_and_drawn_once(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Textual lays a new screen out at its resume and again once its widgets have reported
    # what they changed while mounting: the app's first screen, on which nothing changes with
    # the sizes a layout gives, is laid out once they have, and drawn once.
    layouts: list[Screen[Any]] = []
    laid_out = textual.screen.Screen._refresh_layout

    def counting(screen: Screen[Any], *args: Any, **kwargs: Any) -> None:
        layouts.append(screen)
        laid_out(screen, *args, **kwargs)

    monkeypatch.setattr(textual.screen.Screen, "_refresh_layout", counting)
    app = make_app()
    frames = _Frames(app)
    async with app.run_test(size=(100, 40)) as pilot:
        home = await frames.first()
        for _ in range(3):
            await asyncio.sleep(0)  # not pilot.pause(): it would lay the screen out itself
        assert isinstance(home, HomeScreen)
        assert layouts == [home]
        assert frames.screens == [home]
        assert home.query_one("#creer-espace").region.width > 0
        await pilot.pause()


async def test_a_pushed_step_is_drawn_without_waiting_for_its_update_timer(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same for every screen opened (a wizard step here): its timer never ticks.
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        step_1 = await clicked_into_step_1(pilot)
        for _ in range(3):
            await pilot.pause()
        monkeypatch.setattr(textual.screen, "UPDATE_PERIOD", 3600.0)  # for the screens to come
        frames = _Frames(app)
        app.navigator.wizard(step_1.draft).next(step_1)
        step_2 = await frames.first()
        assert isinstance(step_2, PasswordScreen)
        assert step_2.query_one("#mot-de-passe").region.width > 0
        assert frames.screens == [step_2]
