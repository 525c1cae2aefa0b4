"""Signing in by NIR and password, with the temporary blocks after 3 failures.

Rules (SECURITY.md, "Throttling and enumeration"; the counting itself is
:mod:`ensap_tui.domain.throttle`, the flow :mod:`ensap_tui.services._throttled`):

- 3 consecutive failures block the NIR 15 minutes, then 30, then 60, never more;
- the count and the block level restart after a success, a completed reset, or 12 hours
  without failure;
- during a block, attempts are neither verified nor counted;
- an unknown NIR costs a dummy verification and is counted like a wrong password, so neither
  the answer nor the time tells whether a space exists;
- "not activated" is said only after the right password.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ensap_tui.domain import nir
from ensap_tui.domain.password import normalise_password
from ensap_tui.services import _checks, _throttled, events
from ensap_tui.services.models import (
    Account,
    AccountStatus,
    Event,
    FailureState,
    Session,
    SignInResult,
    SignInStatus,
)
from ensap_tui.services.ports import Clock, Hasher, Store, StoreTx


class PersonDoor(_throttled.Door[Account, SignInResult]):
    """A person's sign-in: the counter is the NIR's, whether or not it has a space. Also
    used to count a wrong «Mot de passe actuel» (``account.AccountService.change_password``)."""

    def __init__(self, compact: str, real_clock: Clock | None = None) -> None:
        self.nir = compact
        self._real_clock = real_clock

    def find(self, tx: StoreTx) -> Account | None:
        return tx.account_by_nir(self.nir)

    def clock_at(self, tx: StoreTx, subject: Account | None, now: datetime) -> datetime:
        # A poste's space is signed into on its poste's clock, whichever poste tries: its
        # block ends when it ends for its trainee. Asked for every NIR, known or not, so
        # that the time spent does not tell whether a space exists.
        if self._real_clock is None:
            return now
        return _checks.space_now(tx, self.nir, now, self._real_clock)

    def first_reading(
        self, store: Store, now: datetime
    ) -> tuple[Account | None, FailureState, datetime]:
        # One statement outside any transaction (Store.sign_in_reading): on a server, one
        # round trip instead of five (BEGIN, the account, the poste's clock, the counter,
        # COMMIT). The same statement for every NIR, known or not.
        account, stored, offset = store.sign_in_reading(self.nir)
        if self._real_clock is None or offset is None:
            return account, stored, now
        return account, stored, self._real_clock.now() + timedelta(seconds=offset)

    def failure_state(self, tx: StoreTx, subject: Account | None) -> FailureState:
        return tx.failure_state(self.nir)

    def save_failure_state(
        self, tx: StoreTx, subject: Account | None, state: FailureState
    ) -> None:
        tx.save_failure_state(state)

    def password_hash(self, subject: Account) -> str:
        return subject.password_hash

    def may_rehash(self, subject: Account) -> bool:
        return subject.status is AccountStatus.ACTIVE

    def same(self, before: Account, now: Account) -> bool:
        return before.id == now.id and before.password_hash == now.password_hash

    def succeed(
        self, tx: StoreTx, subject: Account, new_hash: str | None, now: datetime
    ) -> SignInResult:
        if subject.status is AccountStatus.PENDING:
            tx.add_event(Event(at=now, kind=events.SIGN_IN_NOT_ACTIVATED, nir=self.nir))
            return SignInResult(SignInStatus.NOT_ACTIVATED)
        tx.clear_failure_state(self.nir)
        if new_hash is not None:
            tx.set_password_hash(subject.id, new_hash)
        tx.set_last_sign_in(subject.id, now)
        tx.add_event(Event(at=now, kind=events.SIGN_IN, nir=self.nir))
        session = Session(
            account_id=subject.id,
            nir=self.nir,
            birth_name=subject.birth_name,
            signed_in_at=now,
            previous_sign_in_at=subject.last_sign_in_at,
        )
        return SignInResult(SignInStatus.SIGNED_IN, session=session)

    def record_failure(self, tx: StoreTx, subject: Account | None, now: datetime) -> None:
        detail = "identifiant inconnu" if subject is None else "mot de passe incorrect"
        tx.add_event(Event(at=now, kind=events.SIGN_IN_FAILED, nir=self.nir, detail=detail))

    def record_block(
        self, tx: StoreTx, subject: Account | None, detail: str, now: datetime
    ) -> None:
        tx.add_event(Event(at=now, kind=events.SIGN_IN_BLOCKED, nir=self.nir, detail=detail))

    def answer(
        self, status: SignInStatus, *, until: datetime | None = None, left: int | None = None
    ) -> SignInResult:
        return SignInResult(status, blocked_until=until, attempts_left=left)


class SignInService:
    """«J'accède à mon espace» and signing out."""

    def __init__(
        self, store: Store, hasher: Hasher, clock: Clock, real_clock: Clock | None = None
    ) -> None:
        self._store = store
        self._hasher = hasher
        self._clock = clock
        #: The real time under any offset: a training room poste's space is signed into on
        #: its poste's clock (:meth:`PersonDoor.clock_at`).
        self._real_clock = real_clock

    def sign_in(self, nir_text: str, password: str) -> SignInResult:
        """One sign-in attempt.

        Raises ``FieldError("identifiant")`` for a malformed NIR (not counted as a failure).
        FAILED carries ``attempts_left``; the failure that starts a block answers BLOCKED with
        ``blocked_until`` (and ``attempts_left`` 0), as does every attempt during the block.
        """
        compact = nir.parse_nir(nir_text, field="identifiant")
        candidate = normalise_password(password)
        return _throttled.attempt(
            self._store, self._hasher, PersonDoor(compact, self._real_clock), candidate,
            self._clock.now(),
        )

    def sign_out(self, session: Session, *, reason: str = "") -> None:
        """Records that the person left; ``reason`` is short French text (e.g. «inactivité»)."""
        now = self._clock.now()
        with self._store.write() as tx:
            tx.add_event(Event(at=now, kind=events.SIGN_OUT, nir=session.nir, detail=reason))
