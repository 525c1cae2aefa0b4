"""Issue 11, points 14 and 15: every command that reports a result accepts ``--json`` and prints
the shape the README documents; tables written to a pipe or a file are never cut to 80 columns.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ensap_tui.bootstrap import Settings, open_services
from ensap_tui.cli import build_parser, main
from tests.support.accounts import active_person, block, register
from tests.support.demo import demo_settings
from tests.support.people import (
    AGENT,
    AGENT_PASSWORD,
    NIR,
    OTHER_NIR,
    OTHER_REQUEST,
    request,
)
from tests.support.programs import program_env, run_cli

#: Commands that do something other than report (``serve`` and ``salle`` serve until stopped;
#: ``scenario jouer`` and ``scenario enregistrer`` give the terminal to the app), or report in a
#: format of their own (``scenario verifier --junit``: JUnit XML for CI).
NOT_REPORTING = {
    ("serve",),
    ("salle",),
    ("scenario", "jouer"),
    ("scenario", "enregistrer"),
    ("scenario", "verifier"),
}


def leaf_commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[
    tuple[tuple[str, ...], argparse.ArgumentParser]
]:
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subparsers:
        yield path, parser
        return
    for action in subparsers:
        for name, sub in action.choices.items():
            yield from leaf_commands(sub, (*path, name))


def test_every_reporting_command_accepts_json() -> None:
    leaves = dict(leaf_commands(build_parser()))
    assert len(leaves) >= 15
    missing = [
        " ".join(path) for path, parser in leaves.items()
        if path not in NOT_REPORTING
        and not any("--json" in a.option_strings for a in parser._actions)
    ]
    assert missing == []


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A pending space (NIR), an active blocked one (OTHER_NIR) and the agent AGENT."""
    path = tmp_path / "base" / "ensap.sqlite3"
    services = open_services(path, settings=Settings.for_tests())
    try:
        register(services)
        active_person(services, OTHER_REQUEST)
        block(services, OTHER_NIR)
        services.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD)
    finally:
        services.close()
    return path


def run_json(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> Any:
    try:
        code = main(["--db", str(db), *argv, "--json"])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def test_the_help_desk_actions_report_in_json(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    assert run_json(capsys, db, "accounts", "unlock", OTHER_NIR) == {
        "nir": OTHER_NIR, "etait_bloque": True,
    }
    assert run_json(capsys, db, "accounts", "unlock", OTHER_NIR) == {
        "nir": OTHER_NIR, "etait_bloque": False,
    }
    assert run_json(capsys, db, "accounts", "resend", NIR) == {
        "nir": NIR, "destinataire": "jean.dupont@example.fr",
    }
    assert run_json(capsys, db, "accounts", "delete", NIR, "--yes") == {
        "nir": NIR, "supprime": True,
    }
    monkeypatch.setattr(sys, "stdin", io.StringIO("Guichet#Second2026\nGuichet#Second2026\n"))
    assert run_json(capsys, db, "agent", "add", "dominique") == {"nom": "dominique"}
    assert run_json(capsys, db, "agent", "unlock", "dominique") == {
        "nom": "dominique", "etait_bloque": False,
    }
    assert run_json(capsys, db, "agent", "remove", "dominique") == {
        "nom": "dominique", "supprime": True,
    }


def test_the_demo_commands_report_in_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "formation" / "demo.sqlite3"
    open_services(db, settings=demo_settings()).close()
    listed = run_json(capsys, db, "demo", "accounts")
    assert set(listed) == {"horloge", "avance_secondes", "comptes", "agent"}
    assert listed["agent"] == {"nom": "formateur", "mot_de_passe": "Guichet#Aide2026"}
    assert [c["cle"] for c in listed["comptes"]] == [
        "actif", "habitue", "attente", "expire", "bloque", "bientot",
    ]
    assert set(listed["comptes"][0]) == {
        "cle", "nom_de_naissance", "nir", "mot_de_passe", "etat", "libelle",
        "derniere_connexion", "bloque_jusqu_a", "lien_valable_jusqu_au",
    }
    assert {c["etat"] for c in listed["comptes"]} == {
        "active", "pending", "link-expired", "blocked",
    }
    moved = run_json(capsys, db, "demo", "clock", "+24h")
    assert moved["avance_secondes"] == 24 * 3600 and set(moved) == {"horloge", "avance_secondes"}
    assert run_json(capsys, db, "demo", "clock")["avance_secondes"] == 24 * 3600
    reset = run_json(capsys, db, "demo", "reset")
    assert reset["avance_secondes"] == 0 and reset["comptes"] == 6
    assert reset["agent"] == "formateur"


def test_a_table_written_to_a_pipe_is_never_cut(tmp_path: Path) -> None:
    """No terminal, no COLUMNS: every column whole, however long the lines get."""
    db = tmp_path / "base" / "ensap.sqlite3"
    services = open_services(db, settings=Settings.for_tests())
    try:
        long_name = "Martin-Léger-de-la-Tour-du-Pin-Chambly-de-la-Charce"
        register(services, request(birth_name=long_name))
    finally:
        services.close()
    env = program_env(tmp_path)
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    for argv, whole in (
        (("accounts", "list"), ["en attente d'activation", long_name]),
        (("outbox",), ["ensap-tui://activer/", "jean.dupont@example.fr"]),
        (("events",), ["création de l'espace"]),
    ):
        result = run_cli("--db", str(db), *argv, env=env)
        assert result.code == 0, result.stderr
        assert "…" not in result.stdout, result.stdout
        lines = result.stdout.splitlines()
        for text in whole:
            assert any(text in line for line in lines), (argv, text, result.stdout)
        assert max(len(line) for line in lines) > 80 or argv == ("events",)
