"""The scenario format: what it accepts, and every refusal with its line and a French message,
before anything runs."""

from __future__ import annotations

import random
import re
import textwrap
from pathlib import Path

import pytest

from ensap_tui.domain.nir import parse_nir
from ensap_tui.scenarios.format import (
    ERROR_FIELDS,
    INPUT_IDS,
    KNOWN_IDS,
    SCREENS,
    ScenarioError,
    load,
    parse,
)
from ensap_tui.scenarios.runner import draw_nir

ROOT = Path(__file__).resolve().parents[2]

HEAD = 'format = 1\ntitre = "Essai"\n'


def refusal(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        parse(textwrap.dedent(text), "essai.toml")
    return caught.value


def test_a_scenario_reads_into_steps() -> None:
    scenario = parse(HEAD + textwrap.dedent("""
        [variables]
        mot_de_passe = "Soleil-Vert-42"

        [[etapes]]
        tirer_nir = "nir"
        naissance = "05/1985"

        [[etapes]]
        saisir = "#nir"
        texte = "{nir}"
        legende = "Le NIR"

        [[etapes]]
        horloge = "+24h"
    """))
    assert scenario.title == "Essai"
    assert [s.action for s in scenario.steps] == ["tirer_nir", "saisir", "horloge"]
    typing = scenario.steps[1]
    assert (typing.target, typing.options["texte"], typing.caption) == ("nir", "{nir}", "Le NIR")
    assert typing.line == 11
    assert scenario.secret_values == ("Soleil-Vert-42",)


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        # an id that is not in the tester's contract
        ('[[etapes]]\nbouton = "#bouton-inconnu"\n', 4, "identifiant inconnu « #bouton-inconnu »"),
        # a known id of the wrong kind
        ('[[etapes]]\nsaisir = "#valider"\ntexte = "x"\n', 4, "n'est pas un champ de saisie"),
        # an id without its #
        ('[[etapes]]\nbouton = "valider"\n', 4, "commençant par « # »"),
        # a key the action does not take
        ('[[etapes]]\nbouton = "#valider"\ncouleur = "rouge"\n', 5, "clé « couleur » inconnue"),
        # an unknown action
        ('[[etapes]]\ncliquer = "#valider"\n', 4, "action inconnue « cliquer »"),
        # two actions in one step
        ('[[etapes]]\nbouton = "#valider"\ntouche = "enter"\n', 5, "une seule action"),
        # a required option missing
        ('[[etapes]]\nsaisir = "#nir"\n', 3, "demande aussi la clé « texte »"),
        # malformed values
        ('[[etapes]]\nhorloge = "demain"\n', 4, "+24h"),
        ('[[etapes]]\ncocher = "#cgu"\ncoche = "oui"\n', 5, "true ou false"),
        ('[[etapes]]\nattendre = "nulle-part"\n', 4, "écran « nulle-part » inconnu"),
        ('[[etapes]]\ntouche = "entrée et plus"\n', 4, "touche « entrée et plus » incorrecte"),
        ('[[etapes]]\nsaisir = "#nir"\ntexte = 185\n', 5, "texte entre guillemets"),
        ('[[etapes]]\ntirer_nir = "nir"\nnaissance = "1985"\n', 5, "MM/AAAA"),
        ('[[etapes]]\nsuivre_lien = "oui"\n', 4, "suivre_lien = true"),
        ('[[etapes]]\nattendre = "accueil"\ndelai = 0\n', 5, "« delai »"),
        # a variable used before it is defined
        ('[[etapes]]\nsaisir = "#nir"\ntexte = "{nir}"\n', 5, "variable « {nir} » inconnue"),
        # an unknown top-level key
        ('auteur = "moi"\n[[etapes]]\npause = "x"\n', 3, "clé inconnue « auteur »"),
        # a step table with nothing to do
        ('[[etapes]]\nlegende = "rien"\n', 3, "aucune action"),
    ],
)
def test_a_bad_scenario_is_refused_with_its_line(body: str, line: int, words: str) -> None:
    error = refusal(HEAD + body)
    assert error.line == line
    assert words in error.message
    assert str(error).startswith(f"essai.toml, ligne {line} : étape") or "étape" not in words


def test_a_toml_syntax_error_names_its_line_in_french() -> None:
    error = refusal(HEAD + '[[etapes]]\npause = "non fermé\n')
    assert error.line == 4
    assert error.message.startswith("syntaxe TOML incorrecte, colonne")


def test_the_version_and_the_title_are_required() -> None:
    assert "format = 1" in refusal('titre = "x"\n[[etapes]]\npause = "x"\n').message
    assert "format 2 inconnu" in refusal('format = 2\ntitre = "x"\n').message
    assert "un titre est attendu" in refusal('format = 1\n[[etapes]]\npause = "x"\n').message
    assert "aucune étape" in refusal(HEAD).message


def test_a_variable_from_the_command_line_replaces_the_file_s() -> None:
    text = HEAD + '[variables]\nnom = "A"\n[[etapes]]\nsaisir = "#nom-naissance"\ntexte = "{nom}"\n'
    assert parse(text, overrides={"nom": "B"}).variables["nom"] == "B"


def test_a_missing_or_undecodable_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="fichier introuvable"):
        load(tmp_path / "absent.toml")
    latin = tmp_path / "latin.toml"
    latin.write_bytes('titre = "Créer"'.encode("latin-1"))
    with pytest.raises(ScenarioError, match="UTF-8"):
        load(latin)


def test_passwords_never_appear_in_a_step_s_description() -> None:
    scenario = parse(HEAD + textwrap.dedent("""
        [variables]
        mot_de_passe = "Soleil-Vert-42"
        nom = "DUPONT"
        [[etapes]]
        saisir = "#mot-de-passe"
        texte = "En clair 1"
        [[etapes]]
        saisir = "#identifiant"
        texte = "{mot_de_passe}"
        [[etapes]]
        saisir = "#nom-naissance"
        texte = "{nom}"
    """))
    lines = [step.describe(scenario.variables) for step in scenario.steps]
    assert "En clair" not in lines[0] and "Soleil" not in lines[1]
    assert lines[2] == "saisir « DUPONT » dans #nom-naissance"


def test_every_id_a_scenario_may_name_is_in_the_tester_s_contract() -> None:
    testing = (ROOT / "docs" / "TESTING.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`#([a-z0-9-]+)`", testing.split("## Ids, screen by screen")[1]))
    assert documented >= KNOWN_IDS
    named = INPUT_IDS | {i for ids in SCREENS.values() for i in ids}
    assert named <= KNOWN_IDS
    assert {f"{field}-erreur" for field in ERROR_FIELDS} - documented <= {
        f"{f}-erreur" for f in ("courriel", "confirmation-courriel", "courriel-secours",
                                "confirmation-courriel-secours", "telephone",
                                "telephone-secondaire", "mot-de-passe-actuel",
                                "agent-identifiant", "agent-mot-de-passe")
    }  # step 3's six are documented as #<field>-erreur; the others are shown the same way


def test_a_drawn_nir_is_valid_and_matches_the_birth_month() -> None:
    rng = random.Random(1)
    for _ in range(200):
        nir = draw_nir(rng, "05/1985")
        assert parse_nir(nir) == nir
        assert nir[1:5] == "8505"
    assert parse_nir(draw_nir(rng)) is not None


def test_opening_the_app_imports_nothing_of_the_scenarios() -> None:
    """Start-up speed: the command line that opens the app, and the app itself, never load
    the scenario modules (only ``ensap-tui scenario …`` does)."""
    import subprocess
    import sys

    code = (
        "import sys, ensap_tui.cli, ensap_tui.ui.app;"
        "ensap_tui.cli.parse_arguments(['--db', 'x.sqlite3']);"
        "sys.exit(any(m.startswith(('ensap_tui.scenarios', 'ensap_tui.commands.scenario'))"
        " for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False).returncode == 0


def test_the_demo_agent_s_variables_need_no_definition() -> None:
    scenario = parse(HEAD + '[[etapes]]\nsaisir = "#agent-mot-de-passe"\n'
                            'texte = "{mot_de_passe_agent_demo}"\n')
    described = scenario.steps[0].describe({})
    assert described == "saisir «\u00a0••••••••\u00a0» dans #agent-mot-de-passe"


def test_a_description_keeps_a_variable_it_does_not_know() -> None:
    scenario = parse(HEAD + '[variables]\nnom = "A"\n[[etapes]]\nverifier_texte = "{nom}"\n')
    assert scenario.steps[0].describe() == "vérifier le texte «\u00a0{nom}\u00a0»"
    assert scenario.steps[0].describe({"nom": "A"}) == "vérifier le texte «\u00a0A\u00a0»"
