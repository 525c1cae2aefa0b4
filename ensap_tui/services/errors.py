"""Errors the services raise for the UI and the command line to show."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ensap_tui.domain.errors import FieldError


class ValidationFailed(ValueError):
    """One or more fields are invalid; ``errors`` keeps them in screen order."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = list(errors)


class NotSignedIn(PermissionError):
    """The session ended (signed out, timed out, or the account is gone)."""


class TooManyAttempts(NotSignedIn):
    """The session ended because the current password was wrong too many times in a row (or
    the sign-in is blocked): ``blocked_until`` is when the person may sign in again;
    ``str()`` is a French message."""

    def __init__(self, message: str, blocked_until: datetime) -> None:
        super().__init__(message)
        self.blocked_until = blocked_until


class UnknownAccount(LookupError):
    """No secure space for that NIR (help desk); ``str()`` is a French message."""


class UnknownAgent(LookupError):
    """No help-desk agent of that name; ``str()`` is a French message."""


class ActionRefused(ValueError):
    """A help-desk action that does not apply to the account as it stands (e.g. re-sending
    the link of an active space); ``str()`` is a French message."""
