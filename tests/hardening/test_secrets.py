"""After a whole journey in the real application (typed key by key under Pilot) and through the
services, no clear password is left anywhere: not in the database file, its WAL, the outbox or
the event log, not in the screenshots, not in any log. Files are 0600 and folders 0700."""

from __future__ import annotations

import html
import json
import logging
import stat
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import textual.constants
from textual.widgets import Select

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.adapters.tokens import SequenceTokenSource
from ensap_tui.bootstrap import Settings
from ensap_tui.services.models import SignInStatus
from ensap_tui.ui.app import create_app
from ensap_tui.ui.screens.espace import EspaceScreen
from tests.hardening.support import person
from tests.support.programs import run_cli
from tests.ui.registration_wizard import type_text, wait_for_screen
from tests.ui.session_support import click, fill, settle

WHO = person(5)
FIRST = "Zèbre#Unique7341"  # an accent: its NFC, NFD and NFKC forms are all looked for
TYPO = "Zèbre#Unique7431"
SECOND = "Quokka!Rare5582"
THIRD = "Narval&Bleu9917"
ALL = (FIRST, TYPO, SECOND, THIRD)


def encodings(password: str) -> set[bytes]:
    """Every way the password could be written down: its Unicode forms in UTF-8 and UTF-16,
    and as JSON escapes."""
    forms = {unicodedata.normalize(form, password) for form in ("NFC", "NFD", "NFKC")}
    found = {f.encode(codec) for f in forms for codec in ("utf-8", "utf-16-le", "utf-16-be")}
    found |= {json.dumps(f).strip('"').encode() for f in forms}
    return found


def leaks(data: bytes) -> list[str]:
    return [p for p in ALL if any(form in data for form in encodings(p))]


def files_under(folder: Path) -> Iterator[Path]:
    return (p for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def textual_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Textual's own debug log file (what ``TEXTUAL_LOG`` turns on, and which records every
    key and every input value), asked for during the whole journey."""
    log = tmp_path / "journaux" / "textual.log"
    log.parent.mkdir()
    monkeypatch.setattr(textual.constants, "LOG_FILE", str(log))
    return log


async def test_no_clear_password_anywhere_after_a_whole_journey(
    db_path: Path,
    tmp_path: Path,
    clock: FixedClock,
    tokens: SequenceTokenSource,
    textual_log: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    shots = tmp_path / "captures"
    shots.mkdir()
    app = create_app(db_path, clock=clock, token_source=tokens, settings=Settings.for_tests())
    wal = db_path.with_name(db_path.name + "-wal")
    wal_seen = b""

    def shoot(name: str) -> None:
        app.save_screenshot(filename=f"{name}.svg", path=str(shots))

    async with app.run_test(size=(100, 40)) as pilot:
        pilot_: Any = pilot
        await pilot.pause()
        # Creation: what is not secret is filled in, every password is typed key by key.
        await pilot.press("enter")
        await wait_for_screen(pilot_, "IdentityScreen")
        await fill(pilot_, "#nir", WHO.nir)
        await fill(pilot_, "#nom-naissance", WHO.birth_name)
        for select_id, value in (("jour", f"{WHO.birth_date.day:02d}"),
                                 ("mois", f"{WHO.birth_date.month:02d}"),
                                 ("annee", str(WHO.birth_date.year))):
            app.screen.query_one(f"#{select_id}", Select).value = value
        app.screen.query_one("#cgu").focus()
        await pilot.press("space", "enter")
        await wait_for_screen(pilot_, "PasswordScreen")
        await type_text(pilot_, FIRST)
        await pilot.press("tab", "tab")
        await type_text(pilot_, FIRST)
        shoot("mot-de-passe")
        await pilot.press("enter")
        await wait_for_screen(pilot_, "ContactsScreen")
        await fill(pilot_, "#courriel", WHO.email)
        await fill(pilot_, "#confirmation-courriel", WHO.email)
        await pilot.press("enter")
        await wait_for_screen(pilot_, "FinalisationScreen")
        await settle(pilot_)

        # Activation from the simulated mailbox, then a typo and the right password.
        await app.pop_screen()
        await click(pilot_, "#boite-reception")
        shoot("boite")
        await click(pilot_, "#suivre-lien")
        await click(pilot_, "#activer")
        await click(pilot_, "#acceder-espace")
        for attempt in (TYPO, FIRST):
            await fill(pilot_, "#identifiant", WHO.nir)
            app.screen.query_one("#mot-de-passe").focus()
            await type_text(pilot_, attempt)
            if attempt == TYPO:
                shoot("connexion")
            await pilot.press("enter")
            await settle(pilot_)
        assert isinstance(app.screen, EspaceScreen)
        if wal.exists():
            wal_seen = wal.read_bytes()  # the WAL while the application holds the database

        # The rest of the journey through the same services: a change, a recovery.
        services = app.services
        session = services.sign_in.sign_in(WHO.nir, FIRST).session
        assert session is not None
        services.account.change_password(session, FIRST, SECOND, SECOND)
        services.recovery.request_reset(WHO.nir)
        link = next(m.link for m in services.mailbox.messages() if m.kind == "reset")
        services.recovery.reset_password(link, THIRD, THIRD)
        assert services.sign_in.sign_in(WHO.nir, THIRD).status is SignInStatus.SIGNED_IN
        if wal.exists():
            wal_seen += wal.read_bytes()

    # The journey happened and was recorded...
    assert wal_seen, "the WAL was never seen: nothing to check in it"
    assert len(list(shots.glob("*.svg"))) == 3
    # ... and no password is anywhere.
    data = db_path.parent
    logs = [textual_log] if textual_log.exists() else []  # the app keeps Textual's log off
    checked = {p: p.read_bytes() for p in [*files_under(data), *files_under(shots), *logs]}
    checked[wal] = wal_seen
    for path, content in checked.items():
        assert leaks(content) == [], path
    outbox = run_cli("outbox", "--json", "--limit", "100", "--db", str(db_path))
    events = run_cli("events", "--json", "--db", str(db_path))
    for result in (outbox, events):
        assert result.code == 0, result
        assert leaks(result.stdout.encode()) == [] and leaks(result.stderr.encode()) == []
    assert len(json.loads(outbox.stdout)) >= 4
    assert leaks(caplog.text.encode()) == []
    out, err = capsys.readouterr()
    assert leaks((out + err).encode()) == []

    # Private files in a private folder.
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    names = sorted(p.name for p in data.iterdir())
    assert names[:2] == [db_path.name, db_path.name + ".secret"], names
    for path in data.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_the_published_screenshots_show_none_of_the_passwords_typed_for_them() -> None:
    """``screenshots/`` and the reviewed snapshots are made by typing these passwords into the
    real screens: each must show as dots, never in clear."""
    from tests.support.people import AGENT_PASSWORD, NEW_PASSWORD, PASSWORD, WRONG_PASSWORD
    from tests.ui.registration_wizard import STRONG_PASSWORD

    root = Path(__file__).resolve().parents[2]
    pictures = [*root.glob("screenshots/*.svg"), *root.glob("tests/ui/__snapshots__/*/*.svg")]
    assert len(pictures) >= 10
    from tests.support.demo import DEMO_AGENT_PASSWORD

    typed = {STRONG_PASSWORD, PASSWORD, NEW_PASSWORD, AGENT_PASSWORD, WRONG_PASSWORD}
    for picture in pictures:
        # Rich writes text with HTML entities, spaces as no-break spaces.
        shown = html.unescape(picture.read_text(encoding="utf-8")).replace("\u00a0", " ")
        shown = unicodedata.normalize("NFC", shown)
        # The demo page lists the demo credentials on purpose, for the trainer.
        secret = typed - {DEMO_AGENT_PASSWORD} if "demo" in picture.name else typed
        for password in secret:
            assert unicodedata.normalize("NFC", password) not in shown, (picture.name, password)
