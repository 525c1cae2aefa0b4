"""Drives the creation wizard under Pilot, by keyboard, for the registration tests."""

from __future__ import annotations

from dataclasses import dataclass

from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Select

from ensap_tui.ui.widgets.field_error import FieldErrorLine
from tests.support.waiting import wait_until

#: A valid NIR: a man born in May 1985 (key 64).
NIR = "1 85 05 75 115 123 64"
STRONG_PASSWORD = "Soleil-Vert-42"


@dataclass(frozen=True)
class Person:
    """What the tests type into steps 1 to 3."""

    nir: str = NIR
    birth_name: str = "DUPONT"
    day: str = "14"
    month: str = "05"
    year: str = "1985"
    password: str = STRONG_PASSWORD
    email: str = "jean.dupont@example.fr"


async def type_text(pilot: Pilot[object], text: str) -> None:
    """Types ``text`` key by key into the focused widget."""
    await pilot.press(*[("space" if c == " " else c) for c in text])


async def choose(pilot: Pilot[object], select_id: str, value: str) -> None:
    """Opens the list ``#select_id`` from the keyboard, types ``value`` to find it, picks it."""
    app = pilot.app
    select = app.screen.query_one(f"#{select_id}", Select)
    select.focus()
    await pilot.pause()
    await pilot.press("enter")
    await type_text(pilot, value)
    await pilot.press("enter")
    await pilot.pause()
    assert select.value == value, f"#{select_id} = {select.value!r}, expected {value!r}"


async def focus_and_type(pilot: Pilot[object], widget_id: str, text: str) -> None:
    """Focuses the input ``#widget_id``, empties it and types ``text``."""
    field = pilot.app.screen.query_one(f"#{widget_id}", Input)
    field.focus()
    field.value = ""
    await pilot.pause()
    await type_text(pilot, text)


async def fill_identity(pilot: Pilot[object], person: Person = Person()) -> None:
    """Step 1 by keyboard (the screen must be showing); does not submit."""
    await focus_and_type(pilot, "nir", person.nir)
    await focus_and_type(pilot, "nom-naissance", person.birth_name)
    await choose(pilot, "jour", person.day)
    await choose(pilot, "mois", person.month)
    await choose(pilot, "annee", person.year)
    pilot.app.screen.query_one("#cgu").focus()
    await pilot.press("space")
    await pilot.pause()


async def fill_password(pilot: Pilot[object], person: Person = Person()) -> None:
    """Step 2 by keyboard; does not submit."""
    await focus_and_type(pilot, "mot-de-passe", person.password)
    await focus_and_type(pilot, "confirmation-mot-de-passe", person.password)


async def fill_contacts(pilot: Pilot[object], person: Person = Person()) -> None:
    """Step 3 by keyboard (e-mail and its confirmation only); does not submit."""
    await focus_and_type(pilot, "courriel", person.email)
    await focus_and_type(pilot, "confirmation-courriel", person.email)


def error_text(pilot: Pilot[object], field: str) -> str:
    """The message shown in ``#<field>-erreur`` (empty when hidden, or not created yet: a
    step creates most of its lines with their first error)."""
    lines = pilot.app.screen.query(f"#{field}-erreur").results(FieldErrorLine)
    return "".join(line.message for line in lines if line.display)


async def wait_for_screen(pilot: Pilot[object], name: str) -> None:
    """Waits (by pausing, never by time) until the active screen's class is ``name`` and it is
    mounted (its fields can be queried)."""
    await wait_until(
        pilot, lambda: type(pilot.app.screen).__name__ == name,
        f"écran {name} attendu, {type(pilot.app.screen).__name__} affiché",
    )


async def open_identity_step(pilot: Pilot[object]) -> None:
    """From the home page as the app opens: «Créer mon espace», then waits for step 1."""
    await pilot.pause()
    await pilot.click("#creer-espace")
    await wait_for_screen(pilot, "IdentityScreen")


def shown_text(widget: Widget) -> str:
    """The text ``widget`` currently paints on screen, line by line (styles dropped)."""
    width, height = widget.outer_size
    strips = widget.render_lines(Region(0, 0, width, height))
    return "\n".join(strip.text.rstrip() for strip in strips)
