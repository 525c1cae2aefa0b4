"""Demo mode in the app: the header clock, the demo page (F2), the clock keys F6/F7/F8 and
buttons, the reset button, the command palette, and nothing of it outside the demo mode."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from textual.command import CommandList, CommandPalette
from textual.geometry import Region
from textual.widgets import DataTable, Footer
from textual.widgets._footer import FooterKey

from ensap_tui.cli import main
from ensap_tui.services import demo
from ensap_tui.ui.app import EnsapApp
from ensap_tui.ui.commands import palette_commands
from ensap_tui.ui.registration import RegistrationDraft
from ensap_tui.ui.screens.activation import ActivationScreen
from ensap_tui.ui.screens.agent_sign_in import AgentSignInScreen
from ensap_tui.ui.screens.console import ConsoleScreen
from ensap_tui.ui.screens.demo import DemoScreen
from ensap_tui.ui.screens.espace import EspaceScreen
from ensap_tui.ui.screens.home import HomeScreen
from ensap_tui.ui.screens.identity import IdentityScreen
from ensap_tui.ui.screens.mailbox import MailboxScreen
from ensap_tui.ui.screens.sign_in import SignInScreen
from tests.support.demo import DEMO_AGENT_PASSWORD
from tests.support.waiting import wait_until

from .demo_support import build_demo_app
from .session_support import click, fill, settle, shown, sign_in

if TYPE_CHECKING:
    from ensap_tui.adapters.clocks import FixedClock
    from ensap_tui.adapters.tokens import SequenceTokenSource

SIZE = (100, 40)
PEOPLE = {person.key: person for person in demo.DEMO_PEOPLE}
SCREENS = [
    "Accueil", "Créer mon espace", "Accéder à mon espace", "Activer mon espace",
    "Boîte de réception (simulée)", "Espace assistance",
]
DEMO_COMMANDS = [
    "Page démo",
    "Horloge de démonstration : avancer d'1 heure",
    "Horloge de démonstration : avancer de 24 heures",
    "Horloge de démonstration : revenir à l'heure réelle",
]


@pytest.fixture
def make_demo_app(db_path: Path, clock: FixedClock, tokens: SequenceTokenSource) -> Any:
    """The app in demo mode on a fresh (seeded) test database, the fixed clock as the base of
    the demo clock."""

    return lambda: build_demo_app(db_path, clock, tokens)


def header(app: EnsapApp) -> str:
    return shown(app, "#entete-simulateur")


def table_rows(app: EnsapApp) -> dict[str, list[str]]:
    table: DataTable[Any] = app.screen.query_one("#comptes-demo", DataTable)
    rows = {}
    for row_key in table.rows:
        cells = [str(getattr(cell, "plain", cell)) for cell in table.get_row(row_key)]
        rows[str(row_key.value)] = cells
    return rows


async def open_page(pilot: Any) -> None:
    await pilot.press("f2")
    await pilot.pause()
    assert isinstance(pilot.app.screen, DemoScreen)


async def test_the_header_shows_the_demo_clock_on_every_screen(make_demo_app: Any) -> None:
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert header(app) == "Simulateur — Démo — 26/11/2026 14:02"
        await pilot.click("#acceder-espace")
        await pilot.pause()
        await wait_until(pilot, lambda: isinstance(app.screen, SignInScreen), "SignInScreen")
        assert isinstance(app.screen, SignInScreen)
        assert header(app) == "Simulateur — Démo — 26/11/2026 14:02"
        await pilot.press("f7")
        await pilot.pause()
        assert header(app) == "Simulateur — Démo — 27/11/2026 14:02"


async def test_the_demo_clocks_are_redrawn_only_when_their_minute_changes(
    make_demo_app: Any, clock: FixedClock
) -> None:
    # The header's clock and the demo page's clock line are read every second: text
    # written again unchanged would repaint them, and lay the screen out again, for nothing.
    from textual.widgets import Static

    from ensap_tui.ui.screens.demo import show_demo_clock

    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot)
        await wait_until(pilot, lambda: header(app).endswith("14:02"), "the demo clock")
        tag = app.screen.query_one("#entete-simulateur", Static)
        line = app.screen.query_one("#horloge-demo", Static)
        agent = app.screen.query_one("#agent-demo", Static)
        drawn = tag.visual, line.visual, agent.visual
        clock.advance(timedelta(seconds=30))
        show_demo_clock(app)
        show_demo_clock(app)
        assert (tag.visual, line.visual, agent.visual) == drawn, "the same text drawn again"
        clock.advance(timedelta(seconds=30))
        show_demo_clock(app)
        assert header(app) == "Simulateur — Démo — 26/11/2026 14:03"
        assert shown(app, "#horloge-demo").endswith("26/11/2026 à 14:03 (heure réelle)")
        assert tag.visual is not drawn[0] and line.visual is not drawn[1]
        assert agent.visual is drawn[2]


async def test_f2_lists_every_demo_account_with_its_password_and_state(
    make_demo_app: Any,
) -> None:
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_page(pilot)
        rows = table_rows(app)
        assert list(rows) == [person.key for person in demo.DEMO_PEOPLE]
        assert rows["actif"] == [
            "Démo-Actif", "1 85 03 75 056 101 78", "Soleil#Levant24", "active", "—"
        ]
        assert rows["habitue"][3:] == ["active", "24/11 14:02"]
        assert rows["attente"][3] == "en attente d'activation"
        assert rows["expire"][3] == "lien expiré"
        assert rows["bloque"][3] == "bloqué jusqu'à 14:17"
        assert rows["bientot"][3] == "bloqué jusqu'à 14:03"
        assert shown(app, "#horloge-demo") == (
            "Horloge de démonstration : 26/11/2026 à 14:02 (heure réelle)"
        )
        assert "« formateur », mot de passe « Guichet#Aide2026 »" in shown(app, "#agent-demo")
        # F2 again does nothing, and is not offered on the page itself.
        await pilot.press("f2")
        await pilot.pause()
        assert len([s for s in app.screen_stack if isinstance(s, DemoScreen)]) == 1


async def test_the_clock_buttons_expire_the_link_and_end_the_blocks(
    make_demo_app: Any,
) -> None:
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_page(pilot)
        await pilot.click("#avancer-1h")
        await pilot.pause()
        rows = table_rows(app)
        assert rows["bloque"][3] == "active" and rows["bientot"][3] == "active"
        assert rows["attente"][3] == "en attente d'activation"
        assert shown(app, "#horloge-demo").endswith("26/11/2026 à 15:02 (heure réelle + 1 h)")
        await pilot.click("#avancer-24h")
        await pilot.pause()
        assert table_rows(app)["attente"][3] == "lien expiré"
        assert header(app) == "Simulateur — Démo — 27/11/2026 15:02"
        assert app.services.demo.offset() == timedelta(hours=25)
        await pilot.click("#heure-reelle")
        await pilot.pause()
        rows = table_rows(app)
        assert rows["bloque"][3] == "bloqué jusqu'à 14:17"
        assert rows["attente"][3] == "en attente d'activation"
        assert app.services.demo.offset() == timedelta(0)


async def test_a_block_ends_when_the_clock_jumps_and_the_person_gets_in(
    make_demo_app: Any,
) -> None:
    """What the trainer shows: the blocked account is refused, F7, the same attempt works."""
    app = make_demo_app()
    person = PEOPLE["bloque"]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await click(pilot, "#acceder-espace")
        await sign_in(pilot, person.nir, person.password)
        assert "bloqué jusqu'à 14:17" in shown(app, "#message-connexion")
        await pilot.press("f7")
        await pilot.pause()
        await sign_in(pilot, person.nir, person.password)
        assert isinstance(app.screen, EspaceScreen)


async def test_the_shell_reads_the_time_the_app_set(
    make_demo_app: Any, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f7")
        await pilot.press("f6")
        await pilot.pause()
    # Textual holds stdout while the app runs: the shell command comes after.
    assert main(["--db", str(db_path), "demo", "clock"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("(heure réelle + 25 h).")


async def test_the_reset_button_recreates_the_accounts_and_puts_back_the_real_time(
    make_demo_app: Any,
) -> None:
    app = make_demo_app()
    person = PEOPLE["actif"]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.services.sign_in.sign_in(person.nir, person.password)
        await open_page(pilot)
        await pilot.press("f7")
        await pilot.pause()
        assert table_rows(app)["actif"][4] == "26/11 14:02"
        await click(pilot, "#reinitialiser-demo")
        assert shown(app, "#message-demo").startswith("✔ Démonstration réinitialisée")
        rows = table_rows(app)
        assert rows["actif"][4] == "—"
        assert rows["bloque"][3] == "bloqué jusqu'à 14:17"
        assert app.services.demo.offset() == timedelta(0)
        assert header(app) == "Simulateur — Démo — 26/11/2026 14:02"


async def run_palette_command(pilot: Any, query: str, expected: str) -> None:
    """Ctrl+P, types ``query``, checks the first hit is ``expected``, and runs it."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*query)
    hits = pilot.app.screen.query_one(CommandList)
    for _ in range(100):  # the palette searches in a worker
        if hits.option_count:
            break
        await pilot.pause(0.02)
    first = hits.get_option_at_index(0).prompt
    assert expected in str(getattr(first, "plain", first))
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()


async def test_the_palette_offers_the_screens_and_the_demo_clock(make_demo_app: Any) -> None:
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert [c.name for c in palette_commands(app)] == SCREENS + DEMO_COMMANDS
        await run_palette_command(pilot, "page dé", "Page démo")
        assert isinstance(app.screen, DemoScreen)
        await run_palette_command(pilot, "24 heu", "avancer de 24 heures")
        assert app.services.demo.offset() == timedelta(hours=24)
        assert table_rows(app)["attente"][3] == "lien expiré"
        await run_palette_command(pilot, "heure rée", "revenir à l'heure réelle")
        assert app.services.demo.offset() == timedelta(0)
        await run_palette_command(pilot, "boîte", "Boîte de réception")
        assert isinstance(app.screen, MailboxScreen)
        await run_palette_command(pilot, "activer", "Activer mon espace")
        assert isinstance(app.screen, ActivationScreen)
        await run_palette_command(pilot, "créer", "Créer mon espace")
        assert isinstance(app.screen, IdentityScreen)
        await run_palette_command(pilot, "accueil", "Accueil")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 1
        await run_palette_command(pilot, "accéder", "Accéder à mon espace")
        assert isinstance(app.screen, SignInScreen)


async def test_nothing_of_the_demo_outside_the_demo_mode(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert [c.name for c in palette_commands(app)] == SCREENS
        for key in ("f2", "f6", "f7", "f8"):
            await pilot.press(key)
            await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert header(app) == "Simulateur de formation"
        shown_keys = {
            binding.key
            for _, binding, enabled, _ in app.screen.active_bindings.values()
            if enabled and binding.show
        }
        assert "f2" not in shown_keys
        app.screen.query_one(Footer)
        with app.services.store.read() as tx:
            assert tx.get_meta(demo.META_CLOCK_OFFSET) is None
            assert tx.get_meta(demo.META_DEMO) is None


async def test_in_demo_mode_the_footer_offers_the_demo_page(make_demo_app: Any) -> None:
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        offered = {
            binding.key: binding.description
            for _, binding, enabled, _ in app.screen.active_bindings.values()
            if enabled and binding.show
        }
        assert offered["f2"] == "Page démo"


async def test_at_80_columns_every_column_of_the_accounts_is_in_view_and_whole(
    make_demo_app: Any,
) -> None:
    """At 80×24 the accounts table neither scrolls sideways nor cuts a word: the narrow layout
    wraps the NIR, the state and the last sign-in between words."""
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_page(pilot)
        await wait_until(pilot, lambda: bool(table_rows(app)), "the demo accounts")
        table: DataTable[Any] = app.screen.query_one("#comptes-demo", DataTable)
        assert table.max_scroll_x == 0
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert table.region.right <= app.screen.region.right - 1  # left of the scroll bar
        widths = [column.width for column in table.columns.values()]
        for row in table_rows(app).values():
            for cell, width in zip(row, widths, strict=True):
                assert all(len(word) <= width for word in cell.split()), (cell, width)
        rows = table_rows(app)
        assert rows["attente"][3] == "en attente d'activation"
        assert rows["habitue"][4] == "24/11 14:02"
        assert table.ordered_rows[0].height == 2  # the NIR on two lines


def footer_keys_whole(app: EnsapApp) -> list[str]:
    """Asserts that every footer key lies whole in the footer, none over another; returns
    them, «F2 Page démo» style."""
    footer = app.screen.query_one(Footer)
    keys = sorted(footer.query(FooterKey), key=lambda key: key.region.x)
    for key, after in pairwise(keys):
        # A space between two keys; the palette's key has its border «▏» for one.
        gap = 0 if after.has_class("-command-palette") else 1
        assert key.region.right + gap <= after.region.x, (key.description, after.description)
    for key in keys:
        assert footer.region.x <= key.region.x and key.region.right <= footer.region.right
        shown_width = len(key.key_display) + 1 + len(key.description)
        assert key.region.width >= shown_width, key.description
    return [f"{key.key_display} {key.description}" for key in keys]


async def test_at_80x24_no_footer_key_is_cut_in_demo_mode(make_demo_app: Any) -> None:
    """The F2 key makes the demo mode's footers one key longer: at 80 columns every key is
    still whole, on every screen (the console, with F5, has the most)."""
    person = PEOPLE["actif"]
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "F2 Page démo" in footer_keys_whole(app)
        for screen in (SignInScreen(), IdentityScreen(RegistrationDraft()), MailboxScreen()):
            await app.push_screen(screen)
            await settle(pilot)
            assert "F2 Page démo" in footer_keys_whole(app), type(screen).__name__
            app.pop_screen()
            await settle(pilot)
        await app.push_screen(SignInScreen())
        await settle(pilot)
        await sign_in(pilot, person.nir, person.password)
        await wait_until(pilot, lambda: isinstance(app.screen, EspaceScreen), "EspaceScreen")
        assert "Échap Se déconnecter" in footer_keys_whole(app)
        await pilot.press("escape")
        await settle(pilot)
        await app.push_screen(AgentSignInScreen())
        await settle(pilot)
        footer_keys_whole(app)
        await fill(pilot, "#agent-identifiant", demo.DEMO_AGENT_NAME)
        await fill(pilot, "#agent-mot-de-passe", DEMO_AGENT_PASSWORD)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConsoleScreen), "ConsoleScreen")
        assert footer_keys_whole(app)[:5] == [
            "F5 Actualiser", "F1 Aide", "Échap Retour", "Ctrl+Q Quitter", "F2 Page démo"
        ]
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, DemoScreen), "DemoScreen")
        footer_keys_whole(app)


async def test_the_demo_clock_box_has_no_drawn_frame_a_picture_could_shift(
    make_demo_app: Any,
) -> None:
    """Like the finalisation's address: a tinted band between two side bars, no run of frame
    lines («╭────╮») that pictures draw narrower than their cells (a stray «│» on the right)."""
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_page(pilot)
        box = app.screen.query_one("#horloge-demo")
        strips = box.render_lines(Region(0, 0, box.region.width, box.region.height))
        rows = [strip.text for strip in strips]
        assert not set("─╭╮╰╯┌┐└┘▔▁") & set("".join(rows)), rows
        assert len({row[0] for row in rows}) == len({row[-1] for row in rows}) == 1, rows
        assert rows[0][0].strip() and rows[0][-1].strip(), rows
        assert "26/11/2026 à 14:02 (heure réelle)" in rows[1]
