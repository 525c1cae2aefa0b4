"""A presented link's state as a table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ensap_tui.domain.token_state import TokenState, token_state

T0 = datetime(2026, 11, 26, 13, 2, tzinfo=UTC)
MIN = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("expires", "used", "revoked", "now", "expected"),
    [
        (T0 + MIN, None, None, T0, TokenState.VALID),
        (T0, None, None, T0, TokenState.EXPIRED),  # valid while now < expiry
        (T0 - MIN, None, None, T0, TokenState.EXPIRED),
        (T0 + MIN, T0 - MIN, None, T0, TokenState.USED),
        (T0 - MIN, T0 - 2 * MIN, None, T0, TokenState.USED),  # used stays used after expiry
        (T0 + MIN, None, T0 - MIN, T0, TokenState.UNKNOWN),  # revoked by a newer link
        (T0 + MIN, T0 - MIN, T0 - MIN, T0, TokenState.UNKNOWN),
    ],
)
def test_token_state(expires: datetime, used: datetime | None, revoked: datetime | None,
                     now: datetime, expected: TokenState) -> None:
    assert token_state(expires, used, revoked, now) is expected
