"""End to end: ``ensap-tui scenario jouer`` in a real terminal (tmux): the caption bar, a pause
that waits for a key, Escape that stops the scenario and leaves the app open."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_terminal_journey import _command, _env, tmux_available  # noqa: F401
from tests.e2e.tmux import TmuxSession

pytestmark = pytest.mark.e2e

SCENARIO = """\
format = 1
titre = "Démonstration en direct"

[variables]
mot_de_passe = "Un-Mot-De-Passe-Tres-Long-Pour-Avoir-Le-Temps-2026"

[[etapes]]
ouvrir = "connexion"
legende = "On ouvre la connexion."

[[etapes]]
saisir = "#identifiant"
texte = "1 85 03 75 056 101 78"
legende = "Le numéro de sécurité sociale."

[[etapes]]
pause = "Une pause pour la salle."

[[etapes]]
saisir = "#mot-de-passe"
texte = "{mot_de_passe}"
legende = "Un long mot de passe, tapé lentement."

[[etapes]]
bouton = "#acceder"
"""


def test_a_played_scenario_pauses_and_gives_the_keyboard_back(
    tmp_path: Path, tmux_available: None  # noqa: F811
) -> None:
    scenario = tmp_path / "demo.toml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    command = [*_command(), "scenario", "jouer", str(scenario), "--db",
               str(tmp_path / "demo.sqlite3"), "--vitesse", "0.5"]
    with TmuxSession(command, env=_env(tmp_path)) as term:
        term.wait_for("Le numéro de sécurité sociale.", timeout=60)
        term.wait_for("Une pause pour la salle.", timeout=60)
        screen = term.wait_for("Appuyez sur une touche pour continuer")
        assert "1 85 03 75 056 101 78" in screen  # typed before the pause
        term.send("Space")
        term.wait_for("Un long mot de passe, tapé lentement.")
        term.wait_for("•••")  # typing has begun
        term.send("Escape")
        screen = term.wait_for("Scénario interrompu")
        assert "J'accède à mon espace" in screen  # still there: Escape did not go back
        assert term.alive()
        term.send("C-q")
        assert term.wait_until_closed()
