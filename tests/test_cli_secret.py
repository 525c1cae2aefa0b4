"""Issue 13: ``ensap-tui secret export`` / ``secret import`` share a database's secret between
the machines that open it, through the real command line on real SQLite files (a copy of the
file stands for another machine's view of the same database)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from ensap_tui.adapters.secret_store import (
    KEYRING_SERVICE,
    decode_secret,
    encode_secret,
    secret_file_path,
)
from ensap_tui.bootstrap import Settings, open_services
from ensap_tui.commands.secret import EXPORT_WARNING
from tests.support.accounts import active_person, open_session
from tests.support.keyrings import BrokenKeyring, ForgetfulKeyring, MemoryKeyring
from tests.support.programs import assert_french_failure, program_env, run_cli, run_main

MISMATCH = "n'est pas celui de la base"


@pytest.fixture(autouse=True)
def no_keyring() -> Iterator[None]:
    """In this process, no keyring unless a test installs one (the real one is never used)."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(previous)


def first_machine(folder: Path) -> Path:
    """A database with an active space whose password is known (its secret beside it)."""
    db = folder / "premier" / "ensap.sqlite3"
    services = open_services(db, settings=Settings.for_tests())
    try:
        active_person(services)
    finally:
        services.close()
    return db


def other_machine(db: Path, folder: Path) -> Path:
    """The same database as another machine sees it: the file, without its secret."""
    copy = folder / "autre" / "ensap.sqlite3"
    copy.parent.mkdir(parents=True)
    shutil.copyfile(db, copy)
    return copy


def signs_in(db: Path, **changes: object) -> None:
    from dataclasses import replace

    services = open_services(db, settings=replace(Settings.for_tests(), **changes))
    try:
        open_session(services)
    finally:
        services.close()


def held(path: Path) -> bytes:
    return decode_secret(path.read_text(encoding="ascii"), "test")


def test_the_exported_secret_lets_another_machine_open_the_database(tmp_path: Path) -> None:
    db = first_machine(tmp_path)
    exported = tmp_path / "secret-exporte"
    env = program_env(tmp_path)  # no keyring: the secret goes beside the database

    done = run_cli("--db", str(db), "secret", "export", str(exported), env=env)
    assert done.code == 0, done.stderr
    assert exported.stat().st_mode & 0o777 == 0o600
    assert held(exported) == held(secret_file_path(db))
    assert EXPORT_WARNING in done.stderr and "hors ligne" in done.stderr
    assert "exporté dans" in done.stdout

    copy = other_machine(db, tmp_path)
    refused = run_cli("--db", str(copy), "accounts", "list", env=env)
    assert_french_failure(refused, "Le secret de cette base est introuvable",
                          "ensap-tui secret import FICHIER")
    done = run_cli("--db", str(copy), "secret", "import", str(exported), env=env)
    assert done.code == 0, done.stderr
    assert "Vérifié" in done.stdout
    assert held(secret_file_path(copy)) == held(exported)
    assert secret_file_path(copy).stat().st_mode & 0o777 == 0o600
    signs_in(copy)  # the known password verifies on the other machine
    again = run_cli("--db", str(copy), "secret", "import", str(exported), env=env)
    assert again.code == 0 and "rien n'a été modifié" in again.stdout


def test_export_never_replaces_a_file_without_force(tmp_path: Path) -> None:
    db = first_machine(tmp_path)
    target = tmp_path / "secret"
    target.write_text("à garder\n", encoding="utf-8")
    env = program_env(tmp_path)

    refused = run_cli("--db", str(db), "secret", "export", str(target), env=env)
    assert_french_failure(refused, "existe déjà", "--force")
    assert refused.code == 1
    assert target.read_text(encoding="utf-8") == "à garder\n"
    assert EXPORT_WARNING not in refused.stderr  # nothing was exported

    target.chmod(0o644)
    done = run_cli("--db", str(db), "secret", "export", str(target), "--force", env=env)
    assert done.code == 0, done.stderr
    assert held(target) == held(secret_file_path(db))
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".secret")] == []


def test_the_standard_output_only_when_asked(tmp_path: Path) -> None:
    db = first_machine(tmp_path)
    env = program_env(tmp_path)
    bare = run_cli("--db", str(db), "secret", "export", env=env)
    assert bare.code == 2 and "FICHIER --stdout" in bare.stderr and bare.stdout == ""

    both = run_cli("--db", str(db), "secret", "export", "--stdout", "--json", env=env)
    assert_french_failure(both, "--json")
    assert both.code == 2 and both.stdout == ""
    as_json = run_cli("--db", str(db), "secret", "export", str(tmp_path / "s"), "--json", env=env)
    assert as_json.code == 0, as_json.stderr
    assert json.loads(as_json.stdout) == {"base": str(db), "fichier": str(tmp_path / "s")}

    done = run_cli("--db", str(db), "secret", "export", "--stdout", env=env)
    assert done.code == 0, done.stderr
    assert done.stdout == encode_secret(held(secret_file_path(db))) + "\n"
    assert EXPORT_WARNING in done.stderr

    # Piped into another machine's import («-» reads the standard input).
    copy = other_machine(db, tmp_path)
    piped = run_cli("--db", str(copy), "secret", "import", "-", env=env, input=done.stdout)
    assert piped.code == 0, piped.stderr
    signs_in(copy)


def test_another_databases_secret_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    db = first_machine(tmp_path)
    stranger = open_services(tmp_path / "autre-base.sqlite3", settings=Settings.for_tests())
    stranger.close()
    foreign = secret_file_path(tmp_path / "autre-base.sqlite3")
    copy = other_machine(db, tmp_path)
    env = program_env(tmp_path)
    chosen = tmp_path / "choisi.secret"

    for extra in ([], ["--secret-file", str(chosen)]):
        done = run_cli("--db", str(copy), *extra, "secret", "import", str(foreign), env=env)
        assert_french_failure(done, MISMATCH, "rien n'a été modifié")
        assert done.code == 1
    assert not secret_file_path(copy).exists() and not chosen.exists()
    # The check value still tells the mismatch when the wrong file is put there by hand.
    shutil.copyfile(foreign, secret_file_path(copy))
    opened = run_cli("--db", str(copy), "accounts", "list", env=env)
    assert_french_failure(opened, "n'est pas celui de cette base")


def test_a_missing_database_has_no_secret_and_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "absente.sqlite3"
    env = program_env(tmp_path)
    for action in (["export", str(tmp_path / "s")], ["import", str(tmp_path / "s")]):
        done = run_cli("--db", str(missing), "secret", *action, env=env)
        assert done.code in (1, 2)
        assert "Traceback" not in done.stderr
    assert not missing.exists() and not (tmp_path / "s").exists()


def test_import_into_a_secret_file_given_in_the_configuration(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = first_machine(tmp_path)
    exported = tmp_path / "exporte"
    assert run_main(capsys, db, "secret", "export", str(exported))[0] == 0
    copy = other_machine(db, tmp_path)
    shared = tmp_path / "partage" / "base.secret"
    shared.parent.mkdir()
    shared.write_text(encode_secret(bytes(32)) + "\n", encoding="ascii")  # another secret

    code, _, err = run_main(capsys, copy, "--secret-file", str(shared), "secret", "import",
                            str(exported))
    assert code == 1 and "--force" in err and "ne contient pas ce secret" in err
    assert held(shared) == bytes(32)
    code, out, err = run_main(capsys, copy, "--secret-file", str(shared), "secret", "import",
                              str(exported), "--force")
    assert code == 0, err
    assert "remplacé" in out
    assert held(shared) == held(exported)
    code, out, err = run_main(capsys, copy, "--secret-file", str(shared), "secret", "import",
                              str(exported), "--json")
    assert code == 0, err
    assert json.loads(out) == {"base": str(copy), "emplacement": "fichier",
                               "fichier": str(shared), "deja_present": True, "remplace": False}
    assert not secret_file_path(copy).exists()  # the configured file, not the one beside
    signs_in(copy, secret_file=shared)


def test_import_into_the_system_keyring(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = first_machine(tmp_path)
    exported = tmp_path / "exporte"
    assert run_main(capsys, db, "secret", "export", str(exported))[0] == 0
    copy = other_machine(db, tmp_path)
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    from tests.adapters.test_bootstrap import meta

    db_id = meta(copy, "db_id")
    assert db_id is not None
    memory.entries[(KEYRING_SERVICE, db_id)] = encode_secret(bytes(32))  # a wrong entry

    code, out, err = run_main(capsys, copy, "secret", "import", str(exported))
    assert code == 0, err
    assert "trousseau système" in out and "remplacée" in out
    assert decode_secret(memory.entries[(KEYRING_SERVICE, db_id)], "test") == held(exported)
    assert not secret_file_path(copy).exists()
    code, out, _ = run_main(capsys, copy, "secret", "import", str(exported), "--json")
    assert code == 0
    assert json.loads(out) == {"base": str(copy), "emplacement": "trousseau", "fichier": None,
                               "deja_present": True, "remplace": False}
    signs_in(copy, use_keyring=True)
    # The keyring's secret exports as well.
    again = tmp_path / "depuis-le-trousseau"
    assert run_main(capsys, copy, "secret", "export", str(again))[0] == 0
    assert held(again) == held(exported)


def test_without_a_working_keyring_the_file_beside_the_database_is_used(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = first_machine(tmp_path)
    exported = tmp_path / "exporte"
    assert run_main(capsys, db, "secret", "export", str(exported))[0] == 0
    for number, backend in enumerate((BrokenKeyring(), ForgetfulKeyring())):
        copy = other_machine(db, tmp_path / str(number))
        keyring.set_keyring(backend)
        code, out, err = run_main(capsys, copy, "secret", "import", str(exported))
        assert code == 0, err
        assert "à côté" not in out and "le fichier" in out
        assert held(secret_file_path(copy)) == held(exported)
        signs_in(copy)
