"""The throttling rules as a table: a state and an instant in, the state and block out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ensap_tui.domain.throttle import (
    MAX_FAILURES,
    FailureState,
    after_failure,
    attempts_left,
    block_detail,
    blocked_until,
    effective_failure_state,
    lift_detail,
)

T0 = datetime(2026, 11, 26, 13, 2, tzinfo=UTC)
MIN = timedelta(minutes=1)


def state(failures: int = 0, blocks: int = 0, until: datetime | None = None,
          last: datetime | None = None) -> FailureState:
    return FailureState("185057511512364", failures, blocks, until, last)


@pytest.mark.parametrize(
    ("before", "after", "length"),
    [
        # failures in a row, no block yet
        (state(), state(1, last=T0), None),
        (state(1, last=T0 - MIN), state(2, last=T0), None),
        # the third failure starts the streak's first block, 15 minutes
        (state(2, last=T0 - MIN), state(0, 1, T0 + 15 * MIN, T0), 15 * MIN),
        # then 30, then 60, never more
        (state(2, 1, T0 - MIN, T0 - MIN), state(0, 2, T0 + 30 * MIN, T0), 30 * MIN),
        (state(2, 2, T0 - MIN, T0 - MIN), state(0, 3, T0 + 60 * MIN, T0), 60 * MIN),
        (state(2, 7, T0 - MIN, T0 - MIN), state(0, 8, T0 + 60 * MIN, T0), 60 * MIN),
    ],
)
def test_after_failure(before: FailureState, after: FailureState,
                       length: timedelta | None) -> None:
    assert after_failure(before, T0) == (after, length)


@pytest.mark.parametrize(
    ("stored", "now", "effective"),
    [
        (state(), T0, state()),
        (state(2, last=T0), T0 + 11 * 60 * MIN, state(2, last=T0)),
        # 12 hours without failure forget the streak and its block level
        (state(2, 2, T0 - MIN, T0), T0 + 12 * 60 * MIN, state()),
        (state(1, 3, None, T0), T0 + 13 * 60 * MIN, state()),
    ],
)
def test_a_streak_is_forgotten_after_12_hours(
        stored: FailureState, now: datetime, effective: FailureState) -> None:
    assert effective_failure_state(stored, now) == effective


@pytest.mark.parametrize(
    ("until", "now", "in_force"),
    [
        (None, T0, None),
        (T0 + MIN, T0, T0 + MIN),
        (T0, T0, None),  # a block ends at its instant exactly
        (T0 - MIN, T0, None),
    ],
)
def test_blocked_until(until: datetime | None, now: datetime, in_force: datetime | None) -> None:
    assert blocked_until(state(0, 1, until, T0 - MIN), now) == in_force


@pytest.mark.parametrize(("failures", "left"), [(0, 3), (1, 2), (2, 1)])
def test_attempts_left(failures: int, left: int) -> None:
    assert attempts_left(state(failures)) == left
    assert MAX_FAILURES == 3


def test_block_detail_names_its_length_and_end_in_local_time() -> None:
    assert block_detail(15 * MIN, T0 + 15 * MIN) == "bloqué 15 minutes, jusqu'au 26/11/2026 à 14:17"


@pytest.mark.parametrize(
    ("stored", "detail"),
    [
        (state(), None),
        (state(2, last=T0 - MIN), "2 tentative(s) échouée(s) oubliée(s)"),
        (state(0, 1, T0 + 15 * MIN, T0), "blocage levé (il courait jusqu'au 26/11/2026 à 14:17)"),
        # a block that is over is nothing to lift
        (state(0, 1, T0 - MIN, T0 - 16 * MIN), None),
    ],
)
def test_lift_detail(stored: FailureState, detail: str | None) -> None:
    assert lift_detail(stored, T0) == detail
