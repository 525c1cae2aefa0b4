"""The command line parses the same with or without the sub-commands' parsers: the short path
that only opens the application gives exactly what the whole parser gives; every parser speaks
French without changing argparse for anyone else."""

from __future__ import annotations

import argparse
import gettext
import re
from typing import Any

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


def _sub_parsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction[Any]:
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def test_each_entry_of_the_table_is_a_sub_command_built_by_its_module() -> None:
    """``SUB_COMMANDS`` says, in help order, which sub-commands exist and what the command line
    shows of them; each module only builds its arguments (or its actions) and its handler."""
    from ensap_tui.commands import SUB_COMMANDS

    commands = _sub_parsers(build_parser())
    assert list(commands.choices) == [spec.name for spec in SUB_COMMANDS]
    listed = {action.dest: action.help for action in commands._choices_actions}
    for spec in SUB_COMMANDS:
        parser = commands.choices[spec.name]
        assert (listed[spec.name], parser.description) == (spec.help, spec.description)
        assert parser.get_default("handler") is not None
        assert any(action.dest == "db" for action in parser._actions)  # parents=[common]


def test_opening_the_app_imports_no_command_module() -> None:
    """Start-up: the modules of the sub-commands load only when their parsers are built."""
    import subprocess
    import sys

    code = (
        "import sys, ensap_tui.cli;"
        "ensap_tui.cli.parse_arguments(['--demo']);"
        "from ensap_tui.commands import SUB_COMMANDS;"
        "sys.exit(any('ensap_tui.commands.' + s.module in sys.modules for s in SUB_COMMANDS))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_interface_and_command_modules_the_app_opens_with_make_no_dataclass() -> None:
    """Start-up: a dataclass compiles its methods when its class is made (about half a
    millisecond each); the modules of the interface and of the command line the app opens
    with use named tuples (19 dataclasses were a tenth of the app's own start-up), and the
    command line's French error patterns are compiled only for a first error."""
    import subprocess
    import sys

    code = (
        "import sys, dataclasses, ensap_tui.cli;"
        "ensap_tui.cli.parse_arguments(['--db', 'ensap.sqlite3']);"
        "import ensap_tui.ui.app;"
        "from ensap_tui.commands.parser import _compiled;"
        "made = [f'{name}.{value.__name__}' for name, module in list(sys.modules.items())"
        " if name.startswith(('ensap_tui.ui', 'ensap_tui.commands'))"
        " for value in vars(module).values()"
        " if isinstance(value, type) and dataclasses.is_dataclass(value)"
        " and value.__module__ == name];"
        "print(made, _compiled.cache_info().currsize);"
        "sys.exit(bool(made) or _compiled.cache_info().currsize > 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(("argv", "message"), [
    (["scenario", "verifier", "s.toml", "--delai", "vite"],
     "argument --delai\u00a0: un nombre de secondes est attendu, pas 'vite'"),
    (["scenario", "verifier", "s.toml", "--delai", "0,05"],
     "argument --delai\u00a0: un nombre de secondes entre 0,1 et 600 est attendu"),
    (["scenario", "verifier", "s.toml", "--delai", "601"],
     "argument --delai\u00a0: un nombre de secondes entre 0,1 et 600 est attendu"),
    (["scenario", "jouer", "s.toml", "--vitesse", "x2"],
     "argument --vitesse\u00a0: un nombre est attendu, pas 'x2'"),
    (["scenario", "jouer", "s.toml", "--vitesse", "20.5"],
     "argument --vitesse\u00a0: une vitesse entre 0,1 et 20 est attendue"),
], ids=["delai-texte", "delai-court", "delai-long", "vitesse-texte", "vitesse-grande"])
def test_a_number_out_of_its_bounds_is_refused_in_french(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(argv)
    assert exited.value.code == 2
    assert capsys.readouterr().err.rstrip().endswith(message)


@pytest.mark.parametrize(("argv", "key", "value"), [
    (["scenario", "verifier", "s.toml", "--delai", "0,1"], "delai", 0.1),
    (["scenario", "verifier", "s.toml", "--delai", "600"], "delai", 600.0),
    (["scenario", "jouer", "s.toml", "--vitesse", "0.5"], "vitesse", 0.5),
    (["scenario", "jouer", "s.toml", "--vitesse", "20"], "vitesse", 20.0),
], ids=["delai-min", "delai-max", "vitesse-point", "vitesse-max"])
def test_a_number_within_its_bounds_is_taken(argv: list[str], key: str, value: float) -> None:
    assert getattr(build_parser().parse_args(argv), key) == value


@pytest.mark.parametrize(("group", "table"), [
    ("accounts", "accounts._READ_ACTIONS"), ("agent", "agents._FIRST_ACTIONS"),
    ("demo", "demo._ACTIONS"), ("scenario", "scenario._ACTIONS"),
])
def test_each_action_of_a_table_is_built_as_declared(group: str, table: str) -> None:
    """A group's ``ActionSpec`` table gives its actions, in order, with their help line,
    description and handler."""
    import importlib

    module_name, _, attribute = table.partition(".")
    specs = getattr(importlib.import_module(f"ensap_tui.commands.{module_name}"), attribute)
    actions = _sub_parsers(_sub_parsers(build_parser()).choices[group])
    assert list(actions.choices)[: len(specs)] == [spec.name for spec in specs]
    listed = {action.dest: action.help for action in actions._choices_actions}
    for spec in specs:
        parser = actions.choices[spec.name]
        assert (listed[spec.name], parser.description) == (spec.help, spec.description)
        assert parser.get_default("handler") is spec.handler
