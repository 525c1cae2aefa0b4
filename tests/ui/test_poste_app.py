"""The app of a training room's poste (issue 12, point 3): two postes on one database, each
with its app. What a poste creates and receives is its own, its clock moves alone, it reports
its screen and its field errors to the trainer's board, and it starts again when told."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.adapters.tokens import SequenceTokenSource
from ensap_tui.bootstrap import Settings, open_services
from ensap_tui.services.container import Services
from ensap_tui.services.models import Poste
from ensap_tui.ui.app import EnsapApp, create_app
from ensap_tui.ui.poste import RESET, RESTARTED, screen_name
from ensap_tui.ui.registration import RegistrationDraft
from ensap_tui.ui.screens.activation import ActivationScreen
from ensap_tui.ui.screens.home import HomeScreen
from ensap_tui.ui.screens.identity import IdentityScreen
from ensap_tui.ui.screens.mailbox import MailboxScreen
from ensap_tui.ui.widgets.field_error import FieldErrorLine
from tests.conftest import T0
from tests.support.people import NIR, OTHER_REQUEST, REQUEST
from tests.support.waiting import wait_until

from .session_support import click, settle, shown, visible

SIZE = (100, 40)

AppMaker = Callable[..., EnsapApp]


@pytest.fixture
def tokens() -> SequenceTokenSource:
    # One source for the trainer and every poste: one database's programs never share a token.
    return SequenceTokenSource()


@pytest.fixture
def trainer(db_path: Path, clock: FixedClock, tokens: SequenceTokenSource) -> Iterator[Services]:
    """The trainer's services (no poste) on the test database."""
    services = open_services(db_path, clock=clock, token_source=tokens,
                             settings=Settings.for_tests())
    yield services
    services.close()


@pytest.fixture
def postes(trainer: Services) -> tuple[Poste, Poste]:
    """Camille's poste and Léo's, in one open room."""
    room = trainer.room.open_room()
    return trainer.room.join(room.code, "Camille"), trainer.room.join(room.code, "Léo")


@pytest.fixture
def poste_app(db_path: Path, clock: FixedClock, tokens: SequenceTokenSource) -> AppMaker:
    """Builds the app of a poste (``poste_app(poste.id)``) through the one factory."""

    def build(poste_id: int | None, *, demo: bool = False, browser: bool | None = None
              ) -> EnsapApp:
        settings = dataclasses.replace(Settings.for_tests(), poste=poste_id)
        return create_app(db_path, clock=clock, token_source=tokens,
                          settings=settings.demo_mode() if demo else settings, browser=browser)

    return build


def mailbox_rows(app: EnsapApp) -> int:
    return int(app.screen.query_one("#messages").row_count)  # type: ignore[attr-defined]


async def test_a_postes_mailbox_shows_its_own_mails_and_its_link_activates_its_space(
    poste_app: AppMaker, trainer: Services, postes: tuple[Poste, Poste]
) -> None:
    from .registration_wizard import fill_contacts, fill_identity, fill_password, wait_for_screen

    camille, leo = postes
    app_a, app_b = poste_app(camille.id), poste_app(leo.id)
    async with app_a.run_test(size=SIZE) as pilot:  # Camille goes through the four steps
        await click(pilot, "#creer-espace")
        await wait_for_screen(pilot, "IdentityScreen")
        await fill_identity(pilot)
        await pilot.click("#continuer")
        await wait_for_screen(pilot, "PasswordScreen")
        await fill_password(pilot)
        await pilot.click("#valider")
        await wait_for_screen(pilot, "ContactsScreen")
        await fill_contacts(pilot)
        await pilot.click("#valider")
        await settle(pilot)
        await wait_for_screen(pilot, "FinalisationScreen")
        await wait_until(pilot, lambda: trainer.room.poste(camille.id).screen == (
            "Étape 4 — Finalisation"), "the last step reported")
    assert [row.space for row in trainer.room.board(camille.room_id)] == [
        "en attente d'activation", "aucun espace"]
    async with app_b.run_test(size=SIZE) as pilot:
        await click(pilot, "#boite-reception")
        assert isinstance(app_b.screen, MailboxScreen)
        assert visible(app_b, "#boite-vide")
    app_a = poste_app(camille.id)  # Camille's tab again
    async with app_a.run_test(size=SIZE) as pilot:
        await click(pilot, "#boite-reception")
        assert mailbox_rows(app_a) == 1
        assert REQUEST.email in shown(app_a, "#courriel-entete")
        await click(pilot, "#suivre-lien")
        assert isinstance(app_a.screen, ActivationScreen)
        assert "espace sécurisé est activé" in shown(app_a, "#message-activation")
    assert [row.space for row in trainer.room.board(camille.room_id)] == ["actif", "aucun espace"]


async def test_the_help_desks_resent_link_lands_in_the_spaces_poste_only(
    poste_app: AppMaker, trainer: Services, postes: tuple[Poste, Poste]
) -> None:
    camille, leo = postes
    app_a, app_b = poste_app(camille.id), poste_app(leo.id)
    app_a.services.registration.register(REQUEST)
    app_b.services.registration.register(OTHER_REQUEST)
    trainer.assistance.resend_activation(NIR, "Agent")
    async with app_a.run_test(size=SIZE) as pilot:
        await click(pilot, "#boite-reception")
        assert mailbox_rows(app_a) == 2
    async with app_b.run_test(size=SIZE) as pilot:
        await click(pilot, "#boite-reception")
        assert mailbox_rows(app_b) == 1
        assert OTHER_REQUEST.email in shown(app_b, "#courriel-entete")


async def test_a_postes_help_desk_finds_every_space_and_its_resent_link_reaches_the_space(
    poste_app: AppMaker, trainer: Services, postes: tuple[Poste, Poste]
) -> None:
    from ensap_tui.ui.screens.agent_sign_in import AgentSignInScreen
    from ensap_tui.ui.screens.console import ConsoleScreen
    from tests.support.people import AGENT, AGENT_PASSWORD

    from .session_support import fill

    camille, leo = postes
    trainer.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD)
    app_a, app_b = poste_app(camille.id), poste_app(leo.id)
    app_a.services.registration.register(REQUEST)
    async with app_b.run_test(size=SIZE) as pilot:  # Léo plays the help desk
        await app_b.push_screen(AgentSignInScreen())
        await fill(pilot, "#agent-identifiant", AGENT)
        await fill(pilot, "#agent-mot-de-passe", AGENT_PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app_b.screen, ConsoleScreen)
        await fill(pilot, "#recherche", "dupont")
        await pilot.press("enter")
        await settle(pilot)
        assert app_b.screen.query_one("#resultats").row_count == 1  # type: ignore[attr-defined]
        await click(pilot, "#renvoyer-activation")
        await wait_until(pilot, lambda: "nouveau lien" in shown(app_b, "#message-console"))
        assert app_b.services.mailbox.messages() == []
    assert [m.kind for m in app_a.services.mailbox.messages()] == ["activation", "activation"]
    resent = trainer.room.room_events(camille.room_id)
    assert [(e.kind, e.poste_id) for e in resent if e.kind == "activation-sent"] == [
        ("activation-sent", leo.id)]
    async with app_a.run_test(size=SIZE) as pilot:
        await click(pilot, "#boite-reception")
        assert mailbox_rows(app_a) == 2
        await click(pilot, "#suivre-lien")  # the newest: the resent link
        assert "espace sécurisé est activé" in shown(app_a, "#message-activation")


async def test_another_postes_console_shows_a_block_as_the_spaces_poste_and_the_board_do(
    poste_app: AppMaker, trainer: Services, postes: tuple[Poste, Poste]
) -> None:
    # Camille, her clock 25 hours ahead, is blocked at her poste until 15:17 on her clock;
    # Léo's console (his clock a day behind hers) says so as the board does, not «jusqu'au
    # 27/11» as his own clock would date it.
    from ensap_tui.ui.screens.agent_sign_in import AgentSignInScreen
    from ensap_tui.ui.screens.console import ConsoleScreen
    from tests.support.accounts import block
    from tests.support.people import AGENT, AGENT_PASSWORD

    from .session_support import fill

    camille, leo = postes
    trainer.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD)
    app_a, app_b = poste_app(camille.id), poste_app(leo.id)
    app_a.services.registration.register(REQUEST)
    link = app_a.services.mailbox.messages()[0].link
    app_a.services.activation.activate(link)
    trainer.room.move_poste_clock(camille.id, timedelta(hours=25))
    block(app_a.services)
    said = "bloqué jusqu'à 15:17"
    assert trainer.room.board(camille.room_id)[0].space == said
    assert trainer.assistance.status_label(trainer.assistance.status_of(NIR)) == said
    async with app_b.run_test(size=SIZE) as pilot:  # Léo plays the help desk
        await app_b.push_screen(AgentSignInScreen())
        await fill(pilot, "#agent-identifiant", AGENT)
        await fill(pilot, "#agent-mot-de-passe", AGENT_PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app_b.screen, ConsoleScreen)
        await fill(pilot, "#recherche", "dupont")
        await pilot.press("enter")
        table = app_b.screen.query_one("#resultats")
        await wait_until(pilot, lambda: table.row_count == 1)  # type: ignore[attr-defined]
        status = str(table.get_row_at(0)[2])  # type: ignore[attr-defined]
        assert status == said
        await wait_until(pilot, lambda: said in shown(app_b, "#details-contenu"))


async def test_f7_expires_the_postes_own_link_and_not_the_others(
    poste_app: AppMaker, trainer: Services, postes: tuple[Poste, Poste]
) -> None:
    camille, leo = postes
    app_a, app_b = poste_app(camille.id), poste_app(leo.id)
    app_a.services.registration.register(REQUEST)
    app_b.services.registration.register(OTHER_REQUEST)
    async with app_a.run_test(size=SIZE) as pilot:
        # Shown in a poste's footer without the demo mode.
        keys = {key: b.binding.action for key, b in app_a.screen.active_bindings.items()}
        assert keys["f6"] == "poste_advance_hour" and keys["f7"] == "poste_advance_day"
        assert keys["f8"] == "poste_room_time"
        await pilot.press("f7")
        await settle(pilot)
        assert app_a.services.clock.now() == T0 + timedelta(hours=24)
        await wait_until(pilot, lambda: "27/11/2026 14:02" in shown(app_a, "#entete-simulateur"))
        assert any("heure de la salle + 24 h" in str(n.message) for n in app_a._notifications)
        await click(pilot, "#boite-reception")
        await click(pilot, "#suivre-lien")
        assert "expiré" in shown(app_a, "#message-activation")
        await pilot.press("f8")
        await settle(pilot)
        assert app_a.services.clock.now() == T0
    assert trainer.room.poste_now(leo.id) == T0
    async with app_b.run_test(size=SIZE) as pilot:
        await click(pilot, "#boite-reception")
        await click(pilot, "#suivre-lien")
        assert "espace sécurisé est activé" in shown(app_b, "#message-activation")


async def test_below_100_columns_only_f7_shows_and_f6_f8_still_work(
    poste_app: AppMaker, postes: tuple[Poste, Poste]
) -> None:
    camille, _ = postes
    app = poste_app(camille.id)

    def footer_keys() -> set[str]:
        return {key for key, b in app.screen.active_bindings.items()
                if key in ("f6", "f7", "f8") and b.binding.show}

    async with app.run_test(size=(120, 30)) as pilot:
        assert footer_keys() == {"f6", "f7", "f8"}
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: footer_keys() == {"f7"}, "only F7 at 80 columns")
        assert app.has_class("-etroit")
        await pilot.press("f6")
        await settle(pilot)
        assert app.services.clock.now() == T0 + timedelta(hours=1)
        await pilot.press("f8")
        await settle(pilot)
        assert app.services.clock.now() == T0
        await pilot.resize_terminal(120, 30)
        await wait_until(pilot, lambda: footer_keys() == {"f6", "f7", "f8"}, "all three again")
        assert not app.has_class("-etroit")


async def test_in_a_browser_f3_and_f4_move_the_postes_clock_and_the_footer_names_them(
    poste_app: AppMaker, postes: tuple[Poste, Poste]
) -> None:
    from textual.widgets._footer import Footer, FooterKey

    camille, _ = postes
    app = poste_app(camille.id, browser=True)

    def footer() -> dict[str, str]:
        keys = app.screen.query_one(Footer).query(FooterKey)
        return {key.key_display: key.description for key in keys}

    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: "F3" in footer(), "the browser's footer")
        assert footer()["F3"] == "+1 h" and footer()["F4"] == "+24 h"
        assert footer()["F8"] == "Heure salle"
        assert not {"F6", "F7"} & set(footer())
        await pilot.press("f4")
        await settle(pilot)
        assert app.services.clock.now() == T0 + timedelta(hours=24)
        await pilot.press("f3")
        await settle(pilot)
        assert app.services.clock.now() == T0 + timedelta(hours=25)
        await pilot.press("f6")  # where the browser lets it through, it still works
        await settle(pilot)
        assert app.services.clock.now() == T0 + timedelta(hours=26)
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: "F3" not in footer(), "F3 off the narrow footer")
        await pilot.press("f3")
        await settle(pilot)
        assert app.services.clock.now() == T0 + timedelta(hours=27)


async def test_outside_a_room_f6_to_f8_stay_the_demo_modes(
    poste_app: AppMaker, postes: tuple[Poste, Poste]
) -> None:
    plain = poste_app(None)
    async with plain.run_test(size=SIZE):
        keys = plain.screen.active_bindings
        assert "f6" not in keys and "f7" not in keys and "f8" not in keys
        assert plain.poste_link is None


async def test_a_restart_brings_the_poste_back_home_with_a_notice(
    poste_app: AppMaker, trainer: Services, postes: tuple[Poste, Poste]
) -> None:
    camille, _ = postes
    app = poste_app(camille.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await click(pilot, "#creer-espace")
        assert isinstance(app.screen, IdentityScreen)
        await wait_until(pilot, lambda: app.poste_link is not None
                         and app.poste_link.generation == 0, "the first heartbeat")
        trainer.room.restart_poste(camille.id)
        assert app.poste_link is not None
        app.poste_link.heartbeat()  # the next beat, without waiting 2 s for it
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "back home")
        assert len(app.screen_stack) == 1
        await wait_until(pilot, lambda: [str(n.message) for n in app._notifications] == [
            RESTARTED], "the notice")


async def test_a_reset_brings_the_poste_back_home_and_says_its_spaces_are_erased(
    poste_app: AppMaker, trainer: Services, postes: tuple[Poste, Poste]
) -> None:
    camille, _ = postes
    app = poste_app(camille.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await click(pilot, "#creer-espace")
        await wait_until(pilot, lambda: app.poste_link is not None
                         and app.poste_link.generation == 0, "the first heartbeat")
        trainer.room.reset_poste(camille.id)
        assert app.poste_link is not None
        app.poste_link.heartbeat()
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "back home")
        await wait_until(pilot, lambda: [str(n.message) for n in app._notifications] == [
            RESET], "the notice")


async def test_a_trainee_is_not_shown_the_databases_notices(
    poste_app: AppMaker, postes: tuple[Poste, Poste]
) -> None:
    """«Le secret de la base est conservé dans un fichier…» is the trainer's business (the
    board shows it); a poste's app, opened at every tab, keeps it from the trainee."""
    camille, _ = postes
    for poste_id, shown_to in ((camille.id, []), (None, ["Le secret de la base."])):
        app = poste_app(poste_id)
        app.services.notices.append("Le secret de la base.")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await wait_until(
                pilot, lambda shown=app: isinstance(shown.screen, HomeScreen), "home")
            await settle(pilot)
            assert [str(n.message) for n in app._notifications
                    if n.title == "Information"] == shown_to


async def test_the_end_of_the_room_is_said_once(
    poste_app: AppMaker, trainer: Services, postes: tuple[Poste, Poste]
) -> None:
    from ensap_tui.ui.poste import ROOM_ENDED

    camille, _ = postes
    app = poste_app(camille.id)

    def said() -> list[str]:
        return [str(n.message) for n in app._notifications if str(n.message) == ROOM_ENDED]

    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.poste_link is not None
                         and app.poste_link.generation == 0, "the first heartbeat")
        assert said() == []
        trainer.room.end_room(camille.room_id)
        assert app.poste_link is not None
        app.poste_link.heartbeat()
        await wait_until(pilot, lambda: said() == [ROOM_ENDED], "the end said")
        app.poste_link.heartbeat()
        await settle(pilot)
        assert said() == [ROOM_ENDED]
        assert isinstance(app.screen, HomeScreen)  # still usable


async def test_the_screen_is_reported_and_the_field_errors_counted_once_per_attempt(
    poste_app: AppMaker, trainer: Services, postes: tuple[Poste, Poste]
) -> None:
    camille, _ = postes

    def poste() -> Poste:
        return trainer.room.poste(camille.id)

    app = poste_app(camille.id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: poste().screen == "Accueil", "home reported")
        assert trainer.room.board(camille.room_id)[0].connected
        await click(pilot, "#creer-espace")
        await wait_until(pilot, lambda: poste().screen == "Étape 1 — Identité", "step 1")
        assert screen_name(app) == "Étape 1 — Identité"
        await click(pilot, "#continuer")  # nothing filled in
        shown_errors = [line for line in app.screen.query(FieldErrorLine) if line.message]
        assert len(shown_errors) >= 3
        await wait_until(pilot, lambda: poste().field_errors == len(shown_errors), "counted")
        await click(pilot, "#continuer")  # a second attempt, the same errors
        await wait_until(pilot, lambda: poste().field_errors == 2 * len(shown_errors), "again")
        await pilot.press("escape")
        await wait_until(pilot, lambda: poste().screen == "Accueil", "home again")
        await click(pilot, "#boite-reception")
        await wait_until(pilot, lambda: poste().screen == "Boîte de réception", "mailbox")
        await settle(pilot)
    # The app closed: the poste is no longer connected, its last screen kept.
    assert poste().last_seen_at is None
    [row] = [r for r in trainer.room.board(camille.room_id) if r.poste.id == camille.id]
    assert not row.connected and row.screen == "Boîte de réception"


async def test_in_demo_mode_a_postes_demo_page_moves_its_clock_and_cannot_reset_the_demo(
    poste_app: AppMaker, db_path: Path, clock: FixedClock, tokens: SequenceTokenSource
) -> None:
    demo_trainer = open_services(db_path, clock=clock, token_source=tokens,
                                 settings=Settings.for_tests().demo_mode())
    try:
        room = demo_trainer.room.open_room()
        camille = demo_trainer.room.join(room.code, "Camille")
    finally:
        demo_trainer.close()
    app = poste_app(camille.id, demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await wait_until(pilot, lambda: visible(app, "#horloge-demo"), "the demo page")
        assert not app.screen.query("#reinitialiser-demo")
        await click(pilot, "#avancer-24h")
        assert app.services.clock.now() == T0 + timedelta(hours=24)
        await wait_until(pilot, lambda: "heure de la salle + 24 h" in shown(app, "#horloge-demo"))
        assert shown(app, "#horloge-demo").startswith("Horloge du poste")


def test_every_screen_has_a_name_for_the_board() -> None:
    from ensap_tui.ui.screens import base

    def subclasses(cls: type[Any]) -> Iterator[type[Any]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    import importlib
    import pkgutil

    import ensap_tui.ui.screens as screens

    for module in pkgutil.iter_modules(screens.__path__):
        importlib.import_module(f"ensap_tui.ui.screens.{module.name}")
    # The screens the app shows: the leaves of the hierarchy (FormScreen and the like are bases).
    concrete = [cls for cls in subclasses(base.EnsapScreen)
                if cls.__module__.startswith("ensap_tui") and not cls.__subclasses__()]
    assert len(concrete) >= 15
    unnamed = [cls.__name__ for cls in concrete if not cls.SCREEN_NAME]
    assert unnamed == []


async def test_the_postes_header_clock_is_redrawn_only_when_its_minute_changes(
    poste_app: AppMaker, postes: tuple[Poste, Poste], clock: FixedClock
) -> None:
    # The clock is written every second; a tag rewritten with the same text would repaint
    # the header, and lay the screen out again, 59 times a minute for nothing.
    camille, _ = postes
    app = poste_app(camille.id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: shown(app, "#entete-simulateur").endswith("14:02"))
        tag = app.screen.query_one("#entete-simulateur", Static)
        drawn = tag.visual
        link = app.poste_link
        assert link is not None
        clock.advance(timedelta(seconds=30))
        link.show_clock()
        link.show_clock()
        assert tag.visual is drawn, "the same text was drawn again"
        clock.advance(timedelta(seconds=30))
        link.show_clock()
        assert shown(app, "#entete-simulateur") == "Simulateur — Salle — 26/11/2026 14:03"
        assert tag.visual is not drawn


async def test_a_postes_busy_line_moves_four_times_a_second_where_a_plain_apps_moves_sixteen(
    poste_app: AppMaker, postes: tuple[Poste, Poste]
) -> None:
    # 30 postes press «Valider» together: their busy lines' frames (each drawn, sent to the
    # room's server and on) took most of the trainer's 2 cores at 16 a second.
    from ensap_tui.services.models import RegistrationRequest
    from ensap_tui.ui.screens.contacts import ContactsScreen
    from ensap_tui.ui.widgets.busy_line import BusyLine

    async def refresh_while_busy(app: EnsapApp) -> tuple[float | None, float | None]:
        async with app.run_test(size=SIZE) as pilot:
            app.animation_level = "full"  # the tests' environment turns animations off
            screen = ContactsScreen(RegistrationRequest())
            await app.push_screen(screen)
            await wait_until(pilot, lambda: app.screen is screen and screen.is_mounted,
                             "step 3 shown")
            line = screen.query_one("#travail-en-cours", BusyLine)
            screen.set_busy(True)
            busy = line.auto_refresh
            screen.set_busy(False)
            return busy, line.auto_refresh

    camille, _ = postes
    assert await refresh_while_busy(poste_app(None)) == (pytest.approx(1 / 16), None)
    assert await refresh_while_busy(poste_app(camille.id)) == (pytest.approx(1 / 4), None)


async def test_a_postes_text_cursors_stay_steady_where_a_plain_apps_blink(
    poste_app: AppMaker, postes: tuple[Poste, Poste]
) -> None:
    # A blinking cursor is two frames a second per poste with a field focused: 30 postes
    # waiting on a field took a seventh of the trainer's 2 cores from those still typing.
    from textual.widgets import Input

    async def blinking(app: EnsapApp) -> dict[str, bool]:
        async with app.run_test(size=SIZE) as pilot:
            screen = IdentityScreen(RegistrationDraft())
            await app.push_screen(screen)
            await wait_until(pilot, lambda: app.screen is screen and screen.is_mounted,
                             "step 1 shown")
            await wait_until(pilot, lambda: app.focused is not None, "a field focused")
            return {str(field.id): field.cursor_blink for field in screen.query(Input)}

    camille, _ = postes
    plain = await blinking(poste_app(None))
    assert plain and all(plain.values()), plain
    poste = await blinking(poste_app(camille.id))
    assert poste.keys() == plain.keys() and not any(poste.values()), poste
