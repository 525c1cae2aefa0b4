"""The store as a training room's poste sees it (issue 12): what the poste's app writes belongs
to the poste.

In a poste's app every service writes through :class:`PosteStore`: a space it creates is the
poste's (``accounts.poste_id``), and an event it writes names the poste that acted. Everything
else is the store itself: the help desk still finds every space of the room, and a mail goes to
the poste of the space it is about (the store's rule, whoever sends it). Only the mailbox reads
differently, and says so itself (``MailboxService``'s ``poste_id``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from ensap_tui.services.models import Account, Event, FailureState, NewAccount
    from ensap_tui.services.ports import DamagedRecord, SearchHit, Store, StoreTx


class _PosteTx:
    """A transaction of the store whose new spaces and events belong to ``poste_id``; every
    other operation is the store's own."""

    def __init__(self, tx: StoreTx, poste_id: int) -> None:
        self._tx = tx
        self._poste_id = poste_id

    def __getattr__(self, name: str) -> Any:
        # Only called for what this class does not define: the store's own operations.
        return getattr(self._tx, name)

    def insert_account(self, new: NewAccount) -> int:
        return self._tx.insert_account(
            new if new.poste_id is not None else dataclasses.replace(new, poste_id=self._poste_id)
        )

    def add_event(self, event: Event) -> int:
        return self._tx.add_event(
            event if event.poste_id is not None
            else dataclasses.replace(event, poste_id=self._poste_id)
        )


class PosteStore:
    """``store`` as the poste ``poste_id`` writes to it (see the module's docstring)."""

    def __init__(self, store: Store, poste_id: int) -> None:
        self.inner = store
        self.poste_id = poste_id

    @contextmanager
    def write(self) -> Iterator[StoreTx]:
        with self.inner.write() as tx:
            # A proxy of the StoreTx protocol: it has every operation, through __getattr__.
            yield cast("StoreTx", _PosteTx(tx, self.poste_id))

    @contextmanager
    def read(self) -> Iterator[StoreTx]:
        with self.inner.read() as tx:
            yield cast("StoreTx", _PosteTx(tx, self.poste_id))

    def search_spaces(
        self, *, nir: str | None = None, name_prefix: str | None = None, limit: int = 50
    ) -> list[SearchHit]:
        return self.inner.search_spaces(nir=nir, name_prefix=name_prefix, limit=limit)

    def sign_in_reading(self, nir: str) -> tuple[Account | None, FailureState, int | None]:
        return self.inner.sign_in_reading(nir)

    def close(self) -> None:
        self.inner.close()

    def take_damaged(self) -> list[DamagedRecord]:
        return self.inner.take_damaged()
