"""Issue 10, finding 13: the simulated mails keep their links in clear (that is what a mailbox
is), but no help-desk view or command prints a live link of someone else's account: the
commands ``accounts``, ``events`` and ``agent``, and the console with its details panel and its
journal, show states and dates, never a link or its token."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.widget import Widget

from ensap_tui.bootstrap import Settings, open_services
from ensap_tui.cli import main
from ensap_tui.ui.screens.agent_sign_in import AgentSignInScreen
from ensap_tui.ui.screens.console import ConsoleScreen
from tests.support.accounts import active_person, register
from tests.support.people import (
    AGENT,
    AGENT_PASSWORD,
    NIR,
    NIR_SPACED,
    OTHER_NIR,
    OTHER_REQUEST,
)
from tests.ui.session_support import fill, settle, text_of, wait_until


def live_links(db: Path) -> list[str]:
    """Every link of the simulated mailbox (read as the mailbox reads them)."""
    services = open_services(db, settings=Settings.for_tests())
    try:
        return [m.link for m in services.mailbox.messages(limit=1000) if m.link]
    finally:
        services.close()


def secrets_of(links: list[str]) -> list[str]:
    """The links and their tokens (the part after the last «/»)."""
    return [*links, *(link.rsplit("/", 1)[-1] for link in links)]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A pending space with a live activation link, an active one with a live reset link."""
    path = tmp_path / "assistance" / "ensap.sqlite3"
    services = open_services(path, settings=Settings.for_tests())
    try:
        register(services)
        active_person(services, OTHER_REQUEST)
        services.recovery.request_reset(OTHER_NIR)
        services.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD)
    finally:
        services.close()
    return path


def run(db: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    try:
        code = main(["--db", str(db), *argv])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    assert code == 0, err
    return out + err


def test_no_help_desk_command_prints_a_link(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    printed = [
        run(db, capsys, *argv)
        for argv in (
            ("accounts", "list"), ("accounts", "list", "--json"),
            ("accounts", "show", NIR), ("accounts", "show", NIR, "--json"),
            ("accounts", "show", OTHER_NIR), ("accounts", "show", OTHER_NIR, "--json"),
            ("events",), ("events", "--json"), ("events", "--nir", NIR),
            ("agent", "list"), ("agent", "list", "--json"),
            ("accounts", "resend", NIR, "--agent", AGENT),
        )
    ]
    # The new link the resend made is as secret as the others.
    links = live_links(db)
    assert len(links) == 4  # two activations, a reset, and the new activation
    for output in printed:
        for secret in secrets_of(links):
            assert secret not in output
    # The mailbox itself shows them: it is the simulated mailbox, not a help-desk view.
    assert links[0] in run(db, capsys, "outbox", "--last")


def screen_text(app: Any) -> str:
    """Everything the current screen draws, its hidden parts included."""
    return "\n".join(
        text_of(widget) for widget in app.screen.walk_children(Widget, with_self=True)
        if hasattr(widget, "render")
    ) + "\n" + app.export_screenshot()


async def test_the_console_shows_no_link(db: Path) -> None:
    from ensap_tui.ui.app import create_app

    app = create_app(db, settings=Settings.for_tests())
    links = live_links(db)
    async with app.run_test(size=(120, 50)) as pilot:
        await app.push_screen(AgentSignInScreen())
        await pilot.pause()
        await fill(pilot, "#agent-identifiant", AGENT)
        await fill(pilot, "#agent-mot-de-passe", AGENT_PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
        seen: list[str] = []
        for query in (NIR_SPACED, "Martin"):
            await fill(pilot, "#recherche", query)
            await wait_until(pilot, lambda: app.screen.query_one("#resultats").row_count >= 1)
            await settle(pilot)
            seen.append(screen_text(app))
            await pilot.click("#journal")
            await settle(pilot)
            seen.append(screen_text(app))
            await pilot.click("#journal")
            await settle(pilot)
    for text in seen:
        assert "lien" in text.lower()  # the link's validity is shown…
        for secret in secrets_of(links):
            assert secret not in text  # …never the link
