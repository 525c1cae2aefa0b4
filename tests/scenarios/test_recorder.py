"""``ensap-tui scenario enregistrer``: a session under Pilot is written as a scenario (ids and
typed text, passwords as variables, a wait per new screen, a check of the last one) that then
verifies."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Select

from ensap_tui.cli import main
from ensap_tui.commands.scenario import write_atomically
from ensap_tui.scenarios.format import parse
from ensap_tui.scenarios.recorder import Recorder
from ensap_tui.scenarios.verifier import verify
from tests.scenarios.test_player import demo_app, until

ACTIF_NIR = "185037505610178"
ACTIF_PASSWORD = "Soleil#Levant24"


async def type_keys(pilot: Pilot[object], text: str) -> None:
    await pilot.press(*[("space" if c == " " else c) for c in text])


async def test_a_recorded_sign_in_verifies(db_path: Path, tmp_path: Path) -> None:
    recorder = Recorder("Connexion enregistrée")
    app = demo_app(db_path)
    recorder.attach(app)
    async with app.run_test(size=(100, 40), message_hook=recorder) as pilot:
        await pilot.click("#acceder-espace")
        await until(pilot, lambda: bool(app.screen.query("#identifiant")))
        app.screen.query_one("#identifiant").focus()
        await type_keys(pilot, ACTIF_NIR)
        await pilot.press("tab")
        await type_keys(pilot, "Faux#Mot-2026")
        await pilot.press("enter")  # a failure first
        await until(pilot, lambda: "tentative" in str(
            app.screen.query_one("#message-connexion").render()))
        app.screen.query_one("#mot-de-passe").focus()
        await type_keys(pilot, ACTIF_PASSWORD)
        await pilot.press("enter")
        await until(pilot, lambda: bool(app.screen.query("#bienvenue")))
        await pilot.pause()
    recorder.finish()
    text = recorder.toml()
    assert ACTIF_PASSWORD not in text.split("[[etapes]]", 1)[1]  # only in [variables]
    assert "Faux#Mot-2026" not in text.split("[[etapes]]", 1)[1]
    scenario = parse(text, tmp_path / "enregistre.toml")
    assert scenario.variables == {"mot_de_passe": "Faux#Mot-2026",
                                  "mot_de_passe_2": ACTIF_PASSWORD}
    steps = [(s.action, s.target, dict(s.options)) for s in scenario.steps]
    assert steps == [
        ("bouton", "acceder-espace", {}),
        ("attendre", "connexion", {}),
        ("saisir", "identifiant", {"texte": ACTIF_NIR}),
        ("saisir", "mot-de-passe", {"texte": "{mot_de_passe}"}),
        ("touche", "enter", {}),
        ("saisir", "mot-de-passe", {"texte": "{mot_de_passe_2}"}),
        ("touche", "enter", {}),
        ("verifier_ecran", "mon-espace", {}),
    ]
    outcome = await verify(scenario, tmp_path / "captures")
    assert outcome.failure is None, outcome.failure and outcome.failure.shown


async def test_a_recorded_identity_step_with_lists_and_box_verifies(
    db_path: Path, tmp_path: Path
) -> None:
    recorder = Recorder("Identité enregistrée")
    app = demo_app(db_path)
    recorder.attach(app)
    async with app.run_test(size=(100, 40), message_hook=recorder) as pilot:
        await pilot.click("#creer-espace")
        await until(pilot, lambda: bool(app.screen.query("#nir")))
        for field, text in (("#nir", "1 85 05 75 115 123 64"), ("#nom-naissance", "DUPONT")):
            app.screen.query_one(field).value = ""
            app.screen.query_one(field).focus()
            await type_keys(pilot, text)
        for list_id, value in (("#jour", "14"), ("#mois", "05"), ("#annee", "1985")):
            app.screen.query_one(list_id, Select).focus()
            await pilot.press("enter")
            await type_keys(pilot, value)
            await pilot.press("enter")
            await until(pilot, lambda lid=list_id, v=value: app.screen.query_one(
                lid, Select).value == v)
        app.screen.query_one("#cgu").focus()
        await pilot.press("space")
        await pilot.click("#continuer")
        await until(pilot, lambda: bool(app.screen.query("#confirmation-mot-de-passe")))
        await pilot.pause()
    recorder.finish()
    scenario = parse(recorder.toml(), tmp_path / "identite.toml")
    actions = [(s.action, s.target) for s in scenario.steps]
    assert ("choisir", "annee") in actions and ("cocher", "cgu") in actions
    assert actions[-2:] == [("bouton", "continuer"), ("verifier_ecran", "mot-de-passe")]
    outcome = await verify(scenario, tmp_path / "captures")
    assert outcome.failure is None, outcome.failure and outcome.failure.shown


def test_recording_never_overwrites_a_file_unless_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = tmp_path / "deja.toml"
    existing.write_text("contenu", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["scenario", "enregistrer", str(existing), "--db", str(tmp_path / "d.sqlite3")])
    assert exit_.value.code == 2
    assert "existe déjà" in capsys.readouterr().err
    assert existing.read_text(encoding="utf-8") == "contenu"
    with pytest.raises(SystemExit) as exit_:
        main(["scenario", "enregistrer", str(tmp_path / "absent" / "x.toml")])
    assert exit_.value.code == 2
    assert "n'existe pas" in capsys.readouterr().err
    assert not (tmp_path / "d.sqlite3").exists()  # refused before the app opened


def test_a_recording_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "s.toml"
    write_atomically(target, "format = 1\n")
    assert target.read_text(encoding="utf-8") == "format = 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["s.toml"]  # no temporary file left


async def test_what_the_screens_fill_in_themselves_is_not_recorded(
    db_path: Path, tmp_path: Path
) -> None:
    recorder = Recorder("Lien suivi")
    app = demo_app(db_path)
    recorder.attach(app)
    async with app.run_test(size=(100, 40), message_hook=recorder) as pilot:
        await pilot.click("#boite-reception")
        await until(pilot, lambda: bool(app.screen.query("#suivre-lien")))
        await pilot.click("#suivre-lien")
        await until(pilot, lambda: bool(app.screen.query("#activer")))
        await until(pilot, lambda: bool(str(app.screen.query_one("#message-activation").render())))
        await pilot.pause()
    recorder.finish()
    actions = [(step.action, step.value) for step in recorder.steps]
    assert actions == [("bouton", "#boite-reception"), ("attendre", "boite-reception"),
                       ("bouton", "#suivre-lien"), ("verifier_ecran", "activation")]
    outcome = await verify(parse(recorder.toml(), tmp_path / "lien.toml"), tmp_path)
    assert outcome.failure is None, outcome.failure and outcome.failure.shown
