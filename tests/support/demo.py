"""The demo mode in tests: settings with a fixed demo agent password (a real demo database
draws a new one at each seeding), so that pictures and listings do not change."""

from __future__ import annotations

import dataclasses

from ensap_tui.bootstrap import Settings

#: The demo agent's password in every test demo database.
DEMO_AGENT_PASSWORD = "Guichet#Aide2026"


def demo_settings() -> Settings:
    """``Settings.for_tests()`` in demo mode, with :data:`DEMO_AGENT_PASSWORD`."""
    return dataclasses.replace(
        Settings.for_tests().demo_mode(), demo_agent_password=DEMO_AGENT_PASSWORD
    )
