"""Two terminals on one PostgreSQL database see each other's spaces at once (issue 13, «Done
when»): two real apps, each with its own services and its own connections to the server, run
side by side; what one does, the other's help-desk console finds on its next search. And the
same across programs: the command line, another process, reads and lifts what an app wrote
while that app runs."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from ensap_tui.adapters.tokens import SequenceTokenSource
from ensap_tui.ui.app import create_app
from ensap_tui.ui.screens.activation import ActivationScreen
from ensap_tui.ui.screens.console import ConsoleScreen
from ensap_tui.ui.screens.espace import EspaceScreen
from ensap_tui.ui.screens.sign_in import SignInScreen
from tests.support.engines import Database
from tests.support.people import AGENT, AGENT_PASSWORD, NIR, NIR_SPACED, WRONG_PASSWORD
from tests.support.programs import CliResult, program_env, run_cli
from tests.support.waiting import wait_until

from .registration_wizard import (
    STRONG_PASSWORD,
    fill_contacts,
    fill_identity,
    fill_password,
    wait_for_screen,
)
from .session_support import click, settle, shown, sign_in
from .test_console import agent_sign_in, result_rows, search

SIZE = (100, 40)


def command_line(db: Database, tmp_path: Path, *args: str) -> CliResult:
    """``ensap-tui ARGS`` as another program on ``db`` (its URL in the environment, as the
    README says; never on a command line other users of the machine can read)."""
    assert db.secret_file is not None
    env = program_env(tmp_path, ENSAP_TUI_DB=db.target, ENSAP_TUI_SECRET_FILE=db.secret_file)
    return run_cli(*args, env=env)


async def test_what_one_terminal_does_the_others_console_sees_at_once(
    postgres_url: str, tmp_path: Path
) -> None:
    db = Database("postgresql", postgres_url, str(tmp_path / "ensap.secret"))
    # The system clock: the other program (the command line) judges blocks on it too.
    tokens = SequenceTokenSource()  # one sequence: two programs of one database never share one
    first = create_app(db.where, token_source=tokens, settings=db.settings())
    second = create_app(db.where, token_source=tokens, settings=db.settings())
    assert first.services.store is not second.services.store
    second.services.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD)

    # Two apps in one process: Textual finds "the app" of a screen pushed from outside its
    # loop through a context variable (the app entered last), so every screen here is opened
    # from within its own app, by a click, as a person does.
    async with first.run_test(size=SIZE) as user, second.run_test(size=SIZE) as desk:
        await click(desk, "#espace-assistance")
        await agent_sign_in(desk)
        assert isinstance(second.screen, ConsoleScreen)
        await search(desk, NIR_SPACED)
        assert result_rows(second) == []

        # The first terminal: a person creates a space through the four steps.
        await click(user, "#creer-espace")
        await wait_for_screen(user, "IdentityScreen")
        await fill_identity(user)
        await user.click("#continuer")
        await wait_for_screen(user, "PasswordScreen")
        await fill_password(user)
        await user.click("#valider")
        await wait_for_screen(user, "ContactsScreen")
        await fill_contacts(user)
        await user.click("#valider")
        await settle(user)
        await wait_for_screen(user, "FinalisationScreen")

        # The second terminal's console finds it at once, by NIR and by name.
        await search(desk, NIR_SPACED)
        assert [row[1:3] for row in result_rows(second)] == [["DUPONT", "en attente d'activation"]]
        await search(desk, "dup")
        assert [row[1] for row in result_rows(second)] == ["DUPONT"]

        # The first terminal activates it from its mailbox; the console sees it active.
        await click(user, "#ouvrir-boite")
        await click(user, "#suivre-lien")
        assert isinstance(first.screen, ActivationScreen)
        assert "espace sécurisé est activé" in shown(first, "#message-activation")
        await search(desk, NIR)
        assert [row[2] for row in result_rows(second)] == ["active"]

        # Three wrong passwords in the first terminal: the console sees the block.
        await click(user, "#acceder-espace")
        assert isinstance(first.screen, SignInScreen)
        for _ in range(3):
            await sign_in(user, password=WRONG_PASSWORD)
        assert "bloqué jusqu'à" in shown(first, "#message-connexion")
        await search(desk, NIR)
        assert result_rows(second)[0][2].startswith("bloqué jusqu'à")

        # Another program, while both apps run: it reads the block, then lifts it...
        shown_by_cli = await asyncio.to_thread(
            command_line, db, tmp_path, "accounts", "show", NIR, "--json")
        assert shown_by_cli.code == 0, shown_by_cli.stderr
        assert json.loads(shown_by_cli.stdout)["statut"] == "bloque"
        unlocked = await asyncio.to_thread(command_line, db, tmp_path, "accounts", "unlock", NIR)
        assert unlocked.code == 0, unlocked.stderr
        # ...which both terminals see at once: the console, and the sign-in that now works.
        await search(desk, NIR)
        assert [row[2] for row in result_rows(second)] == ["active"]
        await sign_in(user, password=STRONG_PASSWORD)
        await wait_until(user, lambda: isinstance(first.screen, EspaceScreen), "Mon espace")
