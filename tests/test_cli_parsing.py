"""The command line parses the same with or without the sub-commands' parsers: the short path
that only opens the application gives exactly what the whole parser gives; every parser speaks
French without changing argparse for anyone else."""

from __future__ import annotations

import argparse
import gettext
import re

import pytest

from ensap_tui.cli import build_parser, parse_arguments, run_app
from ensap_tui.commands.parser import french_message

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


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["bogus"], "ensap-tui : erreur : argument COMMANDE : choix invalide : 'bogus' "
                    "(valeurs possibles : "),
        (["accounts", "list", "--limit", "x"], "argument --limit : "),
        (["accounts", "show"], "erreur : arguments obligatoires manquants : NIR"),
        (["outbox", "--nimporte"], "erreur : arguments non reconnus : --nimporte"),
        (["--d"], "erreur : option ambiguë : --d peut désigner --db, --demo"),
        (["accounts", "list", "--limit"], "argument --limit : une valeur est attendue"),
    ],
)
def test_argparse_speaks_french(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(argv)
    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert err.startswith("usage : ensap-tui"), err
    assert expected in err, err
    assert not re.search(r"\b(error|invalid|expected|required|unrecognized)\b", err), err


def test_the_help_is_french_in_every_parser(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--help"], ["accounts", "--help"], ["demo", "clock", "--help"]):
        with pytest.raises(SystemExit):
            build_parser().parse_args(argv)
        out = capsys.readouterr().out
        assert out.startswith("usage : "), out
        assert "affiche cette aide et quitte" in out
        assert "show this help" not in out and "positional arguments" not in out


def test_argparse_itself_is_left_alone(capsys: pytest.CaptureFixture[str]) -> None:
    """Building the French parser changes nothing for other parsers of the process."""
    build_parser()
    other = argparse.ArgumentParser(prog="autre")
    other.add_argument("--n", type=int)
    with pytest.raises(SystemExit):
        other.parse_args(["--n", "x"])
    err = capsys.readouterr().err
    assert err.startswith("usage: autre") and "autre: error: argument --n: invalid int" in err
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]


def test_an_unknown_message_is_kept_whole() -> None:
    assert french_message("something argparse may say one day") == (
        "something argparse may say one day"
    )
