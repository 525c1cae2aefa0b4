"""``ensap-tui scenario jouer``: the player driving the real app under Pilot: characters one by
one, the caption bar, the pauses that wait for a key, Escape that gives the keyboard back; and
a scenario that draws its NIR replays on the same database."""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Input

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.bootstrap import Settings
from ensap_tui.scenarios.format import Scenario, load, parse
from ensap_tui.scenarios.player import CaptionBar, PauseScreen, Player
from ensap_tui.scenarios.runner import Runner
from ensap_tui.scenarios.verifier import VERIFY_AT
from ensap_tui.ui.app import EnsapApp, create_app

ROOT = Path(__file__).resolve().parents[2]


def demo_app(db_path: Path) -> EnsapApp:
    return create_app(db_path, clock=FixedClock(VERIFY_AT),
                      settings=Settings.for_tests().demo_mode())


def scenario(body: str) -> Scenario:
    return parse('format = 1\ntitre = "Démo"\n' + textwrap.dedent(body), "demo.toml")


async def until(pilot: Pilot[Any], condition: Callable[[], bool]) -> None:
    for _ in range(2000):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("the condition never held")


def paused(app: EnsapApp) -> bool:
    """True once the pause box is shown (composed, not only pushed)."""
    return isinstance(app.screen, PauseScreen) and bool(app.screen.query("#pause-legende"))


def caption(app: EnsapApp) -> str:
    bars = app.screen.query(CaptionBar)
    return str(bars.first().render()) if bars else ""


TYPING = """
    [[etapes]]
    ouvrir = "connexion"
    legende = "On ouvre la connexion."
    [[etapes]]
    saisir = "#identifiant"
    texte = "1 85 05 75 115 123 64"
    legende = "Le NIR, caractère par caractère."
    [[etapes]]
    pause = "Une pause pour la salle."
    [[etapes]]
    verifier_ecran = "connexion"
"""


async def test_the_player_types_one_character_at_a_time_and_waits_at_a_pause(
    db_path: Path,
) -> None:
    values: list[str] = []

    def hook(message: Message) -> None:
        if isinstance(message, Input.Changed) and message.input.id == "identifiant":
            values.append(message.value)

    app = demo_app(db_path)
    async with app.run_test(size=(100, 32), message_hook=hook) as pilot:
        player = Player(scenario(TYPING), speed=20)
        task = asyncio.create_task(player(pilot))
        await until(pilot, lambda: paused(app))
        assert "Une pause pour la salle." in str(app.screen.query_one("#pause-legende").render())
        # Waits for the trainer: nothing moves while no key is pressed.
        await pilot.pause(0.2)
        assert isinstance(app.screen, PauseScreen) and not task.done()
        await pilot.press("space")
        await asyncio.wait_for(task, timeout=30)
        assert player.result == "fini"
        assert "Fin du scénario « Démo »" in caption(app)
    typed = "1 85 05 75 115 123 64"
    # Each character arrived on its own, in order (the field may lay the digits out).
    digits = [value.replace(" ", "") for value in values if value]
    assert digits[-1] == typed.replace(" ", "")
    assert len({len(d) for d in digits}) == len(typed.replace(" ", ""))


async def test_the_caption_bar_shows_each_step_s_caption(db_path: Path) -> None:
    app = demo_app(db_path)
    async with app.run_test(size=(100, 32)) as pilot:
        player = Player(scenario(TYPING), speed=1)
        task = asyncio.create_task(player(pilot))
        await until(pilot, lambda: "Le NIR, caractère par caractère." in caption(app))
        assert caption(app).startswith("2/4")
        assert "Échap" in caption(app)
        await pilot.press("escape")
        await asyncio.wait_for(task, timeout=30)


async def test_escape_gives_the_keyboard_back_where_the_scenario_was(db_path: Path) -> None:
    app = demo_app(db_path)
    async with app.run_test(size=(100, 32)) as pilot:
        player = Player(scenario(TYPING), speed=0.5)  # slow: Escape comes while it types
        task = asyncio.create_task(player(pilot))
        field: list[Input] = []

        def typing() -> bool:
            found = app.screen.query("#identifiant")
            if found and isinstance(found.first(), Input) and found.first(Input).value:
                field.append(found.first(Input))
                return True
            return False

        await until(pilot, typing)
        await pilot.press("escape")
        await asyncio.wait_for(task, timeout=30)
        assert player.result == "interrompu"
        assert "vous avez la main" in caption(app)
        typed_then = field[0].value
        assert len(typed_then.replace(" ", "")) < 15  # stopped before the end
        await pilot.pause(0.3)
        assert field[0].value == typed_then  # and nothing more is typed
        # Still on the sign-in screen; Escape is the app's again: back to the home page.
        assert app.screen.query("#acceder")
        await pilot.press("escape")
        await until(pilot, lambda: bool(app.screen.query("#espace-assistance")))


async def test_escape_during_a_pause_stops_the_scenario(db_path: Path) -> None:
    app = demo_app(db_path)
    async with app.run_test(size=(100, 32)) as pilot:
        player = Player(scenario(TYPING), speed=20)
        task = asyncio.create_task(player(pilot))
        await until(pilot, lambda: paused(app))
        await pilot.press("escape")
        await asyncio.wait_for(task, timeout=30)
        assert player.result == "interrompu"
        await until(pilot, lambda: not isinstance(app.screen, PauseScreen))
        assert app.screen.query("#acceder")  # the screen the pause was over


async def test_an_escape_of_the_scenario_itself_does_not_stop_it(db_path: Path) -> None:
    app = demo_app(db_path)
    async with app.run_test(size=(100, 32)) as pilot:
        player = Player(scenario("""
            [[etapes]]
            ouvrir = "connexion"
            [[etapes]]
            touche = "escape"
            legende = "Échap revient à l'accueil."
            [[etapes]]
            attendre = "accueil"
        """), speed=20)
        await asyncio.wait_for(player(pilot), timeout=30)
        assert player.result == "fini"


async def test_a_failed_step_gives_the_keyboard_back_and_says_why(db_path: Path) -> None:
    app = demo_app(db_path)
    async with app.run_test(size=(100, 32)) as pilot:
        player = Player(scenario("""
            [[etapes]]
            ouvrir = "connexion"
            [[etapes]]
            attendre = "mon-espace"
            delai = 1
        """), speed=20)
        await asyncio.wait_for(player(pilot), timeout=30)
        assert player.result == "échec : l'écran « mon-espace »"
        assert "Étape 2 impossible" in caption(app)


@pytest.mark.parametrize("name", ["parcours-complet.toml"])
async def test_a_scenario_drawing_its_nir_replays_on_the_same_database(
    db_path: Path, name: str
) -> None:
    journey = load(ROOT / "scenarios" / name)
    for _ in range(2):
        app = demo_app(db_path)
        async with app.run_test(size=(100, 40)) as pilot:
            await Runner(journey, pilot).run()


def test_playing_on_a_database_that_is_not_a_demo_one_is_refused(
    services: Any, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The help desk's database is never seeded with demo accounts by a scenario."""
    from ensap_tui.cli import main

    services.close()
    with pytest.raises(SystemExit) as exit_:
        main(["scenario", "jouer", str(ROOT / "scenarios" / "parcours-complet.toml"),
              "--db", str(db_path)])
    assert exit_.value.code == 2
    assert "démonstration" in capsys.readouterr().err
