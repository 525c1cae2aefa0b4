"""End to end: the real ``ensap-tui`` command in a real terminal (tmux), driven by keys.

Registration in four steps, the link read from another "terminal" with ``ensap-tui outbox``,
activation by pasting it, then sign-in to «Mon espace». Real argon2 defaults, real SQLite file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.tmux import TmuxSession
from tests.support.programs import NO_KEYRING

pytestmark = pytest.mark.e2e

NIR = "185057511512364"
PASSWORD = "Ecureuil-Vert-42"
EMAIL = "jean.dupont@example.fr"


def _command() -> list[str]:
    script = Path(sys.executable).parent / "ensap-tui"
    if not script.exists():  # pragma: no cover - the package is always installed by make
        pytest.fail("the ensap-tui command is not installed in this environment")
    return [str(script)]


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "TERM": "xterm-256color",
        # Never touch the real keyring of whoever runs the tests: the file fallback is used.
        "PYTHON_KEYRING_BACKEND": NO_KEYRING,
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "TZ": "Europe/Paris",
        # The size Textual reads first (before asking the terminal): under pytest's output
        # capture, the program in the 100×40 pane sometimes started at 80×24 (the size it falls
        # back to) and stayed so; the journey is planned for 100×40.
        "COLUMNS": "100",
        "LINES": "40",
    }


@pytest.fixture
def tmux_available() -> None:
    if shutil.which("tmux") is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is required in CI (.ci/run installs it)")
        pytest.skip("tmux is not installed: `apt-get install tmux` to run the terminal test")


def _choose(term: TmuxSession, value: str) -> None:
    """Opens the focused list, types the value to find it, picks it, and waits for it shown."""
    term.send("Enter")
    term.type(value)
    term.send("Enter")
    term.wait_for(f"{value}   ▼")  # the closed list now shows the value


def test_register_activate_and_sign_in_in_a_real_terminal(
    tmp_path: Path, tmux_available: None
) -> None:
    db = tmp_path / "ensap.sqlite3"
    env = _env(tmp_path)
    with TmuxSession([*_command(), "--db", str(db)], env=env) as term:
        term.wait_for("Bienvenue sur votre espace numérique sécurisé")
        term.send("Enter")  # «Créer mon espace» has the focus on the home page

        term.wait_for("Étape 1 sur 4 — Identité")
        term.type(NIR)
        term.send("Tab")
        term.type("Dupont")
        term.send("Tab")
        _choose(term, "14")
        term.send("Tab")
        _choose(term, "05")
        term.send("Tab")
        _choose(term, "1985")
        term.send("Tab", "Space", "Enter")  # accept the terms, then submit the step

        term.wait_for("Étape 2 sur 4 — Mot de passe")
        term.type(PASSWORD)
        screen = term.wait_for("Fort")
        assert "••••" in screen and PASSWORD not in screen  # masked while typed
        term.send("Tab", "Tab")  # past «Afficher» to the confirmation
        term.type(PASSWORD)
        term.send("Enter")

        term.wait_for("Étape 3 sur 4 — Coordonnées")
        term.type(EMAIL)
        term.send("Tab")
        term.type(EMAIL)
        term.send("Enter")

        screen = term.wait_for("Votre espace sécurisé est en cours de création", timeout=30)
        assert EMAIL in screen

        # The link, as a help-desk agent reads it from another terminal.
        outbox = subprocess.run(
            [*_command(), "--db", str(db), "outbox", "--last", "--json"],
            capture_output=True, text=True, env={**os.environ, **env}, timeout=60, check=True,
        )
        mail = json.loads(outbox.stdout)
        assert mail["destinataire"] == EMAIL
        link = mail["lien"]
        assert link.startswith("ensap-tui://activer/")

        term.send("Escape")  # Finalisation → Accueil
        term.wait_for("Bienvenue sur votre espace numérique sécurisé")
        term.send("Tab", "Tab", "Enter")  # «Activer mon espace»
        term.wait_for("Activer mon espace")
        term.type(link)
        term.send("Enter")
        term.wait_for("Votre espace sécurisé est activé")

        term.send("Escape")
        term.wait_for("Bienvenue sur votre espace numérique sécurisé")
        term.send("BTab", "Enter")  # focus came back to «Activer…»: the button above it
        term.wait_for("J'accède à mon espace sécurisé")
        term.type("1 85 05 75 115 123 64")
        term.send("Tab")
        term.type(PASSWORD)
        term.send("Enter")

        screen = term.wait_for("Bienvenue, Dupont", timeout=30)
        assert "1 85 •• •• ••• ••• 64" in screen  # the NIR is masked in the space
        assert "Première connexion" in screen
        assert term.size() == (100, 40)  # the whole journey ran at the size it was planned for

        term.send("C-q")
        assert term.wait_until_closed(), f"Ctrl+Q did not quit:\n{term.screen()}"

    assert PASSWORD.encode() not in db.read_bytes()
