"""The command line parses the same with or without the sub-commands' parsers: the short path
that only opens the application gives exactly what the whole parser gives."""

from __future__ import annotations

import pytest

from ensap_tui.cli import build_parser, parse_arguments, run_app

APP_ONLY = [[], ["--demo"], ["--db", "x.sqlite3"], ["--db=x.sqlite3", "--demo"],
            ["--demo", "--db", "outbox"]]
WITH_COMMANDS = [["outbox"], ["--db", "x.sqlite3", "outbox", "--last"],
                 ["accounts", "list"], ["--demo", "demo", "clock", "+24h"]]


@pytest.mark.parametrize("argv", APP_ONLY + WITH_COMMANDS, ids=" ".join)
def test_the_short_path_parses_as_the_whole_parser(argv: list[str]) -> None:
    assert vars(parse_arguments(argv)) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", APP_ONLY, ids=" ".join)
def test_options_alone_open_the_application(argv: list[str]) -> None:
    assert parse_arguments(argv).handler is run_app


@pytest.mark.parametrize("argv", [["--db"], ["inconnue"], ["--version"]], ids=" ".join)
def test_anything_else_goes_to_the_whole_parser(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        parse_arguments(argv)
    out, err = capsys.readouterr()
    if argv == ["--version"]:
        assert exited.value.code == 0 and out.startswith("ensap-tui ")
    else:
        assert exited.value.code == 2
        assert "erreur" in err and "COMMANDE" in err  # the whole parser's usage line
