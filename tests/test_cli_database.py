"""Choosing the database on the command line (issue 13): ``--db`` takes a path or a
``postgresql://`` URL, ``ENSAP_TUI_DB`` stands in for it, ``--secret-file`` /
``ENSAP_TUI_SECRET_FILE`` give the secret file; a URL's password is never printed."""

from __future__ import annotations

import base64
import json
import socket
from pathlib import Path
from typing import Any

import pytest

from ensap_tui.adapters.database_url import parse_postgres_url
from ensap_tui.cli import main
from ensap_tui.commands.serve import app_command, started_text
from tests.support.programs import assert_french_failure, program_env, run_cli

PASSWORD = "Tres-Secret-42"


def _main(capsys: Any, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_bad_url_is_refused_by_the_parser_without_its_password(capsys: Any) -> None:
    code, _out, err = _main(
        capsys, "--db", f"postgresql://camille:{PASSWORD}@serveur:99999/ensap", "accounts", "list"
    )
    assert code == 2
    assert "n'est pas valable" in err and "le port doit être un nombre de 1 à 65535" in err
    assert PASSWORD not in err and "camille:***@" in err


def test_an_unreachable_server_is_exit_2_in_french_without_its_password(
        tmp_path: Path) -> None:
    url = f"postgresql://camille:{PASSWORD}@127.0.0.1:{_free_port()}/ensap"
    result = run_cli("--db", url, "--secret-file", str(tmp_path / "s"), "accounts", "list",
                     env=program_env(tmp_path))
    assert_french_failure(result, "Impossible de joindre le serveur PostgreSQL")
    assert result.code == 2
    assert PASSWORD not in result.stderr + result.stdout


def test_the_environment_names_the_database_when_db_is_not_given(
        tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "choisie" / "ensap.sqlite3"
    monkeypatch.setenv("ENSAP_TUI_DB", str(db))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    code, out, _err = _main(capsys, "accounts", "list", "--json")
    assert (code, json.loads(out)) == (0, [])
    assert db.exists()
    assert not (tmp_path / "xdg").exists()
    # --db wins over the environment.
    other = tmp_path / "autre.sqlite3"
    assert _main(capsys, "--db", str(other), "accounts", "list", "--json")[0] == 0
    assert other.exists()


def test_a_bad_url_in_the_environment_is_exit_2(
        capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENSAP_TUI_DB", f"postgresql://camille:{PASSWORD}@/ensap")
    code, _out, err = _main(capsys, "accounts", "list")
    assert code == 2
    assert "ENSAP_TUI_DB\u00a0: L'adresse de base de données" in err
    assert "le nom du serveur manque" in err and PASSWORD not in err


@pytest.mark.parametrize("how", ["option", "environment"])
def test_the_secret_file_given_holds_the_secret_of_a_file_database(
        tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    db = tmp_path / "ensap.sqlite3"
    secret = tmp_path / "secrets" / "ensap.secret"
    secret.parent.mkdir()
    if how == "option":
        argv: tuple[str, ...] = ("--db", str(db), "--secret-file", str(secret))
    else:
        monkeypatch.setenv("ENSAP_TUI_SECRET_FILE", str(secret))
        argv = ("--db", str(db))
    assert _main(capsys, *argv, "accounts", "list")[0] == 0
    assert len(base64.urlsafe_b64decode(secret.read_text().strip())) == 32
    assert not (tmp_path / "ensap.sqlite3.secret").exists()


def test_a_server_database_from_the_command_line(
        postgres_url: str, tmp_path: Path, capsys: Any) -> None:
    secret = tmp_path / "ensap.secret"
    code, out, _err = _main(capsys, "--db", postgres_url, "--secret-file", str(secret),
                            "accounts", "list", "--json")
    assert (code, json.loads(out)) == (0, [])
    code, out, _err = _main(capsys, "--db", postgres_url, "--secret-file", str(secret),
                            "events", "--json")
    assert code == 0
    other = tmp_path / "autre.secret"
    other.write_text(base64.urlsafe_b64encode(bytes(32)).decode() + "\n")
    code, _out, err = _main(capsys, "--db", postgres_url, "--secret-file", str(other),
                            "accounts", "list")
    assert code == 2
    assert "ne contient pas celui de cette base" in err
    password = parse_postgres_url(postgres_url).password
    assert password and password not in err


def test_the_browser_tabs_get_a_server_url_from_the_environment_not_the_command_line(
        tmp_path: Path) -> None:
    url = parse_postgres_url(f"postgresql://camille:{PASSWORD}@db.example:5432/ensap")
    command = app_command(url, demo=False, secret_file=tmp_path / "s")
    assert "--db" not in command and PASSWORD not in command and "db.example" not in command
    assert f"--secret-file {tmp_path / 's'}" in command
    said = started_text("127.0.0.1", 8000, url, demo=False)
    assert "postgresql://camille:***@db.example:5432/ensap" in said and PASSWORD not in said


def test_opening_the_app_with_a_secret_file_needs_no_sub_command_parser() -> None:
    from ensap_tui.cli import _opens_the_app_only, parse_arguments

    argv = ["--db", "postgresql://camille@h/ensap", "--secret-file", "s", "--demo"]
    assert _opens_the_app_only(argv)
    assert _opens_the_app_only(["--secret-file=s"])
    assert not _opens_the_app_only(["--secret-file"])
    args = parse_arguments(argv)
    assert args.secret_file == Path("s")
    assert args.db == parse_postgres_url("postgresql://camille@h/ensap")


def test_a_file_database_never_loads_the_postgresql_driver(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from ensap_tui.cli import main;"
        f"assert main(['--db', {str(tmp_path / 'x.sqlite3')!r}, 'accounts', 'list']) == 0;"
        "sys.exit(any(m == 'psycopg' or m.startswith('psycopg.') for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], env=program_env(tmp_path),
                          capture_output=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("fault", ["mot de passe", "base absente", "schéma plus récent"])
def test_a_server_database_that_cannot_be_used_is_exit_2_in_french(
        postgres_url: str, tmp_path: Path, capsys: Any, fault: str) -> None:
    import psycopg

    from ensap_tui.adapters.pg_migrations import LATEST_VERSION

    url = parse_postgres_url(postgres_url)
    secret = str(tmp_path / "ensap.secret")
    if fault == "mot de passe":
        target = f"postgresql://{url.user}:pas-le-bon@{url.server}/{url.dbname}"
        expected = "a refusé la connexion de l'utilisateur"
    elif fault == "base absente":
        target = f"postgresql://{url.user}:{url.password}@{url.server}/ensap_nulle_part"
        expected = "La base «\u00a0ensap_nulle_part\u00a0» n'existe pas sur le serveur"
    else:
        target = postgres_url
        assert _main(capsys, "--db", target, "--secret-file", secret, "accounts", "list")[0] == 0
        with psycopg.connect(postgres_url) as conn:
            conn.execute("UPDATE ensap_schema SET version = %s", (LATEST_VERSION + 1,))
        expected = "a été créée par une version plus récente d'ensap-tui"
    code, _out, err = _main(capsys, "--db", target, "--secret-file", secret, "accounts", "list")
    assert code == 2
    assert err.startswith("ensap-tui\u00a0: ")
    assert expected in err
    assert str(url.password) not in err and "pas-le-bon" not in err
