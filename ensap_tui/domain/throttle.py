"""The sign-in throttling rules, shared by the people (per NIR) and the help-desk agents.

- 3 consecutive failures block 15 minutes, then 30, then 60, never more;
- the count and the block level restart after a success, a completed reset, or 12 hours
  without failure;
- during a block, attempts are neither verified nor counted.

Pure functions of a :class:`FailureState` and an instant: the services read and write the
state, these say what it becomes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ensap_tui.domain.timefmt import format_datetime

#: Consecutive failures that start a block.
MAX_FAILURES = 3
#: Lengths of the first, second and any later block of a streak.
BLOCK_LENGTHS = (timedelta(minutes=15), timedelta(minutes=30), timedelta(minutes=60))
#: A streak is forgotten after this long without a failure.
STREAK_RESET = timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class FailureState:
    """Sign-in throttling for one NIR (kept even when no account exists) or one agent.

    ``nir`` is the counter's key (a NIR, or a key that cannot be one for an agent);
    ``failures`` counts consecutive failures since the last block, success or reset;
    ``blocks`` counts the blocks served in the current streak (it sets the next block's length);
    ``blocked_until`` is the end of the current or last block.
    """

    nir: str
    failures: int = 0
    blocks: int = 0
    blocked_until: datetime | None = None
    last_failure_at: datetime | None = None


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
    (None while fewer than :data:`MAX_FAILURES` failures in a row)."""
    failures = state.failures + 1
    if failures < MAX_FAILURES:
        return replace(state, failures=failures, last_failure_at=now), None
    length = BLOCK_LENGTHS[min(state.blocks, len(BLOCK_LENGTHS) - 1)]
    blocked = FailureState(
        nir=state.nir, failures=0, blocks=state.blocks + 1, blocked_until=now + length,
        last_failure_at=now,
    )
    return blocked, length


def attempts_left(state: FailureState) -> int:
    """Failures still allowed before the next block."""
    return MAX_FAILURES - state.failures


def lift_detail(state: FailureState, now: datetime) -> str | None:
    """The event-log detail of the help desk lifting ``state`` (as it stands at ``now``):
    «blocage levé (il courait jusqu'au …)», or «2 tentative(s) échouée(s) oubliée(s)»; None
    when there is neither a block in force nor a failure to forget."""
    until = blocked_until(state, now)
    if until is not None:
        return f"blocage levé (il courait jusqu'au {format_datetime(until)})"
    if state.failures:
        return f"{state.failures} tentative(s) échouée(s) oubliée(s)"
    return None


def block_detail(length: timedelta, until: datetime) -> str:
    """The event-log detail of a block («bloqué 15 minutes, jusqu'au …»)."""
    minutes = int(length.total_seconds() // 60)
    return f"bloqué {minutes} minutes, jusqu'au {format_datetime(until)}"
