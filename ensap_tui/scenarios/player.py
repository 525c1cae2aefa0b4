"""Plays a scenario live in the real app, at a human pace, for a room: each step's caption in a
bar at the bottom of every screen, a stop at each ``pause`` until the trainer presses a key, and
Escape at any moment to take the keyboard back (the app then stays open, as it is).

The player is the app's auto-pilot (``App.run(auto_pilot=…)``): a Textual Pilot in the
running app, the same :class:`~ensap_tui.scenarios.runner.Runner` as the verifier's.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import Vertical
from textual.pilot import Pilot
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ensap_tui.scenarios.format import Scenario, Step
from ensap_tui.scenarios.runner import Pace, Runner, ScenarioStopped, StepFailed

#: The action the player binds to Escape, with priority, while it plays.
STOP_ACTION = "scenario_stop"
HINT = "Échap : reprendre la main"


class CaptionBar(Static):
    """The bar at the bottom of the screen: the scenario's title, the step and its caption."""

    DEFAULT_CSS = """
    CaptionBar {
        dock: bottom;
        height: auto;
        max-height: 4;
        width: 100%;
        padding: 0 1;
        margin-bottom: 1;
        background: $primary;
        color: $text;
        text-style: bold;
    }
    """


class PauseScreen(ModalScreen[bool]):
    """A pause: the caption in a box at the bottom; any key goes on (Escape is the player's)."""

    DEFAULT_CSS = """
    PauseScreen {
        align: center bottom;
    }
    PauseScreen > Vertical {
        width: 90%;
        height: auto;
        margin-bottom: 2;
        padding: 0 1;
        border: thick $accent;
        background: $surface;
    }
    PauseScreen #pause-legende { text-style: bold; }
    PauseScreen #pause-consigne { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[Any]] = []

    def __init__(self, caption: str) -> None:
        super().__init__(id="pause-scenario")
        self.caption = caption

    def on_mount(self) -> None:
        # Inline: the app's stylesheet gives every Screen an opaque background; the room must
        # still see the screen the pause is about.
        self.styles.background = Color(0, 0, 0, 0)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.caption, id="pause-legende", markup=False)
            yield Static(
                "Pause. Appuyez sur une touche pour continuer — Échap\u00a0: reprendre la main.",
                id="pause-consigne",
                markup=False,
            )

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.dismiss(True)


class Player:
    """The auto-pilot that plays ``scenario`` at ``speed`` (1: a person's pace); ``log``
    receives each step (passwords hidden); :attr:`result` says how it ended."""

    def __init__(self, scenario: Scenario, *, speed: float = 1.0,
                 log: Callable[[str], None] | None = None) -> None:
        self.scenario = scenario
        self.pace = Pace.human(speed)
        self.log = log
        self.runner: Runner | None = None
        self._app: App[Any] | None = None
        self._binding: Binding | None = None
        self._caption = ""
        self._pause: PauseScreen | None = None
        #: «fini», «interrompu» or «échec : …» once the player is done.
        self.result = ""

    async def __call__(self, pilot: Pilot[Any]) -> None:
        app = pilot.app
        self._app = app
        self.runner = Runner(self.scenario, pilot, pace=self.pace, log=self.log,
                             on_step=self._on_step, on_pause=self._on_pause)
        self.runner.key_guard = self._own_key
        self._install(app)
        try:
            await self.runner.run()
        except ScenarioStopped:
            self.result = "interrompu"
            self._show("Scénario interrompu : vous avez la main.")
        except StepFailed as failure:
            self.result = f"échec : {failure.expected}"
            self._show(f"Étape {failure.step.number} impossible ({failure.expected}) : "
                       "vous avez la main.")
            app.notify(f"{failure.expected}\n{failure.shown[:300]}",
                       title=f"Scénario : étape {failure.step.number}", severity="error",
                       markup=False, timeout=20)
        else:
            self.result = "fini"
            self._show(f"Fin du scénario « {self.scenario.title} » : vous avez la main.")
        finally:
            self._uninstall(app)

    # The bar.

    def _install(self, app: App[Any]) -> None:
        # Escape, with priority over every screen's own, while the scenario plays.
        setattr(app, f"action_{STOP_ACTION}", self.stop)
        app._bindings.bind("escape", STOP_ACTION, priority=True)  # no public way to add one
        self._binding = app._bindings.key_to_bindings["escape"][-1]
        app.screen_change_signal.subscribe(app, self._screen_changed)
        self._ensure_bar()

    def _uninstall(self, app: App[Any]) -> None:
        if self._binding is not None:
            with contextlib.suppress(KeyError, ValueError):
                app._bindings.key_to_bindings["escape"].remove(self._binding)
            self._binding = None

    @contextlib.contextmanager
    def _own_key(self) -> Iterator[None]:
        """While the scenario itself presses a key, Escape is the app's, not the player's."""
        app = self._app
        binding = self._binding
        if app is None or binding is None:
            yield
            return
        keys = app._bindings.key_to_bindings["escape"]
        keys.remove(binding)
        try:
            yield
        finally:
            keys.append(binding)

    def _screen_changed(self, screen: Screen[Any]) -> None:
        if self._app is not None:
            self._app.call_after_refresh(self._ensure_bar)

    def _ensure_bar(self) -> None:
        app = self._app
        if app is None:
            return
        screen = app.screen
        if isinstance(screen, PauseScreen):
            return
        bars = screen.query(CaptionBar)
        if bars:
            bars.first().update(self._caption)
        else:
            screen.mount(CaptionBar(self._caption, markup=False, id="legende-scenario"))

    def _show(self, caption: str) -> None:
        self._caption = caption
        self._ensure_bar()

    async def _on_step(self, step: Step) -> None:
        total = len(self.scenario.steps)
        runner = self.runner
        text = runner.text(step.caption, step) if (step.caption and runner) else ""
        if step.action == "pause":
            text = text or "Pause"
        if text:
            self._show(f"{step.number}/{total}  {text}  ({HINT})")
        else:
            self._ensure_bar()

    async def _on_pause(self, step: Step, caption: str) -> None:
        app = self._app
        assert app is not None
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

        def finished(going_on: bool | None) -> None:
            if not done.done():
                done.set_result(bool(going_on))

        self._pause = PauseScreen(caption)
        await app.push_screen(self._pause, callback=finished)
        try:
            await done
        finally:
            self._pause = None
        if self.runner is not None and self.runner.stopped:
            raise ScenarioStopped

    def stop(self) -> None:
        """Escape: the scenario stops where it is; the keyboard is the trainer's."""
        if self.runner is not None:
            self.runner.stopped = True
        if self._pause is not None and self._pause.is_current:
            self._pause.dismiss(False)
        self._uninstall_soon()

    def _uninstall_soon(self) -> None:
        if self._app is not None:
            self._uninstall(self._app)
