"""Issue 9's «done when»: every screen that reads or writes meets a held write lock (another
connection holding ``BEGIN IMMEDIATE`` on the file) and a damaged row (a time that is not ISO,
as after a manual edit): a French message, the app keeps running with what was typed, and the
same action succeeds once the fault is gone. Reads never wait for a writer (WAL): under a held
lock they simply work."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from ensap_tui.services import demo
from ensap_tui.services.container import Services
from ensap_tui.services.models import Session
from ensap_tui.ui.app import EnsapApp
from ensap_tui.ui.failures import BUSY
from ensap_tui.ui.screens.activation import ActivationScreen
from ensap_tui.ui.screens.agent_sign_in import AgentSignInScreen
from ensap_tui.ui.screens.change_contacts import ChangeContactsScreen
from ensap_tui.ui.screens.change_password import ChangePasswordScreen
from ensap_tui.ui.screens.console import ConsoleScreen
from ensap_tui.ui.screens.contacts import ContactsScreen
from ensap_tui.ui.screens.demo import DemoScreen
from ensap_tui.ui.screens.espace import EspaceScreen
from ensap_tui.ui.screens.finalisation import FinalisationScreen
from ensap_tui.ui.screens.forgot_password import ForgotPasswordScreen
from ensap_tui.ui.screens.mailbox import MailboxScreen
from ensap_tui.ui.screens.reset_password import ResetPasswordScreen
from ensap_tui.ui.screens.sign_in import SignInScreen
from tests.support.accounts import active_person, last_link, register
from tests.support.people import (
    AGENT,
    AGENT_PASSWORD,
    EMAIL,
    NEW_PASSWORD,
    NIR,
    NIR_SPACED,
    OTHER_NIR,
    PASSWORD,
    request,
)

from .fault_support import (
    build_app,
    get_column,
    impatient_settings,
    notices,
    set_column,
    write_lock_held,
)
from .session_support import click, fill, settle, shown

SIZE = (100, 40)
NOT_ISO = "hier soir"
OTHER = request(
    nir=OTHER_NIR, birth_name="Martin", birth_day="03", birth_month="07", birth_year="1978",
    email="claire.martin@example.org", email_confirmation="claire.martin@example.org",
)
DAMAGED_SPACE = "Cet espace est endommagé dans la base de données (table «\u00a0accounts"
DAMAGED_AGENT = "Ce compte d'agent est endommagé dans la base de données (table «\u00a0agents"
LEFT_OUT_MAIL = "1 courriel endommagé n'est pas affiché (table «\u00a0outbox"
LEFT_OUT_SPACE = "1 espace endommagé n'est pas affiché (table «\u00a0accounts"


def session_of(services: Services) -> Session:
    result = services.sign_in.sign_in(NIR, PASSWORD)
    assert result.session is not None
    return result.session


@dataclass(frozen=True)
class Case:
    """One screen and its action: how to get there, do it, and see it done.

    ``damage`` is the (table, column, SQL condition) of the row the action cannot do without;
    ``expected`` how the damaged row is said; ``kept`` a field whose typed value must stay.
    """

    name: str
    prepare: Callable[[Services], None]
    open: Callable[[Pilot[Any]], Awaitable[None]]
    act: Callable[[Pilot[Any]], Awaitable[None]]
    done: Callable[[Any], bool]
    damage: tuple[str, str, str]
    expected: str
    kept: tuple[str, str] | None = None
    writes: bool = True
    demo: bool = False


async def push(pilot: Pilot[Any], screen: Any) -> None:
    await pilot.app.push_screen(screen)
    await settle(pilot)


async def press_enter(pilot: Pilot[Any]) -> None:
    await pilot.press("enter")
    await settle(pilot)


async def press_f5(pilot: Pilot[Any]) -> None:
    await pilot.press("f5")
    await settle(pilot)


def on(screen_type: type) -> Callable[[Any], bool]:
    return lambda app: isinstance(app.screen, screen_type)


# -- the cases -------------------------------------------------------------------------------


async def open_sign_in(pilot: Pilot[Any]) -> None:
    await push(pilot, SignInScreen())
    await fill(pilot, "#identifiant", NIR_SPACED)
    await fill(pilot, "#mot-de-passe", PASSWORD)


async def open_agent_sign_in(pilot: Pilot[Any]) -> None:
    await push(pilot, AgentSignInScreen())
    await fill(pilot, "#agent-identifiant", AGENT)
    await fill(pilot, "#agent-mot-de-passe", AGENT_PASSWORD)


async def open_activation(pilot: Pilot[Any]) -> None:
    await push(pilot, ActivationScreen(last_link(pilot.app.services, "activation")))
    pilot.app.screen.query_one("#lien", Input).focus()


async def open_forgot(pilot: Pilot[Any]) -> None:
    await push(pilot, ForgotPasswordScreen())
    await fill(pilot, "#identifiant", NIR_SPACED)


def with_reset_link(services: Services) -> None:
    active_person(services)
    services.recovery.request_reset(NIR)


async def open_reset(pilot: Pilot[Any]) -> None:
    await push(pilot, ResetPasswordScreen(last_link(pilot.app.services, "reset")))
    await fill(pilot, "#mot-de-passe", NEW_PASSWORD)
    await fill(pilot, "#confirmation-mot-de-passe", NEW_PASSWORD)


async def open_contacts_step(pilot: Pilot[Any]) -> None:
    await push(pilot, ContactsScreen(request(email_confirmation=EMAIL)))


async def open_change_password(pilot: Pilot[Any]) -> None:
    await push(pilot, ChangePasswordScreen(session_of(pilot.app.services)))
    await fill(pilot, "#mot-de-passe-actuel", PASSWORD)
    await fill(pilot, "#mot-de-passe", NEW_PASSWORD)
    await fill(pilot, "#confirmation-mot-de-passe", NEW_PASSWORD)


async def open_change_contacts(pilot: Pilot[Any]) -> None:
    await push(pilot, ChangeContactsScreen(session_of(pilot.app.services)))
    await fill(pilot, "#telephone", "0615147879")


def left(screen_type: type) -> Callable[[Any], bool]:
    """Done when the screen closed (it dismisses itself once saved)."""
    return lambda app: not any(isinstance(s, screen_type) for s in app.screen_stack)


def agent_and_people(services: Services) -> None:
    active_person(services)
    register(services, OTHER)
    services.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD)
    for _ in range(2):
        services.sign_in.sign_in(NIR, "Mauvais#Passe1")


async def open_console(pilot: Pilot[Any]) -> None:
    await open_agent_sign_in(pilot)
    await press_enter(pilot)
    assert isinstance(pilot.app.screen, ConsoleScreen)
    await fill(pilot, "#recherche", NIR_SPACED)
    await press_enter(pilot)


async def unlock(pilot: Pilot[Any]) -> None:
    await click(pilot, "#debloquer")


def console_rows(app: Any) -> int:
    return int(app.screen.query_one("#resultats", DataTable).row_count)


async def open_console_list(pilot: Pilot[Any]) -> None:
    await open_agent_sign_in(pilot)
    await press_enter(pilot)
    assert isinstance(pilot.app.screen, ConsoleScreen)


def two_mails(services: Services) -> None:
    register(services)
    register(services, OTHER)


async def open_mailbox(pilot: Pilot[Any]) -> None:
    await push(pilot, MailboxScreen())


def mailbox_rows(app: Any) -> int:
    return int(app.screen.query_one("#messages", DataTable).row_count)


async def open_espace(pilot: Pilot[Any]) -> None:
    await push(pilot, EspaceScreen(session_of(pilot.app.services)))


async def reopen_espace(pilot: Pilot[Any]) -> None:
    """Mon espace reads the account as it opens: closed (without signing out) and opened."""
    screen = pilot.app.screen
    assert isinstance(screen, EspaceScreen)
    await pilot.app.pop_screen()
    await push(pilot, EspaceScreen(screen.session))


def contacts_shown(app: Any) -> bool:
    return isinstance(app.screen, EspaceScreen) and EMAIL in shown(app, "#coordonnees")


async def open_demo_page(pilot: Pilot[Any]) -> None:
    await pilot.press("f2")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DemoScreen)


async def reset_demo(pilot: Pilot[Any]) -> None:
    await click(pilot, "#reinitialiser-demo")


def demo_reset_done(app: Any) -> bool:
    return shown(app, "#message-demo").startswith("✔ Démonstration réinitialisée")


async def advance_demo_clock(pilot: Pilot[Any]) -> None:
    await pilot.press("f7")
    await settle(pilot)


def demo_clock_moved(app: Any) -> bool:
    return bool(app.services.demo.offset().total_seconds() > 0)


def demo_rows_readable(app: Any) -> bool:
    table: DataTable[Any] = app.screen.query_one("#comptes-demo", DataTable)
    states = [str(getattr(table.get_row_at(i)[3], "plain", "")) for i in range(table.row_count)]
    return len(states) == len(demo.DEMO_PEOPLE) and demo.DAMAGED_LABEL not in states


async def refresh_demo_page(pilot: Pilot[Any]) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, DemoScreen)
    screen.refresh_page()
    await settle(pilot)


FIRST_NIR = f"nir = '{NIR}'"
CASES = [
    Case("connexion", active_person, open_sign_in, press_enter, on(EspaceScreen),
         ("accounts", "created_at", FIRST_NIR), DAMAGED_SPACE, ("#mot-de-passe", PASSWORD)),
    Case("connexion-agent",
         lambda s: s.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD),
         open_agent_sign_in, press_enter, on(ConsoleScreen),
         ("agents", "created_at", "1"), DAMAGED_AGENT, ("#agent-mot-de-passe", AGENT_PASSWORD)),
    Case("activation", register, open_activation, press_enter,
         lambda app: shown(app, "#message-activation").startswith("✔ Votre espace"),
         ("accounts", "created_at", FIRST_NIR), DAMAGED_SPACE),
    Case("mot-de-passe-oublie", active_person, open_forgot, press_enter,
         lambda app: shown(app, "#message-oubli").startswith("✔"),
         ("accounts", "created_at", FIRST_NIR), DAMAGED_SPACE, ("#identifiant", NIR_SPACED)),
    Case("reinitialisation", with_reset_link, open_reset, press_enter, on(SignInScreen),
         ("accounts", "created_at", FIRST_NIR), DAMAGED_SPACE, ("#mot-de-passe", NEW_PASSWORD)),
    Case("inscription", register, open_contacts_step, lambda p: click(p, "#valider"),
         on(FinalisationScreen), ("accounts", "created_at", FIRST_NIR), DAMAGED_SPACE,
         ("#courriel", EMAIL)),
    Case("modifier-mot-de-passe", active_person, open_change_password, press_enter,
         left(ChangePasswordScreen), ("accounts", "created_at", FIRST_NIR), DAMAGED_SPACE,
         ("#mot-de-passe", NEW_PASSWORD)),
    Case("modifier-coordonnees", active_person, open_change_contacts,
         lambda p: click(p, "#valider"), left(ChangeContactsScreen),
         ("accounts", "created_at", FIRST_NIR), DAMAGED_SPACE, ("#telephone", "0615147879")),
    Case("console-action", agent_and_people, open_console, unlock,
         lambda app: shown(app, "#message-console").startswith("✔ Le blocage"),
         ("accounts", "created_at", FIRST_NIR), DAMAGED_SPACE),
    Case("console-recherche", agent_and_people, open_console_list, press_f5,
         lambda app: console_rows(app) == 2, ("accounts", "created_at", FIRST_NIR),
         LEFT_OUT_SPACE, writes=False),
    Case("boite-de-reception", two_mails, open_mailbox, press_f5,
         lambda app: mailbox_rows(app) == 2, ("outbox", "sent_at", FIRST_NIR), LEFT_OUT_MAIL,
         writes=False),
    Case("mon-espace", active_person, open_espace, reopen_espace, contacts_shown,
         ("accounts", "created_at", FIRST_NIR), DAMAGED_SPACE, writes=False),
    Case("page-demo", lambda s: None, open_demo_page, refresh_demo_page, demo_rows_readable,
         ("accounts", "created_at", f"nir = '{demo.DEMO_PEOPLE[0].nir}'"), "", writes=False,
         demo=True),
]
#: Writes that no stored row can stop (the reset deletes every row; the clock is one meta).
LOCK_ONLY = [
    Case("reinitialiser-demo", lambda s: None, open_demo_page, reset_demo, demo_reset_done,
         ("", "", ""), "", demo=True),
    Case("horloge-demo", lambda s: None, open_demo_page, advance_demo_clock, demo_clock_moved,
         ("", "", ""), "", demo=True),
]


def make(case: Case, db_path: Path, clock: Any, tokens: Any) -> EnsapApp:
    if case.demo:
        from ensap_tui.ui.app import create_app

        settings = impatient_settings().demo_mode()
        return create_app(db_path, clock=clock, token_source=tokens, settings=settings)
    app: EnsapApp = build_app(db_path, clock, tokens)
    case.prepare(app.services)
    return app


def assert_still_usable(app: Any, case: Case) -> None:
    assert app.is_running
    assert not case.done(app)
    if case.kept is not None:
        selector, value = case.kept
        assert app.screen.query_one(selector, Input).value == value
    assert not getattr(app.screen, "busy", False)


@pytest.mark.parametrize(
    "case", [c for c in CASES + LOCK_ONLY if c.writes], ids=lambda c: c.name
)
async def test_a_held_write_lock_is_said_then_the_action_works(
    case: Case, db_path: Path, clock: Any, tokens: Any
) -> None:
    app = make(case, db_path, clock, tokens)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await case.open(pilot)
        with write_lock_held(db_path):
            await case.act(pilot)
            assert_still_usable(app, case)
            assert notices(app)[-1] == BUSY
        await case.act(pilot)
        assert case.done(app)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_a_damaged_row_is_said_then_the_action_works_once_repaired(
    case: Case, db_path: Path, clock: Any, tokens: Any
) -> None:
    app = make(case, db_path, clock, tokens)
    table, column, where = case.damage
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await case.open(pilot)
        original = get_column(db_path, table, column, where)
        set_column(db_path, table, column, NOT_ISO, where)
        await case.act(pilot)
        assert_still_usable(app, case)
        if case.expected:
            assert notices(app)[-1].startswith(case.expected)
        set_column(db_path, table, column, original, where)
        await case.act(pilot)
        assert case.done(app)


@pytest.mark.parametrize("case", [c for c in CASES if not c.writes], ids=lambda c: c.name)
async def test_reads_work_while_another_program_holds_the_write_lock(
    case: Case, db_path: Path, clock: Any, tokens: Any
) -> None:
    app = make(case, db_path, clock, tokens)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await case.open(pilot)
        with write_lock_held(db_path):
            await case.act(pilot)
            assert case.done(app)
        assert notices(app) == []


async def test_signing_out_under_a_held_lock_says_so_and_still_leaves(
    db_path: Path, clock: Any, tokens: Any
) -> None:
    app = build_app(db_path, clock, tokens)
    active_person(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await push(pilot, EspaceScreen(session_of(app.services)))
        with write_lock_held(db_path):
            await click(pilot, "#deconnexion")
            assert app.is_running
            assert not isinstance(app.screen, EspaceScreen)
            assert notices(app)[-1] == BUSY
