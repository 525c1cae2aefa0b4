"""``make room-check``: the training room (``ensap-tui salle``) in a real browser, two postes.

Starts ``ensap-tui salle --sans-tableau`` on a fresh database in a temporary folder, on a free
port of 127.0.0.1, and one headless Chromium (Debian's; installed with apt-get when absent,
unless ``--sans-installation``) driven over its DevTools protocol. Two browser contexts (each
its own cookies, as two machines of the room) join the room through the real join page: a
click in «Code de la salle», the code typed, a click in «Prénom», the first name typed, a click
on «Rejoindre la salle». Then, with keys typed into each page's terminal:

- poste A creates a space in the four steps of the wizard;
- poste B checks which of the app's keys the browser lets through (F1, Ctrl+G, Ctrl+P, F6,
  F3, F7, F4), opens «Boîte de réception (simulée)» from the command palette (Ctrl+O) and finds no
  mail;
- poste A opens its mailbox and finds its mail (the pictures of both mailboxes are taken
  then), follows its link: its space is active;
- the board of the room (``services.room.board``, what the trainer's board reads, then the
  trainer's board app itself under Textual's Pilot) lists both postes, connected, A's space
  «actif» and B's «aucun espace».

Each page's screen is read from xterm.js's buffer (see :data:`HOOK`); every wait is for a text
or a change on that screen, bounded. Pictures of both pages are written (``salle-poste-a.png``
and ``salle-poste-b.png`` in ``screenshots/`` by default), and a JSON report of what was found
(``--rapport``). Chromium and the room are stopped by their process ids at the end, whatever
happened. Exit code 0 when everything held, 1 otherwise (the reason printed in French).

Usage: ``python scripts/room_check.py [--dossier DOSSIER] [--rapport FICHIER.json]
[--sans-installation]``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from browser_check import HOST, ROOT, find_chromium, free_port, install_chromium, stop

DEFAULT_FOLDER = ROOT / "screenshots"
#: Each page's window, in pixels (the terminal in the page fills it).
WINDOW = (1100, 760)
#: Upper bound of one wait on a page (a busy two-core machine: CI); a failure, not a pace.
WAIT_SECONDS = 90.0
#: Upper bound of the whole check, once chromium and the room are started.
CHECK_SECONDS = 600.0
#: How often a page's screen is read again while waiting for it.
POLL_SECONDS = 0.1
#: Upper bound of the wait for a key the browser may keep for itself (a finding, not a failure).
KEPT_KEY_SECONDS = 20.0

# The person poste A registers (a valid NIR for a man born in May 1985).
NIR = "185057511512364"
BIRTH = ("14", "05", "1985")
NAME = "Dupont"
PASSWORD = "Ecureuil-Vert-42"
EMAIL = "jean.dupont@example.fr"

HOME = "Bienvenue sur votre espace numérique sécurisé"
HELP_HOME = "Depuis cette page, on choisit ce que"
PALETTE = "Rechercher une commande"
MAILBOX = "Boîte de réception (simulée)"
MAILBOX_WHY = "les courriels envoyés par le simulateur"
NO_MAIL = "Aucun courriel pour le moment"
ACTIVATED = "Votre espace sécurisé est activé"

#: The poste's clock in the header line («Simulateur — Salle — 30/11/2026 11:09»).
_CLOCK = re.compile(r"Salle — (\d\d/\d\d/\d{4} \d\d:\d\d)")
_CODE = re.compile(r"Code de la salle\u00a0: ([A-Z0-9]{3}-[A-Z0-9]{3})")

#: Run in each page before its own scripts: textual-serve's client keeps its xterm.js terminal
#: in an object of its own that no global names. Its constructor's first assignment is
#: ``this.websocket_url = …``; an inherited setter of that name is called with the object,
#: which it keeps as ``window.__salleCheck`` (the property then becomes the object's own).
HOOK = """
Object.defineProperty(Object.prototype, "websocket_url", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "websocket_url", {
      value, writable: true, configurable: true, enumerable: true,
    });
    window.__salleCheck = this;
  },
});
"""

#: The page's screen, one line per terminal row (null before the terminal exists).
SCREEN = """(() => {
  const client = window.__salleCheck;
  const terminal = client && client.terminal;
  if (!terminal) return null;
  const buffer = terminal.buffer.active;
  const rows = [];
  for (let y = 0; y < terminal.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
})()"""

#: The rows holding the top edges of inputs, lists and buttons, with each cell's colours: the
#: focused widget's edge has another colour, and no text cursor blinks on these rows.
EDGES = """(() => {
  const terminal = window.__salleCheck.terminal;
  const buffer = terminal.buffer.active;
  const rows = [];
  for (let y = 0; y < terminal.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    if (!line || !line.translateToString(true).includes("\\u2594")) continue;
    const cells = [];
    for (let x = 0; x < terminal.cols; x++) {
      const cell = line.getCell(x);
      if (cell) cells.push(cell.getFgColor() + "/" + cell.getBgColor());
    }
    rows.push(y + ":" + cells.join(","));
  }
  return rows.join("\\n");
})()"""

#: The screen's last row: the footer, the keys of what has the focus.
FOOTER = """(() => {
  const terminal = window.__salleCheck.terminal;
  const buffer = terminal.buffer.active;
  const line = buffer.getLine(buffer.viewportY + terminal.rows - 1);
  return line ? line.translateToString(true) : "";
})()"""

#: Keys as Chromium's input events name them: (key, code, Windows virtual key code).
KEYS: dict[str, tuple[str, str, int]] = {
    "Enter": ("Enter", "Enter", 13),
    "Tab": ("Tab", "Tab", 9),
    "Escape": ("Escape", "Escape", 27),
    "F1": ("F1", "F1", 112),
    "F3": ("F3", "F3", 114),
    "F4": ("F4", "F4", 115),
    "F6": ("F6", "F6", 117),
    "F7": ("F7", "F7", 118),
    "F8": ("F8", "F8", 119),
}
CTRL = 2  # Input.dispatchKeyEvent's modifier bit


class CheckFailed(Exception):
    """What did not hold, in French."""


def say(message: str) -> None:
    print(f"room-check : {message}", flush=True)


class DevTools:
    """One websocket to chromium's DevTools endpoint; commands to the browser or, with a
    ``session``, to one attached page (flat sessions)."""

    def __init__(self, websocket: Any) -> None:
        self._ws = websocket
        self._counter = 0
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self._ws:
            data = json.loads(message.data)
            future = self._pending.pop(data.get("id", -1), None)
            if future is not None and not future.done():
                future.set_result(data)
        for future in self._pending.values():
            if not future.done():
                future.set_exception(CheckFailed("chromium a fermé sa connexion de pilotage."))

    async def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._counter += 1
        number = self._counter
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[number] = future
        message: dict[str, Any] = {"id": number, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        await self._ws.send_json(message)
        answer = await asyncio.wait_for(future, WAIT_SECONDS)
        if "error" in answer:
            raise CheckFailed(f"chromium refuse {method} : {answer['error']}")
        return dict(answer.get("result") or {})

    async def close(self) -> None:
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader


@dataclass
class Page:
    """One poste's page: a browser context of its own (its own cookies), one tab in it."""

    name: str
    devtools: DevTools
    session: str
    keys_seen: dict[str, bool] = field(default_factory=dict)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        return await self.devtools.call(method, self.session, **params)

    async def evaluate(self, expression: str) -> Any:
        found = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in found:
            raise CheckFailed(f"poste {self.name} : erreur dans la page : "
                              f"{found['exceptionDetails'].get('text')}")
        return (found.get("result") or {}).get("value")

    async def screen(self) -> str:
        return str(await self.evaluate(SCREEN) or "")

    async def until(
        self, condition: Callable[[], Awaitable[bool]], what: str,
        seconds: float = WAIT_SECONDS,
    ) -> None:
        deadline = time.monotonic() + seconds
        while not await condition():
            if time.monotonic() > deadline:
                raise CheckFailed(f"poste {self.name} : {what} n'arrive pas.\n"
                                  f"{await self.screen()}")
            await asyncio.sleep(POLL_SECONDS)

    async def wait_for(self, *texts: str, seconds: float = WAIT_SECONDS) -> str:
        """Waits until every one of ``texts`` is on the page's screen; returns the screen."""
        shown = ""

        async def there() -> bool:
            nonlocal shown
            shown = await self.screen()
            return all(text in shown for text in texts)

        await self.until(there, " et ".join(f"« {text} »" for text in texts), seconds)
        return shown

    async def wait_gone(self, text: str) -> None:
        async def gone() -> bool:
            return text not in await self.screen()

        await self.until(gone, f"la disparition de « {text} »")

    async def press(self, key: str, modifiers: int = 0) -> None:
        """One key, down then up. ``key`` is a name of :data:`KEYS` or a letter (with Ctrl)."""
        if key in KEYS:
            name, code, number = KEYS[key]
        else:
            name, code, number = key, f"Key{key.upper()}", ord(key.upper())
        common = {"key": name, "code": code, "windowsVirtualKeyCode": number,
                  "nativeVirtualKeyCode": number, "modifiers": modifiers}
        await self.call("Input.dispatchKeyEvent", type="rawKeyDown", **common)
        await self.call("Input.dispatchKeyEvent", type="keyUp", **common)

    async def type(self, text: str) -> None:
        """Text typed into the focused element (the terminal's, once the app is shown)."""
        await self.call("Input.insertText", text=text)

    async def next_field(self, key: str = "Tab", modifiers: int = 0) -> None:
        """A key that moves the focus, then a wait until the focus has moved: Textual moves it
        once the key has bubbled up to the app's binding, so keys typed before that would
        still reach the field being left."""
        before = await self.settled(EDGES)
        await self.press(key, modifiers)

        async def moved() -> bool:
            return await self.evaluate(EDGES) != before

        await self.until(moved, f"le déplacement du focus ({key})")

    async def settled(self, expression: str) -> Any:
        """``expression``'s value once two readings in a row agree: the page's terminal may be
        read between two writes of one frame, and a value taken as the "before" of a wait
        must be a whole frame's."""
        previous = await self.evaluate(expression)
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            await asyncio.sleep(POLL_SECONDS)
            current = await self.evaluate(expression)
            if current == previous or time.monotonic() > deadline:
                return current
            previous = current

    async def footer(self) -> str:
        """The screen's last row: the keys of what has the focus."""
        return str(await self.evaluate(FOOTER))

    async def choose(self, value: str) -> None:
        """Opens the focused drop-down list, types ``value`` to find it and picks it. The
        footer says when the list is open (its key «Échap Fermer la liste», partly hidden by
        the list) and when it is closed again (as before)."""
        closed = str(await self.settled(FOOTER))
        await self.press("Enter")

        async def opened() -> bool:
            return await self.footer() != closed

        await self.until(opened, "l'ouverture de la liste")
        await self.type(value)
        await self.press("Enter")
        await self.wait_for(f"{value}   ▼")

        async def back() -> bool:
            return await self.footer() == closed

        await self.until(back, "la fermeture de la liste")

    async def click(self, selector: str) -> None:
        """A click of the mouse in the middle of the element ``selector`` names."""
        box = await self.evaluate(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
            ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        x, y = float(box[0]), float(box[1])
        for kind in ("mousePressed", "mouseReleased"):
            await self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left",
                            clickCount=1)

    async def key_reaches_app(
        self, label: str, key: str, modifiers: int, shows: str
    ) -> bool:
        """Presses ``key``; whether the app answered (``shows`` on the screen) before
        :data:`KEPT_KEY_SECONDS`. Recorded in :attr:`keys_seen`."""
        await self.press(key, modifiers)
        try:
            await self.wait_for(shows, seconds=KEPT_KEY_SECONDS)
        except CheckFailed:
            self.keys_seen[label] = False
            return False
        self.keys_seen[label] = True
        return True

    async def picture(self, output: Path) -> None:
        """A PNG of the page once two captures in a row are the same (the start notices
        faded), or the last of a bounded number of tries."""
        previous = b""
        for _ in range(30):
            shot = await self.call("Page.captureScreenshot", format="png")
            data = base64.b64decode(str(shot.get("data", "")))
            if data and data == previous:
                break
            previous = data
            await asyncio.sleep(1)  # between two captures compared
        if not previous.startswith(b"\x89PNG"):
            raise CheckFailed(f"poste {self.name} : chromium n'a pas produit de capture.")
        output.write_bytes(previous)


async def open_page(devtools: DevTools, name: str) -> Page:
    """A new browser context (cookies of its own) with one tab, attached."""
    context = await devtools.call("Target.createBrowserContext", disposeOnDetach=True)
    target = await devtools.call(
        "Target.createTarget", url="about:blank",
        browserContextId=context["browserContextId"],
        width=WINDOW[0], height=WINDOW[1], newWindow=True,
    )
    attached = await devtools.call("Target.attachToTarget", targetId=target["targetId"],
                                   flatten=True)
    page = Page(name, devtools, str(attached["sessionId"]))
    await page.call("Page.enable")
    await page.call("Runtime.enable")
    await page.call("Page.addScriptToEvaluateOnNewDocument", source=HOOK)
    await page.call("Emulation.setDeviceMetricsOverride", width=WINDOW[0], height=WINDOW[1],
                    deviceScaleFactor=1, mobile=False)
    # Both pages act as the focused one (textual.js tells the app when its terminal has the
    # focus; without it the app stays "blurred" and draws no footer).
    await page.call("Emulation.setFocusEmulationEnabled", enabled=True)
    return page


async def join(page: Page, base: str, code: str, first_name: str) -> None:
    """The join page, filled in and sent as a person does; returns once the app's home page
    is on the page's terminal."""
    await page.call("Page.navigate", url=f"{base}/")

    async def form_shown() -> bool:
        return bool(await page.evaluate(
            "document.readyState === 'complete' && !!document.querySelector('#prenom')"
        ))

    await page.until(form_shown, "la page « Rejoindre la salle »")
    await page.click("#code")
    await page.type(code.lower().replace("-", " "))  # as a person may type it
    await page.click("#prenom")
    await page.type(first_name)
    await page.click("button[type=submit]")
    await page.wait_for(HOME)
    # The terminal takes the keys from now on.
    await page.evaluate("window.__salleCheck.terminal.focus()")


async def register(a: Page) -> None:
    """Poste A creates a space in the wizard's four steps."""
    await a.press("Enter")  # «Créer mon espace» has the focus on the home page
    await a.wait_for("Étape 1 sur 4 — Identité")
    await a.type(NIR)
    await a.next_field()
    await a.type(NAME)
    await a.next_field()
    for value in BIRTH:
        await a.choose(value)
        await a.next_field()
    await a.type(" ")  # ticks the terms of use
    await a.press("Enter")
    await a.wait_for("Étape 2 sur 4 — Mot de passe")
    await a.type(PASSWORD)
    await a.wait_for("Fort")
    await a.next_field()  # «Afficher»
    await a.next_field()  # the confirmation
    await a.type(PASSWORD)
    await a.press("Enter")
    await a.wait_for("Étape 3 sur 4 — Coordonnées")
    await a.type(EMAIL)
    await a.next_field()
    await a.type(EMAIL)
    await a.press("Enter")
    await a.wait_for("Votre espace sécurisé est en cours de création", EMAIL)
    await a.press("Escape")
    await a.wait_for(HOME)


async def open_mailbox(page: Page) -> str:
    """The mailbox, from the command palette (Ctrl+O in a browser); returns its screen."""
    if not await page.key_reaches_app("Ctrl+O", "o", CTRL, PALETTE):
        raise CheckFailed(f"poste {page.name} : Ctrl+O n'ouvre pas la palette de commandes.")
    await page.type("Boîte")

    async def found_alone() -> bool:
        return palette_choices(await page.screen()) == [MAILBOX, MAILBOX_WHY]

    # Enter picks the highlighted line: only once the palette's search has kept that one.
    await page.until(found_alone, f"la seule commande «{MAILBOX}» dans la palette")
    await page.press("Enter")
    return await page.wait_for(MAILBOX, "Courriel sélectionné" if page.name == "A" else NO_MAIL)


def palette_choices(screen: str) -> list[str]:
    """The lines the command palette lists, from its search line («🔎 …») to its bottom
    edge (the home page's own buttons, behind the palette, are not counted)."""
    rows = screen.split("\n")
    for index, row in enumerate(rows):
        if row.lstrip().startswith("🔎"):
            shown = []
            for line in rows[index + 1:]:
                if line.lstrip().startswith("▁"):
                    break
                if line.strip():
                    shown.append(line.strip())
            return shown
    return []


async def poste_clock(page: Page) -> datetime | None:
    """The poste's clock in the header line; None while the line is not drawn whole (the
    screen may be read between two writes of a frame)."""
    found = _CLOCK.search(await page.screen())
    if found is None:
        return None
    return datetime.strptime(found.group(1), "%d/%m/%Y %H:%M")


async def header_clock(page: Page) -> datetime:
    """The poste's clock, once the header line shows it."""
    shown: datetime | None = None

    async def drawn() -> bool:
        nonlocal shown
        shown = await poste_clock(page)
        return shown is not None

    await page.until(drawn, "l'horloge du poste dans l'en-tête")
    assert shown is not None
    return shown


async def clock_key_reaches_app(page: Page, key: str, hours: int) -> bool:
    """Presses a key that moves the poste's clock ``hours`` on (F6 or F7, F3 or F4 in a
    browser); whether the header's clock moved so before :data:`KEPT_KEY_SECONDS` (recorded
    in :attr:`Page.keys_seen`), then F8 (the room's time) and a wait until it is back."""
    before = await header_clock(page)
    await page.press(key)

    async def moved() -> bool:
        now = await poste_clock(page)
        return now is not None and now - before >= timedelta(hours=hours, minutes=-1)

    try:
        await page.until(moved, f"l'horloge + {hours}\u00a0h ({key})", KEPT_KEY_SECONDS)
    except CheckFailed:
        page.keys_seen[key] = False
        return False
    page.keys_seen[key] = True
    await page.press("F8")

    async def back() -> bool:
        now = await poste_clock(page)
        return now is not None and now - before < timedelta(minutes=30)

    await page.until(back, "le retour à l'heure de la salle (F8)")
    return True


async def keys_of_b(b: Page) -> None:
    """Which of the app's keys reach it in this browser: F1 and Ctrl+G (help), Ctrl+P (the
    palette, the terminal's key), F6 and F3 (the poste's clock + 1 h), F7 and F4 (+ 24 h).
    Each opened thing is closed with Escape, the clock put back with F8."""
    for label, key, modifiers, shows in (
        ("F1", "F1", 0, HELP_HOME),
        ("Ctrl+G", "g", CTRL, HELP_HOME),
        ("Ctrl+P", "p", CTRL, PALETTE),
    ):
        if await b.key_reaches_app(label, key, modifiers, shows):
            await b.press("Escape")
            await b.wait_gone(shows)
    for key, hours in (("F6", 1), ("F3", 1), ("F7", 24), ("F4", 24)):
        await clock_key_reaches_app(b, key, hours)
    for label in ("Ctrl+G", "F3", "F4"):
        if not b.keys_seen[label]:
            raise CheckFailed(f"poste B : {label}, une touche du navigateur, n'atteint pas le "
                              "simulateur.")


async def scenario(
    devtools: DevTools, base: str, code: str, db: Path, folder: Path, report: dict[str, Any]
) -> None:
    a = await open_page(devtools, "A")
    b = await open_page(devtools, "B")
    say("deux contextes de navigation ouverts ; A et B rejoignent la salle…")
    await join(a, base, code, "Amélie")  # one after the other: the board's joining order
    await join(b, base, code, "Bruno")
    say("A crée son espace ; B essaie les touches…")
    await asyncio.gather(register(a), keys_of_b(b))
    shown = await open_mailbox(b)
    if EMAIL in shown or "ensap-tui://" in shown:
        raise CheckFailed(f"poste B : la boîte de réception montre le courriel de A.\n{shown}")
    say("B : boîte de réception vide ; A ouvre la sienne…")
    shown = await open_mailbox(a)
    if EMAIL not in shown or "ensap-tui://activer/" not in shown:
        raise CheckFailed(f"poste A : son courriel n'est pas dans sa boîte.\n{shown}")
    say("A : son courriel est dans sa boîte ; captures des deux boîtes…")
    await a.picture(folder / "salle-poste-a.png")
    await b.picture(folder / "salle-poste-b.png")
    await a.press("Enter")  # the mail's row: follows its link
    await a.wait_for(ACTIVATED)
    say("A : espace activé par le lien ; le tableau de la salle…")
    report["touches"] = {**b.keys_seen, **a.keys_seen}
    # While both pages are open: the board sees the postes connected by their heartbeats.
    await board_shows_both(db, code, report)


def board_rows(db: Path, code: str) -> list[dict[str, Any]]:
    """The room's board as the trainer's board reads it (the room is the database's first)."""
    from ensap_tui.bootstrap import Settings, open_services

    # The secret is in the file beside the database (its keyring was the "none" backend).
    services = open_services(db, settings=Settings(use_keyring=False))
    try:
        room = services.room.room(1)
        if room.display_code != code:
            raise CheckFailed(f"la salle de la base n'est pas {code} ({room.display_code}).")
        return [
            {"prenom": row.poste.first_name, "connecte": row.connected, "ecran": row.screen,
             "espace": row.space, "dernier_evenement": row.last_event}
            for row in services.room.board(room.id)
        ]
    finally:
        services.close()


def board_problem(rows: list[dict[str, Any]]) -> str | None:
    """What the board gets wrong (French), or None when it shows both postes as they are."""
    names = [row["prenom"] for row in rows]
    if names != ["Amélie", "Bruno"]:
        return f"le tableau de la salle liste {names}, pas Amélie et Bruno."
    a, b = rows
    if a["espace"] != "actif" or b["espace"] != "aucun espace":
        return f"le tableau dit « {a['espace']} » pour A, « {b['espace']} » pour B."
    if not (a["connecte"] and b["connecte"]):
        return f"le tableau ne voit pas les deux postes en ligne : {rows}"
    if b["ecran"] != "Boîte de réception":
        return f"le tableau ne voit pas B dans sa boîte de réception : {rows}"
    return None


async def board_shows_both(db: Path, code: str, report: dict[str, Any]) -> None:
    """Reads the board until it shows both postes as they are (a poste reports its screen
    with its next heartbeat), or fails once :data:`WAIT_SECONDS` have passed; then the
    trainer's board itself shows them so too."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        rows = await asyncio.to_thread(board_rows, db, code)
        report["tableau"] = rows
        problem = board_problem(rows)
        if problem is None:
            break
        if time.monotonic() > deadline:
            raise CheckFailed(problem)
        await asyncio.sleep(POLL_SECONDS * 5)
    report["tableau_du_formateur"] = await board_app_lines(db)


#: The columns of the trainer's board read here (``#postes``, docs/TESTING.md).
BOARD_COLUMNS = ("poste", "connecte", "ecran", "espace")


async def board_app_lines(db: Path) -> list[dict[str, str]]:
    """The lines of the trainer's board (its app, under Textual's Pilot, on the room's
    database) once they show Amélie's space active and Bruno's none, both connected."""
    from textual.widgets import DataTable

    from ensap_tui.bootstrap import Settings
    from ensap_tui.ui.app import create_app

    app = create_app(db, settings=Settings(use_keyring=False), board_room=1)
    lines: list[dict[str, str]] = []

    def read() -> list[dict[str, str]]:
        found = app.screen.query("#postes")
        if not found:
            return []
        table: DataTable[Any] = found.first(DataTable)
        return [
            {column: str(getattr(value := table.get_cell(row, column), "plain", value))
             for column in BOARD_COLUMNS}
            for row in table.rows
        ]

    def shown() -> bool:
        if len(lines) != 2:
            return False
        amelie, bruno = lines
        return (
            "Amélie" in amelie["poste"] and amelie["espace"] == "actif"
            and "Bruno" in bruno["poste"] and bruno["espace"] == "aucun espace"
            and amelie["connecte"] == bruno["connecte"] == "● oui"
        )

    async with app.run_test(size=(120, 40)) as pilot:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            lines = read()
            if shown():
                return lines
            if time.monotonic() > deadline:
                raise CheckFailed(f"le tableau du formateur ne montre pas les deux postes\u00a0: "
                                  f"{lines}")
            await pilot.pause(POLL_SECONDS * 2)


def wait_for_code(process: subprocess.Popen[bytes], out: Path, err: Path) -> str:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        found = _CODE.search(out.read_text(encoding="utf-8"))
        if found:
            return found.group(1)
        if process.poll() is not None:
            raise CheckFailed(f"ensap-tui salle s'est arrêté (code {process.returncode}) : "
                              + err.read_text(encoding="utf-8"))
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=POLL_SECONDS)
    raise CheckFailed("ensap-tui salle n'a jamais affiché le code de la salle.")


async def drive(profile: Path, base: str, code: str, db: Path, folder: Path,
                report: dict[str, Any]) -> None:
    import aiohttp  # installed with textual-serve

    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + WAIT_SECONDS
    while not (port_file.exists() and len(port_file.read_text().split()) >= 2):
        if time.monotonic() > deadline:
            raise CheckFailed("chromium n'a pas ouvert son port de pilotage.")
        await asyncio.sleep(POLL_SECONDS)
    port, path = port_file.read_text().split()[:2]
    async with aiohttp.ClientSession() as session, session.ws_connect(
        f"ws://{HOST}:{port}{path}", max_msg_size=0
    ) as websocket:
        devtools = DevTools(websocket)
        try:
            await scenario(devtools, base, code, db, folder, report)
        finally:
            await devtools.close()


def chromium_command(chromium: str, profile: Path) -> list[str]:
    return [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars",
        # A container's small /dev/shm (CI) would make the renderers crash.
        "--disable-dev-shm-usage", "--disable-renderer-backgrounding",
        "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows",
        f"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1",
        # Driven over the DevTools protocol, on a port of its choosing (written to the profile).
        "--remote-debugging-port=0", "about:blank",
    ]


def check(chromium: str, folder: Path, report: dict[str, Any]) -> None:
    """The whole check in a temporary folder; raises :class:`CheckFailed`."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ensap-room-check-") as temporary:
        tmp = Path(temporary)
        env = dict(os.environ)
        # A throw-away database and data folders, and no system keyring: nothing of the user's.
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            env[name] = str(tmp / name.lower())
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        db = tmp / "salle.sqlite3"
        port = free_port()
        out, err = tmp / "salle.out", tmp / "salle.err"
        room = subprocess.Popen(
            [sys.executable, "-m", "ensap_tui", "salle", "--sans-tableau", "--host", HOST,
             "--port", str(port), "--db", str(db)],
            stdout=out.open("wb"), stderr=err.open("wb"), stdin=subprocess.DEVNULL, env=env,
            cwd=ROOT,
        )
        browser: subprocess.Popen[bytes] | None = None
        try:
            code = wait_for_code(room, out, err)
            base = f"http://{HOST}:{port}"
            say(f"salle {code} ouverte sur {base} ; chromium démarre…")
            browser = subprocess.Popen(
                chromium_command(chromium, tmp / "profil-chromium"),
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
            )
            asyncio.run(asyncio.wait_for(
                drive(tmp / "profil-chromium", base, code, db, folder, report), CHECK_SECONDS
            ))
        finally:
            if browser is not None:
                stop(browser)
            stop(room)


def _terminated(_signum: int, _frame: object) -> None:
    raise SystemExit("room-check : arrêté (SIGTERM).")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="La salle de formation dans un vrai navigateur.")
    parser.add_argument("--dossier", type=Path, default=DEFAULT_FOLDER,
                        help="dossier des captures PNG (screenshots/ par défaut)")
    parser.add_argument("--rapport", type=Path, help="fichier JSON de ce qui a été constaté")
    parser.add_argument("--sans-installation", action="store_true",
                        help="ne pas installer chromium s'il est absent (échec)")
    args = parser.parse_args(argv)
    # SIGTERM (a test stopping this script by its process id) unwinds as an error does: the
    # room and chromium are stopped on the way out.
    signal.signal(signal.SIGTERM, _terminated)
    chromium = find_chromium() if args.sans_installation else install_chromium()
    if chromium is None:
        say("chromium est absent.")
        return 1
    report: dict[str, Any] = {"reussi": False}
    started = time.monotonic()
    try:
        check(chromium, args.dossier, report)
    except (CheckFailed, TimeoutError) as error:
        report["erreur"] = str(error) or "délai dépassé"
        say(f"ÉCHEC : {report['erreur']}")
    else:
        report["reussi"] = True
        say(f"réussi en {time.monotonic() - started:.0f} s ; touches : {report['touches']}")
        say(f"captures : {args.dossier / 'salle-poste-a.png'}, "
            f"{args.dossier / 'salle-poste-b.png'}")
    if args.rapport is not None:
        args.rapport.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n",
                                encoding="utf-8")
    return 0 if report["reussi"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
