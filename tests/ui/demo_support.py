"""The app in demo mode for the UI tests: a fresh test database seeded with the demo accounts
(cheap argon2), the fixed clock of ``tests/conftest.py`` as the base of the demo clock."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ensap_tui.ui.app import EnsapApp, create_app
from tests.support.demo import demo_settings

if TYPE_CHECKING:
    from ensap_tui.adapters.clocks import FixedClock
    from ensap_tui.adapters.tokens import SequenceTokenSource


def build_demo_app(
    db_path: Path, clock: FixedClock, tokens: SequenceTokenSource, *, browser: bool | None = None
) -> EnsapApp:
    """A new demo-mode app on ``db_path`` (seeded on first opening); ``browser`` as
    ``create_app``'s."""
    settings = demo_settings()
    return create_app(
        db_path, clock=clock, token_source=tokens, settings=settings, browser=browser
    )
