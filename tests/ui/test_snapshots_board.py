"""A picture of the trainer's board at 100×30, for review.

Deterministic: fixed clock (26/11/2026 14:02, Paris) and tokens from ``tests/conftest.py`` (so
the room code is always the same), the postes' heartbeats on that clock. Regenerate with
``--snapshot-update`` and look at the picture before committing it.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.services.container import Services
from ensap_tui.ui.screens.mailbox import MailboxScreen
from ensap_tui.ui.screens.password import PasswordScreen

from .session_support import settle, wait_until
from .test_board import ADDRESS, register_from

SIZE = (100, 30)


def test_board_of_a_room(
    snap_compare: Any, make_app: Any, services: Services, db_path: Path, clock: FixedClock,
    tokens: Any,
) -> None:
    """«Salle de formation — code …» with the room's clock (26/11/2026 à 14:02) on the right;
    the address to give and «3 postes, 2 connectés»; the table: Camille «● oui» on «2. Mot de
    passe» (the step its poste reports, «Étape 2 — Mot de passe», shortened) with 3 errors;
    Karim «● oui» on «Boîte de réception», whose space is «lien expiré» (his clock runs 25 h
    ahead: judged on it), selected; Léa «○ non»; each last event's time, its words cut with
    «…». «Poste sélectionné : Karim — horloge : +25 h sur la salle (27/11 15:02)»; the five
    poste buttons with their keys, then «Toute la salle :» and its two; the journal panel,
    newest first, in the help desk's words: Karim's clock move on top, then his registration
    (made through his poste's own services); the footer: F6 to F8, R, Suppr, F1, Ctrl+Q."""
    room = services.room.open_room()
    camille = services.room.join(room.code, "Camille")
    karim = services.room.join(room.code, "Karim")
    services.room.join(room.code, "Léa")
    services.room.seen(camille.id, PasswordScreen.SCREEN_NAME)
    services.room.count_field_errors(camille.id, 3)
    register_from(db_path, clock, tokens, karim)
    services.room.seen(karim.id, MailboxScreen.SCREEN_NAME)
    services.room.move_poste_clock(karim.id, timedelta(hours=25))

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        table = pilot.app.screen.query_one("#postes", DataTable)
        await wait_until(pilot, lambda: table.row_count == 3)
        table.move_cursor(row=1, animate=False)
        await settle(pilot)

    app = make_app(board_room=room.id, board_address=ADDRESS)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
