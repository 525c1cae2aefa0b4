"""Demo mode from the shell: ``--demo`` on every command that opens a database, ``demo clock``
sharing the app's time, ``demo reset``, and the default database left alone."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ensap_tui.bootstrap import default_db_path, demo_db_path, open_services
from ensap_tui.cli import build_parser, main
from ensap_tui.commands import chosen_database
from ensap_tui.services import demo
from ensap_tui.services.container import Services
from tests.conftest import T0
from tests.support.demo import DEMO_AGENT_PASSWORD, demo_settings
from tests.support.programs import program_env

if TYPE_CHECKING:
    from ensap_tui.adapters.clocks import FixedClock
    from ensap_tui.adapters.tokens import SequenceTokenSource

DEMO_SETTINGS = demo_settings()


@pytest.fixture
def demo_db(db_path: Path, clock: FixedClock, tokens: SequenceTokenSource) -> Path:
    """A demo database already seeded (with cheap argon2) and closed."""
    open_services(db_path, clock=clock, token_source=tokens, settings=DEMO_SETTINGS).close()
    return db_path


@pytest.fixture
def live_demo_db(db_path: Path) -> Path:
    """A demo database seeded (with cheap argon2) relative to the real time, as the command
    line reads it."""
    open_services(db_path, settings=DEMO_SETTINGS).close()
    return db_path


def reopen(db: Path, clock: FixedClock | None) -> Services:
    return open_services(db, clock=clock, settings=DEMO_SETTINGS)


def test_the_shell_moves_the_clock_the_app_reads(
    demo_db: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(demo_db), "demo", "clock", "+24h"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Horloge de démonstration avancée de 24 heures : ")
    assert out.rstrip().endswith("(heure réelle + 24 h).")
    app_side = reopen(demo_db, clock)
    try:
        assert app_side.clock.now() == T0 + timedelta(hours=24)
        # And the other way: what the app does, the shell sees.
        app_side.demo.advance(demo.ONE_HOUR)
    finally:
        app_side.close()
    assert main(["demo", "clock", "--db", str(demo_db)]) == 0
    assert capsys.readouterr().out.rstrip().endswith("(heure réelle + 25 h).")
    assert main(["--db", str(demo_db), "demo", "clock", "reel"]) == 0
    assert "remise à l'heure réelle" in capsys.readouterr().out
    app_side = reopen(demo_db, clock)
    try:
        assert app_side.clock.now() == T0
    finally:
        app_side.close()


def test_the_demo_flag_reaches_every_command_that_opens_a_database(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (
        ["--demo", "--db", str(demo_db), "outbox", "--json"],
        ["outbox", "--json", "--demo", "--db", str(demo_db)],
    ):
        assert main(argv) == 0
        mails = json.loads(capsys.readouterr().out)
        assert {mail["destinataire"] for mail in mails} == {
            person.email for person in demo.DEMO_PEOPLE
        }


def test_an_unknown_clock_step_is_a_usage_error(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--db", str(demo_db), "demo", "clock", "+2h"])
    assert stopped.value.code == 2
    assert "choix invalide : '+2h'" in capsys.readouterr().err


def test_demo_accounts_lists_the_passwords_and_states(
    live_demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(live_demo_db), "demo", "accounts"]) == 0
    out = capsys.readouterr().out
    for person in demo.DEMO_PEOPLE:
        assert person.birth_name in out
        assert person.password in out
    assert "1 85 03 75 056 101 78" in out
    assert "expiré" in out and "bloqué" in out  # the column may wrap at 80 characters
    assert f"« {demo.DEMO_AGENT_NAME} », mot de passe {DEMO_AGENT_PASSWORD}" in out


def test_demo_reset_restores_the_seeded_state_and_says_so(
    live_demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    used = reopen(live_demo_db, None)
    try:
        used.demo.advance(demo.ONE_DAY)
        person = demo.DEMO_PEOPLE[0]
        used.sign_in.sign_in(person.nir, person.password)
        expired_link = next(
            m.link for m in used.mailbox.messages(limit=100) if m.nir == demo.DEMO_PEOPLE[3].nir
        )
        used.activation.activate(expired_link)  # purges that registration
    finally:
        used.close()
    # Real argon2 parameters here: the command line builds its own services.
    assert main(["--db", str(live_demo_db), "demo", "reset"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "Démonstration réinitialisée : 6 comptes fictifs et l'agent « formateur » recréés"
    )
    assert "(heure réelle)." in out
    after = reopen(live_demo_db, None)
    try:
        assert after.demo.offset() == timedelta(0)
        views = {view.person.key: view for view in after.demo.accounts()}
        assert views["expire"].state is demo.DemoState.LINK_EXPIRED
        assert views["bloque"].state is demo.DemoState.BLOCKED
        assert views["actif"].last_sign_in_at is None
    finally:
        after.close()


def test_demo_commands_refuse_a_database_that_is_not_a_demo_one(
    services: Services, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.support.people import REQUEST

    services.registration.register(REQUEST)
    for argv in (["demo", "reset"], ["demo", "clock", "+1h"], ["--demo", "outbox"]):
        with pytest.raises(SystemExit) as stopped:
            main(["--db", str(db_path), *argv])
        assert stopped.value.code == 2
        err = capsys.readouterr().err
        assert "n'a pas été créée pour la démonstration" in err
    with services.store.read() as tx:
        assert len(tx.list_accounts()) == 1
        assert tx.get_meta(demo.META_DEMO) is None
        assert tx.get_meta(demo.META_CLOCK_OFFSET) is None


def test_demo_alone_means_the_demo_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "donnees"))
    parser = build_parser()
    assert chosen_database(parser.parse_args(["--demo"])) == (demo_db_path(), True)
    assert chosen_database(parser.parse_args([])) == (default_db_path(), False)
    assert demo_db_path() != default_db_path()
    assert demo_db_path().parent == tmp_path / "donnees" / "ensap-tui"
    given = tmp_path / "autre.sqlite3"
    assert chosen_database(parser.parse_args(["--demo", "--db", str(given)])) == (given, True)
    assert chosen_database(parser.parse_args(["--db", str(given), "demo", "clock"]), demo=True) == (
        given,
        True,
    )


def test_the_demo_mode_never_touches_the_default_database(tmp_path: Path) -> None:
    """A real ``ensap-tui --demo`` process, its data folder pointed at tmp: the demo database
    is created and seeded there, the default one is not created."""
    env = program_env(XDG_DATA_HOME=str(tmp_path / "donnees"))
    result = subprocess.run(
        [sys.executable, "-m", "ensap_tui", "--demo", "outbox", "--json"],
        capture_output=True, text=True, env=env, timeout=300, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    mails = json.loads(result.stdout)
    assert len(mails) == len(demo.DEMO_PEOPLE)
    folder = tmp_path / "donnees" / "ensap-tui"
    assert (folder / "demo.sqlite3").exists()
    assert not (folder / "ensap.sqlite3").exists()
    clock = subprocess.run(
        [sys.executable, "-m", "ensap_tui", "demo", "clock", "+1h"],
        capture_output=True, text=True, env=env, timeout=300, stdin=subprocess.DEVNULL,
    )
    assert clock.returncode == 0, clock.stderr
    assert "(heure réelle + 1 h)" in clock.stdout
    assert sorted(p.name for p in folder.iterdir() if p.suffix == ".sqlite3") == ["demo.sqlite3"]
