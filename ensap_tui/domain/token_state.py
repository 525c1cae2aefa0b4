"""What a presented one-time token (activation or reset link) is worth at an instant."""

from __future__ import annotations

import enum
from datetime import datetime


class TokenState(enum.StrEnum):
    """A presented token's state (see :func:`token_state`)."""

    VALID = "valid"
    UNKNOWN = "unknown"  # never issued, of another purpose, or revoked by a newer link
    USED = "used"
    EXPIRED = "expired"


def token_state(
    expires_at: datetime, used_at: datetime | None, revoked_at: datetime | None, now: datetime
) -> TokenState:
    """Classifies a stored token of the right purpose at ``now``. A revoked token reads as
    unknown (a newer link replaced it); a used one stays used after its expiry; a token works
    while ``now < expires_at``."""
    if revoked_at is not None:
        return TokenState.UNKNOWN
    if used_at is not None:
        return TokenState.USED
    if now >= expires_at:
        return TokenState.EXPIRED
    return TokenState.VALID
