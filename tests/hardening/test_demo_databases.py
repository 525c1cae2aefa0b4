"""Issue 10, finding 1: the demo commands never take over a real database. A database is a demo
one only if it was created as one; every ``demo`` sub-command, ``--demo --db`` and
``serve --demo --db`` refuse any other existing database with a French message and change
nothing. The demo agent's password is drawn for each demo database at each seeding."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest

from ensap_tui.bootstrap import Settings, open_services
from ensap_tui.services import demo
from ensap_tui.services.container import Services
from tests.support.people import AGENT, AGENT_PASSWORD
from tests.support.programs import assert_french_failure, program_env, run_cli

NOT_DEMO = "n'a pas été créée pour la démonstration"


def dump(db: Path) -> list[str]:
    """Everything the database holds, as SQL (read with plain sqlite3)."""
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def beside(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir() if not p.name.endswith(("-wal", "-shm")))


@pytest.fixture
def help_desk_db(tmp_path: Path) -> Path:
    """A real help-desk database: an agent, no spaces yet (what finding 1 took over)."""
    db = tmp_path / "prod" / "prod.sqlite3"
    services = open_services(db, settings=Settings.for_tests())
    try:
        services.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD)
    finally:
        services.close()
    return db


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    """A database created by an ordinary opening, never used: it is not a demo one either."""
    db = tmp_path / "vide" / "vide.sqlite3"
    open_services(db, settings=Settings.for_tests()).close()
    return db


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


COMMANDS = {
    "demo accounts": ("demo", "accounts"),
    "demo clock": ("demo", "clock"),
    "demo clock +1h": ("demo", "clock", "+1h"),
    "demo clock reel": ("demo", "clock", "reel"),
    "demo reset": ("demo", "reset"),
    "--demo outbox": ("--demo", "outbox"),
    "--demo (the app)": ("--demo",),
    "serve --demo": ("serve", "--demo", "--port", "{port}"),
}


@pytest.mark.parametrize("which", ["help_desk_db", "empty_db"])
@pytest.mark.parametrize("command", list(COMMANDS), ids=list(COMMANDS))
def test_a_database_not_created_for_the_demo_is_refused_and_left_unchanged(
    which: str, command: str, request: pytest.FixtureRequest
) -> None:
    db: Path = request.getfixturevalue(which)
    before, files = dump(db), beside(db)
    argv = [part.replace("{port}", str(free_port())) for part in COMMANDS[command]]
    # A short timeout: the app or the server would run until stopped if they accepted it.
    result = run_cli("--db", str(db), *argv, env=program_env(db.parent), timeout=90)
    assert_french_failure(result, NOT_DEMO, str(db))
    assert result.code == 2
    assert dump(db) == before
    assert beside(db) == files


def test_the_help_desk_database_keeps_its_agent_after_every_refusal(help_desk_db: Path) -> None:
    for argv in (("demo", "accounts"), ("demo", "reset")):
        assert run_cli("--db", str(help_desk_db), *argv).code == 2
    services = open_services(help_desk_db, settings=Settings.for_tests())
    try:
        assert [agent.name for agent in services.agents.list()] == [AGENT]
        with services.store.read() as tx:
            assert tx.get_meta(demo.META_DEMO) is None
    finally:
        services.close()


def test_a_new_file_becomes_a_demo_database(tmp_path: Path) -> None:
    db = tmp_path / "formation" / "demo.sqlite3"
    result = run_cli("--db", str(db), "demo", "accounts", env=program_env(tmp_path))
    assert result.code == 0, result.stderr
    assert "Démo-Actif" in result.stdout
    # And it stays one: the next command uses it as it is.
    assert run_cli("--db", str(db), "demo", "clock", env=program_env(tmp_path)).code == 0


def test_the_demo_agent_password_is_drawn_per_database_and_at_each_reset(
    tmp_path: Path,
) -> None:
    def agent_password(services: Services) -> str:
        password = services.demo.agent_password
        assert isinstance(password, str)
        return password

    settings = Settings.for_tests().demo_mode()  # no fixed password: drawn
    first = open_services(tmp_path / "a" / "demo.sqlite3", settings=settings)
    second = open_services(tmp_path / "b" / "demo.sqlite3", settings=settings)
    try:
        one, two = agent_password(first), agent_password(second)
        assert one != two
        first.demo.reset()
        again = agent_password(first)
        assert again != one
        # The password shown is the demo agent's password.
        assert first.agents.sign_in(demo.DEMO_AGENT_NAME, again).session is not None
        assert first.agents.sign_in(demo.DEMO_AGENT_NAME, one).session is None
    finally:
        first.close()
        second.close()


def test_demo_accounts_shows_the_drawn_password(tmp_path: Path) -> None:
    db = tmp_path / "formation" / "demo.sqlite3"
    env = program_env(tmp_path)
    assert run_cli("--db", str(db), "demo", "reset", env=env).code == 0
    services = open_services(db, settings=Settings.for_tests().demo_mode())
    try:
        password = services.demo.agent_password
    finally:
        services.close()
    listed = run_cli("--db", str(db), "demo", "accounts", env=env)
    assert listed.code == 0, listed.stderr
    assert f"« formateur », mot de passe {password}" in listed.stdout


def test_no_demo_agent_password_is_written_in_the_source() -> None:
    assert not hasattr(demo, "DEMO_AGENT_PASSWORD")
    source = Path(demo.__file__).read_text(encoding="utf-8")
    assert "Guichet#Aide2026" not in source
    drawn = {demo.new_agent_password() for _ in range(20)}
    assert len(drawn) == 20


async def test_the_demo_page_shows_the_drawn_password_and_the_new_one_after_a_reset(
    tmp_path: Path,
) -> None:
    from ensap_tui.ui.app import create_app
    from tests.ui.session_support import click, shown, wait_until

    db = tmp_path / "formation" / "demo.sqlite3"
    app = create_app(db, settings=Settings.for_tests().demo_mode())  # drawn, not fixed
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        first = app.services.demo.agent_password
        assert first and f"mot de passe «\u00a0{first}\u00a0»" in shown(app, "#agent-demo")
        await click(pilot, "#reinitialiser-demo")
        await wait_until(pilot, lambda: app.services.demo.agent_password != first)
        second = app.services.demo.agent_password
        await wait_until(pilot, lambda: str(second) in shown(app, "#agent-demo"))
        assert first not in shown(app, "#agent-demo")
