"""Every screen that reads or writes meets a held write lock and a damaged row: a French
message, the app keeps running with what was typed, and the same action succeeds once the
fault is gone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input

from ensap_tui.ui.failures import BUSY
from ensap_tui.ui.screens.agent_sign_in import AgentSignInScreen
from ensap_tui.ui.screens.console import ConsoleScreen
from ensap_tui.ui.screens.espace import EspaceScreen
from tests.support.accounts import active_person
from tests.support.people import NIR_SPACED, PASSWORD

from .fault_support import build_app, notices, set_column, write_lock_held
from .session_support import fill, settle

SIZE = (100, 40)
AGENT, AGENT_PASSWORD = "Camille.Martin", "Guichet#Aide2026"


async def test_a_held_write_lock_during_the_agent_sign_in_is_reported(
    db_path: Path, clock: Any, tokens: Any
) -> None:
    app = build_app(db_path, clock, tokens)
    app.services.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(AgentSignInScreen())
        await pilot.pause()
        await fill(pilot, "#agent-identifiant", AGENT)
        await fill(pilot, "#agent-mot-de-passe", AGENT_PASSWORD)
        with write_lock_held(db_path):
            await pilot.press("enter")
            await settle(pilot)
            assert app.is_running
            assert notices(app)[-1] == BUSY
            screen = app.screen
            assert isinstance(screen, AgentSignInScreen)
            assert screen.query_one("#agent-mot-de-passe", Input).value == AGENT_PASSWORD
            assert not screen.query_one("#agent-connexion").disabled
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)


async def test_a_held_write_lock_during_the_sign_in_is_reported(
    db_path: Path, clock: Any, tokens: Any
) -> None:
    app = build_app(db_path, clock, tokens)
    active_person(app.services)
    async with app.run_test(size=SIZE) as pilot:
        from ensap_tui.ui.screens.sign_in import SignInScreen

        await app.push_screen(SignInScreen())
        await pilot.pause()
        await fill(pilot, "#identifiant", NIR_SPACED)
        await fill(pilot, "#mot-de-passe", PASSWORD)
        with write_lock_held(db_path):
            await pilot.press("enter")
            await settle(pilot)
            assert app.is_running
            assert notices(app)[-1] == BUSY
            assert app.screen.query_one("#mot-de-passe", Input).value == PASSWORD
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EspaceScreen)


async def test_a_damaged_agent_is_reported_at_its_sign_in(
    db_path: Path, clock: Any, tokens: Any
) -> None:
    app = build_app(db_path, clock, tokens)
    app.services.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD)
    set_column(db_path, "agents", "created_at", "hier soir")
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(AgentSignInScreen())
        await pilot.pause()
        await fill(pilot, "#agent-identifiant", AGENT)
        await fill(pilot, "#agent-mot-de-passe", AGENT_PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running
        assert notices(app)[-1].startswith(
            "Ce compte d'agent est endommagé dans la base de données (table «\u00a0agents"
        )
