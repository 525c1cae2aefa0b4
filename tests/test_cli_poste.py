"""The hidden ``--poste ID`` of the plain app (issue 12): the training room's browser server
starts each joined tab with it; a poste that does not exist, or whose room has ended, opens
nothing (a French message, exit code 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.bootstrap import Settings, open_services
from ensap_tui.cli import app_settings, build_parser, main, parse_arguments, run_app


@pytest.mark.parametrize(
    ("argv", "poste"),
    [(["--poste", "3"], 3), (["--db", "x.sqlite3", "--demo", "--poste=12"], 12),
     (["--poste", " 7 ", "--inactivite", "20"], 7)],
    ids=["3", "12-demo", "7-spaces"],
)
def test_the_option_opens_the_app_of_that_poste(argv: list[str], poste: int) -> None:
    args = parse_arguments(argv)
    assert args.handler is run_app  # the short path that only opens the application
    assert vars(args) == vars(build_parser().parse_args(argv))
    settings = app_settings(args, "--demo" in argv)
    assert settings.poste == poste
    assert settings.demo is ("--demo" in argv)


def test_without_it_there_is_no_poste() -> None:
    assert app_settings(parse_arguments([]), False).poste is None


def test_it_is_not_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "--poste" not in capsys.readouterr().out


@pytest.mark.parametrize("value", ["0", "abc", "-5", "1.5", "", "２"])
def test_a_value_that_is_no_poste_number_is_refused_in_french(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--poste", value])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "argument --poste" in err and "n'est pas un numéro de poste" in err
    assert "Traceback" not in err


def test_a_missing_poste_or_an_ended_room_opens_nothing(
    tmp_path: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "salle.sqlite3"
    trainer = open_services(db, clock=clock, settings=Settings.for_tests())
    try:
        room = trainer.room.open_room()
        poste = trainer.room.join(room.code, "Camille")
        trainer.room.end_room(room.id)
    finally:
        trainer.close()
    for number, reason in [(poste.id + 1, f"Le poste {poste.id + 1} n'existe pas"),
                           (poste.id, "est terminée")]:
        with pytest.raises(SystemExit) as exited:
            main(["--db", str(db), "--poste", str(number)])
        assert exited.value.code == 2
        err = capsys.readouterr().err
        assert reason in err and "Rejoignez la salle" in err
        assert "Traceback" not in err
