"""The trainer's board (issue 12, point 4): the postes of a room read from the shared database
every second, the trainer's actions on one poste and on the room, and a board that stays up
when the database does not answer. Real SQLite files; the postes join through the service, as
the browser server makes them."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Footer, Static
from textual.widgets._footer import FooterKey
from textual.widgets.data_table import CellDoesNotExist

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.bootstrap import Settings, open_services
from ensap_tui.services.container import Services
from ensap_tui.services.models import Poste, Room
from ensap_tui.ui.app import create_app
from ensap_tui.ui.commands import palette_commands
from ensap_tui.ui.failures import BUSY
from ensap_tui.ui.screens.board import (
    JOURNAL_COLUMNS,
    POSTE_COLUMNS,
    BoardScreen,
    column_widths,
    of_poste,
    offset_text,
    screen_text,
)
from ensap_tui.ui.screens.confirm import ConfirmScreen
from tests.support.demo import demo_settings
from tests.support.people import REQUEST

from .fault_support import impatient_settings, notices, set_column, write_lock_held
from .session_support import click, settle, shown, wait_until

SIZE = (100, 30)
ADDRESS = "http://192.0.2.10:8000"


@pytest.fixture
def room(services: Services) -> Room:
    return services.room.open_room()


def join(services: Services, room: Room, first_name: str) -> Poste:
    return services.room.join(room.code, first_name)


def register_from(db_path: Path, clock: FixedClock, tokens: Any, poste: Poste) -> None:
    """Registers :data:`REQUEST` through the services of ``poste``'s own app (what its
    creation wizard ends with): a pending space of that poste, its link valid 24 hours."""
    settings = dataclasses.replace(Settings.for_tests(), poste=poste.id)
    services = open_services(db_path, clock=clock, token_source=tokens, settings=settings)
    try:
        services.registration.register(REQUEST)
    finally:
        services.close()


def rows(app: Any) -> list[list[str]]:
    table = app.screen.query_one("#postes", DataTable)
    return [[str(getattr(cell, "plain", cell)) for cell in table.get_row_at(index)]
            for index in range(table.row_count)]


def cell(app: Any, poste: Poste, column: str) -> str | None:
    """The text of ``poste``'s cell in ``column``; None while the board has not listed the
    poste yet (its first reading runs in a worker: a wait may look before it ends)."""
    table = app.screen.query_one("#postes", DataTable)
    try:
        value = table.get_cell(str(poste.id), column)
    except CellDoesNotExist:
        return None
    return str(getattr(value, "plain", value))


def cursor_name(app: Any) -> str:
    table = app.screen.query_one("#postes", DataTable)
    return rows(app)[table.cursor_row][0]


async def on_row(pilot: Pilot[Any], index: int) -> None:
    table = pilot.app.screen.query_one("#postes", DataTable)
    await wait_until(pilot, lambda: table.row_count > index)
    table.focus()
    table.move_cursor(row=index, animate=False)
    await settle(pilot)


async def test_the_board_is_the_only_screen_of_the_app_built_for_a_room(
    make_app: Any, services: Services, room: Room
) -> None:
    app = make_app(board_room=room.id, board_address=ADDRESS)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(shown(app, "#salle-postes")))
        assert isinstance(app.screen, BoardScreen)
        assert len(app.screen_stack) == 1
        assert room.display_code in shown(app, "#salle-titre")
        assert ADDRESS in shown(app, "#salle-adresse")
        assert shown(app, "#salle-horloge") == "Horloge de la salle : 26/11/2026 à 14:02"
        assert shown(app, "#salle-postes") == "aucun poste pour l'instant"
        # Neither the demo keys nor the home page's screens exist on the board.
        assert app.check_action("demo_page", ()) is False
        assert palette_commands(app) == []


async def test_a_room_that_does_not_exist_is_said_in_french(
    make_app: Any, services: Services, room: Room
) -> None:
    app = make_app(board_room=room.id + 1, board_address=ADDRESS)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(notices(app)))
        assert notices(app) == [f"La salle {room.id + 1} n'existe pas."]


async def test_a_room_ended_elsewhere_says_so_and_refuses_the_actions(
    make_app: Any, services: Services, room: Room
) -> None:
    join(services, room, "Camille")
    app = make_app(board_room=room.id, board_address=ADDRESS)
    async with app.run_test(size=SIZE) as pilot:
        await on_row(pilot, 0)
        services.room.end_room(room.id)
        await wait_until(pilot, lambda: "salle terminée" in shown(app, "#salle-titre"))
        await pilot.press("f6")
        await settle(pilot)
        assert notices(app)[-1] == f"La salle {room.display_code} est terminée."


async def test_postes_joined_through_the_service_appear_in_joining_order(
    make_app: Any, services: Services, room: Room
) -> None:
    camille = join(services, room, "Camille")
    services.room.seen(camille.id, "2. Mot de passe")
    join(services, room, "Karim")
    app = make_app(board_room=room.id, board_address=ADDRESS)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(rows(app)) == 2)
        camille_row, karim_row = rows(app)
        assert camille_row[:5] == ["Camille", "● oui", "2. Mot de passe", "aucun espace", "0"]
        assert karim_row[:5] == ["Karim", "○ non", "—", "aucun espace", "0"]
        assert karim_row[5].startswith("14:02 ")
        assert shown(app, "#salle-postes") == "2 postes, 1 connecté"
        # A poste joining while the board is open shows at the next reading.
        join(services, room, "Léa")
        await wait_until(pilot, lambda: len(rows(app)) == 3)
        assert rows(app)[2][0] == "Léa"
        assert shown(app, "#salle-postes") == "3 postes, 1 connecté"
        journal = app.screen.query_one("#evenements-salle", DataTable)
        await wait_until(pilot, lambda: journal.row_count == 4)  # opened, three joined
        newest = [str(getattr(c, "plain", c)) for c in journal.get_row_at(0)]
        assert newest[1] == "Léa"


async def test_a_postes_app_shows_its_step_then_the_state_of_its_space(
    make_app: Any, services: Services, room: Room, db_path: Path, clock: FixedClock,
    tokens: Any,
) -> None:
    """The poste's own app (as the browser server runs it) beside the board, on one
    database: what the trainee does shows on the board."""
    camille = join(services, room, "Camille")
    board = make_app(board_room=room.id, board_address=ADDRESS)
    poste = create_app(db_path, clock=clock, token_source=tokens,
                       settings=dataclasses.replace(Settings.for_tests(), poste=camille.id))
    async with board.run_test(size=SIZE) as pilot, poste.run_test(size=(100, 40)) as trainee:
        await wait_until(pilot, lambda: cell(board, camille, "ecran") == "Accueil")
        assert cell(board, camille, "connecte") == "● oui"
        await click(trainee, "#creer-espace")
        await wait_until(pilot, lambda: cell(board, camille, "ecran") == "1. Identité")
        await click(trainee, "#continuer")  # an empty step 1: its errors are counted
        await wait_until(pilot, lambda: cell(board, camille, "erreurs") not in (None, "0"))
        assert cell(board, camille, "espace") == "aucun espace"
        register_from(db_path, clock, tokens, camille)
        await wait_until(pilot, lambda: cell(board, camille, "espace") == "en attente d'activation")
        # Judged on the poste's own clock: 24 hours later on it, the link has expired.
        services.room.move_poste_clock(camille.id, timedelta(hours=24))
        await wait_until(pilot, lambda: cell(board, camille, "espace") == "lien expiré")
    # The poste's app closed: it is no longer connected.
    assert not services.room.board(room.id)[0].connected


async def test_the_clock_keys_move_the_selected_postes_clock_only(
    make_app: Any, services: Services, room: Room
) -> None:
    camille = join(services, room, "Camille")
    karim = join(services, room, "Karim")
    app = make_app(board_room=room.id, board_address=ADDRESS)
    async with app.run_test(size=SIZE) as pilot:
        await on_row(pilot, 1)
        assert "Karim" in shown(app, "#poste-selectionne")
        assert "heure de la salle" in shown(app, "#poste-selectionne")
        await pilot.press("f6")
        await settle(pilot)
        assert services.room.poste(karim.id).clock_offset == timedelta(hours=1)
        assert services.room.poste(camille.id).clock_offset == timedelta(0)
        assert notices(app)[-1] == "Poste de Karim : horloge avancée d'1 heure."
        await wait_until(pilot, lambda: "+1 h sur la salle" in shown(app, "#poste-selectionne"))
        await click(pilot, "#poste-plus-24h")
        assert services.room.poste(karim.id).clock_offset == timedelta(hours=25)
        assert notices(app)[-1] == "Poste de Karim : horloge avancée de 24 heures."
        await wait_until(
            pilot, lambda: "+25 h sur la salle (27/11 15:02)" in shown(app, "#poste-selectionne")
        )
        await pilot.press("f8")
        await settle(pilot)
        assert services.room.poste(karim.id).clock_offset == timedelta(0)
        assert notices(app)[-1] == "Poste de Karim : horloge remise à l'heure de la salle."
        await wait_until(pilot, lambda: "heure de la salle" in shown(app, "#poste-selectionne"))


async def test_relancer_lets_the_poste_start_again(
    make_app: Any, services: Services, room: Room
) -> None:
    camille = join(services, room, "Camille")
    app = make_app(board_room=room.id, board_address=ADDRESS)
    async with app.run_test(size=SIZE) as pilot:
        await on_row(pilot, 0)
        await pilot.press("r")
        await settle(pilot)
        assert services.room.poste(camille.id).generation == 1
        assert notices(app)[-1] == (
            "Poste de Camille relancé : son application revient à l'accueil."
        )
        await click(pilot, "#relancer-poste")
        assert services.room.poste(camille.id).generation == 2
        # «de» is elided before a vowel.
        join(services, room, "Émile")
        await wait_until(pilot, lambda: len(rows(app)) == 2)
        await on_row(pilot, 1)
        await pilot.press("r")
        await settle(pilot)
        assert notices(app)[-1] == (
            "Poste d'Émile relancé\u00a0: son application revient à l'accueil."
        )


@pytest.mark.parametrize(
    ("first_name", "words"),
    [("Bruno", "poste de Bruno"), ("Amélie", "poste d'Amélie"), ("Émile", "poste d'Émile"),
     ("inès", "poste d'inès"), ("Yann", "poste de Yann"), ("Hugues", "poste de Hugues")],
)
def test_of_poste_elides_de_before_a_vowel(first_name: str, words: str) -> None:
    assert of_poste(first_name) == words
    assert of_poste(first_name, capital=True) == "P" + words[1:]


async def test_reinitialiser_asks_first_then_erases_the_postes_space(
    make_app: Any, services: Services, room: Room, db_path: Path, clock: FixedClock,
    tokens: Any,
) -> None:
    camille = join(services, room, "Camille")
    register_from(db_path, clock, tokens, camille)
    services.room.count_field_errors(camille.id, 4)
    app = make_app(board_room=room.id, board_address=ADDRESS)
    async with app.run_test(size=SIZE) as pilot:
        await on_row(pilot, 0)
        await wait_until(pilot, lambda: cell(app, camille, "espace") == "en attente d'activation")
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Camille" in shown(app, "#confirmation-titre")
        await click(pilot, "#annuler")
        assert services.room.poste(camille.id).generation == 0
        await click(pilot, "#reinitialiser-poste")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await click(pilot, "#confirmer")
        poste = services.room.poste(camille.id)
        assert (poste.generation, poste.field_errors) == (1, 0)
        assert notices(app)[-1] == (
            "Poste de Camille réinitialisé : il repart de l'accueil, sans espace."
        )
        await wait_until(pilot, lambda: cell(app, camille, "espace") == "aucun espace")
        assert cell(app, camille, "erreurs") == "0"


async def test_everyone_plus_24_hours_moves_the_rooms_clock(
    make_app: Any, services: Services, room: Room
) -> None:
    join(services, room, "Camille")
    app = make_app(board_room=room.id, board_address=ADDRESS)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(rows(app)) == 1)
        await settle(pilot)
        # It asks first: a stray click would expire every link waiting in the room.
        await click(pilot, "#salle-plus-24h")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert app.screen.focused is not None and app.screen.focused.id == "annuler"
        await click(pilot, "#annuler")
        assert services.room.room(room.id).clock_offset == timedelta(0)
        await click(pilot, "#salle-plus-24h")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await click(pilot, "#confirmer")
        assert services.room.room(room.id).clock_offset == timedelta(hours=24)
        assert notices(app)[-1] == (
            "Horloge de la salle avancée de 24 heures, pour tous les postes."
        )
        await wait_until(
            pilot,
            lambda: shown(app, "#salle-horloge") == "Horloge de la salle : 27/11/2026 à 14:02",
        )


async def test_ending_the_room_asks_first_then_exits(
    make_app: Any, services: Services, room: Room
) -> None:
    app = make_app(board_room=room.id, board_address=ADDRESS)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Ctrl+Q asks the same question: quitting the board ends the room.
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert shown(app, "#confirmation-titre") == "Terminer la salle ?"
        await click(pilot, "#annuler")
        assert app.is_running and not services.room.room(room.id).ended
        await click(pilot, "#terminer-salle")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.click("#confirmer")
        await wait_until(pilot, lambda: not app.is_running)
    assert services.room.room(room.id).ended


async def test_the_refresh_keeps_the_cursor_on_the_same_poste(
    make_app: Any, services: Services, room: Room
) -> None:
    camille = join(services, room, "Camille")
    join(services, room, "Karim")
    app = make_app(board_room=room.id, board_address=ADDRESS)
    async with app.run_test(size=SIZE) as pilot:
        await on_row(pilot, 1)
        services.room.seen(camille.id, "Mon espace")
        join(services, room, "Léa")
        await wait_until(pilot, lambda: len(rows(app)) == 3)
        await wait_until(pilot, lambda: cell(app, camille, "ecran") == "Mon espace")
        assert cursor_name(app) == "Karim"
        # A new width lays the columns out again: the cursor stays on Karim.
        await pilot.resize_terminal(120, 30)
        await wait_until(pilot, lambda: app.size.width == 120)
        await settle(pilot)
        assert cursor_name(app) == "Karim"
        assert "Karim" in shown(app, "#poste-selectionne")


async def test_a_reading_that_changes_nothing_redraws_nothing(
    make_app: Any, services: Services, room: Room
) -> None:
    camille = join(services, room, "Camille")
    app = make_app(board_room=room.id, board_address=ADDRESS)
    async with app.run_test(size=SIZE) as pilot:
        await on_row(pilot, 0)
        board = app.screen
        assert isinstance(board, BoardScreen)
        shown_before = {
            selector: board.query_one(selector, Static).content
            for selector in ("#salle-titre", "#salle-horloge", "#salle-postes",
                             "#poste-selectionne", "#journal-salle-titre")
        }
        table = board.query_one("#postes", DataTable)
        cell_before = table.get_cell(str(camille.id), "ecran")
        for _ in range(2):  # two more readings
            last = board.view
            await wait_until(pilot, lambda last=last: board.view is not last)
        for selector, content in shown_before.items():
            assert board.query_one(selector, Static).content is content, selector
        assert table.get_cell(str(camille.id), "ecran") is cell_before


async def test_a_reading_that_fails_keeps_the_last_table_and_says_so(
    make_app: Any, services: Services, room: Room, db_path: Path
) -> None:
    join(services, room, "Camille")
    join(services, room, "Karim")
    app = make_app(board_room=room.id, board_address=ADDRESS)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(rows(app)) == 2)
        set_column(db_path, "rooms", "created_at", "pas une date", f"id = {room.id}")
        await wait_until(pilot, lambda: any("rooms" in text for text in notices(app)))
        assert [row[0] for row in rows(app)] == ["Camille", "Karim"]
        assert isinstance(app.screen, BoardScreen)
        set_column(db_path, "rooms", "created_at", "2026-11-26T13:02:00.000000+00:00",
                   f"id = {room.id}")
        join(services, room, "Léa")
        await wait_until(pilot, lambda: len(rows(app)) == 3)


async def test_a_busy_database_keeps_the_board_up(
    db_path: Path, clock: FixedClock, tokens: Any, services: Services, room: Room
) -> None:
    karim = join(services, room, "Karim")
    app = create_app(
        db_path, clock=clock, token_source=tokens, settings=impatient_settings(),
        board_room=room.id, board_address=ADDRESS,
    )
    async with app.run_test(size=SIZE) as pilot:
        await on_row(pilot, 0)
        with write_lock_held(db_path):
            await pilot.press("f6")
            await wait_until(pilot, lambda: BUSY in notices(app))
            # The readings go on (WAL: a reader never waits for the writer).
            board = app.screen
            assert isinstance(board, BoardScreen)
            last = board.view
            await wait_until(pilot, lambda: board.view is not last)
            assert rows(app)[0][0] == "Karim"
            assert services.room.poste(karim.id).clock_offset == timedelta(0)
        await pilot.press("f6")
        await settle(pilot)
        assert services.room.poste(karim.id).clock_offset == timedelta(hours=1)


@pytest.mark.parametrize(
    ("offset", "text"),
    [
        (timedelta(hours=1), "+1 h"),
        (timedelta(hours=25), "+25 h"),
        (timedelta(hours=1, minutes=30), "+1 h 30 min"),
        (timedelta(minutes=5), "+5 min"),
    ],
)
def test_offset_text(offset: timedelta, text: str) -> None:
    assert offset_text(offset) == text


@pytest.mark.parametrize(
    ("columns", "available", "widths"),
    [
        # 100 columns: every column as wide as it wants, the last event has the rest.
        (POSTE_COLUMNS, 95, [10, 8, 18, 23, 7, 17]),
        (POSTE_COLUMNS, 115, [10, 8, 18, 23, 7, 37]),
        # 80 columns: the screen and the space give up most, the last event has its least.
        (POSTE_COLUMNS, 75, [9, 8, 12, 15, 7, 12]),
        (JOURNAL_COLUMNS, 71, [11, 12, 28, 12]),
        # Narrower than every least: the least widths, the table scrolls sideways.
        (POSTE_COLUMNS, 40, [8, 8, 10, 12, 7, 12]),
    ],
)
def test_column_widths(
    columns: tuple[tuple[str, str, int, int], ...], available: int, widths: list[int]
) -> None:
    assert column_widths(columns, available) == widths
    if available >= 75:
        assert sum(widths) + 2 * len(widths) == available


async def test_at_80_columns_the_postes_do_not_scroll_sideways(
    make_app: Any, services: Services, room: Room
) -> None:
    join(services, room, "Camille")
    app = make_app(board_room=room.id, board_address=ADDRESS)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: len(rows(app)) == 1)
        await settle(pilot)
        for selector in ("#postes", "#evenements-salle"):
            table = app.screen.query_one(selector, DataTable)
            assert table.virtual_size.width <= table.scrollable_content_region.width, selector


@pytest.mark.parametrize(
    ("reported", "text"),
    [
        ("Étape 2 — Mot de passe", "2. Mot de passe"),
        ("Étape 1 — Conditions d'utilisation", "1. Conditions d'utilisation"),
        ("Boîte de réception", "Boîte de réception"),
        ("Assistance — identification", "Assistance — identification"),
        ("", ""),
    ],
)
def test_screen_text(reported: str, text: str) -> None:
    assert screen_text(reported) == text


async def test_at_80_columns_the_footer_keeps_f7_and_ctrl_q_and_f6_f8_still_work(
    make_app: Any, services: Services, room: Room
) -> None:
    karim = join(services, room, "Karim")
    app = make_app(board_room=room.id, board_address=ADDRESS)

    def footer() -> list[str]:
        return [key.key_display for key in app.screen.query_one(Footer).query(FooterKey)]

    async with app.run_test(size=SIZE) as pilot:
        await on_row(pilot, 0)
        await wait_until(pilot, lambda: "F6" in footer())
        assert footer()[:5] == ["F6", "F7", "F8", "R", "Suppr"]
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: "F6" not in footer())
        assert footer() == ["F7", "R", "Suppr", "F1", "Ctrl+Q"]
        footer_bar = app.screen.query_one(Footer)
        assert all(key.region.right <= footer_bar.region.right
                   for key in footer_bar.query(FooterKey))
        await pilot.press("f6")
        await settle(pilot)
        assert services.room.poste(karim.id).clock_offset == timedelta(hours=1)
        await pilot.press("f8")
        await settle(pilot)
        assert services.room.poste(karim.id).clock_offset == timedelta(0)
        await pilot.resize_terminal(100, 30)
        await wait_until(pilot, lambda: "F6" in footer())


async def test_ctrl_c_says_in_french_how_to_end_the_room(
    make_app: Any, services: Services, room: Room
) -> None:
    app = make_app(board_room=room.id, board_address=ADDRESS)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await wait_until(pilot, lambda: bool(notices(app)))
        assert notices(app) == [
            "Pour terminer la salle et fermer ce tableau, appuyez sur Ctrl+Q."
        ]
        assert app.is_running and isinstance(app.screen, BoardScreen)


async def test_in_demo_mode_the_board_has_no_demo_page_and_no_demo_clock(
    db_path: Path, clock: FixedClock, tokens: Any
) -> None:
    """``ensap-tui salle --demo``: the board moves the room's clocks, not the demo's."""
    trainer = open_services(db_path, clock=clock, token_source=tokens, settings=demo_settings())
    try:
        room = trainer.room.open_room()
        trainer.room.join(room.code, "Camille")
    finally:
        trainer.close()
    app = create_app(db_path, clock=clock, token_source=tokens, settings=demo_settings(),
                     board_room=room.id, board_address=ADDRESS)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(rows(app)) == 1)
        board = app.screen
        assert isinstance(board, BoardScreen)
        for _ in range(2):  # two readings, a second apart: the demo clock ticks as often
            last = board.view
            await wait_until(pilot, lambda last=last: board.view is not last)
        assert shown(app, "#entete-simulateur") == "Simulateur de formation — démonstration"
        assert app.check_action("demo_page", ()) is False
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)


async def test_ctrl_q_again_while_the_question_is_open_asks_once(
    make_app: Any, services: Services, room: Room
) -> None:
    # A trainer pressing Ctrl+Q twice (the board asks before ending the room): the second
    # press met the question already open and opened a second one with the same id, which
    # stopped the board with DuplicateIds.
    app = make_app(board_room=room.id, board_address=ADDRESS)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.is_running
        assert sum(isinstance(s, ConfirmScreen) for s in app.screen_stack) == 1
        await click(pilot, "#annuler")
        await wait_until(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        assert app.is_running and not services.room.room(room.id).ended
