"""Pictures of the demo mode at 100×40, for review: the home page with the demo clock in the
header, the demo page as seeded and after the clock jumped 24 hours, and the command palette.

Deterministic: the demo clock's base is the fixed clock of ``tests/conftest.py`` (26/11/2026
14:02, Paris) and the demo accounts are seeded relative to it; steady cursors. Regenerate with
``--snapshot-update`` and look at every picture before committing it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import Input

from .demo_support import build_demo_app

if TYPE_CHECKING:
    from ensap_tui.adapters.clocks import FixedClock
    from ensap_tui.adapters.tokens import SequenceTokenSource

SIZE = (100, 40)


async def steady(pilot: Pilot[Any]) -> None:
    """Stops the cursors blinking and lets the header clock be written."""
    for _ in range(3):
        await pilot.pause()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def test_demo_home(
    snap_compare: Any, db_path: Path, clock: FixedClock, tokens: SequenceTokenSource
) -> None:
    """The home page in demo mode: «Simulateur — Démo — 26/11/2026 14:02» on the right of the
    header line, and «F2 Page démo» in the footer."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await steady(pilot)

    app = build_demo_app(db_path, clock, tokens)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_demo_page(
    snap_compare: Any, db_path: Path, clock: FixedClock, tokens: SequenceTokenSource
) -> None:
    """F2: the demo clock on the real time, the four buttons, the six fictitious accounts with
    their NIRs, passwords and states (active twice, one already signed in on 24/11, pending,
    link expired, blocked until 14:17, blocked until 14:03), the demo agent, and what each
    account shows."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.press("f2")
        await steady(pilot)

    app = build_demo_app(db_path, clock, tokens)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_demo_page_after_24_hours(
    snap_compare: Any, db_path: Path, clock: FixedClock, tokens: SequenceTokenSource
) -> None:
    """After «+24 heures»: 27/11/2026 14:02 in the header and the clock line
    («heure réelle + 24 h»), the fresh link now expired, both blocks over."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        await pilot.click("#avancer-24h")
        # The notification saying where the clock is goes after a few seconds: not pictured.
        pilot.app.clear_notifications()
        await steady(pilot)

    app = build_demo_app(db_path, clock, tokens)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_demo_palette(
    snap_compare: Any, db_path: Path, clock: FixedClock, tokens: SequenceTokenSource
) -> None:
    """Ctrl+P then «horloge»: the three demo clock commands with their keys."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"horloge")
        hits = pilot.app.screen.query_one(CommandList)
        for _ in range(100):  # the palette searches in a worker
            if hits.option_count >= 3:
                break
            await pilot.pause(0.02)
        await steady(pilot)

    app = build_demo_app(db_path, clock, tokens)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
