"""A small training room under load (issue 12, point 6), through the load driver the
benchmark uses (``scripts/room_load.py``): four postes join one room together over HTTP and
WebSockets (the room's real server, a real subprocess on 127.0.0.1, stopped by its process
id), each types its way through the wizard, all press «Valider et Continuer» at the same
moment and see the finalisation page; then every registration is stored exactly once with its
poste, each poste's mailbox holds only its own mail, and one trainee too many gets the French
«Salle complète» page and no app. No assertion on speed: the driver waits for what each
screen shows, within generous bounds."""

from __future__ import annotations

import asyncio
import dataclasses
import importlib.util
import os
import sqlite3
import sys
from pathlib import Path
from types import ModuleType

import pytest

from ensap_tui.bootstrap import Settings, open_services
from tests.support.programs import ROOT, program_env


def _script(name: str) -> ModuleType:
    """A script of ``scripts/`` as a module (they are not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


room_load = _script("room_load")

pytestmark = pytest.mark.skipif(
    not Path(f"/proc/{os.getpid()}/smaps_rollup").exists(), reason="no /proc here"
)

POSTES = 4


def test_a_small_room_joins_types_and_registers_at_once(tmp_path: Path) -> None:
    plan = room_load.Plan(
        postes=POSTES, keys_per_second=10.0, phone=False, settle=0.0, compile=False,
        step_timeout=240.0, frame_timeout=60.0, total_timeout=900.0,
    )
    run = asyncio.run(room_load.run_room(
        plan, tmp_path, progress=lambda _line: None, env=program_env(tmp_path)
    ))

    # Everyone joined, typed, and saw the finalisation page after the common «Valider».
    assert len(run.postes) == POSTES
    for poste in run.postes:
        assert poste.first_screen is not None
        assert poste.registered_after is not None
        assert room_load.DONE_TEXT in poste.terminal.text()
        assert poste.trainee.email in poste.terminal.text()  # the address the mail went to
        assert poste.latencies and poste.keys_without_frame == 0
        assert poste.clicks_without_frame == 0  # each click showed (a field focused…)
    poste_ids = {poste.poste_id for poste in run.postes}
    assert None not in poste_ids and len(poste_ids) == POSTES

    # Each registration stored exactly once, with the poste it was typed on.
    stored = room_load.registered_accounts(run.db)
    expected = sorted((p.trainee.nir, p.poste_id) for p in run.postes)
    assert sorted(stored) == expected

    # Each poste's mailbox (the services scoped to it, as its app reads it) holds its own mail
    # only: the demo database's own mails and the other postes' are not there.
    conn = sqlite3.connect(run.db)
    try:
        demo_mails = conn.execute("SELECT count(*) FROM outbox WHERE poste_id IS NULL").fetchone()
    finally:
        conn.close()
    assert demo_mails[0] > 0  # so that leaving them out means something
    for poste in run.postes:
        settings = dataclasses.replace(Settings().demo_mode(), poste=poste.poste_id)
        services = open_services(run.db, settings=settings)
        try:
            mails = services.mailbox.messages()
        finally:
            services.close()
        assert [mail.recipient for mail in mails] == [poste.trainee.email], poste.trainee

    # One trainee too many: the French page, and no new app.
    assert run.full_status == 503
    assert "Salle complète" in run.full_text and '<html lang="fr">' in run.full_text
    assert f"au plus {POSTES}\u00a0postes" in run.full_text or f"au plus {POSTES} postes" in (
        run.full_text
    )
    assert len(run.apps_before_full) == POSTES
    assert run.apps_after_full == run.apps_before_full

    # The server and every app it started have stopped.
    assert not Path(f"/proc/{run.server_pid}").exists() or _is_zombie(run.server_pid)
    for pid in run.apps_before_full.values():
        assert not Path(f"/proc/{pid}").exists() or _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_the_driver_knows_the_notices_of_a_failed_registration() -> None:
    # After «Valider», a notice instead of the finalisation page (a busy database…) stops the
    # poste's wait with the notice's words: it goes away after 10 s, and the screen left then
    # (step 3, filled, no error) read as a lost key.
    from ensap_tui.ui import failures

    said = (failures.BUSY, failures.UNAVAILABLE, failures.UNEXPECTED)
    for text in room_load.TROUBLE_TEXTS:
        assert any(sentence.startswith(text) for sentence in said), text
    terminal = room_load.Terminal(room_load.WIDTH, room_load.HEIGHT)
    terminal.feed("\x1b[2;1HÉtape 3 sur 4\x1b[30;40H▌ La base de données est occupée par un autre"
                  " programme :".encode())
    screen = terminal.text()
    assert room_load.trouble(screen) == (
        "La base de données est occupée par un autre programme :")
    assert room_load.trouble(screen.replace("occupée", "libre")) == ""


def test_the_driver_reads_the_screen_textual_writes() -> None:
    # What a poste "shows" is read from these cells: a span after a cursor move, clipped at the
    # right edge, later spans over earlier ones, and line breaks inside a span.
    terminal = room_load.Terminal(10, 3)
    terminal.feed(b"\x1b[1;1H\x1b[1mBonjour\x1b[0m\x1b[1;4Hsoir\x1b[2;8Htrop long")
    terminal.feed("\x1b[3;1Hé\r\nà\x1b[3;3H\x07x".encode())
    assert terminal.text().splitlines() == ["Bonsoir", "       tro", "à x"]
