"""Signing in by NIR and password, with the temporary blocks after 3 failures.

Rules (SECURITY.md, "Throttling and enumeration"):

- 3 consecutive failures block the NIR 15 minutes, then 30, then 60, never more;
- the count and the block level restart after a success, a completed reset, or 12 hours
  without failure;
- during a block, attempts are neither verified nor counted;
- an unknown NIR costs a dummy verification and is counted like a wrong password, so neither
  the answer nor the time tells whether a space exists;
- "not activated" is said only after the right password.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from ensap_tui.domain import nir
from ensap_tui.domain.password import normalise_password
from ensap_tui.domain.timefmt import format_datetime
from ensap_tui.services import events
from ensap_tui.services.models import (
    AccountStatus,
    Event,
    FailureState,
    Session,
    SignInResult,
    SignInStatus,
)
from ensap_tui.services.ports import Clock, Hasher, Store

#: Consecutive failures that start a block.
MAX_FAILURES = 3
#: Lengths of the first, second and any later block of a streak.
BLOCK_LENGTHS = (timedelta(minutes=15), timedelta(minutes=30), timedelta(minutes=60))
#: A streak is forgotten after this long without a failure.
STREAK_RESET = timedelta(hours=12)


def effective_failure_state(state: FailureState, now: datetime) -> FailureState:
    """``state`` as it stands at ``now``: forgotten after 12 hours without failure."""
    if state.last_failure_at is not None and now - state.last_failure_at >= STREAK_RESET:
        return FailureState(state.nir)
    return state


def blocked_until(state: FailureState, now: datetime) -> datetime | None:
    """The end of the block in force at ``now``, if any."""
    if state.blocked_until is not None and now < state.blocked_until:
        return state.blocked_until
    return None


def after_failure(state: FailureState, now: datetime) -> tuple[FailureState, timedelta | None]:
    """The state once a failure at ``now`` is counted, and the length of the block it starts
    (None while fewer than :data:`MAX_FAILURES` failures in a row). Users and agents share it."""
    failures = state.failures + 1
    if failures < MAX_FAILURES:
        return replace(state, failures=failures, last_failure_at=now), None
    length = BLOCK_LENGTHS[min(state.blocks, len(BLOCK_LENGTHS) - 1)]
    blocked = FailureState(
        nir=state.nir, failures=0, blocks=state.blocks + 1, blocked_until=now + length,
        last_failure_at=now,
    )
    return blocked, length


def block_detail(length: timedelta, until: datetime) -> str:
    """The event-log detail of a block («bloqué 15 minutes, jusqu'au …»)."""
    minutes = int(length.total_seconds() // 60)
    return f"bloqué {minutes} minutes, jusqu'au {format_datetime(until)}"


class SignInService:
    """«J'accède à mon espace» and signing out."""

    def __init__(self, store: Store, hasher: Hasher, clock: Clock) -> None:
        self._store = store
        self._hasher = hasher
        self._clock = clock

    def sign_in(self, nir_text: str, password: str) -> SignInResult:
        """One sign-in attempt.

        Raises ``FieldError("identifiant")`` for a malformed NIR (not counted as a failure).
        FAILED carries ``attempts_left``; the failure that starts a block answers BLOCKED with
        ``blocked_until`` (and ``attempts_left`` 0), as does every attempt during the block.
        """
        compact = nir.parse_nir(nir_text, field="identifiant")
        candidate = normalise_password(password)
        now = self._clock.now()
        with self._store.read() as tx:
            state = effective_failure_state(tx.failure_state(compact), now)
            account = tx.account_by_nir(compact)
        until = blocked_until(state, now)
        if until is not None:
            return SignInResult(SignInStatus.BLOCKED, blocked_until=until)

        # argon2 runs outside any transaction, and always runs (dummy for an unknown NIR).
        verified = False
        new_hash: str | None = None
        if account is None:
            self._hasher.dummy_verify(candidate)
        else:
            verified = self._hasher.verify(account.password_hash, candidate)
            if (
                verified
                and account.status is AccountStatus.ACTIVE
                and self._hasher.needs_rehash(account.password_hash)
            ):
                new_hash = self._hasher.hash(candidate)

        with self._store.write() as tx:
            # Read again: another terminal may have blocked the NIR or changed the password.
            state = effective_failure_state(tx.failure_state(compact), now)
            until = blocked_until(state, now)
            if until is not None:
                return SignInResult(SignInStatus.BLOCKED, blocked_until=until)
            current = tx.account_by_nir(compact)
            if (
                verified
                and account is not None
                and current is not None
                and current.id == account.id
                and current.password_hash == account.password_hash
            ):
                if current.status is AccountStatus.PENDING:
                    tx.add_event(Event(at=now, kind=events.SIGN_IN_NOT_ACTIVATED, nir=compact))
                    return SignInResult(SignInStatus.NOT_ACTIVATED)
                tx.clear_failure_state(compact)
                if new_hash is not None:
                    tx.set_password_hash(current.id, new_hash)
                tx.set_last_sign_in(current.id, now)
                tx.add_event(Event(at=now, kind=events.SIGN_IN, nir=compact))
                session = Session(
                    account_id=current.id,
                    nir=compact,
                    birth_name=current.birth_name,
                    signed_in_at=now,
                    previous_sign_in_at=current.last_sign_in_at,
                )
                return SignInResult(SignInStatus.SIGNED_IN, session=session)

            detail = "identifiant inconnu" if current is None else "mot de passe incorrect"
            tx.add_event(Event(at=now, kind=events.SIGN_IN_FAILED, nir=compact, detail=detail))
            counted, length = after_failure(state, now)
            tx.save_failure_state(counted)
            if length is None:
                return SignInResult(
                    SignInStatus.FAILED, attempts_left=MAX_FAILURES - counted.failures
                )
            until = now + length
            tx.add_event(Event(at=now, kind=events.SIGN_IN_BLOCKED, nir=compact,
                               detail=block_detail(length, until)))
            return SignInResult(SignInStatus.BLOCKED, blocked_until=until, attempts_left=0)

    def sign_out(self, session: Session, *, reason: str = "") -> None:
        """Records that the person left; ``reason`` is short French text (e.g. «inactivité»)."""
        now = self._clock.now()
        with self._store.write() as tx:
            tx.add_event(Event(at=now, kind=events.SIGN_OUT, nir=session.nir, detail=reason))
