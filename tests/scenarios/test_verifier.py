"""``ensap-tui scenario verifier``: the shipped scenarios pass; a broken one fails at its step
with what was expected, what the screen showed and an SVG capture; a refused one runs nothing."""

from __future__ import annotations

import html
import textwrap
from pathlib import Path
from xml.etree import ElementTree

import pytest

from ensap_tui.cli import main
from ensap_tui.scenarios.format import load
from ensap_tui.scenarios.verifier import failure_report, verify

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "scenarios").glob("*.toml"))


def test_scenarios_are_shipped() -> None:
    assert len(SHIPPED) >= 1


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
async def test_every_shipped_scenario_verifies(path: Path, tmp_path: Path) -> None:
    outcome = await verify(load(path), tmp_path)
    assert outcome.failure is None, str(outcome.failure and (outcome.failure.expected,
                                                              outcome.failure.shown))
    assert outcome.steps_done == len(outcome.scenario.steps)
    assert not list(tmp_path.iterdir())  # no capture when nothing failed


BROKEN = """\
format = 1
titre = "Cassé exprès"

[[etapes]]
ouvrir = "connexion"

[[etapes]]
saisir = "#identifiant"
texte = "1 85 05 75 115 123 64"

[[etapes]]
verifier_texte = "Texte que cet écran n'affiche pas"
dans = "#message-connexion"
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_broken_scenario_fails_at_its_step_with_a_capture(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = write(tmp_path, "casse.toml", BROKEN)
    captures = tmp_path / "captures"
    report = tmp_path / "rapport.xml"
    code = main(["scenario", "verifier", str(broken), "--captures", str(captures), "--junit",
                 str(report), "--delai", "4"])
    assert code == 1
    err = capsys.readouterr().err
    assert "échec du scénario « Cassé exprès »" in err
    assert "étape 3 (ligne 11) : vérifier le texte « Texte que cet écran n'affiche pas »" in err
    assert "attendu : le texte « Texte que cet écran n'affiche pas » dans #message-connexion" in err
    assert "à l'écran : #message-connexion" in err and "écran « connexion »" in err
    capture = captures / "casse-etape-3.svg"
    assert f"capture : {capture}" in err
    svg = capture.read_text(encoding="utf-8")
    assert svg.startswith("<svg")
    assert "Cassé exprès — étape 3" in html.unescape(svg).replace("\xa0", " ")
    case = ElementTree.parse(report).getroot().find("testcase")
    assert case is not None and case.get("name") == "Cassé exprès"
    failure = case.find("failure")
    assert failure is not None and "étape 3" in (failure.get("message") or "")


def test_a_refused_scenario_stops_everything_before_it_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, "bon.toml", BROKEN)
    bad = write(tmp_path, "mauvais.toml", 'format = 1\ntitre = "x"\n[[etapes]]\nbouton = "#nope"\n')
    with pytest.raises(SystemExit) as exit_:
        main(["scenario", "verifier", str(good), str(bad), "--captures", str(tmp_path / "c")])
    assert exit_.value.code == 2
    out, err = capsys.readouterr()
    assert f"scénario refusé : {bad}, ligne 4 : étape 1 : identifiant inconnu « #nope »" in err
    assert out == "" and not (tmp_path / "c").exists()  # the good one did not run either


def test_passing_scenarios_say_so_and_write_a_junit_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small = write(tmp_path, "petit.toml", """\
        format = 1
        titre = "Petit"
        [variables]
        mot_de_passe = "Secret#Tres-Long-99"
        [[etapes]]
        ouvrir = "connexion"
        [[etapes]]
        saisir = "#mot-de-passe"
        texte = "{mot_de_passe}"
        [[etapes]]
        verifier_ecran = "connexion"
    """)
    report = tmp_path / "r.xml"
    assert main(["scenario", "verifier", str(small), "--junit", str(report), "--detail",
                 "--taille", "80x24"]) == 0
    out = capsys.readouterr().out
    assert "réussi : Petit" in out and "1 scénario vérifié, aucun échec." in out
    assert "Secret#" not in out and "saisir « •••••••• » dans #mot-de-passe" in out
    root = ElementTree.parse(report).getroot()
    assert (root.get("tests"), root.get("failures")) == ("1", "0")


ERRORS = """\
format = 1
titre = "Erreurs"
[[etapes]]
ouvrir = "creation"
[[etapes]]
saisir = "#nir"
texte = "1 85 05"
[[etapes]]
bouton = "#continuer"
[[etapes]]
verifier_erreur = "#nir"
texte = "15"
[[etapes]]
verifier_erreur = "#cgu"
[[etapes]]
verifier_erreur = "#nom-naissance"
texte = "Texte que ce message ne contient pas"
"""


async def test_field_errors_are_checked_and_a_wrong_one_says_what_it_read(
    tmp_path: Path,
) -> None:
    scenario = load(write(tmp_path, "erreurs.toml", ERRORS))
    outcome = await verify(scenario, tmp_path, budget=4)
    assert outcome.failure is not None and outcome.failure.step.number == 6
    assert outcome.steps_done == 5  # the NIR's and the box's errors were there
    assert outcome.failure.expected == (
        "une erreur sous #nom-naissance contenant «\u00a0Texte que ce message ne contient "
        "pas\u00a0»"
    )
    assert outcome.failure.shown == (
        "#nom-naissance-erreur\u00a0: «\u00a0✖ Saisissez votre nom de naissance.\u00a0»"
    )


def test_playing_a_refused_scenario_opens_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(tmp_path, "mauvais.toml", 'format = 1\ntitre = "x"\n[[etapes]]\npause = 3\n')
    with pytest.raises(SystemExit) as exit_:
        main(["scenario", "jouer", str(bad), "--db", str(tmp_path / "demo.sqlite3")])
    assert exit_.value.code == 2
    assert "ligne 4 : étape 1 : «\u00a0pause\u00a0» doit être un texte" in capsys.readouterr().err
    assert not (tmp_path / "demo.sqlite3").exists()


@pytest.mark.parametrize("size", ["80", "80x", "20x10", "huitxvingt"])
def test_a_bad_terminal_size_is_refused_in_french(
    size: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["scenario", "verifier", "x.toml", "--taille", size])
    assert exit_.value.code == 2
    assert "taille" in capsys.readouterr().err


async def test_a_failure_report_never_shows_a_password(tmp_path: Path) -> None:
    leaky = write(tmp_path, "fuite.toml", """\
        format = 1
        titre = "Fuite"
        [variables]
        mot_de_passe = "Secret#Tres-Long-99"
        [[etapes]]
        ouvrir = "connexion"
        [[etapes]]
        saisir = "#identifiant"
        texte = "{mot_de_passe}"
        [[etapes]]
        verifier_texte = "{mot_de_passe} absent"
    """)
    outcome = await verify(load(leaky), tmp_path, budget=4)
    assert outcome.failure is not None
    report = failure_report(outcome)
    assert "Secret#" not in report
    assert "••••••••" in outcome.failure.expected
