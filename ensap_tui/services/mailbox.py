"""The simulated mailbox: every mail the simulator "sent", for the screen and the command line."""

from __future__ import annotations

from ensap_tui.services.models import MailMessage
from ensap_tui.services.ports import Store


class MailboxService:
    """Reads the outbox: every mail, or only those of a training room's poste (``poste_id``:
    the mails about the spaces created from it, the help desk's included)."""

    def __init__(self, store: Store, poste_id: int | None = None) -> None:
        self._store = store
        self._poste_id = poste_id

    def messages(self, limit: int = 100) -> list[MailMessage]:
        """At most ``limit`` mails, newest first."""
        with self._store.read() as tx:
            return tx.list_mail(limit, poste_id=self._poste_id)
