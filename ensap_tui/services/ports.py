"""The small interfaces the services are written against; adapters implement them."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, TypeAlias

if TYPE_CHECKING:  # annotations only: the records' dataclasses are built on first real use
    from ensap_tui.services.models import (
        Account,
        AccountStatus,
        Agent,
        Contacts,
        Event,
        FailureState,
        MailMessage,
        NewAccount,
        Poste,
        Room,
        TokenPurpose,
        TokenRecord,
    )


#: A space the help desk's search found: its account, its kept throttling state (None when none
#: is kept), when pending the expiry of its newest activation link (None otherwise), and the
#: clock offset in seconds (its room's plus its own) of the training-room poste it was created
#: from (None for a space of no poste).
SearchHit: TypeAlias = tuple["Account", "FailureState | None", "datetime | None", "int | None"]


class Clock(Protocol):
    """Tells the time. Every rule about time reads it."""

    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class TokenSource(Protocol):
    """Makes one-time tokens: at least 128 bits, URL-safe characters only ``[A-Za-z0-9_-]``."""

    def new_token(self) -> str:
        """A fresh token."""
        ...


class Hasher(Protocol):
    """Password hashing (argon2id, peppered with the database's secret, in the adapter).

    Every method receives the password already NFKC-normalised by the services.
    """

    def hash(self, password: str) -> str:
        """The encoded hash to store."""
        ...

    def verify(self, encoded: str, password: str) -> bool:
        """True when ``password`` matches ``encoded``; False otherwise, never raises on mismatch."""
        ...

    def needs_rehash(self, encoded: str) -> bool:
        """True when ``encoded`` was made with weaker parameters than the current ones."""
        ...

    def dummy_verify(self, password: str) -> None:
        """Costs as much as a real verification, for unknown identifiers."""
        ...


class StoreTx(Protocol):
    """Operations inside one store transaction (see :meth:`Store.write` / :meth:`Store.read`)."""

    # accounts
    def account_by_nir(self, nir: str) -> Account | None: ...
    def account_by_id(self, account_id: int) -> Account | None: ...
    def insert_account(self, new: NewAccount) -> int: ...
    def delete_account(self, account_id: int) -> None:
        """Deletes the account and its tokens (the outbox and event log are kept)."""
        ...
    def set_status(self, account_id: int, status: AccountStatus, at: datetime) -> None:
        """Sets the status; ``at`` is stored as ``activated_at`` when becoming active."""
        ...
    def set_password_hash(self, account_id: int, password_hash: str) -> None: ...
    def set_contacts(self, account_id: int, contacts: Contacts) -> None: ...
    def set_last_sign_in(self, account_id: int, at: datetime) -> None: ...
    def list_accounts(
        self, status: AccountStatus | None = None, limit: int = 1000
    ) -> list[Account]:
        """Accounts, newest first."""
        ...
    def search_accounts(self, *, nir: str | None = None, name_prefix: str | None = None,
                        limit: int = 50) -> list[Account]:
        """By exact NIR, or by the start of the birth name or of a later part of it, ignoring
        case, accents, apostrophes, hyphens and spaces: whole-name matches first, in name
        order."""
        ...
    def search_with_state(
        self, *, nir: str | None = None, name_prefix: str | None = None, limit: int = 50
    ) -> list[tuple[Account, FailureState | None, datetime | None]]:
        """As :meth:`search_accounts`, in one query: each account with its kept throttling
        state (None when none is kept) and, when pending, the expiry of its newest activation
        link (None otherwise)."""
        ...

    # tokens (only SHA-256 hex digests are stored)
    def insert_token(self, account_id: int, purpose: TokenPurpose, token_hash: str,
                     issued_at: datetime, expires_at: datetime) -> int: ...
    def revoke_tokens(self, account_id: int, purpose: TokenPurpose, at: datetime) -> None:
        """Revokes every unused, unrevoked token of that account and purpose."""
        ...
    def token_by_hash(self, token_hash: str) -> TokenRecord | None: ...
    def consume_token(self, token_hash: str, purpose: TokenPurpose, now: datetime) -> int | None:
        """One conditional UPDATE: marks the token used if it is of ``purpose``, unused,
        unrevoked and ``now < expires_at``. Returns its account id, or None if nothing matched."""
        ...
    def latest_token(self, account_id: int, purpose: TokenPurpose) -> TokenRecord | None: ...

    # throttling
    def failure_state(self, nir: str) -> FailureState:
        """The state for ``nir`` (a zero state when none is kept)."""
        ...
    def save_failure_state(self, state: FailureState) -> None: ...
    def clear_failure_state(self, nir: str) -> None: ...
    def blocked_states(self, now: datetime, limit: int = 1000) -> list[FailureState]:
        """The states whose block is still in force at ``now``, the block ending last first
        (keys that are not NIRs, such as ``agent:<name>``, included)."""
        ...

    # help-desk agents (names unique ignoring case)
    def agent_by_name(self, name: str) -> Agent | None:
        """The agent called ``name``, ignoring case."""
        ...
    def insert_agent(self, name: str, password_hash: str, created_at: datetime) -> int: ...
    def delete_agent(self, agent_id: int) -> None: ...
    def list_agents(self) -> list[Agent]:
        """Every agent, by name."""
        ...
    def set_agent_password_hash(self, agent_id: int, password_hash: str) -> None: ...
    def agent_failure_state(self, agent_id: int) -> FailureState:
        """The agent's sign-in counter, kept on its record (a zero state for no such agent)."""
        ...
    def save_agent_failure_state(self, agent_id: int, state: FailureState) -> None:
        """Stores the agent's counter on its record (``state.nir`` is ignored)."""
        ...

    # simulated mail
    def add_mail(self, message: MailMessage) -> int:
        """Stores the mail; it belongs to ``message.poste_id``, else to the poste of the space
        of its NIR (none outside a room): a help desk's mail reaches that poste's mailbox."""
        ...
    def list_mail(self, limit: int = 100, poste_id: int | None = None) -> list[MailMessage]:
        """Newest first; only the mails of ``poste_id`` when given."""
        ...
    def count_mail(self, nir: str, kind: str, since: datetime) -> int: ...

    # event log (append-only)
    def add_event(self, event: Event) -> int:
        """Appends the event. Its poste is ``event.poste_id`` (the poste that acted), else the
        poste of the space of its NIR; its room ``event.room_id``, else that poste's room."""
        ...
    def list_events(self, nir: str | None = None, limit: int = 100) -> list[Event]:
        """Newest first."""
        ...

    # settings kept in the database (secret check value, demo clock offset, ...)
    def get_meta(self, key: str) -> str | None: ...
    def set_meta(self, key: str, value: str) -> None: ...

    # demo mode (issue 4)
    def reset_demo_data(self) -> None:
        """Deletes every account (with its tokens), help-desk agent, throttling state and
        simulated mail: the demo reset. The event log (append-only) and the meta stay."""
        ...

    # training rooms and their postes (issue 12)
    def insert_room(self, code: str, created_at: datetime) -> int:
        """A new open room; :class:`StoreError` when an open room already has ``code``."""
        ...
    def room_by_id(self, room_id: int) -> Room | None: ...
    def room_by_code(self, code: str) -> Room | None:
        """The open room of ``code``, else the last ended one that had it, else None."""
        ...
    def end_room(self, room_id: int, at: datetime) -> None:
        """Ends the room at ``at`` (an ended room keeps its first end)."""
        ...
    def set_room_clock_offset(self, room_id: int, seconds: int) -> None: ...
    def insert_poste(self, room_id: int, first_name: str, joined_at: datetime) -> int: ...
    def poste_by_id(self, poste_id: int) -> Poste | None: ...
    def postes_of_room(self, room_id: int) -> list[Poste]:
        """The room's postes in joining order."""
        ...
    def set_poste_clock_offset(self, poste_id: int, seconds: int) -> None: ...
    def set_poste_seen(self, poste_id: int, at: datetime | None, screen: str | None) -> None:
        """The heartbeat at ``at`` (real time) with the screen shown (kept when None); ``at``
        None: the poste's app closed."""
        ...
    def add_poste_field_errors(self, poste_id: int, count: int) -> None: ...
    def next_poste_generation(self, poste_id: int) -> int:
        """Adds one to the poste's generation; returns it (0 when no such poste)."""
        ...
    def clear_poste(self, poste_id: int) -> int:
        """Deletes the poste's spaces (with their tokens), their sign-in counters and the
        poste's mails, and puts its clock offset and field-error count back to 0; returns
        how many spaces were deleted. The journal stays."""
        ...
    def newest_account_of_poste(self, poste_id: int) -> Account | None: ...
    def space_clock_offset(self, nir: str) -> int | None:
        """The clock offset in seconds (its room's plus its own) of the poste the space of
        ``nir`` was created from; None for a space of no poste, or no space."""
        ...
    def space_clock_offsets(self, nirs: Sequence[str]) -> dict[str, int]:
        """:meth:`space_clock_offset` of several spaces in one query: only the NIRs of spaces
        created from a poste are keys."""
        ...
    def last_event_of_poste(self, poste_id: int) -> Event | None:
        """The event written last for the poste (by id: postes' clocks differ)."""
        ...
    def room_events(self, room_id: int, limit: int = 100) -> list[Event]:
        """The events of the room and of its postes, the last written first."""
        ...


class Store(Protocol):
    """A database. ``write()`` runs its block in one transaction taken in turn with every other
    writer of the database (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL),
    waiting a bounded time when busy (then :class:`StoreBusyError`), and commits, or rolls back
    on any exception. ``read()`` is one consistent snapshot."""

    def write(self) -> AbstractContextManager[StoreTx]: ...
    def read(self) -> AbstractContextManager[StoreTx]: ...
    def search_spaces(
        self, *, nir: str | None = None, name_prefix: str | None = None, limit: int = 50
    ) -> list[SearchHit]:
        """As :meth:`StoreTx.search_with_state`, each space with its poste's clock offset
        too, in one statement outside any transaction (its own consistent snapshot): one
        round trip to a server, none for ``BEGIN`` or ``COMMIT``."""
        ...
    def sign_in_reading(self, nir: str) -> tuple[Account | None, FailureState, int | None]:
        """What a person's sign-in reads before verifying the password, in one statement
        outside any transaction (its own consistent snapshot): the account of ``nir`` (None:
        no space), the throttling state kept for ``nir`` (a fresh one when none is kept), and
        the clock offset of the training-room poste its space was created from (None outside
        a room)."""
        ...
    def close(self) -> None: ...
    def take_damaged(self) -> list[DamagedRecord]:
        """The damaged rows that the lists read on this thread left out since the last call
        (and forgets them). A list (``list_*``, ``search_*``, ``blocked_states``) skips a row
        it cannot read, so the others are still shown; a read of one record raises
        :class:`DamagedRecord` instead."""
        ...


class StoreBusyError(RuntimeError):
    """The database stayed locked by another process longer than the busy timeout."""


class StoreError(RuntimeError):
    """The database cannot be used; ``args[0]`` is a French message for the user."""



class DamagedRecord(StoreError):
    """A stored row holds a value the store cannot read (a timestamp that is not ISO after a
    manual edit, a damaged restore...). ``table`` and ``row`` (its id, or its key) name it,
    ``column`` the value; ``nir`` is the account's NIR when the row belongs to one. ``args[0]``
    is a French message naming the table and the row."""

    def __init__(
        self, table: str, row: int | str, column: str = "", nir: str | None = None
    ) -> None:
        where = f" (colonne « {column} »)" if column else ""
        super().__init__(
            f"Une ligne de la base de données est endommagée : table « {table} », "
            f"ligne {row}{where}. Elle ne peut pas être lue."
        )
        self.table = table
        self.row = row
        self.column = column
        self.nir = nir
