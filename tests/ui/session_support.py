"""Helpers for the session screen tests: people to register, and ways to read the screens."""

from __future__ import annotations

import dataclasses
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input

from ensap_tui.services.container import Services
from ensap_tui.services.models import Event, RegistrationRequest

NIR = "185057511512364"  # born May 1985 in Paris
NIR_SPACED = "1 85 05 75 115 123 64"
UNKNOWN_NIR = "192049712001143"  # never registered
OTHER_NIR = "278072B03300742"  # born July 1978 in Haute-Corse
PASSWORD = "Ensap#Sûr2026"
NEW_PASSWORD = "Printemps!Vert77"
EMAIL = "jean.dupont@example.fr"

REQUEST = RegistrationRequest(
    nir=NIR_SPACED,
    birth_name="Dupont",
    birth_day="14",
    birth_month="05",
    birth_year="1985",
    terms_accepted=True,
    password=PASSWORD,
    password_confirmation=PASSWORD,
    email=EMAIL,
    email_confirmation=EMAIL,
)


def request(**changes: Any) -> RegistrationRequest:
    """The default registration with some fields changed."""
    return dataclasses.replace(REQUEST, **changes)


def register(services: Services, req: RegistrationRequest = REQUEST) -> None:
    """Creates a pending space (the UI part under test comes after)."""
    services.registration.register(req)


def last_link(services: Services, kind: str) -> str:
    """The link of the newest mail of ``kind`` ("activation" or "reset")."""
    for message in services.mailbox.messages(limit=1000):
        if message.kind == kind and message.link:
            return message.link
    raise AssertionError(f"no {kind} mail")


def active_person(services: Services, req: RegistrationRequest = REQUEST) -> None:
    """Registers ``req`` and follows its activation link."""
    register(services, req)
    services.activation.activate(last_link(services, "activation"))


def events(services: Services, kind: str) -> list[Event]:
    """The logged events of ``kind``, newest first."""
    with services.store.read() as tx:
        return [e for e in tx.list_events(limit=1000) if e.kind == kind]


def text_of(widget: Widget) -> str:
    """The plain text a widget draws (what a person reads, markup never interpreted)."""
    visual = widget.render()
    plain = getattr(visual, "plain", None)
    return plain if isinstance(plain, str) else str(visual)


def shown(app: App[Any], selector: str) -> str:
    """The plain text of the widget at ``selector`` on the current screen."""
    return text_of(app.screen.query_one(selector))


def visible(app: App[Any], selector: str) -> bool:
    """True when the widget at ``selector`` exists and is displayed on the current screen."""
    found = app.screen.query(selector)
    return bool(found) and all(w.display for w in found.first().ancestors_with_self
                               if isinstance(w, Widget))


async def settle(pilot: Pilot[Any]) -> None:
    """Waits for the workers to finish and their messages to be handled (a few rounds: a
    handled result may push a screen, whose mounting takes another turn)."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def fill(pilot: Pilot[Any], selector: str, text: str) -> None:
    """Puts ``text`` in the input at ``selector`` (as if typed) and focuses it."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = text
    await pilot.pause()


async def click(pilot: Pilot[Any], selector: str) -> None:
    """Clicks the widget at ``selector`` and lets the app react (workers included)."""
    await pilot.click(selector)
    await settle(pilot)


async def sign_in(pilot: Pilot[Any], nir: str = NIR_SPACED, password: str = PASSWORD) -> None:
    """Types the identifier and password on the sign-in screen, then Enter."""
    await fill(pilot, "#identifiant", nir)
    await fill(pilot, "#mot-de-passe", password)
    await pilot.press("enter")
    await settle(pilot)
