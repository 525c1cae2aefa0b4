"""Errors the services raise for the UI and the command line to show."""

from __future__ import annotations

from collections.abc import Sequence

from ensap_tui.domain.errors import FieldError


class ValidationFailed(ValueError):
    """One or more fields are invalid; ``errors`` keeps them in screen order."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = list(errors)


class NotSignedIn(PermissionError):
    """The session ended (signed out, timed out, or the account is gone)."""
