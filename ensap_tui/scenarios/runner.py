"""Performs a scenario's steps on the real app through a Textual :class:`~textual.pilot.Pilot`,
headless (the verifier) or in the terminal (the player). Only the tester's ids of
``docs/TESTING.md`` are used to find what to act on, so the screens may change inside.

Every action first waits until its widget is on the current screen (and a button until it is
enabled); every check waits until it holds. Waiting has a budget (:attr:`Runner.budget`
seconds, ``delai`` on ``attendre``) after which the step fails with what was on screen.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, TypeVar

from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, Checkbox, DataTable, Input, Select

from ensap_tui.scenarios.format import (
    HIDDEN,
    OPENABLE,
    SCREENS,
    Scenario,
    Step,
    clock_step,
    is_secret_field,
    substitute,
)

W = TypeVar("W", bound=Widget)



@dataclass(frozen=True)
class Pace:
    """How fast the steps go: ``typing`` seconds between two typed characters, ``between``
    seconds between two steps (both 0 for the verifier)."""

    typing: float = 0.0
    between: float = 0.0

    @classmethod
    def human(cls, speed: float = 1.0) -> Pace:
        """A person's pace: about 12 characters a second and 0.8 s between steps at speed 1;
        ``speed`` 2 is twice as fast."""
        return cls(typing=0.08 / speed, between=0.8 / speed)


class StepFailed(Exception):
    """A step that could not be done or whose check did not hold: ``expected`` says what was
    expected, ``shown`` what the screen showed (French)."""

    def __init__(self, step: Step, expected: str, shown: str) -> None:
        self.step = step
        self.expected = expected
        self.shown = shown
        super().__init__(f"étape {step.number} : {expected}")


class ScenarioStopped(Exception):
    """The person at the keyboard took it back (Escape while playing)."""


def draw_nir(rng: random.Random, birth: str = "") -> str:
    """A valid NIR nobody is likely to have registered yet: random sex, commune and order,
    the year and month of ``birth`` (``MM/AAAA``; random when empty), the key computed by
    python-stdnum."""
    from stdnum.fr import nir as stdnum_nir

    if birth:
        month, year = birth.split("/")
    else:
        month, year = f"{rng.randint(1, 12):02d}", str(rng.randint(1950, 2005))
    body = (
        f"{rng.choice('12')}{year[-2:]}{month}{rng.choice(['75', '69', '13', '33', '59'])}"
        f"{rng.randint(101, 189):03d}{rng.randint(1, 999):03d}"
    )
    return body + str(stdnum_nir.calc_check_digits(body))


_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """``text`` as compared by the checks: non-breaking spaces as spaces, typographic
    apostrophes as ``'``, runs of blanks as one space."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    return _SPACES.sub(" ", text).strip()


def _plain(widget: Widget) -> str:
    if isinstance(widget, DataTable):
        rows = []
        for index in range(widget.row_count):
            rows.append(" | ".join(str(cell) for cell in widget.get_row_at(index)))
        return "\n".join(rows)
    if isinstance(widget, Input):
        return "" if widget.password or is_secret_field(widget.id or "") else widget.value
    if isinstance(widget, Select):
        return "" if widget.is_blank() else str(widget.value)
    visual = widget.render()
    plain = getattr(visual, "plain", None)
    return plain if isinstance(plain, str) else ""


def shown(widget: Widget) -> bool:
    """True when ``widget`` and all its parents are displayed."""
    return all(node.display and node.visible for node in widget.ancestors_with_self
               if isinstance(node, Widget))


def widget_text(widget: Widget) -> str:
    """What ``widget`` and the widgets in it that are displayed read (passwords never)."""
    parts = [_plain(widget)]
    if not isinstance(widget, DataTable | Input | Select):
        for child in widget.query("*"):
            if shown(child) and not isinstance(child.parent, DataTable | Input | Select):
                parts.append(_plain(child))
    return "\n".join(part for part in parts if part.strip())


def screen_name(app: App[Any]) -> str | None:
    """The scenario's name of the current screen (:data:`SCREENS`), or None."""
    screen = app.screen
    for name, ids in SCREENS.items():
        if all(screen.query(f"#{widget_id}") for widget_id in ids):
            return name
    return None


def describe_screen(app: App[Any], limit: int = 600) -> str:
    """The current screen's name and what it reads, shortened to ``limit`` characters."""
    name = screen_name(app) or "écran sans nom connu"
    text = normalise(widget_text(app.screen))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"écran « {name} » : {text}"


class Runner:
    """Runs ``scenario`` with ``pilot``. ``pace`` sets the speed, ``log`` receives one French
    line per step (passwords hidden), ``on_step`` is awaited before each step (the player shows
    its caption), ``on_pause`` is awaited at each ``pause`` (the verifier passes through),
    ``rng`` draws the NIRs (seeded by the verifier)."""

    def __init__(
        self,
        scenario: Scenario,
        pilot: Pilot[Any],
        *,
        pace: Pace = Pace(),
        log: Callable[[str], None] | None = None,
        on_step: Callable[[Step], Awaitable[None]] | None = None,
        on_pause: Callable[[Step, str], Awaitable[None]] | None = None,
        rng: random.Random | None = None,
        budget: float = 15.0,
    ) -> None:
        self.scenario = scenario
        self.pilot = pilot
        self.app = pilot.app
        self.pace = pace
        self._log = log
        self.on_step = on_step
        self.on_pause = on_pause
        self.rng = rng or random.Random()
        self.budget = budget
        self.variables: dict[str, str] = {**self._builtins(), **scenario.variables}
        self._secrets = set(scenario.secret_values)
        if "mot_de_passe_agent_demo" in self.variables:
            self._secrets.add(self.variables["mot_de_passe_agent_demo"])
        self.current = scenario.steps[0]
        #: Wraps each key the scenario presses (the player lends Escape to the app then).
        self.key_guard: Callable[[], AbstractContextManager[None]] = contextlib.nullcontext
        #: Set by the player when the person takes the keyboard back.
        self.stopped = False

    def _builtins(self) -> dict[str, str]:
        """:data:`BUILTIN_VARIABLES`, from the demo database (none outside the demo mode)."""
        services = getattr(self.app, "services", None)
        if not getattr(self.app, "demo", False) or services is None:
            return {}
        demo = services.demo
        password = demo.agent_password
        found = {"agent_demo": demo.agent_name}
        if password:
            found["mot_de_passe_agent_demo"] = password
        return found

    def hide(self, text: str) -> str:
        """``text`` with every password of the scenario replaced by :data:`HIDDEN`."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, HIDDEN)
        return text

    def log(self, line: str) -> None:
        if self._log is not None:
            self._log(self.hide(line))

    def text(self, value: str, step: Step | None = None) -> str:
        try:
            return substitute(value, self.variables)
        except KeyError as missing:
            where = step or self.current
            raise StepFailed(where, f"la variable « {{{missing.args[0]}}} »",
                             "elle n'est connue que sur une base de démonstration") from None

    async def run(self) -> None:
        """Performs every step; raises :class:`StepFailed` at the first that fails, or
        :class:`ScenarioStopped` when the player was stopped."""
        total = len(self.scenario.steps)
        for step in self.scenario.steps:
            self.current = step
            self._check_stopped()
            if self.on_step is not None:
                await self.on_step(step)
            self.log(f"étape {step.number}/{total} : {step.describe(self.variables)}")
            try:
                await self.perform(step)
            except StepFailed as failure:
                # What is reported never shows a password, whatever the step compared.
                raise StepFailed(failure.step, self.hide(failure.expected),
                                 self.hide(failure.shown)) from None
            if self.pace.between:
                await self._sleep(self.pace.between)

    def _check_stopped(self) -> None:
        if self.stopped:
            raise ScenarioStopped

    async def _sleep(self, seconds: float) -> None:
        self._check_stopped()
        await asyncio.sleep(seconds)
        self._check_stopped()

    # Waiting.

    async def settle(self) -> None:
        """Lets every widget handle what is waiting in its queue. (``Pilot.pause()`` without
        a delay waits for the process to look idle, up to a second each time: the app's worker
        threads keep it busy on a loaded machine.)"""
        await self.pilot.pause(0)

    async def until(self, step: Step, holds: Callable[[], bool], expected: str,
                    budget: float | None = None, about: Callable[[], str] | None = None) -> None:
        """Lets the app run until ``holds()``; fails the step after the budget."""
        deadline = time.monotonic() + (budget or self.budget)
        while True:
            self._check_stopped()
            try:
                if holds():
                    return
            except Exception:  # a widget being replaced while read: look again
                pass
            if time.monotonic() > deadline:
                raise StepFailed(step, expected, about() if about else describe_screen(self.app))
            await self.pilot.pause(0.02)

    async def widget(self, step: Step, widget_id: str, kind: type[W]) -> W:
        """The widget ``#widget_id`` on the current screen, once it is displayed."""
        found: list[W] = []

        def present() -> bool:
            found.clear()
            for widget in self.app.screen.query(f"#{widget_id}"):
                if isinstance(widget, kind) and shown(widget):
                    found.append(widget)
                    return True
            return False

        await self.until(step, present, f"#{widget_id} affiché à l'écran")
        return found[0]

    # The actions.

    async def perform(self, step: Step) -> None:
        action = getattr(self, f"do_{step.action}")
        await action(step)

    async def do_ouvrir(self, step: Step) -> None:
        while len(self.app.screen_stack) > 1:
            await self.app.pop_screen()
        await self.settle()
        button = OPENABLE[step.target]
        if button == "f2":
            await self.pilot.press("f2")
        elif button is not None:
            await self.press_button(step, button)

    async def press_button(self, step: Step, widget_id: str) -> None:
        widget = await self.widget(step, widget_id, Widget)
        if isinstance(widget, Button):
            await self.until(step, lambda: not widget.disabled,
                             f"le bouton #{widget_id} activé", about=lambda: "il reste désactivé")
            widget.scroll_visible(animate=False)
            if self.pace.typing:
                widget.focus()
                await self._sleep(self.pace.between / 2)
            widget.press()
            await self.settle()
        else:
            widget.scroll_visible(animate=False)
            await self.settle()
            await self.pilot.click(widget)

    async def do_bouton(self, step: Step) -> None:
        await self.press_button(step, step.target)

    async def do_saisir(self, step: Step) -> None:
        field = await self.widget(step, step.target, Input)
        text = self.text(step.options["texte"])
        field.focus()
        field.value = ""
        await self.settle()
        # Each character goes in as a printable key puts it (Input's key handler calls
        # insert_text_at_cursor: the field's restrictions and Changed messages run), without
        # Pilot.press, which waits for the whole process to look idle after each key: up to a
        # second per character on a busy machine, or while anything else polls the app.
        for character in text:
            field.insert_text_at_cursor(character)
            if self.pace.typing:
                await self.settle()
                await self._sleep(self.pace.typing)
        await self.settle()

    async def do_choisir(self, step: Step) -> None:
        wanted = self.text(step.options["valeur"])
        widget = await self.widget(step, step.target, Widget)
        if isinstance(widget, Select):
            await self._choose_in_list(step, widget, wanted)
        elif isinstance(widget, DataTable):
            await self._choose_in_table(step, widget, wanted)
        else:
            raise StepFailed(step, f"#{step.target} est une liste", "ce n'en est pas une")

    async def _choose_in_list(self, step: Step, select: Select[Any], wanted: str) -> None:
        from textual.widgets._select import InvalidSelectValueError  # not re-exported

        select.focus()
        try:
            select.value = wanted
        except InvalidSelectValueError:
            raise StepFailed(step, f"la valeur « {wanted} » dans la liste #{step.target}",
                             "la liste ne la propose pas") from None
        await self.settle()

    async def _choose_in_table(self, step: Step, table: DataTable[Any], wanted: str) -> None:
        needle = normalise(wanted)

        def row_index() -> int | None:
            for index in range(table.row_count):
                cells = " ".join(str(cell) for cell in table.get_row_at(index))
                if needle in normalise(cells):
                    return index
            return None

        await self.until(step, lambda: row_index() is not None,
                         f"une ligne contenant « {wanted} » dans #{step.target}",
                         about=lambda: f"#{step.target} : {normalise(widget_text(table))}"[:600])
        index = row_index()
        table.focus()
        table.move_cursor(row=index)
        await self.settle()

    async def do_cocher(self, step: Step) -> None:
        box = await self.widget(step, step.target, Checkbox)
        wanted = bool(step.options.get("coche", True))
        box.focus()
        await self.settle()
        if box.value != wanted:
            box.action_toggle_button()  # what Space does on it
        await self.until(step, lambda: box.value == wanted,
                         f"#{step.target} {'cochée' if wanted else 'décochée'}")

    async def do_touche(self, step: Step) -> None:
        with self.key_guard():
            await self.pilot.press(step.target)

    async def do_horloge(self, step: Step) -> None:
        from ensap_tui.ui.screens.demo import move_demo_clock

        if not move_demo_clock(self.app, clock_step(step.target)):
            raise StepFailed(step, f"l'horloge de démonstration avancée de {step.target}",
                             "elle n'a pas bougé : l'application n'est pas en mode "
                             "démonstration, ou sa base ne peut pas être écrite")
        await self.settle()

    async def do_suivre_lien(self, step: Step) -> None:
        await self.do_ouvrir(_replace(step, target="boite-reception"))
        await self.widget(step, "messages", DataTable)
        await self.press_button(step, "suivre-lien")

    async def do_attendre(self, step: Step) -> None:
        await self.until(step, lambda: screen_name(self.app) == step.target,
                         f"l'écran « {step.target} »", budget=step.options.get("delai"))

    async def do_verifier_ecran(self, step: Step) -> None:
        await self.do_attendre(step)

    async def do_verifier_texte(self, step: Step) -> None:
        wanted = normalise(self.text(step.target))
        inside = step.options.get("dans")

        def text() -> str:
            if inside is None:
                return normalise(widget_text(self.app.screen))
            found = [w for w in self.app.screen.query(f"#{inside}") if shown(w)]
            return normalise(widget_text(found[0])) if found else ""

        def about() -> str:
            if inside is None:
                return describe_screen(self.app)
            return f"#{inside} : « {text()[:600]} » ({describe_screen(self.app, 200)})"

        where = f" dans #{inside}" if inside else " à l'écran"
        await self.until(step, lambda: wanted in text(), f"le texte « {wanted} »{where}",
                         about=about)

    async def do_verifier_erreur(self, step: Step) -> None:
        line_id = f"{step.target}-erreur"
        wanted = normalise(self.text(step.options.get("texte", "")))

        def message() -> str:
            found = [w for w in self.app.screen.query(f"#{line_id}") if shown(w)]
            return normalise(widget_text(found[0])) if found else ""

        expected = f"une erreur sous #{step.target}" + (f" contenant « {wanted} »" if wanted
                                                         else "")
        await self.until(step, lambda: bool(message()) and wanted in message(), expected,
                         about=lambda: (f"#{line_id} : « {message()} »" if message() else
                                        f"aucune erreur sous #{step.target} "
                                        f"({describe_screen(self.app, 300)})"))

    async def do_pause(self, step: Step) -> None:
        if self.on_pause is not None:
            await self.on_pause(step, self.text(step.target))

    async def do_tirer_nir(self, step: Step) -> None:
        birth = step.options.get("naissance", "")
        self.variables[step.target] = draw_nir(self.rng, self.text(birth) if birth else "")


def _replace(step: Step, **changes: Any) -> Step:
    from dataclasses import replace

    return replace(step, **changes)

