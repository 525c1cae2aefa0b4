"""Two training rooms on two machines against one PostgreSQL database (issue 13): two
``ensap-tui salle --sans-tableau`` programs, each on a loopback port of its own (two machines),
both given the server's database as the README says. A trainee joins each room over HTTP and
gets the poste's app through the room's websocket; each poste registers a space. Each poste's
mailbox shows only its own mail, each room's help-desk console finds both spaces, each room's
board shows only its own postes, and ending one room leaves the other open."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from ensap_tui.adapters.database_url import parse_postgres_url
from ensap_tui.adapters.tokens import SequenceTokenSource
from ensap_tui.ui.app import EnsapApp, create_app
from ensap_tui.ui.screens.console import ConsoleScreen
from ensap_tui.ui.screens.mailbox import MailboxScreen
from tests.support.engines import Database
from tests.support.people import AGENT, AGENT_PASSWORD, OTHER_REQUEST, REQUEST
from tests.support.programs import stop
from tests.support.waiting import wait_until
from tests.test_salle import Salle, first_screen, join, start_salle
from tests.test_serve import needs_proc
from tests.ui.session_support import click, shown
from tests.ui.test_board import rows
from tests.ui.test_console import agent_sign_in, result_rows, search

SIZE = (100, 40)


def room_id(database: Database, salle: Salle) -> int:
    """The id of the room ``salle`` opened, found by its code (read with the driver)."""
    code = salle.code.replace("-", "")
    found: int = database.scalar(
        "SELECT id FROM rooms WHERE code = ? AND ended_at IS NULL", (code,))
    return found


def poste_of(database: Database, room: int, first_name: str) -> int:
    found: int = database.scalar(
        "SELECT id FROM postes WHERE room_id = ? AND first_name = ?", (room, first_name))
    return found


async def join_and_open(salle: Salle, first_name: str) -> str:
    """Joins ``salle`` as a browser does and opens the poste's app through the room's own
    websocket (the room's server starts it on the server's database); the first screen."""
    status, _, key = await join(salle.base, salle.code, first_name)
    assert status == 303 and key is not None, status
    return await first_screen(salle.base, key, "Créer mon espace")


async def both(*calls: Coroutine[Any, Any, str]) -> list[str]:
    return list(await asyncio.gather(*calls))


@needs_proc
def test_two_rooms_on_one_server_share_the_spaces_and_keep_their_postes_apart(
    postgres_url: str, tmp_path: Path
) -> None:
    database = Database("postgresql", postgres_url, str(tmp_path / "ensap.secret"))
    # The first opening makes the schema and the shared secret file, as the README's step 2.
    database.open_services().close()
    url = parse_postgres_url(postgres_url)
    assert url.password
    first = start_salle(tmp_path, "--sans-tableau", name="salle-a", database=database)
    try:
        second = start_salle(tmp_path, "--sans-tableau", name="salle-b", database=database)
        try:
            assert first.code != second.code and first.port != second.port
            for running in (first, second):
                said = running.out.read_text(encoding="utf-8")
                assert "Salle de formation ouverte" in said
                assert url.masked in said and url.password not in said
            texts = asyncio.run(both(join_and_open(first, "Amélie"),
                                     join_and_open(second, "Bruno")))
            assert all("Créer mon espace" in text for text in texts)
            room_a, room_b = room_id(database, first), room_id(database, second)
            amelie = poste_of(database, room_a, "Amélie")
            bruno = poste_of(database, room_b, "Bruno")
            asyncio.run(the_postes_apps(database, amelie, bruno, room_a, room_b))
            # Ending the first room (its trainer stops it) leaves the second one open.
            stop(first.process)
            assert database.scalar(
                "SELECT ended_at IS NOT NULL FROM rooms WHERE id = ?", (room_a,))
            assert database.scalar("SELECT ended_at IS NULL FROM rooms WHERE id = ?", (room_b,))
        finally:
            stop(second.process)
    finally:
        stop(first.process)


def poste_app(database: Database, poste: int, tokens: SequenceTokenSource) -> EnsapApp:
    """The app a poste's browser tab runs (``--poste ID`` on the server's database), built by
    the one factory as the room's server builds it."""
    return create_app(database.where, token_source=tokens, settings=database.settings(poste=poste))


def board(database: Database, room: int) -> EnsapApp:
    """The trainer's board of ``room``, as ``ensap-tui salle`` runs it on its machine."""
    return create_app(database.where, settings=database.settings(), board_room=room,
                      board_address="http://192.0.2.10:8000")


async def the_postes_apps(
    database: Database, amelie: int, bruno: int, room_a: int, room_b: int
) -> None:
    tokens = SequenceTokenSource()  # one sequence for the programs of one database
    app_a, app_b = poste_app(database, amelie, tokens), poste_app(database, bruno, tokens)
    app_a.services.registration.register(REQUEST)  # Amélie's space, in room A
    app_b.services.registration.register(OTHER_REQUEST)  # Bruno's, in room B
    app_a.services.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD)
    for app, own, other in ((app_a, REQUEST, OTHER_REQUEST), (app_b, OTHER_REQUEST, REQUEST)):
        async with app.run_test(size=SIZE) as pilot:
            # The poste's mailbox: its own space's mail only.
            await click(pilot, "#boite-reception")
            assert isinstance(app.screen, MailboxScreen)
            assert app.screen.query_one("#messages").row_count == 1  # type: ignore[attr-defined]
            assert own.email in shown(app, "#courriel-entete")
            assert other.email not in shown(app, "#courriel-entete")
            await pilot.press("escape")
            await pilot.pause()
            # Its help-desk console: every space of the server, the other room's included.
            await click(pilot, "#espace-assistance")
            await agent_sign_in(pilot)
            assert isinstance(app.screen, ConsoleScreen)
            for person in (REQUEST, OTHER_REQUEST):
                await search(pilot, person.birth_name[:4])
                assert [row[1] for row in result_rows(app)] == [person.birth_name], person
                await search(pilot, person.nir)
                assert len(result_rows(app)) == 1
    # Each room's board: its own poste only.
    assert await board_names(database, room_a) == ["Amélie"]
    assert await board_names(database, room_b) == ["Bruno"]


async def board_names(database: Database, room: int) -> list[str]:
    """The first names on the board of ``room`` once it has read the database."""
    trainer = board(database, room)
    async with trainer.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: bool(rows(trainer)), "the board's first reading")
        return [row[0] for row in rows(trainer)]
