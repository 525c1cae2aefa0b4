"""What a session screen says when its worker cannot reach the database."""

from __future__ import annotations

from textual.message import Message

from ensap_tui.services.ports import StoreBusyError, StoreError

#: The errors a worker turns into a message instead of letting the app stop.
STORE_ERRORS = (StoreError, StoreBusyError)

STORE_TROUBLE = (
    "La base de données du simulateur est momentanément indisponible : réessayez dans un instant."
)


class StoreTrouble(Message):
    """A worker could not use the database; :attr:`text` says so in French."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        detail = error.args[0] if isinstance(error, StoreError) and error.args else ""
        self.text = str(detail) or STORE_TROUBLE
