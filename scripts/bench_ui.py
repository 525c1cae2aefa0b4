"""The measures of ``scripts/bench.py`` that need the real application under Textual's Pilot
(headless): keystroke to repaint in the password field, and the longest stall of the screen
while an account is created."""

from __future__ import annotations

import asyncio
import gc
import itertools
import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.app import App, ComposeResult
from textual.widgets import Input

from ensap_tui.bootstrap import Settings
from ensap_tui.ui.app import create_app
from ensap_tui.ui.registration import RegistrationDraft
from ensap_tui.ui.screens import password as password_module
from ensap_tui.ui.screens.contacts import ContactsScreen
from ensap_tui.ui.screens.finalisation import FinalisationScreen
from ensap_tui.ui.screens.password import PasswordScreen
from ensap_tui.ui.widgets.new_password import NewPassword
from ensap_tui.ui.widgets.rules_checklist import RulesChecklist
from ensap_tui.ui.widgets.strength_meter import StrengthMeter

SIZE = (100, 40)
#: What is typed in the password field: each password key by key, then erased key by key, so
#: that the level goes through Faible, Moyen and Fort and back.
TYPED = ("Soleil-Vert-42", "motdepasse", "Zèbre#Unique7341", "AZERTY uiop 1", "Ab1!")
#: Waited after each key for every frame it causes (a second frame would come one frame
#: period, 16.7 ms, after the first).
SETTLE = 0.05


def draft(number: int) -> RegistrationDraft:
    """The wizard's draft of person ``number`` (steps 1 to 3 filled in)."""
    order = number % 999 + 1
    month = (number // 999) % 12 + 1
    body = f"185{month:02d}75115{order:03d}"
    nir = f"{body}{97 - int(body) % 97:02d}"
    email = f"agent.bench{number}@exemple.fr"
    password = "Quartz#Velo8842"
    return RegistrationDraft(
        nir=nir, birth_name="LEFÈVRE", birth_day="14", birth_month=f"{month:02d}",
        birth_year="1985", terms_accepted=True, password=password,
        password_confirmation=password, email=email, email_confirmation=email,
    )


class NewPasswordWithoutMeter(NewPassword):
    """The reference's widget: the same fields, without the live «Niveau de sécurité» and
    rules, and nothing assessed."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if not isinstance(widget, StrengthMeter | RulesChecklist):
                yield widget

    def _set_assessment(self, password: str) -> None:
        """Nothing to show live."""


class PasswordScreenWithoutMeter(PasswordScreen):
    """The reference: step 2 exactly, but without the live «Niveau de sécurité» and rules."""

    def compose_body(self) -> ComposeResult:
        # Step 2 composes the widget by its module's name: swapped for this process alone.
        password_module.NewPassword = NewPasswordWithoutMeter  # type: ignore[misc]
        yield from super().compose_body()


def keys_to_type() -> Iterator[str]:
    for text in TYPED:
        yield from text
        yield from ["backspace"] * len(text)


def _frame_clock(app: App[Any]) -> list[float]:
    """Records the instant each frame is ready for the terminal: the compositor's update,
    turned into the escape sequences a terminal driver would write (headless skips that)."""
    frames: list[float] = []
    original = app._display

    def display(screen: Any, renderable: Any) -> None:
        original(screen, renderable)
        if renderable is None or app._batch_count:
            return
        render = getattr(renderable, "render_segments", None)
        if render is not None:
            render(app.console)
        frames.append(time.perf_counter())

    app._display = display  # type: ignore[method-assign]
    return frames


async def keystroke_latencies(db: Path, with_meter: bool, keys: list[str]) -> list[float]:
    """Seconds from each key press to the last frame it caused, on step 2 of the wizard."""
    app = create_app(db, settings=Settings.for_tests())
    latencies: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        screen_class = PasswordScreen if with_meter else PasswordScreenWithoutMeter
        await app.push_screen(screen_class(draft(1)))
        await pilot.pause()
        field = app.screen.query_one("#mot-de-passe", Input)
        field.cursor_blink = False  # no frames of its own
        field.focus()
        await pilot.pause(0.2)
        frames = _frame_clock(app)
        for key in keys:
            frames.clear()
            start = time.perf_counter()
            await pilot.press(key)
            await pilot.pause(SETTLE)
            if frames:
                latencies.append(frames[-1] - start)
        assert bool(app.screen.query(StrengthMeter)) is with_meter
    return latencies


async def _wait_for(app: App[Any], condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen never came")
        await asyncio.sleep(0.002)


async def stalls_during_registration(db: Path, runs: int) -> dict[str, Any]:
    """A 10 ms timer ticks while «Valider et Continuer» creates the account with the real
    argon2 parameters (in the screen's thread worker). Returns the longest gap between ticks
    at rest (the reference), while the account is created (click to the end of the worker's
    work), and while the screen then changes to step 4 (until its first frame, plus 50 ms),
    and how long the creations took."""
    app = create_app(db, settings=Settings(use_keyring=False))
    ticks: list[float] = []
    gaps: dict[str, list[float]] = {"idle": [], "busy": [], "switch": []}
    durations: list[float] = []
    created: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        registration = app.services.registration
        register = registration.register

        def timed_register(request: Any) -> Any:
            try:
                return register(request)
            finally:
                created.append(time.perf_counter())

        registration.register = timed_register  # type: ignore[method-assign]
        frames = _frame_clock(app)
        timer = app.set_interval(0.01, lambda: ticks.append(time.perf_counter()))
        await pilot.pause(0.5)  # the background warm-up after the first frame is over
        for run in range(runs):
            await app.push_screen(ContactsScreen(draft(100 + run)))
            await pilot.pause(0.1)
            ticks.clear()
            await asyncio.sleep(0.5)  # at rest: the reference
            gaps["idle"].append(max(b - a for a, b in itertools.pairwise(ticks)))
            screen = app.screen
            assert isinstance(screen, ContactsScreen)
            ticks.clear()
            created.clear()
            started = time.perf_counter()
            screen.submit()
            await _wait_for(app, lambda: isinstance(app.screen, FinalisationScreen), 60)
            frames.clear()
            await _wait_for(app, lambda: bool(frames), 60)
            shown = frames[0]
            await asyncio.sleep(0.05)
            durations.append(created[0] - started)
            pairs = list(itertools.pairwise([started, *ticks]))
            gaps["busy"].append(max(b - a for a, b in pairs if a < created[0]))
            gaps["switch"].append(max(b - a for a, b in pairs if b > created[0]))
            assert shown > created[0]
            await app.pop_screen()
        timer.stop()
        count = len(app.services.mailbox.messages(limit=1000))
        assert count == runs, f"{count} mails for {runs} registrations"
    return {name: max(values) for name, values in gaps.items()} | {"durations": durations}


def main() -> None:
    """``python bench_ui.py keys DB with|without KEYS-JSON`` or ``stalls DB RUNS``: one
    measure in a fresh process, started as the command line starts the application (garbage
    collector off until the first frame); prints one JSON line."""
    gc.disable()
    what, db = sys.argv[1], Path(sys.argv[2])
    if what == "keys":
        answer: Any = asyncio.run(
            keystroke_latencies(db, sys.argv[3] == "with", json.loads(sys.argv[4]))
        )
    else:
        answer = asyncio.run(stalls_during_registration(db, int(sys.argv[3])))
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
