"""A training room under load (issue 12, point 6): N postes join one room over HTTP and
WebSockets, each types its way through the account-creation wizard at a human pace, and all
press «Valider et Continuer» at the same moment.

Used by ``scripts/bench.py --only salle`` (30 postes) and by ``tests/test_room_load.py`` (a
small room). Loopback only, bounded in count and in time, and it stops by itself: the room's
server (``python -m ensap_tui.commands.salle_server``, the process ``ensap-tui salle`` runs)
is started on a free port of 127.0.0.1 over a fresh demo database in a folder of its own, and
stopped by its process id in a ``finally``, with every app it started.

What a poste shows is read from the terminal output its websocket carries (textual-serve
sends what the app writes to its terminal, as binary messages): :class:`Terminal` keeps the
screen's text, and the driver waits until it shows the French text expected. A «frame» is one
binary message: textual-serve forwards each write of the app's driver as one message, and
Textual writes each screen update in one write. The registrations themselves are counted in
the database by the callers (see :func:`registered_accounts`).

Fields are reached by a click, as with a mouse, not by Tab: Textual reads a Tab as a binding
once the key has gone through the focused field, and when the app is behind the keys (30
postes on two cores), the key typed right after a Tab reached the field being left (a NIR
ending in «S», the first letter of the next field). A person would see it and correct it; the
driver checks each field it fills (:class:`Field`) and clicks its way, which moves the focus
before the next key is read.

``python scripts/room_load.py [--postes N]`` runs it alone and prints the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
#: The size of each poste's terminal (the page asks for the browser window's; 100 × 40 is the
#: size the screens are planned for).
WIDTH, HEIGHT = 100, 40

#: Texts the driver waits for on a poste's screen.
HOME_TEXT = "Créer mon espace"
STEP_TEXTS = ("Étape 1 sur 4", "Étape 2 sur 4", "Étape 3 sur 4")
DONE_TEXT = "Votre espace sécurisé est en cours de création"
#: The beginnings of the notices an app shows when a call failed (``ensap_tui/ui/failures.py``):
#: after «Valider», one of them instead of the finalisation page means the registration was
#: not written (a notice goes away after 10 s: the screen then shows step 3 as if the key had
#: been lost, which is how two 30-poste runs were first read).
TROUBLE_TEXTS = (
    "La base de données est occupée",
    "La base de données du simulateur est momentanément indisponible",
    "Une erreur inattendue a empêché l'opération",
)

#: Key names → what xterm.js (the page's terminal) sends for them.
KEYS = {"Enter": "\r", "Tab": "\t", "Space": " "}

#: First names of the room (accents, hyphens, apostrophes: what the join form accepts).
FIRST_NAMES = (
    "Camille", "Léa", "Hugo", "Chloé", "Nathan", "Inès", "Lucas", "Manon", "Théo", "Zoé",
    "Jules", "Anaïs", "Louis", "Clémence", "Maël", "Océane", "Noé", "Maëlys", "Raphaël",
    "Éloïse", "Jean-Luc", "Gaëlle", "Loïc", "Hélène", "Benoît", "Céline", "Jérôme", "Agnès",
    "François", "Marie-Noëlle", "D'Artagnan",
)


class LoadError(RuntimeError):
    """The room did not do what the load test asked of it (a poste stuck, the server gone)."""


@dataclass(frozen=True)
class Trainee:
    """What one trainee types: a valid NIR born in May 1985 (order number ``n``), a birth
    name, a strong password that contains nothing of them, an address and a phone."""

    number: int
    first_name: str

    @property
    def nir(self) -> str:
        from stdnum.fr.nir import calc_check_digits

        body = f"18505751150{self.number:02d}"  # man, 1985-05, Paris, commune 115, order 0NN
        return body + calc_check_digits(body + "00")

    @property
    def birth_name(self) -> str:
        return f"Stagiaire-{_ascii(self.first_name)}"

    @property
    def password(self) -> str:
        return f"Azur&Corail{self.number:02d}x!"

    @property
    def email(self) -> str:
        return f"{_ascii(self.first_name).lower()}.{self.number}@exemple.fr"

    @property
    def phone(self) -> str:
        return f"06151478{self.number:02d}"


def _ascii(text: str) -> str:
    letters = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in letters if c.isalnum()) or "X"


@dataclass(frozen=True)
class Shown:
    """In a list of keys: wait until the screen shows ``text`` (as a person looks before
    going on)."""

    text: str


@dataclass(frozen=True)
class Click:
    """In a list of keys: click ``below`` lines under ``text`` (a field's label: its input is
    two lines below), a few cells in, or in the middle of ``text`` itself when ``below`` is 0.
    A person moves to the next field so too; and a click gives the focus before the next key
    is read, where a Tab is a binding the key after it can overtake (see the module)."""

    text: str
    below: int = 2


@dataclass(frozen=True)
class Choose:
    """In a list of keys: pick ``value`` in the list showing ``prompt`` (a click opens it,
    typing finds the value, Enter picks it), and start again if another value was picked —
    Textual's lists search what is typed within 0.7 s, which a slow app can split."""

    prompt: str
    value: str


@dataclass(frozen=True)
class Field:
    """In a list of keys: type ``text`` into the focused field, then look that the field shows
    it (``masked``: as many dots; ``shown``: how many fields then show the same), and when it
    does not (a key lost), clear the field (Ctrl+U) and type it again, as a person would."""

    text: str
    masked: bool = False
    shown: int = 1

    @property
    def display(self) -> str:
        return "▊  " + ("•" * len(self.text) if self.masked else self.text) + " "


Step = list["str | Shown | Click | Choose | Field"]


def wizard_keys(trainee: Trainee, *, phone: bool = True) -> list[Step]:
    """What a person does in the wizard's three steps, one list per step: «Identité» (NIR,
    birth name, day, month and year chosen in their lists, the terms ticked, «Continuer»),
    «Mot de passe» (password and its confirmation, Enter), «Coordonnées» (main address and
    its confirmation, the main phone), each field reached by a click on it but the first of
    each step, which has the cursor as the step opens: the person types there at once (a
    click on it changes nothing on the screen, so no frame would say it was taken). The last
    step's submit (Enter on «Valider et Continuer») is not in the list: every poste presses
    it at the same moment."""
    identity: Step = [
        Field(trainee.nir),
        Click("Nom de naissance *"), Field(trainee.birth_name),
        Choose("JJ", "14"), Choose("MM", "05"), Choose("AAAA", "1985"),
        Click("☐ * En cochant", below=0), Shown("☑"), Click("Continuer", below=0),
    ]
    password: Step = [
        Field(trainee.password, masked=True),
        Click("Confirmation mot de passe *"), Field(trainee.password, masked=True, shown=2),
        "Enter",
    ]
    contacts: Step = [
        Field(trainee.email),
        Click("Confirmation courriel principal *"), Field(trainee.email, shown=2),
    ]
    if phone:
        contacts += [Click("Téléphone principal"), Field(trainee.phone)]
    return [identity, password, contacts]


_CSI_OR_TEXT = re.compile(
    r"\x1b\[([0-9;?<>=$]*)([ -/]*[@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|([^\x1b]+)"
)

#: The sequences :class:`Terminal` skips: all but the cursor moves (CSI … H or f).
_NOT_A_MOVE = re.compile(
    r"\x1b\[[0-9;?<>=$]*[ -/]*[@-GI-eg-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]"
)


class Terminal:
    """The cells of a terminal the app draws on, enough to read its text: Textual writes each
    changed span of a line after an absolute cursor move (``ESC [ row ; col H``); colours and
    other sequences are skipped. Hand-written: a few lines where a terminal emulator library
    would be a new dependency for the load test alone."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.rows = [[" "] * width for _ in range(height)]
        self.row = self.col = 0

    def feed(self, data: bytes) -> None:
        # The colours and every other sequence that does not move the cursor go first, in one
        # pass of the regular expression engine: what is left is a few moves and spans.
        shown = _NOT_A_MOVE.sub("", data.decode("utf-8", "replace"))
        for match in _CSI_OR_TEXT.finditer(shown):
            text = match.group(3)
            if text is not None:
                if _CONTROL.search(text) is None:
                    # Textual writes spans of plain text after a cursor move: one slice each
                    # (the driver shares the 2 cores with the apps it measures).
                    col = self.col
                    count = max(0, min(len(text), self.width - col))
                    self.rows[self.row][col:col + count] = text[:count]
                    self.col = col + count
                    continue
                for char in text:
                    if char == "\n":
                        self.row, self.col = min(self.row + 1, self.height - 1), 0
                    elif char == "\r":
                        self.col = 0
                    elif char >= " " and self.col < self.width:
                        self.rows[self.row][self.col] = char
                        self.col += 1
            elif match.group(2) in ("H", "f"):
                params = [int(p) if p.isdigit() else 1 for p in (match.group(1) or "").split(";")]
                row, col = [*params, 1, 1][:2]
                self.row = max(0, min(self.height - 1, row - 1))
                self.col = max(0, min(self.width - 1, col - 1))

    def text(self) -> str:
        """The screen's lines, trailing spaces removed."""
        return "\n".join("".join(row).rstrip() for row in self.rows)


_CONTROL = re.compile(r"[\x00-\x1f]")

_MOVE = re.compile(rb"\x1b\[(\d+);\d+H")


def draws_below_header(data: bytes) -> bool:
    """Whether a frame writes anywhere but the first line (the header, whose clock is drawn
    again every second); Textual starts every update with a cursor move."""
    rows = {int(row) for row in _MOVE.findall(data)}
    return bool(rows - {1})


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


# -- processes and memory ---------------------------------------------------------------------


def descendants(pid: int) -> list[int]:
    """The process ids under ``pid`` (children, their children...), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def poste_of_process(pid: int) -> int | None:
    """The poste a process runs the app of, else None: an app the server's launcher forked
    says it in its name (``ensap-poste-ID``, /proc/PID/comm); one started as a new process
    (where the server cannot fork) has ``--poste ID`` on its command line."""
    from ensap_tui.commands.app_launcher import poste_of_name

    try:
        name = Path(f"/proc/{pid}/comm").read_text().strip()
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    forked = poste_of_name(name)
    if forked is not None:
        return forked
    if b"--poste" in argv and b"-m" in argv and argv[0] != b"/bin/sh":
        index = argv.index(b"--poste")
        if index + 1 < len(argv) and argv[index + 1].isdigit():
            return int(argv[index + 1])
    return None


def memory_of(pid: int) -> tuple[int, int] | None:
    """(RSS, PSS) of a process in bytes, from /proc (None once it has ended)."""
    try:
        rss = pss = 0
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1]) * 1024
            elif line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
        return rss, pss
    except (OSError, ValueError):
        return None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time a process has used so far (None once it has ended)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Memory:
    """The memory of the room at one moment: each poste's app process (RSS, PSS), the other
    processes under the server (its app launcher, whose pages the apps it forked share; the
    shells through which it starts an app where it cannot fork one), the server."""

    postes: dict[int, tuple[int, int]]
    others: list[tuple[int, int]]
    server: tuple[int, int]
    #: CPU seconds each poste's app had used by then.
    cpu: dict[int, float] = field(default_factory=dict)

    @property
    def total_pss(self) -> int:
        return (sum(p for _, p in self.postes.values()) + sum(p for _, p in self.others)
                + self.server[1])


def room_memory(server_pid: int) -> Memory:
    postes: dict[int, tuple[int, int]] = {}
    others: list[tuple[int, int]] = []
    cpu: dict[int, float] = {}
    for pid in descendants(server_pid):
        measured = memory_of(pid)
        if measured is None:
            continue
        poste = poste_of_process(pid)
        if poste is None:
            others.append(measured)
        else:
            postes[poste] = measured
            cpu[poste] = cpu_seconds(pid) or 0.0
    return Memory(postes, others, memory_of(server_pid) or (0, 0), cpu)


def app_processes(server_pid: int) -> dict[int, int]:
    """poste id → process id of its app, under the server."""
    found: dict[int, int] = {}
    for pid in descendants(server_pid):
        poste = poste_of_process(pid)
        if poste is not None:
            found[poste] = pid
    return found


# -- one poste ---------------------------------------------------------------------------------


@dataclass
class PosteRun:
    """One poste's connection and what it measured."""

    trainee: Trainee
    frames: list[tuple[float, bytes]] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    closed: bool = False
    poste_id: int | None = None
    join_started: float = 0.0
    # Seconds from the common start of the joins: form accepted, websocket open, home shown.
    joined_at: float | None = None
    connected_at: float | None = None
    first_screen: float | None = None
    latencies: list[float] = field(default_factory=list)  # key → frame, seconds
    keys_without_frame: int = 0
    clicks_without_frame: int = 0  # waited for up to ``Plan.frame_timeout`` each
    choices_again: int = 0  # lists where another value was picked, chosen again
    fields_again: int = 0  # fields that did not show what was typed, typed again
    typing: float = 0.0  # seconds from the first key to the last one before «Valider»
    submitted_at: float = 0.0
    registered_after: float | None = None  # seconds from its «Valider»
    websocket: aiohttp.ClientWebSocketResponse | None = None
    terminal: Terminal = field(default_factory=lambda: Terminal(WIDTH, HEIGHT))
    looking_for: Callable[[str], bool] | None = None
    found_at: float | None = None
    drawn: list[bool] = field(default_factory=list)  # per frame: draws below the header

    async def wait_for_drawn(self, index: int, timeout: float) -> int | None:
        """The index of the first frame from ``index`` on that draws below the header line
        (None after ``timeout``): the frame a key brings. The header's clock is redrawn every
        second on its own, and such a frame coming first is not the key's."""
        deadline = time.perf_counter() + timeout
        while True:
            found = next((i for i in range(index, len(self.frames)) if self.drawn[i]), None)
            if found is not None:
                return found
            left = deadline - time.perf_counter()
            if left <= 0 or not await self.wait_for_frame(len(self.frames), left):
                return None

    async def wait_for_frame(self, index: int, timeout: float) -> bool:
        """Until a frame beyond the first ``index`` has arrived (False after ``timeout``)."""
        deadline = time.perf_counter() + timeout
        while len(self.frames) <= index:
            if self.closed:
                raise LoadError(f"{self.trainee.first_name} : la session s'est fermée")
            left = deadline - time.perf_counter()
            if left <= 0:
                return False
            self.arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), left)
        return True

    async def read(self) -> None:
        assert self.websocket is not None
        try:
            async for message in self.websocket:
                if message.type == aiohttp.WSMsgType.BINARY:
                    arrived = time.perf_counter()
                    self.frames.append((arrived, message.data))
                    self.drawn.append(draws_below_header(message.data))
                    self.terminal.feed(message.data)
                    if self.looking_for is not None and self.found_at is None and (
                        self.looking_for(self.terminal.text())
                    ):
                        self.found_at = arrived
                    self.arrived.set()
                elif message.type == aiohttp.WSMsgType.TEXT:
                    continue  # textual-serve's own messages (pong, open_url...)
                else:
                    break
        finally:
            self.closed = True
            self.arrived.set()

    async def wait_for_screen(self, text: str, timeout: float) -> float:
        """Until the screen, as it stands, shows ``text``; returns the time the frame that
        made it show arrived (the one already shown when it is there already)."""
        return await self.wait_until(lambda screen: text in screen, f"« {text} »", timeout)

    async def wait_until(self, looked_for: Callable[[str], bool], what: str, timeout: float
                         ) -> float:
        """Until ``looked_for(screen)`` holds for the screen's text as it stands; returns the
        time the frame that made it hold arrived."""
        deadline = time.perf_counter() + timeout
        self.looking_for, self.found_at = looked_for, None
        try:
            if looked_for(self.terminal.text()):
                return self.frames[-1][0] if self.frames else time.perf_counter()
            while self.found_at is None:
                left = deadline - time.perf_counter()
                if left <= 0 or not await self.wait_for_frame(len(self.frames), left):
                    raise LoadError(
                        f"{self.trainee.first_name} : {what} pas à l'écran après "
                        f"{timeout:.0f} s ; l'écran :\n{self.terminal.text()}"
                    )
            return self.found_at
        finally:
            self.looking_for = None

    def find(self, text: str) -> tuple[int, int]:
        """(row, column) of ``text`` on the screen, from 0."""
        for row, line in enumerate(self.terminal.text().splitlines()):
            col = line.find(text)
            if col >= 0:
                return row, col
        raise LoadError(f"{self.trainee.first_name} : « {text} » n'est pas à l'écran ;"
                        f" l'écran :\n{self.terminal.text()}")

    async def click(self, text: str, below: int = 0) -> int:
        """Clicks ``text`` on the screen (its middle; with ``below``, that many lines under
        it, a few cells in), as the page's terminal reports a click (SGR mouse reporting,
        which Textual turns on): a press then a release. Returns the number of frames
        before it."""
        row, col = self.find(text)
        return await self.click_at(row + below, col + 3 if below else col + len(text) // 2)

    async def click_at(self, row: int, col: int) -> int:
        assert self.websocket is not None
        before = len(self.frames)
        for end in "Mm":
            await self.websocket.send_str(
                json.dumps(["stdin", f"\x1b[<0;{col + 1};{row + 1}{end}"]))
        return before

    async def press(self, key: str) -> int:
        """Sends one key as the page's terminal does; returns the number of frames before it."""
        assert self.websocket is not None
        before = len(self.frames)
        await self.websocket.send_str(json.dumps(["stdin", KEYS.get(key, key)]))
        return before


@dataclass(frozen=True)
class Plan:
    """What the load test does."""

    postes: int = 30
    keys_per_second: float = 5.0
    phone: bool = True
    #: Bounds: each wait for a screen, the whole run.
    step_timeout: float = 120.0
    frame_timeout: float = 10.0
    register_timeout: float = 300.0  # from «Valider» to the finalisation page
    total_timeout: float = 900.0
    #: Seconds left to the idle postes before their memory is read (0: at once).
    settle: float = 5.0
    #: Compile ensap-tui's bytecode first, as an installation does (:func:`compile_project`).
    compile: bool = True


@dataclass
class RoomRun:
    """The figures of one load run (times in seconds, memory in bytes)."""

    plan: Plan
    postes: list[PosteRun]
    room_id: int
    code: str
    db: Path
    server_pid: int
    all_first_screens: float
    all_registered: float
    idle_memory: Memory
    registered_memory: Memory
    full_status: int
    full_text: str
    apps_before_full: dict[int, int]
    apps_after_full: dict[int, int]
    duration: float
    #: Why postes did not show the finalisation page after «Valider» (empty: all did).
    failures: list[str] = field(default_factory=list)

    def p90_per_poste(self) -> list[float]:
        return [percentile(p.latencies, 0.9) for p in self.postes if p.latencies]


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


# -- the server --------------------------------------------------------------------------------


def program_env(folder: Path) -> dict[str, str]:
    """The server's and the apps' environment: the project importable, no system keyring, the
    XDG folders in ``folder``, and the bytecode cached as in any installation (see
    :func:`compile_project`)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env.setdefault("TZ", "Europe/Paris")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[name] = str(folder / name.lower())
    env.pop("ENSAP_TUI_DB", None)
    env.pop("ENSAP_TUI_SECRET_FILE", None)
    return env


def compile_project(env: dict[str, str]) -> None:
    """Compiles ensap-tui's modules to bytecode, as installing the package does (pip compiles
    what it installs, and the libraries in the environment have theirs). Where
    PYTHONDONTWRITEBYTECODE is set (this machine's environment), every app would otherwise
    compile every module of ensap-tui again as it starts, 30 at once."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "ensap_tui")],
                   env=env, check=True, stdout=subprocess.DEVNULL, timeout=600)


def open_demo_room(db: Path) -> tuple[int, str]:
    """A fresh demo database at ``db`` (seeded as ``ensap-tui salle --demo`` seeds it) and an
    open room on it: (room id, code)."""
    from ensap_tui.bootstrap import Settings, open_services

    services = open_services(db, settings=Settings().demo_mode())
    try:
        room = services.room.open_room()
        return room.id, room.code
    finally:
        services.close()


def start_server(db: Path, room_id: int, port: int, max_postes: int, env: dict[str, str],
                 log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as errors:
        return subprocess.Popen(
            [sys.executable, "-m", "ensap_tui.commands.salle_server", "--db", str(db),
             "--salle", str(room_id), "--host", HOST, "--port", str(port),
             "--max-postes", str(max_postes), "--demo",
             # It stops by itself should this driver be killed before its ``finally``.
             "--parent", str(os.getpid())],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors, env=env,
            cwd=ROOT, start_new_session=True,
        )


def wait_until_listening(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    for _ in range(600):  # x 0.1 s at most
        if process.poll() is not None:
            raise LoadError(f"le serveur de la salle s'est arrêté :\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/", timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.1)
    raise LoadError("le serveur de la salle n'a jamais répondu")


def stop_server(process: subprocess.Popen[bytes], apps: Iterator[int], db: Path) -> None:
    """Stops the server by its process id (SIGTERM: it closes its tabs, whose apps quit, and
    its launcher ends the rest), then any app it left behind, by its own id (still a poste's
    app: forked by a launcher and named for its poste, or started on ``db``; not a process
    that took a freed id)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
    left = list(apps)
    # Until each has ended (an app told to quit by its closed tab may still be exiting; a
    # killed one takes a moment too): bounded, and what is still there at the end is reported
    # by the caller's checks rather than waited for.
    deadline = time.monotonic() + 30
    while left and time.monotonic() < deadline:
        for pid in left:
            try:
                argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue  # it has ended
            forked = b"ensap_tui.commands.app_launcher" in argv  # a launcher's child
            if poste_of_process(pid) is not None and (forked or str(db).encode() in argv):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
        left = [pid for pid in left if not process_ended(pid)]
        if left:
            time.sleep(0.05)


def process_ended(pid: int) -> bool:
    """Whether ``pid`` has ended: gone, or a zombie waiting for its parent."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


def registered_accounts(db: Path) -> list[tuple[str, int | None]]:
    """(NIR, poste id) of every account created from a poste, read with sqlite3 itself."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [(str(nir), poste) for nir, poste in conn.execute(
            "SELECT nir, poste_id FROM accounts WHERE poste_id IS NOT NULL ORDER BY id")]
    finally:
        conn.close()


def postes_by_name(db: Path, room_id: int) -> dict[str, int]:
    """first name → poste id of the room's postes (the driver gives each a different name)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {str(name): int(poste) for poste, name in conn.execute(
            "SELECT id, first_name FROM postes WHERE room_id = ?", (room_id,))}
    finally:
        conn.close()


# -- the run -----------------------------------------------------------------------------------


async def connect(poste: PosteRun, base: str, code: str, timeout: aiohttp.ClientTimeout,
                  sessions: list[aiohttp.ClientSession]) -> None:
    """Joins with the poste's first name, loads the app's page, opens its websocket."""
    started = time.perf_counter()
    status, page, jar = await join_with_jar(base, code, poste.trainee.first_name, timeout)
    poste.joined_at = time.perf_counter() - started
    if status != 200 or "data-session-websocket-url" not in page:
        raise LoadError(f"{poste.trainee.first_name} n'a pas rejoint la salle ({status}) : "
                        f"{page[:300]}")
    session = aiohttp.ClientSession(cookie_jar=jar, timeout=timeout)
    sessions.append(session)
    poste.websocket = await session.ws_connect(
        f"ws://{base.split('//', 1)[1]}/ws?width={WIDTH}&height={HEIGHT}", origin=base,
        max_msg_size=0,
    )
    poste.connected_at = time.perf_counter() - started


async def join_with_jar(base: str, code: str, first_name: str,
                        timeout: aiohttp.ClientTimeout) -> tuple[int, str, aiohttp.CookieJar]:
    jar = aiohttp.CookieJar(unsafe=True)  # an IP address: aiohttp keeps no cookie otherwise
    async with aiohttp.ClientSession(cookie_jar=jar, timeout=timeout) as own, own.post(
        f"{base}/rejoindre", data={"code": code, "prenom": first_name},
        headers={"Origin": base},
    ) as answer:
        return answer.status, await answer.text(), jar


async def type_keys(poste: PosteRun, keys: Step, pace: float, plan: Plan) -> None:
    """Types ``keys`` one every ``pace`` seconds; each key's latency is the time until the
    first frame after it. A key whose frame has not come when the next is due is waited for
    (up to ``plan.frame_timeout``): a person waits for the screen too, and the next key would
    otherwise take the late frame for its own."""
    for key in keys:
        if isinstance(key, Shown):
            await poste.wait_for_screen(key.text, plan.step_timeout)
        elif isinstance(key, Click):
            before = await poste.click(key.text, key.below)
            if await poste.wait_for_drawn(before, plan.frame_timeout) is None:
                poste.clicks_without_frame += 1
            await asyncio.sleep(pace)
        elif isinstance(key, Choose):
            await choose(poste, key, pace, plan)
        elif isinstance(key, Field):
            await fill(poste, key, pace, plan)
        else:
            await type_key(poste, key, pace, plan)


async def type_key(poste: PosteRun, key: str, pace: float, plan: Plan) -> None:
    sent = time.perf_counter()
    before = await poste.press(key)
    drawn = await poste.wait_for_drawn(before, plan.frame_timeout)
    if drawn is not None:
        poste.latencies.append(poste.frames[drawn][0] - sent)
    else:
        poste.keys_without_frame += 1
    await asyncio.sleep(max(0.0, sent + pace - time.perf_counter()))


async def fill(poste: PosteRun, field: Field, pace: float, plan: Plan) -> None:
    """Types ``field.text``, and again after clearing the field when it does not show it."""
    for attempt in range(3):
        if attempt:
            poste.fields_again += 1
            await type_key(poste, "\x15", pace, plan)  # Ctrl+U: clear what is left of the cursor
        for char in field.text:
            await type_key(poste, char, pace, plan)
        with contextlib.suppress(LoadError):  # its frame has come: it shows now, or never
            await poste.wait_until(lambda screen: screen.count(field.display) >= field.shown,
                                   "le champ rempli", plan.frame_timeout)
            return
    raise LoadError(f"{poste.trainee.first_name} : « {field.display} » jamais affiché ;"
                    f" l'écran :\n{poste.terminal.text()}")


async def choose(poste: PosteRun, choice: Choose, pace: float, plan: Plan) -> None:
    """Picks ``choice.value`` in its list, as a person does: clicks the list, sees it open,
    types the value, picks it (Enter), sees the list closed, and starts again when it shows
    another value. The value's characters are not in the key → frame figures (see below)."""
    opened = "   ▲"
    row, col = poste.find(f"{choice.prompt}   ▼")
    for _attempt in range(3):
        before = await poste.click_at(row, col + 1)
        await poste.wait_for_drawn(before, plan.frame_timeout)
        await poste.wait_for_screen(opened, plan.step_timeout)
        # The value's characters at the person's pace without waiting for their frames: the
        # list searches what it receives within 0.7 s, and keys wait in the app's input
        # while it is busy, as a browser's would (a wait for each frame would space them by
        # the app's delay, which the person does not do).
        for char in choice.value:
            await poste.press(char)
            await asyncio.sleep(pace)
        await type_key(poste, "Enter", pace, plan)
        await poste.wait_until(lambda screen: opened not in screen, "une liste fermée",
                               plan.step_timeout)
        if f"  {choice.value}   ▼" in poste.terminal.text():
            return
        poste.choices_again += 1
    raise LoadError(f"{poste.trainee.first_name} : « {choice.value} » jamais choisi dans la"
                    f" liste ; l'écran :\n{poste.terminal.text()}")


@dataclass
class Together:
    """Everyone types, then everyone presses «Valider» at one signal."""

    expected: int
    typed: int = 0
    all_typed: asyncio.Event = field(default_factory=asyncio.Event)
    valider: asyncio.Event = field(default_factory=asyncio.Event)

    def one_typed(self) -> None:
        self.typed += 1
        if self.typed == self.expected:
            self.all_typed.set()


async def drive_poste(poste: PosteRun, plan: Plan, together: Together) -> None:
    """One trainee's wizard: steps typed, then «Valider» with everyone, then the end page."""
    pace = 1.0 / plan.keys_per_second
    steps = wizard_keys(poste.trainee, phone=plan.phone)
    # In the page, the person clicks in the terminal (the page's script then says it has the
    # focus) and on «Créer mon espace».
    assert poste.websocket is not None
    started = time.perf_counter()
    await poste.websocket.send_str(json.dumps(["focus"]))
    await poste.click(HOME_TEXT)
    await poste.wait_for_screen(STEP_TEXTS[0], plan.step_timeout)
    await asyncio.sleep(pace)
    for keys, expected in zip(steps, STEP_TEXTS[1:], strict=False):
        await type_keys(poste, keys, pace, plan)
        await poste.wait_for_screen(expected, plan.step_timeout)
        await asyncio.sleep(pace)  # reading the new step, as long as a key
    await type_keys(poste, steps[-1], pace, plan)
    poste.typing = time.perf_counter() - started
    together.one_typed()
    await together.valider.wait()
    await poste.press("Enter")
    poste.submitted_at = time.perf_counter()
    shown = await poste.wait_until(lambda screen: DONE_TEXT in screen or bool(trouble(screen)),
                                   f"« {DONE_TEXT} »", plan.register_timeout)
    said = trouble(poste.terminal.text())
    if DONE_TEXT not in poste.terminal.text() and said:
        raise LoadError(f"{poste.trainee.first_name} : après « Valider », l'application dit"
                        f" « {said} » (inscription non enregistrée)")
    poste.registered_after = shown - poste.submitted_at


def trouble(screen: str) -> str:
    """The line of ``screen`` that shows a failed call's notice (:data:`TROUBLE_TEXTS`),
    stripped; empty when there is none."""
    for line in screen.splitlines():
        if any(text in line for text in TROUBLE_TEXTS):
            return line.strip(" ▌▐▊│┃")
    return ""


async def run_room(plan: Plan, folder: Path, *, progress: Callable[[str], None] = print,
                   env: dict[str, str] | None = None) -> RoomRun:
    """Runs the whole load test in ``folder`` (the database stays there for the caller's
    checks). Bounded by ``plan.total_timeout``; the server and its apps are stopped before it
    returns or raises."""
    return await asyncio.wait_for(_run_room(plan, folder, progress, env), plan.total_timeout)


async def _run_room(plan: Plan, folder: Path, progress: Callable[[str], None],
                    env: dict[str, str] | None) -> RoomRun:
    started = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "salle" / "ensap.sqlite3"
    env = env or program_env(folder)
    if plan.compile:
        await asyncio.to_thread(compile_project, env)
    room_id, code = await asyncio.to_thread(open_demo_room, db)
    port = free_port()
    base = f"http://{HOST}:{port}"
    log = folder / "serveur.err"
    process = start_server(db, room_id, port, plan.postes, env, log)
    seen_apps: set[int] = set()
    sessions: list[aiohttp.ClientSession] = []
    readers: list[asyncio.Task[None]] = []
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=30, sock_read=None)
    try:
        await asyncio.to_thread(wait_until_listening, process, port, log)
        names = (FIRST_NAMES * (plan.postes // len(FIRST_NAMES) + 2))[: plan.postes + 1]
        postes = [PosteRun(Trainee(n + 1, names[n])) for n in range(plan.postes)]
        progress(f"{plan.postes} postes rejoignent la salle {code} ensemble…")
        t0 = time.perf_counter()
        await asyncio.gather(*(connect(p, base, code, timeout, sessions) for p in postes))
        for poste in postes:
            readers.append(asyncio.create_task(poste.read()))
        shown = await asyncio.gather(
            *(p.wait_for_screen(HOME_TEXT, plan.step_timeout) for p in postes))
        for poste, at in zip(postes, shown, strict=True):
            poste.first_screen = at - t0
        all_first = max(shown) - t0
        progress(f"  tous affichent l'accueil en {all_first:.2f} s")

        apps = app_processes(process.pid)
        seen_apps.update(apps.values())
        await asyncio.sleep(plan.settle)
        idle = room_memory(process.pid)
        # One more trainee: the room is full.
        full_status, full_page, _ = await join_with_jar(base, code, names[plan.postes], timeout)
        apps_after_full = app_processes(process.pid)
        seen_apps.update(apps_after_full.values())

        progress(f"  chacun tape le formulaire à {plan.keys_per_second:g} touches/s…")
        together = Together(plan.postes)
        drivers = [asyncio.create_task(drive_poste(p, plan, together)) for p in postes]
        waiting = asyncio.create_task(together.all_typed.wait())
        try:
            pending = {waiting, *drivers}
            while waiting in pending:  # a poste that fails stops the run at once
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    task.result()
            progress("  tous valident ensemble…")
            pressed = time.perf_counter()
            together.valider.set()
            # Every poste's outcome, those that never showed the finalisation page included.
            outcomes = await asyncio.gather(*drivers, return_exceptions=True)
        finally:
            waiting.cancel()
            for task in drivers:
                task.cancel()
            await asyncio.gather(*drivers, return_exceptions=True)
        failures = [str(o) for o in outcomes if isinstance(o, BaseException)]
        for failure in failures[:1]:
            progress(f"  échec : {failure}")
        done = [p for p in postes if p.registered_after is not None]
        all_registered = max((p.submitted_at + (p.registered_after or 0.0) for p in done),
                             default=pressed) - pressed
        progress(f"  {len(done)} inscriptions affichées sur {plan.postes}, la dernière en "
                 f"{all_registered:.2f} s")
        await asyncio.sleep(plan.settle)
        registered = room_memory(process.pid)
        seen_apps.update(app_processes(process.pid).values())
        by_name = await asyncio.to_thread(postes_by_name, db, room_id)
        for poste in postes:
            poste.poste_id = by_name.get(poste.trainee.first_name)
        return RoomRun(
            plan=plan, postes=postes, room_id=room_id, code=code, db=db,
            server_pid=process.pid, all_first_screens=all_first, all_registered=all_registered,
            idle_memory=idle, registered_memory=registered, full_status=full_status,
            full_text=full_page, apps_before_full=apps, apps_after_full=apps_after_full,
            duration=time.perf_counter() - started, failures=failures,
        )
    finally:
        for session in sessions:
            with contextlib.suppress(Exception):
                await session.close()
        for reader in readers:
            reader.cancel()
        await asyncio.gather(*readers, return_exceptions=True)
        if process.poll() is None:
            seen_apps.update(app_processes(process.pid).values())
        await asyncio.to_thread(stop_server, process, iter(sorted(seen_apps)), db)


def summary(run: RoomRun) -> dict[str, Any]:
    """The run's figures, in seconds and MiB."""
    mib = 1024 * 1024
    idle = run.idle_memory
    all_latencies = [x for p in run.postes for x in p.latencies]
    return {
        "postes": run.plan.postes,
        "first_screen_all": run.all_first_screens,
        "first_screen_median": statistics.median(p.first_screen or 0 for p in run.postes),
        "key_p90_worst_poste": max(run.p90_per_poste()),
        "key_p90_median_poste": statistics.median(run.p90_per_poste()),
        "key_median": statistics.median(all_latencies),
        "key_max": max(all_latencies),
        "keys": len(all_latencies),
        "typing_median": statistics.median(p.typing for p in run.postes),
        "keys_without_frame": sum(p.keys_without_frame for p in run.postes),
        "clicks_without_frame": sum(p.clicks_without_frame for p in run.postes),
        "choices_again": sum(p.choices_again for p in run.postes),
        "fields_again": sum(p.fields_again for p in run.postes),
        "registered_all": run.all_registered,
        "registered_median": statistics.median(
            [p.registered_after for p in run.postes if p.registered_after is not None] or [0]),
        "registered_count": sum(p.registered_after is not None for p in run.postes),
        "idle_rss_median": statistics.median(r for r, _ in idle.postes.values()) / mib,
        "idle_pss_median": statistics.median(p for _, p in idle.postes.values()) / mib,
        "idle_pss_max": max(p for _, p in idle.postes.values()) / mib,
        "idle_total_pss": idle.total_pss / mib,
        "idle_server_pss": idle.server[1] / mib,
        "idle_others_pss": sum(p for _, p in idle.others) / mib,
        "idle_cpu_median": statistics.median(idle.cpu.values()),
        "idle_cpu_total": sum(idle.cpu.values()),
        "registered_cpu_total": sum(run.registered_memory.cpu.values()),
        "registered_pss_median": statistics.median(
            p for _, p in run.registered_memory.postes.values()) / mib,
        "registered_total_pss": run.registered_memory.total_pss / mib,
        "full_status": run.full_status,
        "duration": run.duration,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Une salle de formation sous charge.")
    parser.add_argument("--postes", type=int, default=30)
    parser.add_argument("--touches-par-seconde", type=float, default=5.0)
    args = parser.parse_args(argv)
    plan = Plan(postes=args.postes, keys_per_second=args.touches_par_seconde)
    with tempfile.TemporaryDirectory(prefix="ensap-salle-") as folder:
        run = asyncio.run(run_room(plan, Path(folder)))
        accounts = registered_accounts(run.db)
    print(json.dumps({**summary(run), "accounts": len(accounts)}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
