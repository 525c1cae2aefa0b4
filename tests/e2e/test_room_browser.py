"""The training room in a real browser (issue 12, point 7): ``scripts/room_check.py`` (``make
room-check``) runs as a real program. It serves ``ensap-tui salle`` on 127.0.0.1 and drives
headless Chromium over its DevTools protocol: two browser contexts (two machines of the room)
join through the join page; A registers in the wizard, B's mailbox does not show A's mail, A's
mail is in A's mailbox and its link activates A's space, and the room's board (the services'
reading, then the trainer's board app under Pilot) shows both postes connected, A's space
active. It stops Chromium and the room by their process ids and writes
what it found to a JSON report, read here."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.programs import ROOT, program_env, stop

pytestmark = pytest.mark.e2e

SCRIPT = ROOT / "scripts" / "room_check.py"
#: Upper bound of the whole check: the script's own bounds (its waits, 10 minutes for the
#: browser part, the stops) come first; this one only turns a hang into a failure.
CHECK_SECONDS = 900


@pytest.fixture
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is required in CI (.ci/run installs it)")
        pytest.skip(
            "chromium is not installed: `apt-get install chromium` (or `make room-check`, "
            "which installs it) to run the training room's browser test"
        )
    return found


def test_two_postes_in_headless_chromium(tmp_path: Path, chromium: str) -> None:
    pictures = tmp_path / "captures"
    report_file = tmp_path / "rapport.json"
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--dossier", str(pictures), "--rapport",
         str(report_file), "--sans-installation"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        env=program_env(tmp_path), cwd=ROOT,
    )
    try:
        said, _ = process.communicate(timeout=CHECK_SECONDS)
    finally:
        stop(process)  # by its process id; it stops its room and chromium on SIGTERM
    output = said.decode("utf-8", "replace")
    assert process.returncode == 0, output
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["reussi"] is True, output

    amelie, bruno = report["tableau"]
    assert (amelie["prenom"], amelie["espace"], amelie["connecte"]) == ("Amélie", "actif", True)
    assert (bruno["prenom"], bruno["espace"], bruno["connecte"]) == (
        "Bruno", "aucun espace", True
    )
    assert bruno["ecran"] == "Boîte de réception"
    # The trainer's board itself (its app under Pilot on the room's database) says the same.
    assert [(line["poste"], line["connecte"], line["espace"])
            for line in report["tableau_du_formateur"]] == [
        ("Amélie", "● oui", "actif"), ("Bruno", "● oui", "aucun espace")
    ]
    # The keys a browser leaves to the page reach the app; the check also says whether the
    # terminal's keys (F1, Ctrl+P, F6, F7) came through this headless Chromium.
    keys = report["touches"]
    assert keys["Ctrl+G"] and keys["Ctrl+O"] and keys["F3"] and keys["F4"], keys
    assert {"F1", "Ctrl+P", "F6", "F7"} <= set(keys)
    for name in ("salle-poste-a.png", "salle-poste-b.png"):
        assert (pictures / name).read_bytes().startswith(b"\x89PNG"), name
