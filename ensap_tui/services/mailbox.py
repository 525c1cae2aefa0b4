"""The simulated mailbox: every mail the simulator "sent", for the screen and the command line."""

from __future__ import annotations

from ensap_tui.services.models import MailMessage
from ensap_tui.services.ports import Store


class MailboxService:
    """Reads the outbox."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def messages(self, limit: int = 100) -> list[MailMessage]:
        """At most ``limit`` mails, newest first."""
        with self._store.read() as tx:
            return tx.list_mail(limit)
