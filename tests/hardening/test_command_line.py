"""Issue 10, findings 5 and 10: the command line meets numbers too large for SQLite, a write lock
held by another program during the demo commands, paths too deep or too long and an unknown
schema number with a French message and a non-zero exit, never a traceback; and what it prints
of a user's text shows control characters instead of acting on them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ensap_tui.bootstrap import Settings, open_services
from tests.support.demo import demo_settings
from tests.support.programs import (
    assert_french_failure,
    finish_cli,
    program_env,
    run_cli,
    start_cli,
)
from tests.ui.fault_support import write_lock_held

HUGE = "99999999999999999999999"
INT64_MAX = "9223372036854775807"
#: Colour, window title and bell: what a terminal would act on.
HOSTILE = "\x1b[31mX\x1b]0;titre\x07"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "base" / "ensap.sqlite3"
    open_services(path, settings=Settings.for_tests()).close()
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ("accounts", "list", "--limit", HUGE),
        ("accounts", "list", "--statut", "attente", "--limit", INT64_MAX),
        ("accounts", "list", "--limit", INT64_MAX),
        ("events", "--limit", HUGE),
        ("events", "--limit", INT64_MAX),
        ("outbox", "--limit", HUGE),
        ("outbox", "--limit", INT64_MAX),
    ],
    ids=" ".join,
)
def test_a_count_too_large_is_a_usage_error(db: Path, argv: tuple[str, ...]) -> None:
    result = run_cli("--db", str(db), *argv)
    assert result.code == 2, result
    assert "Traceback" not in result.stderr
    assert "un nombre entre 1 et 1\u202f000\u202f000 est attendu" in result.stderr


def test_the_largest_count_is_accepted(db: Path) -> None:
    for argv in (("accounts", "list"), ("events",), ("outbox",)):
        result = run_cli("--db", str(db), *argv, "--limit", "1000000")
        assert result.code == 0, result.stderr


def test_demo_commands_under_another_programs_write_lock_say_so(tmp_path: Path) -> None:
    db = tmp_path / "formation" / "demo.sqlite3"
    open_services(db, settings=demo_settings()).close()
    env = program_env(tmp_path)
    with write_lock_held(db):
        running = [
            start_cli("--db", str(db), "demo", *argv, env=env)
            for argv in (("clock", "+1h"), ("clock", "reel"), ("reset",))
        ]
        results = [finish_cli(process) for process in running]
    for result in results:
        assert_french_failure(result, "Réessayez")
        assert result.code == 1
    # Nothing moved: the clock is still on the real time.
    after = run_cli("--db", str(db), "demo", "clock", env=env)
    assert after.code == 0 and "(heure réelle)" in after.stdout, after


def remove_deep(top: Path) -> None:
    """Removes a chain of nested folders from the deepest up: pytest's own clean-up of old
    temporary folders (``shutil.rmtree``) recurses once per level and would fail on it later,
    in another run."""
    chain = [top]
    while True:
        inner = [p for p in chain[-1].iterdir() if p.is_dir() and not p.is_symlink()]
        if not inner:
            break
        chain.append(inner[0])
    for folder in reversed(chain):
        for entry in folder.iterdir():
            if not entry.is_dir() or entry.is_symlink():
                entry.unlink()
        folder.rmdir()


def test_a_database_under_two_thousand_missing_folders(tmp_path: Path) -> None:
    top = tmp_path / "d"
    deep = top.joinpath(*["d"] * 1999) / "ensap.sqlite3"
    try:
        result = run_cli("--db", str(deep), "outbox")
    finally:
        if top.exists():
            remove_deep(top)
    assert_french_failure(result, "Impossible")
    assert "RecursionError" not in result.stderr


def test_a_file_name_too_long(tmp_path: Path) -> None:
    result = run_cli("--db", str(tmp_path / ("n" * 300 + ".sqlite3")), "outbox")
    assert_french_failure(result, "nom de fichier ou chemin trop long")
    assert "erreur système" not in result.stderr


@pytest.mark.parametrize("version", [-1, -5000])
def test_a_negative_schema_number_is_refused_like_a_newer_one(db: Path, version: int) -> None:
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    before = list(conn.iterdump())
    conn.close()
    result = run_cli("--db", str(db), "outbox")
    assert_french_failure(result, "numéro de schéma inconnu", str(version))
    assert result.code == 2
    assert "duplicate column" not in result.stderr
    conn = sqlite3.connect(db)
    try:
        assert list(conn.iterdump()) == before
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version
    finally:
        conn.close()


# -- finding 10: control characters are shown, never acted on ----------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ("agent", "remove", HOSTILE),
        ("agent", "unlock", HOSTILE),
        ("outbox", HOSTILE),
        ("accounts", "show", HOSTILE),
        ("outbox", "--db", "{db}/" + HOSTILE + "\u202e/x.sqlite3"),
    ],
    ids=["agent remove", "agent unlock", "unknown argument", "accounts show", "--db"],
)
def test_typed_text_is_printed_with_its_control_characters_visible(
    db: Path, argv: tuple[str, ...]
) -> None:
    # The last --db is under the database file itself: it cannot be made, and says so.
    argv = tuple(part.replace("{db}", str(db)) for part in argv)
    result = run_cli("--db", str(db), *argv)
    assert result.code != 0
    assert "Traceback" not in result.stderr
    for output in (result.stdout, result.stderr):
        assert "\x1b" not in output and "\x07" not in output and "\u202e" not in output
    if "X" in result.stderr:  # the text is quoted: as escapes
        assert "\\x1b[31mX\\x1b]0;titre\\x07" in result.stderr


def test_stored_text_is_printed_with_its_control_characters_visible(db: Path) -> None:
    """A value edited by hand in the file reaches the tables as escapes too."""
    services = open_services(db, settings=Settings.for_tests())
    try:
        from tests.support.people import REQUEST

        services.registration.register(REQUEST)
    finally:
        services.close()
    conn = sqlite3.connect(db)
    conn.execute("UPDATE accounts SET birth_name = ?", (HOSTILE,))
    conn.execute("UPDATE outbox SET subject = ?", (HOSTILE,))
    conn.execute(  # the journal is append-only: a line added by hand
        "INSERT INTO events (at, kind, actor, detail) SELECT at, kind, ?, ? FROM events LIMIT 1",
        (HOSTILE, HOSTILE),
    )
    conn.commit()
    conn.close()
    for argv in (("accounts", "list"), ("outbox",), ("outbox", "--last"), ("events",)):
        result = run_cli("--db", str(db), *argv, env=program_env(COLUMNS="200"))
        assert result.code == 0, result.stderr
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout, argv
        assert "\\x1b[31mX" in result.stdout, (argv, result.stdout)


def test_visible_keeps_printable_text_and_line_breaks_on_request() -> None:
    from ensap_tui.commands import visible

    assert visible("Lefèvre\u00a0: «\u00a0x\u00a0»") == "Lefèvre\u00a0: «\u00a0x\u00a0»"
    assert visible("a\nb") == "a\\x0ab"
    assert visible("a\nb", keep_newlines=True) == "a\nb"
    assert visible("\u202eabc\u200b\udcff\U000e0041") == "\\u202eabc\\u200b\\udcff\\U000e0041"
