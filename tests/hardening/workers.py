"""A separate program for the hardening tests: ``python workers.py ACTION JSON``.

Each action opens the real services on a real database (cheap argon2, as ``Settings.for_tests()``):
a file (secret beside it) or, with ``engine`` "postgresql", a server's database (secret in
``secret_file``), and prints its answer as one JSON line.
With ``go`` and ``ready`` paths, it creates ``ready`` once the database is open and waits for
``go`` to exist, so that several workers act at the same instant.
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ensap_tui.services.container import Services
from ensap_tui.services.ports import StoreBusyError, StoreError
from tests.hardening.support import PASSWORDS, WRONG_PASSWORD, person
from tests.support.engines import Database


def _wait_for_go(params: dict[str, Any]) -> None:
    if params.get("ready"):
        Path(params["ready"]).touch()
    if params.get("go"):
        go = Path(params["go"])
        deadline = time.monotonic() + 120
        while not go.exists():
            if time.monotonic() > deadline:
                raise SystemExit("never told to go")
            time.sleep(0.0005)


def _open(params: dict[str, Any]) -> Services:
    # ``db`` is a SQLite file's path or, with ``engine`` "postgresql", a server's URL.
    return Database.from_params(params).open_services()


def _latest_link(services: Services, nir: str, kind: str) -> str | None:
    for message in services.mailbox.messages(limit=10_000):
        if message.nir == nir and message.kind == kind and message.link:
            return message.link
    return None


def register(services: Services, params: dict[str, Any]) -> Any:
    """Registers person ``number`` with password ``password``."""
    who = person(params["number"])
    services.registration.register(who.request(params.get("password", PASSWORDS[0])))
    return "ok"


def activate(services: Services, params: dict[str, Any]) -> Any:
    return services.activation.activate(params["link"]).value


def reset(services: Services, params: dict[str, Any]) -> Any:
    password = params["password"]
    return services.recovery.reset_password(params["link"], password, password).value


def fail(services: Services, params: dict[str, Any]) -> Any:
    """``attempts`` sign-ins with a wrong password; the statuses and attempts left."""
    results = []
    for _ in range(params["attempts"]):
        result = services.sign_in.sign_in(params["nir"], WRONG_PASSWORD)
        results.append([result.status.value, result.attempts_left])
    return results


def register_during_lock(services: Services, params: dict[str, Any]) -> Any:
    """A registration attempted while another program holds the database: what it gave."""
    try:
        register(services, params)
    except StoreBusyError as error:
        return {"outcome": "busy", "message": str(error)}
    except StoreError as error:
        return {"outcome": "error", "message": str(error)}
    return {"outcome": "ok", "message": ""}


def crash_loop(services: Services, params: dict[str, Any]) -> Any:
    """Registers, activates, resets and signs in one new person after another until killed.

    Prints ``started`` first, then ``registered`` after each first registration; numbers start
    at ``first``. A random mix of extra steps (a second
    registration of the same NIR, a second activation link, a failed sign-in) varies where the
    kill lands.
    """
    rng = random.Random(params["seed"])
    print("started", flush=True)
    number = params["first"]
    while True:
        who = person(number)
        number += 1
        password = rng.choice(PASSWORDS)
        services.registration.register(who.request(password))
        # The test waits for this line (a condition, not a delay) before it picks its instant.
        print("registered", flush=True)
        if rng.random() < 0.3:
            services.registration.register(who.request(rng.choice(PASSWORDS)))
        if rng.random() < 0.3:
            services.activation.resend_activation(who.nir, actor="essai")
        link = _latest_link(services, who.nir, "activation")
        if link is None or rng.random() < 0.2:
            continue  # leave this one pending
        services.activation.activate(link)
        if rng.random() < 0.3:
            services.sign_in.sign_in(who.nir, WRONG_PASSWORD)
        services.recovery.request_reset(who.nir)
        reset_link = _latest_link(services, who.nir, "reset")
        if reset_link is None:
            continue
        new_password = rng.choice([p for p in PASSWORDS if p != password])
        services.recovery.reset_password(reset_link, new_password, new_password)
        services.sign_in.sign_in(who.nir, new_password)


class _Stopped(Exception):
    """The test asked the loop to end (its ``stop`` file exists) or its time is up."""


def restart_loop(services: Services, params: dict[str, Any]) -> Any:
    """Registers, activates and signs in one new person after another (numbers from
    ``first``), printing one JSON line per step the services confirmed (``{"step":
    "registered" | "activated" | "signed-in", "nir": ...}``) and one per step the store refused
    (``{"error": message, "step": ...}``); a refused step is tried again, as a user would after
    the message. Ends when the file ``stop`` exists or after ``seconds``, with the number of
    people done.
    """
    stop = Path(params["stop"])
    deadline = time.monotonic() + params["seconds"]

    def emit(line: dict[str, Any]) -> None:
        print(json.dumps(line), flush=True)

    def attempt(step: str, action: Any) -> Any:
        while True:
            if stop.exists() or time.monotonic() > deadline:
                raise _Stopped
            try:
                return action()
            except (StoreError, StoreBusyError) as error:
                emit({"error": str(error), "step": step})
                # Pacing of the retries while the server is away (bounded by the deadline).
                time.sleep(0.05)

    done = 0
    number = params["first"]
    try:
        while True:
            who = person(number)
            number += 1
            attempt("register", lambda who=who: services.registration.register(who.request()))
            emit({"step": "registered", "nir": who.nir})
            link = attempt("mailbox", lambda who=who: _latest_link(services, who.nir,
                                                                    "activation"))
            outcome = attempt("activate", lambda link=link: services.activation.activate(link))
            # "already-used": an attempt cut off by the stop had committed the activation.
            assert outcome.value in {"activated", "already-used"}, outcome
            emit({"step": "activated", "nir": who.nir})
            result = attempt("sign-in", lambda who=who: services.sign_in.sign_in(
                who.nir, PASSWORDS[0]))
            assert result.status.value == "signed-in", result
            emit({"step": "signed-in", "nir": who.nir})
            done += 1
    except _Stopped:
        return {"done": done}


def hold_lock(params: dict[str, Any]) -> Any:
    """Holds the database for ``seconds`` (or until ``release`` exists), with a write lock
    (``mode`` "immediate": readers go on) or an exclusive one (``mode`` "exclusive": nobody
    reads either), having written a row it commits at the end."""
    conn = sqlite3.connect(params["db"], isolation_level=None, timeout=30)
    if params["mode"] == "exclusive":
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
    else:
        conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT INTO events (at, kind, detail) VALUES ('2026-11-26T13:02:00.000000Z', "
        "'verrou-externe', 'écrit par un autre programme')"
    )
    if params.get("ready"):
        Path(params["ready"]).touch()
    release = Path(params["release"])
    started = time.monotonic()
    while time.monotonic() - started < params["seconds"] and not release.exists():
        time.sleep(0.01)
    held = time.monotonic() - started
    conn.execute("COMMIT")
    conn.close()
    return {"held": held}


ACTIONS = {
    "register": register,
    "activate": activate,
    "reset": reset,
    "fail": fail,
    "register-during-lock": register_during_lock,
    "crash-loop": crash_loop,
    "restart-loop": restart_loop,
}


def main() -> None:
    action, raw = sys.argv[1], sys.argv[2]
    params: dict[str, Any] = json.loads(raw)
    if action == "hold-lock":
        print(json.dumps(hold_lock(params)), flush=True)
        return
    services = _open(params)
    try:
        _wait_for_go(params)
        answer = ACTIONS[action](services, params)
    finally:
        services.close()
    print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
