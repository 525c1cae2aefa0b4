"""The one throttled sign-in flow, shared by the people (NIR) and the help-desk agents.

The rules are :mod:`ensap_tui.domain.throttle`'s; this is the order of the I/O around them:
read the state and the subject, refuse during a block, verify outside any transaction (a
dummy verification for an unknown identifier), then in one write transaction read again
(another terminal may have blocked it or changed the password) and either succeed or count
the failure. What differs between people and agents is a :class:`Door`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime
from typing import Generic, TypeVar

from ensap_tui.domain.throttle import (
    FailureState,
    after_failure,
    attempts_left,
    block_detail,
    blocked_until,
    effective_failure_state,
)
from ensap_tui.services.models import SignInStatus
from ensap_tui.services.ports import Hasher, Store, StoreTx

S = TypeVar("S")  # who signs in, as stored (an account, an agent)
R = TypeVar("R")  # the result handed back


class Door(ABC, Generic[S, R]):
    """One kind of sign-in: where its subject and counter are, and what success writes."""

    @abstractmethod
    def find(self, tx: StoreTx) -> S | None:
        """The subject named by the typed identifier, or None."""

    @abstractmethod
    def failure_state(self, tx: StoreTx, subject: S | None) -> FailureState:
        """The stored counter that applies (``subject`` is what :meth:`find` gave)."""

    @abstractmethod
    def save_failure_state(self, tx: StoreTx, subject: S | None, state: FailureState) -> None:
        """Stores the counter once a failure is counted."""

    def clock_at(self, tx: StoreTx, subject: S | None, now: datetime) -> datetime:
        """The time the counter is judged and written at: ``now``, unless what signs in lives
        on a clock of its own (a training room poste's space)."""
        return now

    def first_reading(self, store: Store, now: datetime) -> tuple[S | None, FailureState, datetime]:
        """What an attempt reads before verifying the password, as one consistent snapshot:
        the subject (:meth:`find`), its stored counter (:meth:`failure_state`) and the time to
        judge it at (:meth:`clock_at`). A door may read them in fewer round trips."""
        with store.read() as tx:
            subject = self.find(tx)
            return subject, self.failure_state(tx, subject), self.clock_at(tx, subject, now)

    @abstractmethod
    def password_hash(self, subject: S) -> str:
        """The subject's stored hash."""

    def may_rehash(self, subject: S) -> bool:
        """Whether a verified password may replace a hash with old parameters."""
        return True

    @abstractmethod
    def same(self, before: S, now: S) -> bool:
        """True when ``now`` is still the subject verified as ``before`` (same record, same
        password)."""

    @abstractmethod
    def succeed(self, tx: StoreTx, subject: S, new_hash: str | None, now: datetime) -> R:
        """Writes a success (clears the counter, stores ``new_hash`` if any, logs) and
        answers."""

    @abstractmethod
    def record_failure(self, tx: StoreTx, subject: S | None, now: datetime) -> None:
        """Logs a counted failure."""

    @abstractmethod
    def record_block(self, tx: StoreTx, subject: S | None, detail: str, now: datetime) -> None:
        """Logs the block a failure started (``detail`` says how long)."""

    @abstractmethod
    def answer(
        self, status: SignInStatus, *, until: datetime | None = None, left: int | None = None
    ) -> R:
        """A FAILED or BLOCKED result."""


def attempt(store: Store, hasher: Hasher, door: Door[S, R], candidate: str, now: datetime) -> R:
    """One sign-in attempt through ``door`` with the normalised password ``candidate``."""
    subject, kept, at = door.first_reading(store, now)
    until = blocked_until(effective_failure_state(kept, at), at)
    if until is not None:
        return door.answer(SignInStatus.BLOCKED, until=until)

    # argon2 runs outside any transaction, and always runs (a dummy one for an unknown name).
    verified = False
    new_hash: str | None = None
    if subject is None:
        hasher.dummy_verify(candidate)
    else:
        stored = door.password_hash(subject)
        verified = hasher.verify(stored, candidate)
        if verified and door.may_rehash(subject) and hasher.needs_rehash(stored):
            new_hash = hasher.hash(candidate)

    with store.write() as tx:
        # Read again: another attempt may have counted a failure while argon2 ran.
        current = door.find(tx)
        at = door.clock_at(tx, current, now)
        state, until = _standing(tx, door, current, at)
        if until is not None:
            return door.answer(SignInStatus.BLOCKED, until=until)
        if verified and subject is not None and current is not None and door.same(
            subject, current
        ):
            return door.succeed(tx, current, new_hash, at)
        return count_failure(tx, door, current, state, at)


def _standing(
    tx: StoreTx, door: Door[S, R], subject: S | None, now: datetime
) -> tuple[FailureState, datetime | None]:
    """The failure state of ``subject`` (found by ``door`` in ``tx``) as it stands at ``now``,
    and the end of the block that runs (None when none does)."""
    state = effective_failure_state(door.failure_state(tx, subject), now)
    return state, blocked_until(state, now)


def count_failure(
    tx: StoreTx, door: Door[S, R], subject: S | None, state: FailureState, now: datetime
) -> R:
    """Counts one failure on ``state`` (already effective at ``now``): FAILED with the attempts
    left, or BLOCKED when it starts a block."""
    door.record_failure(tx, subject, now)
    counted, length = after_failure(state, now)
    door.save_failure_state(tx, subject, counted)
    if length is None:
        return door.answer(SignInStatus.FAILED, left=attempts_left(counted))
    until = now + length
    door.record_block(tx, subject, block_detail(length, until), now)
    return door.answer(SignInStatus.BLOCKED, until=until, left=0)
