"""``--inactivite MINUTES`` sets the idle sign-out of the application (issue 11, point 9)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from ensap_tui.cli import app_settings, build_parser, main, parse_arguments, run_app
from ensap_tui.ui.app import create_app

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.parametrize(
    ("argv", "minutes", "demo"),
    [
        (["--inactivite", "20"], 20, False),
        (["--inactivite=1", "--demo"], 1, True),
        (["--db", "x.sqlite3", "--inactivite", " 480 "], 480, False),
        ([], 10, False),
    ],
    ids=["20", "1-demo", "480-spaces", "default"],
)
def test_the_option_sets_the_idle_sign_out(argv: list[str], minutes: int, demo: bool) -> None:
    args = parse_arguments(argv)
    assert args.handler is run_app  # the short path that only opens the application
    assert vars(args) == vars(build_parser().parse_args(argv))
    settings = app_settings(args, demo)
    assert settings.idle_timeout == timedelta(minutes=minutes)
    assert settings.demo is demo


def test_the_application_gets_it(tmp_path: Path) -> None:
    settings = app_settings(parse_arguments(["--inactivite", "25"]), False)
    app = create_app(tmp_path / "base.sqlite3", settings=settings)
    try:
        assert app.services.idle_timeout == timedelta(minutes=25)
    finally:
        app.services.close()


@pytest.mark.parametrize("value", ["0", "481", "abc", "-5", "1.5", "", "２"])
def test_a_wrong_duration_is_refused_in_french(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--inactivite", value])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "argument --inactivite" in err
    assert "n'est pas une durée valable" in err and "de 1 à 480" in err
    assert "Traceback" not in err


def test_help_and_readme_tell_of_it(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "--inactivite MINUTES" in out and "sans activité" in out
    assert "--inactivite" in README.read_text(encoding="utf-8")


def test_the_option_belongs_to_the_application_not_to_the_commands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["outbox", "--inactivite", "5"])
    assert exited.value.code == 2
